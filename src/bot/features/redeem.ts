import { Composer, InlineKeyboard } from 'grammy';
import { escapeHtml } from '../../content/markdown.js';
import { formatCode, normalizeCode, recordOutcome, redeemCode, type Redemption } from '../../inbox/referral-codes.js';
import { followUpAfterRedeem } from '../../inbox/follow-ups.js';
import { OUTCOMES, typeLabel } from '../../inbox/referral-types.js';
import type { InboxService } from '../../inbox/service.js';
import { formatLocal } from '../../publishing/time.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

const HTML = { parse_mode: 'HTML' } as const;
const MEMBER = new Set(['creator', 'administrator', 'member']);

/**
 * Partners redeem codes: members of PARTNERS_CHAT_ID (membership is the permission, as for staff)
 * send `/redeem K7Q-M4X` or the bare code, in that chat or privately. The answer says valid, used or
 * expired and what the code is for, never anything about the client. Partner texts are in DEFAULT_LANGUAGE.
 */
export function createRedeemFeature(deps: BotDeps, inbox: InboxService): Composer<BotContext> {
  const { db, config, content } = deps;
  const feature = new Composer<BotContext>();
  const partnersChatId = config.partnersChatId;
  if (partnersChatId === undefined) return feature;
  const clock = () => (deps.clock ?? (() => new Date()))().getTime();
  const day = (ms: number) => formatLocal(new Date(ms), config.timezone).slice(0, 10);
  const placeName = (slug: string | null) =>
    slug === null ? inbox.st('staff-code-any-place') : (content.for(config.defaultLanguage).services.find((r) => r.slug === slug)?.region ?? slug);

  /** Asked of Telegram at that moment: someone removed from the partners chat loses the right at once. */
  const isPartner = async (ctx: BotContext): Promise<boolean> => {
    if (!ctx.from || ctx.from.is_bot) return false;
    if (ctx.chat?.id === partnersChatId) return true;
    try {
      const member = await ctx.api.getChatMember(partnersChatId, ctx.from.id);
      return MEMBER.has(member.status) || (member.status === 'restricted' && member.is_member);
    } catch {
      return false;
    }
  };

  function answer(result: Redemption, shown: string): { text: string; keyboard?: InlineKeyboard } {
    if (result.status === 'unknown') return { text: inbox.st('partner-code-unknown', { code: escapeHtml(shown) }) };
    const c = result.code;
    const vars = { code: formatCode(c.code), type: escapeHtml(typeLabel((key) => inbox.st(key), c.type)), place: escapeHtml(placeName(c.place)), until: day(c.expiresAt) };
    if (result.status === 'used') return { text: inbox.st('partner-code-used', { ...vars, on: day(c.redeemedHour!) }) };
    if (result.status === 'expired') return { text: inbox.st('partner-code-expired', vars) };
    const keyboard = new InlineKeyboard();
    OUTCOMES.forEach((o, i) => {
      keyboard.text(inbox.st(`partner-outcome-${o}`), `rc:o:${c.id}:${o}`);
      if (i % 2 === 1) keyboard.row();
    });
    return { text: inbox.st('partner-code-redeemed', vars), keyboard };
  }

  async function redeem(ctx: BotContext, typed: string): Promise<void> {
    const code = normalizeCode(typed);
    if (!code) return void (await ctx.reply(inbox.st('partner-redeem-usage')));
    const result = redeemCode(db, code, clock());
    const { text, keyboard } = answer(result, typed.trim().slice(0, 16));
    await ctx.reply(text, { ...HTML, reply_markup: keyboard });
    if (result.status !== 'redeemed') return;
    followUpAfterRedeem(db, result.code.id, clock(), config.timezone);
    if (result.code.caseId !== null) inbox.refreshCard(result.code.caseId);
  }

  feature.command('redeem', async (ctx) => {
    if (!(await isPartner(ctx))) {
      if (ctx.chat.type === 'private') await ctx.reply(ctx.t('redeem-not-partner'));
      return;
    }
    await redeem(ctx, String(ctx.match ?? ''));
  });

  // The bare code, as a partner would paste it; elsewhere in a private chat such text goes on (a client may write it).
  feature.on('message:text', async (ctx, next) => {
    const inPartners = ctx.chat.id === partnersChatId;
    if (!inPartners && ctx.chat.type !== 'private') return next();
    if (ctx.msg.text.length > 16 || !normalizeCode(ctx.msg.text)) return next();
    if (!(await isPartner(ctx))) return next();
    await redeem(ctx, ctx.msg.text);
  });

  feature.callbackQuery(/^rc:o:(\d+):([a-z-]{1,24})$/, async (ctx) => {
    const outcome = ctx.match[2]!;
    if (!(OUTCOMES as readonly string[]).includes(outcome) || !(await isPartner(ctx))) return void (await ctx.answerCallbackQuery());
    const saved = recordOutcome(db, Number(ctx.match[1]), outcome);
    await ctx.answerCallbackQuery({ text: inbox.st(saved ? 'partner-outcome-saved' : 'partner-outcome-already') });
    if (saved) await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
  });

  return feature;
}
