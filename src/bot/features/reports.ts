import { Composer, InlineKeyboard, type Context } from 'grammy';
import { createConversation } from '@grammyjs/conversations';
import type { I18n } from '@grammyjs/i18n';
import { ensureClient } from '../../db/clients.js';
import { escapeHtml } from '../../content/markdown.js';
import { formatLocal } from '../../time/zoned.js';
import { CHAT_REF_BINDING } from '../../privacy/keys.js';
import type { Erasure } from '../../inbox/erasure.js';
import type { InboxService } from '../../inbox/service.js';
import type { Lockdown } from '../../inbox/lockdown.js';
import {
  attachMessages,
  countReport,
  createReport,
  decideReport,
  dropReport,
  hourOf,
  randomReportNumber,
  REPORT_LIMIT_PER_DAY,
  reportsToday,
  type ReportDecision,
} from '../../inbox/reports.js';
import { createReportFlow, type CardStamp, type ReportDraft } from '../conversations/report.js';
import { optionalText } from '../i18n.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { backToMenu, NEW } from '../keyboards.js';

const HTML = { parse_mode: 'HTML' } as const;

/**
 * Bad batch / bad reaction reports (issue 22.2). The client's side: /report and the menu button start a
 * short guided flow; on confirm, a card goes to the moderation chat (the editors chat) without the
 * client's identity: a random number, the answers, the region, the hour; a photo (compressed by Telegram,
 * so without its metadata) follows under it. The team's side: Dismiss, Reviewed or Use for alert, once;
 * the photo is deleted with the decision and the link to the reporter goes.
 */
export function createReportsFeature(deps: BotDeps, tools: { inbox: InboxService; erasure: Erasure; i18n: I18n<BotContext>; lockdown: Lockdown }) {
  const { db, privacy, config, logger } = deps;
  const { inbox, erasure, i18n, lockdown } = tools;
  const clock = () => (deps.clock ?? (() => new Date()))().getTime();
  const moderationChat = () => config.editorsChatId;
  const sealChat = (chatId: number) => privacy.encryptChatId(chatId, CHAT_REF_BINDING.deletion);
  /** The team's texts, in DEFAULT_LANGUAGE. */
  const st = (key: string, vars: Record<string, string | number> = {}) => i18n.t(config.defaultLanguage, key, vars);

  /** The card exactly as the team sees it (the client's preview shows this same text). */
  function renderCard(draft: ReportDraft, stamp: CardStamp): string {
    const region = draft.region !== undefined ? (optionalText(i18n, config.defaultLanguage, `staff-region-${draft.region}`) ?? draft.region) : st('staff-report-region-none');
    return st('staff-report-card', {
      number: stamp.number,
      kind: st(`staff-report-kind-${draft.kind}`),
      soldAs: draft.soldAs !== undefined ? escapeHtml(draft.soldAs) : st('staff-report-sold-unknown'),
      what: escapeHtml(draft.whatHappened),
      region: escapeHtml(region),
      received: escapeHtml(formatLocal(new Date(stamp.hour), config.timezone)),
      photo: st(draft.photoFileId !== undefined ? 'staff-report-photo-yes' : 'staff-report-photo-no'),
    });
  }

  const decisionButtons = (id: number) =>
    new InlineKeyboard()
      .text(st('staff-report-dismiss'), `report:dismissed:${id}`)
      .text(st('staff-report-reviewed'), `report:reviewed:${id}`)
      .row()
      .text(st('staff-report-use'), `report:used:${id}`);

  const overLimit = (key: string) => reportsToday(db, privacy.reportLimitKey(key), clock()) >= REPORT_LIMIT_PER_DAY;
  const tellLimit = (ctx: BotContext) => ctx.reply(ctx.t('report-limit', { limit: REPORT_LIMIT_PER_DAY }), { ...HTML, reply_markup: backToMenu(ctx) });

  async function submit(ctx: BotContext, draft: ReportDraft, stamp: CardStamp): Promise<void> {
    if (!ctx.client || !ctx.chat) return;
    const key = ctx.client.key;
    if (overLimit(key)) return void (await tellLimit(ctx));
    // A locked team chat may have a stranger in it: no client's words go there until /unlock.
    if (lockdown.isLocked && inbox.inboxes.byChat(moderationChat()) !== undefined) {
      return void (await ctx.reply(ctx.t('report-failed'), { ...HTML, reply_markup: backToMenu(ctx) }));
    }
    ensureClient(db, privacy, key, ctx.chat.id);
    const now = clock();
    const row = createReport(db, { number: stamp.number, kind: draft.kind, region: draft.region, hasPhoto: draft.photoFileId !== undefined, clientKey: key, chatId: moderationChat(), now });
    let cardId: number;
    try {
      const card = await ctx.api.sendMessage(row.chatId, renderCard(draft, { number: row.number, hour: row.receivedHour }), {
        ...HTML,
        protect_content: true,
        reply_markup: decisionButtons(row.id),
      });
      cardId = card.message_id;
    } catch (error) {
      logger.error({ err: error }, 'a report could not be posted to the moderation chat');
      dropReport(db, row.id);
      return void (await ctx.reply(ctx.t('report-failed'), { ...HTML, reply_markup: backToMenu(ctx) }));
    }
    let photoId: number | undefined;
    if (draft.photoFileId !== undefined) {
      // By file id: the compressed photo as Telegram re-encoded it, never the client's original file.
      const photo = await ctx.api
        .sendPhoto(row.chatId, draft.photoFileId, { protect_content: true, reply_parameters: { message_id: cardId, allow_sending_without_reply: true } })
        .catch((error: unknown) => void logger.warn({ err: error }, 'the photo of a report could not be posted'));
      photoId = photo?.message_id;
    }
    attachMessages(db, row.id, cardId, photoId);
    countReport(db, privacy.reportLimitKey(key), now);
    const keyboard = new InlineKeyboard().text(ctx.t('menu-consult'), `${NEW}menu:consult`).row().text(ctx.t('button-menu'), `${NEW}menu:main`);
    await ctx.reply(ctx.t('report-sent', { number: row.number }), { ...HTML, reply_markup: keyboard });
  }

  const clientSide = new Composer<BotContext>();
  clientSide.use(
    createConversation<BotContext, Context>(
      createReportFlow(i18n, { renderCard, submit, stamp: () => ({ number: randomReportNumber(), hour: hourOf(clock()) }) }),
      'report',
    ),
  );
  async function startReport(ctx: BotContext): Promise<void> {
    if (!ctx.client) return;
    if (overLimit(ctx.client.key)) return void (await tellLimit(ctx));
    await ctx.conversation.enter('report', { lang: ctx.lang, regions: deps.content.settings.regions ?? [] });
  }
  clientSide.command('report', startReport);
  clientSide.callbackQuery(/^(?:n:)?menu:report$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await startReport(ctx);
  });
  // A button of a flow that has ended (a restart, an old message): say so rather than nothing.
  clientSide.callbackQuery(/^report:/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.reply(ctx.t('report-stale'), { ...HTML, reply_markup: new InlineKeyboard().text(ctx.t('menu-report'), `${NEW}menu:report`) });
  });

  const teamSide = new Composer<BotContext>();
  const moderation = teamSide.filter((ctx) => ctx.chat?.id === moderationChat() && !!ctx.from && !ctx.from.is_bot);
  moderation.callbackQuery(/^report:(dismissed|reviewed|used):(\d+)$/, async (ctx) => {
    const decision = ctx.match[1] as ReportDecision;
    const before = decideReport(db, Number(ctx.match[2]), decision, clock(), sealChat);
    const message = ctx.callbackQuery.message;
    if (!before) {
      await ctx.answerCallbackQuery({ text: st('staff-report-already') });
      await ctx.editMessageReplyMarkup().catch(() => undefined);
      return;
    }
    await ctx.answerCallbackQuery({ text: st(`staff-report-done-${decision}`) });
    // The card stays as the team's record, with who decided what; its buttons go. Plain text appended
    // after the card's own, so its formatting (entities) stays where it was.
    if (message && 'text' in message && message.text !== undefined) {
      const line = st(`staff-report-decided-${decision}`, { alias: inbox.aliasOf(ctx.from.id) });
      await ctx.editMessageText(`${message.text}\n\n${line}`, { ...(message.entities ? { entities: message.entities } : {}) }).catch((error: unknown) => {
        logger.warn({ err: error }, 'could not mark a report card decided');
      });
    }
    if (before.photoMessageId !== null) await erasure.runPending();
  });

  return { clientSide, teamSide };
}
