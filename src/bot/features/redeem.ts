import { Composer, InlineKeyboard } from 'grammy';
import { escapeHtml } from '../../content/markdown.js';
import { formatCode, normalizeCode, recordOutcome, redeemCode, type Redemption } from '../../inbox/referral-codes.js';
import { countForSource } from '../../inbox/source-counts.js';
import { followUpAfterRedeem } from '../../inbox/follow-ups.js';
import { OUTCOMES, typeLabel } from '../../inbox/referral-types.js';
import type { InboxService } from '../../inbox/service.js';
import { formatLocal } from '../../time/zoned.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { staffName } from './membership.js';

const HTML = { parse_mode: 'HTML' } as const;
const MEMBER = new Set(['creator', 'administrator', 'member']);
/** Unknown codes a partner account may enter within GUESS_WINDOW_MS before its redemptions pause. */
export const GUESS_LIMIT = 10;
export const GUESS_WINDOW_MS = 3_600_000;
/** While paused, the partner is told so at most this often; the rest goes unanswered. */
const PAUSED_ANSWER_EVERY_MS = 60_000;

/**
 * Unknown codes per partner account, to stop guessing: each hit would use up a real client's code.
 * Kept in memory only, under the same keyed hash as a client key (never the Telegram id).
 */
export class GuessBrake {
  private readonly misses = new Map<string, number[]>();
  private readonly told = new Map<string, number>();
  private readonly alerted = new Map<string, number>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  private recent(key: string): number[] {
    const t = this.now();
    const times = (this.misses.get(key) ?? []).filter((x) => x > t - GUESS_WINDOW_MS);
    if (times.length > 0) this.misses.set(key, times);
    else this.misses.delete(key);
    return times;
  }

  /** Whether this partner's redemptions are paused (too many unknown codes within the hour). */
  paused(key: string): boolean {
    return this.recent(key).length >= GUESS_LIMIT;
  }

  /** An unknown code. Returns true the first time this makes the partner paused (then alert once). */
  miss(key: string): boolean {
    const times = this.recent(key);
    times.push(this.now());
    this.misses.set(key, times);
    if (this.misses.size > 10_000) this.misses.delete(this.misses.keys().next().value as string);
    if (times.length < GUESS_LIMIT) return false;
    const last = this.alerted.get(key);
    if (last !== undefined && last > this.now() - GUESS_WINDOW_MS) return false;
    this.alerted.set(key, this.now());
    return true;
  }

  /** Whether a paused partner is told so now (at most once a minute). */
  tell(key: string): boolean {
    const last = this.told.get(key);
    if (last !== undefined && last > this.now() - PAUSED_ANSWER_EVERY_MS) return false;
    this.told.set(key, this.now());
    if (this.told.size > 10_000) this.told.delete(this.told.keys().next().value as string);
    return true;
  }
}

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
  const guesses = new GuessBrake();
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
    const partner = deps.privacy.clientKey(ctx.from!.id);
    if (guesses.paused(partner)) {
      ctx.logger.info({ reason: 'partner-paused' }, 'redemption refused');
      if (guesses.tell(partner)) await ctx.reply(inbox.st('partner-too-many-unknown'));
      return;
    }
    const result = redeemCode(db, code, clock());
    if (result.status === 'unknown' && guesses.miss(partner)) {
      ctx.logger.warn({ reason: 'partner-guessing', unknown: GUESS_LIMIT }, 'a partner account entered too many unknown codes; its redemptions are paused for an hour');
      inbox.noteInGeneral(inbox.st('staff-partner-guessing', { name: staffName(ctx.from!), count: GUESS_LIMIT }));
    }
    const { text, keyboard } = answer(result, typed.trim().slice(0, 16));
    await ctx.reply(text, { ...HTML, reply_markup: keyboard });
    if (result.status !== 'redeemed') return;
    followUpAfterRedeem(db, result.code.id, clock(), config.timezone);
    // Counted for the source the code's client came through, if any (a number, never who).
    if (result.code.clientKey !== null) countForSource(db, deps.privacy, { clientKey: result.code.clientKey, metric: 'redeemed', now: clock(), timeZone: config.timezone });
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
    // Only from the button under this code's own answer: the message it is pressed on (which Telegram
    // sends with the query) must offer exactly this data, so a forged query cannot touch another chat's code.
    const message = ctx.callbackQuery.message;
    const offered = (message && 'reply_markup' in message ? (message.reply_markup?.inline_keyboard ?? []) : []).flat().some((b) => 'callback_data' in b && b.callback_data === ctx.callbackQuery.data);
    if (!offered) ctx.logger.info({ reason: 'outcome-not-offered' }, 'outcome refused');
    if (!offered || !(OUTCOMES as readonly string[]).includes(outcome) || !(await isPartner(ctx))) return void (await ctx.answerCallbackQuery());
    const saved = recordOutcome(db, Number(ctx.match[1]), outcome);
    await ctx.answerCallbackQuery({ text: inbox.st(saved ? 'partner-outcome-saved' : 'partner-outcome-already') });
    if (saved) await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
  });

  return feature;
}
