import { Composer, InlineKeyboard, type Api } from 'grammy';
import { escapeHtml, renderMarkdownBlocks } from '../../content/markdown.js';
import { hidePlaceholders } from '../../content/placeholders.js';
import { splitMessage } from '../../content/split.js';
import type { CaseRow } from '../../db/schema.js';
import { answerCheckin, CARE_ANSWERS, markCheckinSent, undeliveredCheckins, type CareAnswer } from '../../inbox/care.js';
import type { InboxService } from '../../inbox/service.js';
import { classifyError } from '../../telegram/errors.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

const HTML = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };

/**
 * Care for consultants: the check-in after an urgent case, in the consultant's private chat with the bot.
 * Who has not started the bot cannot be written to first: their case's topic says only that a check-in
 * waits for them there (never the question's answer), and it arrives as soon as they write to the bot.
 * The answer is counted (care.ts) and acknowledged to them alone; "not OK" shows the organisation's
 * support contacts (content/support/<lang>.md).
 */
export function createCareFeature(deps: BotDeps, inbox: InboxService, api: Api, botUsername: () => string): { feature: Composer<BotContext>; deliver: (consultantId: number, row?: CaseRow) => Promise<void> } {
  const { db, logger, content } = deps;
  const clock = () => (deps.clock ?? (() => new Date()))().getTime();
  const keyboard = (id: number) => {
    const k = new InlineKeyboard();
    for (const answer of CARE_ANSWERS) k.text(inbox.st(`care-button-${answer}`), `care:${id}:${answer}`);
    return k;
  };
  /** Consultants being written to right now: a burst of their updates sends each question once. */
  const sending = new Set<number>();

  async function deliver(consultantId: number, row?: CaseRow): Promise<void> {
    if (sending.has(consultantId)) return;
    sending.add(consultantId);
    try {
      for (const { id } of undeliveredCheckins(db, consultantId)) {
        try {
          await api.sendMessage(consultantId, inbox.st('care-checkin'), { ...HTML, reply_markup: keyboard(id) });
          markCheckinSent(db, id, clock());
        } catch (error) {
          const failure = classifyError(error);
          if (failure.kind !== 'blocked') logger.warn({ reason: failure.kind }, 'a check-in could not be sent yet');
          // Not started (or blocked): the topic only says that something waits in the private chat.
          else if (row) {
            const alias = `<a href="tg://user?id=${consultantId}">${escapeHtml(inbox.aliasOf(consultantId))}</a>`;
            inbox.noteInTopic(row, inbox.st('care-start-bot', { alias, bot: escapeHtml(botUsername()) }));
          }
          return;
        }
      }
    } finally {
      sending.delete(consultantId);
    }
  }

  const feature = new Composer<BotContext>();
  const privateChats = feature.chatType('private');

  // Whoever is owed a check-in gets it the moment they write to the bot (a /start after the topic's note).
  privateChats.use(async (ctx, next) => {
    if (ctx.from && undeliveredCheckins(db, ctx.from.id).length > 0) await deliver(ctx.from.id);
    return next();
  });

  privateChats.callbackQuery(/^care:(\d+):(ok|so-so|not-ok)$/, async (ctx) => {
    const answer = ctx.match[2] as CareAnswer;
    const result = answerCheckin(db, Number(ctx.match[1]), ctx.from.id, answer, clock());
    if (result !== 'counted') return void (await ctx.answerCallbackQuery({ text: inbox.st('care-gone'), show_alert: true }));
    await ctx.answerCallbackQuery({ text: inbox.st('care-counted') });
    await ctx.editMessageText(`${inbox.st('care-checkin')}\n\n${inbox.st(`care-answered-${answer}`)}`, HTML).catch(() => undefined);
    if (answer !== 'not-ok') return;
    const support = content.for(ctx.lang).support;
    const blocks = support
      ? [`<b>${escapeHtml(support.title)}</b>`, ...renderMarkdownBlocks(hidePlaceholders(support.markdown, inbox.st('care-support-pending')))]
      : [inbox.st('care-support-missing')];
    for (const part of splitMessage([inbox.st('care-not-ok'), ...blocks])) await ctx.reply(part, HTML);
  });

  return { feature, deliver };
}
