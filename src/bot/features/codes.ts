import { Composer, InlineKeyboard, InputFile } from 'grammy';
import type { I18n } from '@grammyjs/i18n';
import { escapeHtml } from '../../content/markdown.js';
import { splitMessage } from '../../content/split.js';
import { ensureClient } from '../../db/clients.js';
import { findCaseByThread } from '../../inbox/cases.js';
import { countPickup, issueCode, pickupsCounted, pickupsSince, purgePickupCounts } from '../../inbox/referral-codes.js';
import { optInFollowUp, recordFollowUpAnswer, type FollowUpAnswer } from '../../inbox/follow-ups.js';
import { formatLocal } from '../../time/zoned.js';
import { referralCodes } from '../../db/schema.js';
import { cascadeCsv, shownCascadeLine, summarizeCascade, type ShownCascadeLine } from '../../inbox/cascade.js';
import { cascadeSvg, renderPng } from '../../inbox/cascade-chart.js';
import { parsePeriod } from '../../inbox/stats.js';
import { codeTypes, typeLabel } from '../../inbox/referral-types.js';
import type { InboxService } from '../../inbox/service.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { NEW } from '../keyboards.js';
import { codeMessageBlocks } from '../code-message.js';

const HTML = { parse_mode: 'HTML' } as const;

/**
 * Referral and pick-up codes: `/code TYPE [PLACE]` in a case topic sends the client a one-time code
 * with the place's addresses and hours; a client can ask for a pick-up code from a services entry.
 * Two composers: the staff side goes after the lockdown (which holds the team back), the client side
 * before the client relay.
 */
export function createCodesFeature(deps: BotDeps, inbox: InboxService, i18n: I18n<BotContext>): { staffSide: Composer<BotContext>; clientSide: Composer<BotContext> } {
  const { db, config, content, privacy } = deps;
  const clock = () => (deps.clock ?? (() => new Date()))().getTime();
  const staffSide = new Composer<BotContext>();
  const clientSide = new Composer<BotContext>();
  // A code names its place's contacts: never a sample entry's placeholders, unless samples are shown on purpose.
  const usable = (region: { sample: boolean }) => !region.sample || config.showSampleServices;
  const places = () => content.for(config.defaultLanguage).services.filter(usable).map((r) => r.slug);

  const staff = staffSide.filter((ctx) => inbox.inboxes.isInbox(ctx.chat?.id) && !!ctx.from && !ctx.from.is_bot);
  staff.command('code', async (ctx) => {
    const threadId = ctx.msg.is_topic_message ? ctx.msg.message_thread_id : undefined;
    const row = threadId !== undefined ? findCaseByThread(db, ctx.chat.id, threadId) : undefined;
    if (!row) return void (inbox.replyInTeam(ctx, inbox.st('staff-in-case-only'), true));
    const [type = '', place] = String(ctx.match ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const types = codeTypes(content.settings.referrals, config.codes.pickupTypes);
    const usage = { types: types.join(' '), places: places().join(' ') || '—' };
    if (!type) return void (inbox.replyInTeam(ctx, escapeHtml(inbox.st('staff-code-usage', usage))));
    if (!types.includes(type)) return void (inbox.replyInTeam(ctx, escapeHtml(inbox.st('staff-code-unknown-type', { ...usage, type }))));
    if (place !== undefined && !places().includes(place)) return void (inbox.replyInTeam(ctx, escapeHtml(inbox.st('staff-code-unknown-place', { ...usage, place }))));
    if (row.status === 'closed') return void (inbox.replyInTeam(ctx, inbox.st('staff-case-closed'), true));
    const code = issueCode(db, { type, place: place ?? null, source: 'staff', clientKey: row.clientKey, caseId: row.id, now: clock(), validDays: config.codes.validDays, timeZone: config.timezone });
    const lang = inbox.languageOf(row);
    const t = (key: string, vars?: Record<string, string | number>) => i18n.t(lang, key, vars);
    let delivered = true;
    try {
      const chatId = inbox.clientChatId(row);
      const thread = row.clientThreadId !== null ? { message_thread_id: row.clientThreadId } : {};
      const parts = splitMessage(codeMessageBlocks(t, content, lang, code, config.timezone));
      for (const [i, part] of parts.entries()) {
        const keyboard = i === parts.length - 1 ? { reply_markup: followUpButton(t, code.id) } : {};
        await ctx.api.sendMessage(chatId, part, { ...HTML, ...thread, ...keyboard, link_preview_options: { is_disabled: true } });
      }
    } catch (error) {
      ctx.logger.warn({ err: error }, 'a referral code could not be sent to the client');
      delivered = false;
    }
    inbox.refreshCard(row.id);
    const vars = { type: escapeHtml(type), place: escapeHtml(place ?? inbox.st('staff-code-any-place')), days: config.codes.validDays };
    inbox.replyInTeam(ctx, inbox.st(delivered ? 'staff-code-sent' : 'staff-code-not-delivered', vars));
  });

  // The cascade: /stats and /export gain it; `/stats cascade [period]` draws the funnel per type.
  const cascade = (period: { from: number; to: number }) => summarizeCascade(db.select().from(referralCodes).all(), period).map(shownCascadeLine);
  const cascadeText = (lines: ShownCascadeLine[], label: string) => {
    const counts = (r: Record<string, number | string>) => Object.entries(r).map(([k, n]) => `${k} ${n}`).join(', ') || '—';
    const rows = lines.map((l) =>
      inbox.st('staff-cascade-line', {
        type: escapeHtml(l.type),
        place: escapeHtml(l.place === '*' ? inbox.st('staff-cascade-all-places') : l.place || inbox.st('staff-code-any-place')),
        issued: escapeHtml(String(l.issued)),
        redeemed: escapeHtml(String(l.redeemed)),
        percent: l.percent === null ? '—' : `${l.percent}%`,
        median: l.medianDays ?? '—',
        outcomes: escapeHtml(counts(l.outcomes)),
        answers: escapeHtml(counts(l.answers)),
      }),
    );
    return `${inbox.st('staff-cascade-title', { period: escapeHtml(label) })}\n${rows.join('\n')}`;
  };
  const periodOf = async (ctx: BotContext, text: string) => {
    const period = parsePeriod(text, new Date(clock()), config.timezone);
    if ('error' in period) inbox.replyInTeam(ctx, inbox.st('staff-stats-usage', { error: period.error }), true);
    return 'error' in period ? undefined : period;
  };

  staff.command('stats', async (ctx, next) => {
    const [first, ...rest] = String(ctx.match ?? '').trim().split(/\s+/);
    if (first?.toLowerCase() !== 'cascade') {
      await next(); // the cases' figures, then the codes' below them
      const period = parsePeriod(String(ctx.match ?? ''), new Date(clock()), config.timezone);
      const lines = 'error' in period ? [] : cascade(period);
      if ('error' in period || lines.length === 0) return;
      return void (inbox.replyInTeam(ctx, cascadeText(lines, period.label)));
    }
    const period = await periodOf(ctx, rest.join(' '));
    if (!period) return;
    const lines = cascade(period);
    if (lines.length === 0) return void (inbox.replyInTeam(ctx, inbox.st('staff-cascade-none', { period: period.label }), true));
    const legend = { issued: inbox.st('staff-cascade-issued'), redeemed: inbox.st('staff-cascade-redeemed'), ok: inbox.st('staff-cascade-ok') };
    const png = renderPng(cascadeSvg(lines, inbox.st('staff-cascade-chart-title', { period: period.label }), legend));
    await ctx.replyWithPhoto(new InputFile(png, 'cascade.png'), { caption: inbox.st('staff-cascade-chart-title', { period: period.label }) });
    inbox.replyInTeam(ctx, cascadeText(lines, period.label));
  });

  staff.command('export', async (ctx, next) => {
    const [first, ...rest] = String(ctx.match ?? '').trim().split(/\s+/);
    const only = first?.toLowerCase() === 'cascade';
    if (!only) await next();
    const period = only ? await periodOf(ctx, rest.join(' ')) : parsePeriod(String(ctx.match ?? ''), new Date(clock()), config.timezone);
    if (!period || 'error' in period) return;
    const codes = db.select().from(referralCodes).all();
    if (!only && cascade(period).length === 0) return;
    const csv = cascadeCsv(codes, period, config.timezone);
    await ctx.replyWithDocument(new InputFile(Buffer.from(csv, 'utf8'), `referral-cascade-${period.label.replace(/[^a-z0-9.-]+/gi, '_')}.csv`), {
      caption: inbox.st('staff-cascade-export-caption', { period: period.label }),
    });
  });

  const clients = clientSide.chatType('private');
  const pickupOn = () => config.codes.pickupLimit > 0 && config.codes.pickupTypes.length > 0;

  clients.callbackQuery(/^(?:n:)?code:p:([a-z0-9-]{1,40})$/, async (ctx) => {
    const region = content.for(ctx.lang).services.find((r) => r.slug === ctx.match[1]);
    if (!pickupOn() || !region || !usable(region)) return void (await ctx.answerCallbackQuery({ text: ctx.t('code-pickup-unavailable'), show_alert: true }));
    await ctx.answerCallbackQuery();
    const keyboard = new InlineKeyboard();
    for (const type of config.codes.pickupTypes) keyboard.text(typeLabel(ctx.t.bind(ctx), type), `code:g:${region.slug}:${type}`).row();
    keyboard.text(ctx.t('button-back'), `${NEW}svc:r:${region.slug}`);
    await ctx.reply(ctx.t('code-pickup-choose', { place: escapeHtml(region.region), days: config.codes.validDays }), { ...HTML, reply_markup: keyboard });
  });

  clients.callbackQuery(/^code:g:([a-z0-9-]{1,40}):([a-z0-9-]{1,24})$/, async (ctx) => {
    const [, slug, type] = ctx.match as unknown as [string, string, string];
    const region = content.for(ctx.lang).services.find((r) => r.slug === slug);
    if (!pickupOn() || !region || !usable(region) || !config.codes.pickupTypes.includes(type) || !ctx.client) {
      return void (await ctx.answerCallbackQuery({ text: ctx.t('code-pickup-unavailable'), show_alert: true }));
    }
    const { pickupLimit, pickupPeriodDays } = config.codes;
    const now = clock();
    // Updates of one client are handled one at a time (sequentialize), so count-then-issue cannot race.
    // Counted under a key of its own that /forget does not erase (and, for codes from before it, by the codes' link).
    const pickupKey = privacy.pickupKey(ctx.client.key);
    const since = now - pickupPeriodDays * 86_400_000;
    purgePickupCounts(db, now, pickupPeriodDays);
    if (Math.max(pickupsCounted(db, pickupKey, since), pickupsSince(db, ctx.client.key, since)) >= pickupLimit) {
      await ctx.answerCallbackQuery();
      return void (await ctx.reply(ctx.t('code-pickup-limit', { limit: pickupLimit, days: pickupPeriodDays })));
    }
    await ctx.answerCallbackQuery();
    ensureClient(db, privacy, ctx.client.key, ctx.chat.id);
    const clientKey = ctx.client.key;
    const code = db.$client.transaction(() => {
      countPickup(db, pickupKey, now);
      return issueCode(db, { type, place: slug, source: 'pickup', clientKey, now, validDays: config.codes.validDays, timeZone: config.timezone });
    })();
    const parts = splitMessage(codeMessageBlocks(ctx.t.bind(ctx), content, ctx.lang, code, config.timezone));
    for (const [i, part] of parts.entries()) {
      const keyboard = i === parts.length - 1 ? { reply_markup: followUpButton(ctx.t.bind(ctx), code.id) } : {};
      await ctx.reply(part, { ...HTML, ...keyboard, link_preview_options: { is_disabled: true } });
    }
  });

  // Follow-up only if the client asks for it, and answers from a fixed list: counted, never text.
  clients.callbackQuery(/^code:f:(\d+)$/, async (ctx) => {
    const code = ctx.client && optInFollowUp(db, { id: Number(ctx.match[1]), clientKey: ctx.client.key, lang: ctx.lang, now: clock(), timeZone: config.timezone });
    if (!code) return void (await ctx.answerCallbackQuery({ text: ctx.t('followup-unavailable'), show_alert: true }));
    const day = (ms: number | null) => (ms === null ? '' : formatLocal(new Date(ms), config.timezone).slice(0, 10));
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
    await ctx.reply(ctx.t(code.remindAt !== null ? 'followup-on' : 'followup-on-no-reminder', { remind: day(code.remindAt), ask: day(code.askAt) }));
  });

  clients.callbackQuery(/^code:a:(\d+):(ok|not-ok|not-yet)$/, async (ctx) => {
    const saved = !!ctx.client && recordFollowUpAnswer(db, Number(ctx.match[1]), ctx.client.key, ctx.match[2] as FollowUpAnswer);
    await ctx.answerCallbackQuery({ text: ctx.t(saved ? 'followup-thanks' : 'followup-unavailable') });
    await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
  });

  return { staffSide, clientSide };
}

function followUpButton(t: (key: string) => string, id: number): InlineKeyboard {
  return new InlineKeyboard().text(t('followup-button'), `code:f:${id}`);
}

/** The button under a services entry that leads to the pick-up codes, when the organisation allows them. */
export function pickupButton(ctx: BotContext, config: BotDeps['config'], slug: string): [string, string] | undefined {
  if (config.codes.pickupLimit === 0 || config.codes.pickupTypes.length === 0) return undefined;
  return [ctx.t('code-pickup-button'), `code:p:${slug}`];
}
