import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { NEW } from '../keyboards.js';
import { showScreen } from '../screens.js';
import { clientChatId, ensureClient, findClient, setClientLanguage } from '../../db/clients.js';
import { findOpenCase } from '../../inbox/cases.js';
import { awaitPlan, beginSetup, CHECKIN_CHOICES, extendCheckin, EXTEND_MINUTES, findCheckin, isActive, openPlan, savePlan, setConsent, startCheckin } from '../../inbox/checkins.js';
import {
  acceptInvitation,
  buddyChatId,
  createInvitation,
  endPairing,
  endPairingsAsBuddy,
  findInvitation,
  INVITATION_PREFIX,
  INVITATION_TTL_MS,
  isPaired,
  pairingOf,
  pairingsAsBuddy,
} from '../../inbox/buddies.js';
import type { CheckinService } from '../../inbox/checkin-service.js';
import { formatLocal } from '../../time/zoned.js';
import { escapeHtml } from '../../content/markdown.js';
import type { BuddyRow } from '../../db/schema.js';
import type { I18n } from '@grammyjs/i18n';

const HTML = { parse_mode: 'HTML' } as const;
const TOKEN = /^[A-Za-z0-9_-]{16}$/;

/**
 * "Check on me" (issue 22), the client's side: /checkin sets one up (time, consent to alert a buddy and/or
 * the team, a sealed plan), answers and ends it; /buddy pairs a buddy through a one-time start link. The
 * timers run in CheckinService. Only the bot's own texts and the plan pass between client and buddy.
 */
export function createCheckinFeature(deps: BotDeps, checkins: CheckinService, i18n: I18n<BotContext>): Composer<BotContext> {
  const { db, privacy, config } = deps;
  const timing = config.checkin;
  const now = () => (deps.clock ?? (() => new Date()))().getTime();
  const feature = new Composer<BotContext>();
  const at = (ms: number) => formatLocal(new Date(ms), config.timezone).slice(11);

  /** Someone's language for a message outside their own update. */
  const languageOf = (key: string) => findClient(db, key)?.language ?? config.defaultLanguage;
  const tellClient = async (ctx: BotContext, clientKey: string, key: string) => {
    const row = findClient(db, clientKey);
    if (!row) return;
    await ctx.api.sendMessage(clientChatId(privacy, row), i18n.t(languageOf(clientKey), key), HTML).catch(() => undefined);
  };
  const tellBuddy = async (ctx: BotContext, pairing: BuddyRow, key: string) => {
    if (!isPaired(pairing)) return;
    await ctx.api.sendMessage(buddyChatId(privacy, pairing), i18n.t(pairing.buddyLanguage ?? config.defaultLanguage, key), HTML).catch(() => undefined);
  };

  async function showCheckin(ctx: BotContext): Promise<void> {
    if (!ctx.client) return;
    const row = findCheckin(db, ctx.client.key);
    if (row && isActive(row)) {
      const keyboard = new InlineKeyboard()
        .text(ctx.t('checkin-button-ok'), 'ck:ok')
        .row()
        .text(ctx.t('checkin-button-extend'), 'ck:ext')
        .text(ctx.t('checkin-button-end'), 'ck:end');
      const text = row.state === 'escalated' ? ctx.t('checkin-status-escalated') : ctx.t('checkin-status', { time: at(row.dueAt ?? now()) });
      return showScreen(ctx, text, keyboard);
    }
    if (row && (row.state === 'setup' || row.state === 'plan')) return showSetup(ctx);
    const keyboard = new InlineKeyboard();
    for (const minutes of CHECKIN_CHOICES) keyboard.text(ctx.t('checkin-button-minutes', { minutes }), `ck:t:${minutes}`);
    keyboard.row().text(ctx.t('checkin-button-buddy'), 'ck:buddy').row().text(ctx.t('button-menu'), 'menu:main');
    await showScreen(ctx, ctx.t('checkin-intro'), keyboard);
  }

  async function showSetup(ctx: BotContext): Promise<void> {
    const row = ctx.client && findCheckin(db, ctx.client.key);
    if (!row) return showCheckin(ctx);
    const paired = isPaired(pairingOf(db, row.clientKey));
    const mark = (on: boolean) => (on ? '☑️' : '⬜');
    const keyboard = new InlineKeyboard();
    if (paired) keyboard.text(`${mark(row.withBuddy)} ${ctx.t('checkin-button-alert-buddy')}`, 'ck:b').row();
    else keyboard.text(ctx.t('checkin-button-add-buddy'), 'ck:buddy').row();
    keyboard
      .text(`${mark(row.withTeam)} ${ctx.t('checkin-button-alert-team')}`, 'ck:tm')
      .row()
      .text(ctx.t(row.sealedPlan ? 'checkin-button-plan-change' : 'checkin-button-plan'), 'ck:plan')
      .row()
      .text(ctx.t('checkin-button-start', { minutes: row.minutes }), 'ck:go')
      .row()
      .text(ctx.t('checkin-button-cancel'), 'ck:cancel');
    const plan = openPlan(privacy, row);
    const text = ctx.t('checkin-setup', {
      minutes: row.minutes,
      buddy: paired ? (row.withBuddy ? 'on' : 'off') : 'none',
      team: row.withTeam ? 'on' : 'off',
      plan: plan ? escapeHtml(plan) : '',
      hasPlan: plan ? 'yes' : 'no',
    });
    await showScreen(ctx, text, keyboard);
  }

  feature.command('checkin', showCheckin);
  feature.callbackQuery(/^(?:n:)?checkin:open$/, async (ctx) => showCheckin(ctx));

  feature.callbackQuery(/^ck:t:(\d{1,3})$/, async (ctx) => {
    const minutes = Number(ctx.match[1]);
    if (!ctx.client || !ctx.chat || !(CHECKIN_CHOICES as readonly number[]).includes(minutes)) return;
    const client = ensureClient(db, privacy, ctx.client.key, ctx.chat.id);
    if (client.language === null) setClientLanguage(db, client.key, ctx.lang); // asks come outside their updates
    ctx.client.row = client;
    if (isActive(findCheckin(db, client.key))) return showCheckin(ctx); // a stale screen: the one that is on
    beginSetup(db, { clientKey: client.key, minutes, language: ctx.lang, now: now() });
    await showSetup(ctx);
  });

  feature.callbackQuery(/^ck:(b|tm)$/, async (ctx) => {
    const row = ctx.client && findCheckin(db, ctx.client.key);
    if (!row) return showCheckin(ctx);
    setConsent(db, row.clientKey, ctx.match[1] === 'b' ? { withBuddy: !row.withBuddy } : { withTeam: !row.withTeam }, now());
    await showSetup(ctx);
  });

  feature.callbackQuery('ck:plan', async (ctx) => {
    if (!ctx.client || !awaitPlan(db, ctx.client.key, now())) return showCheckin(ctx);
    await ctx.reply(ctx.t('checkin-plan-ask'), HTML);
  });

  feature.callbackQuery('ck:go', async (ctx) => {
    const row = ctx.client && startCheckin(db, ctx.client.key, now(), timing);
    if (!row) return showCheckin(ctx);
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    const keyboard = new InlineKeyboard().text(ctx.t('checkin-button-ok'), 'ck:ok').row().text(ctx.t('checkin-button-extend'), 'ck:ext').text(ctx.t('checkin-button-end'), 'ck:end');
    await ctx.reply(ctx.t('checkin-started', { time: at(row.dueAt!), minutes: row.minutes }), { ...HTML, reply_markup: keyboard });
  });

  feature.callbackQuery('ck:cancel', async (ctx) => {
    const row = ctx.client && findCheckin(db, ctx.client.key);
    // A stale setup screen never ends a check-in that is on.
    if (row && !isActive(row)) checkins.end(row.clientKey, 'ended');
    else if (row) return showCheckin(ctx);
    await showScreen(ctx, ctx.t('checkin-cancelled'), new InlineKeyboard().text(ctx.t('button-menu'), 'menu:main'));
  });

  /** The client answered: the check-in ends (and whoever was alerted is told). */
  async function answered(ctx: BotContext, reason: 'ok' | 'ended'): Promise<void> {
    if (!ctx.client) return;
    const result = checkins.end(ctx.client.key, reason);
    if (!result) return void (await ctx.reply(ctx.t('checkin-none'), HTML));
    const text = ctx.t(reason === 'ok' ? 'checkin-ok' : 'checkin-ended', { alerted: result.wasEscalated ? 'yes' : 'no' });
    await ctx.reply(text, { ...HTML, reply_markup: new InlineKeyboard().text(ctx.t('checkin-button-again'), `${NEW}checkin:open`) });
  }

  feature.callbackQuery('ck:ok', async (ctx) => {
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await answered(ctx, 'ok');
  });
  feature.callbackQuery('ck:end', async (ctx) => {
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await answered(ctx, 'ended');
  });
  feature.command('ok', (ctx) => answered(ctx, 'ok'));

  feature.callbackQuery('ck:ext', async (ctx) => {
    if (!ctx.client) return;
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    const row = extendCheckin(db, ctx.client.key, EXTEND_MINUTES, now(), timing);
    // After an escalation more time is an answer: it ends the check-in and tells whoever was alerted.
    if (!row) return answered(ctx, 'ok');
    const keyboard = new InlineKeyboard().text(ctx.t('checkin-button-ok'), 'ck:ok').row().text(ctx.t('checkin-button-extend'), 'ck:ext').text(ctx.t('checkin-button-end'), 'ck:end');
    await ctx.reply(ctx.t('checkin-extended', { time: at(row.dueAt!) }), { ...HTML, reply_markup: keyboard });
  });

  // The plan (the next text after "write a plan"), and any message after an ask: an answer.
  feature.on('message', async (ctx, next) => {
    if (!ctx.client || ctx.msg.text?.startsWith('/')) return next();
    const row = findCheckin(db, ctx.client.key);
    if (row?.state === 'plan' && ctx.msg.text !== undefined) {
      savePlan(db, privacy, ctx.client.key, ctx.msg.text, now());
      // Not left readable in their chat either: whoever looks at their phone does not find it there.
      await ctx.deleteMessage().catch(() => undefined);
      await ctx.reply(ctx.t('checkin-plan-saved'), HTML);
      return showSetup(ctx);
    }
    if (row && (row.state === 'asked' || row.state === 'asked-again' || row.state === 'escalated')) {
      await answered(ctx, 'ok');
      // In a consultation the message still goes to the team.
      if (findOpenCase(db, ctx.client.key)) return next();
      return;
    }
    return next();
  });

  // Buddies. The client's side: invitation, status, removal.
  async function showBuddy(ctx: BotContext): Promise<void> {
    if (!ctx.client) return;
    const own = pairingOf(db, ctx.client.key);
    const asBuddy = pairingsAsBuddy(db, privacy, ctx.client.key).length;
    const keyboard = new InlineKeyboard();
    if (isPaired(own)) keyboard.text(ctx.t('checkin-button-buddy-remove'), 'bd:rm').row();
    else keyboard.text(ctx.t('checkin-button-buddy-invite'), 'bd:new').row();
    if (asBuddy > 0) keyboard.text(ctx.t('checkin-button-buddy-quit'), 'bd:quit').row();
    keyboard.text(ctx.t('button-back'), 'checkin:open');
    const text = [ctx.t(isPaired(own) ? 'checkin-buddy-paired' : 'checkin-buddy-none'), asBuddy > 0 ? ctx.t('checkin-buddy-of', { count: asBuddy }) : ''].filter(Boolean).join('\n\n');
    await showScreen(ctx, text, keyboard);
  }

  feature.command('buddy', showBuddy);
  feature.callbackQuery('ck:buddy', showBuddy);

  feature.callbackQuery('bd:new', async (ctx) => {
    if (!ctx.client || !ctx.chat) return;
    const client = ensureClient(db, privacy, ctx.client.key, ctx.chat.id);
    if (client.language === null) setClientLanguage(db, client.key, ctx.lang);
    const invitation = createInvitation(db, client.key, now());
    if (!invitation) return showBuddy(ctx);
    const link = `https://t.me/${ctx.me.username}?start=${INVITATION_PREFIX}${invitation.token}`;
    await ctx.reply(ctx.t('checkin-buddy-link', { hours: Math.round(INVITATION_TTL_MS / 3_600_000) }), HTML);
    // The link alone, so it can be forwarded as it is (a forward from the bot shows the bot, not the client).
    await ctx.reply(ctx.t('checkin-buddy-link-message', { link }), { ...HTML, link_preview_options: { is_disabled: true } });
  });

  feature.callbackQuery('bd:rm', async (ctx) => {
    if (!ctx.client) return;
    const ended = endPairing(db, ctx.client.key);
    if (ended) await tellBuddy(ctx, ended, 'checkin-buddy-removed');
    await showScreen(ctx, ctx.t('checkin-buddy-removed-done'), new InlineKeyboard().text(ctx.t('button-back'), 'checkin:open'));
  });

  feature.callbackQuery('bd:quit', async (ctx) => {
    if (!ctx.client) return;
    for (const pairing of endPairingsAsBuddy(db, privacy, ctx.client.key)) await tellClient(ctx, pairing.clientKey, 'checkin-buddy-quit');
    await showScreen(ctx, ctx.t('checkin-buddy-quit-done'), new InlineKeyboard().text(ctx.t('button-menu'), 'menu:main'));
  });

  // The buddy's side: the link, their consent.
  feature.command('start', async (ctx, next) => {
    if (!ctx.match.startsWith(INVITATION_PREFIX)) return next();
    const token = ctx.match.slice(INVITATION_PREFIX.length);
    const row = TOKEN.test(token) ? findInvitation(db, token, now()) : undefined;
    if (!row) return void (await ctx.reply(ctx.t('checkin-invite-invalid'), HTML));
    if (row.clientKey === ctx.client?.key) return void (await ctx.reply(ctx.t('checkin-invite-self'), HTML));
    const keyboard = new InlineKeyboard().text(ctx.t('checkin-button-invite-yes'), `bd:y:${token}`).row().text(ctx.t('checkin-button-invite-no'), `bd:n:${token}`);
    await ctx.reply(ctx.t('checkin-invite'), { ...HTML, reply_markup: keyboard });
  });

  feature.callbackQuery(/^bd:([yn]):([A-Za-z0-9_-]{16})$/, async (ctx) => {
    if (!ctx.client || !ctx.chat) return;
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    if (ctx.match[1] === 'n') return void (await ctx.reply(ctx.t('checkin-invite-declined'), HTML));
    const result = acceptInvitation(db, privacy, { token: ctx.match[2]!, buddyClientKey: ctx.client.key, buddyChatId: ctx.chat.id, language: ctx.lang, now: now() });
    if (!result.ok) return void (await ctx.reply(ctx.t(result.reason === 'self' ? 'checkin-invite-self' : 'checkin-invite-invalid'), HTML));
    await ctx.reply(ctx.t('checkin-invite-accepted'), HTML);
    await tellClient(ctx, result.row.clientKey, 'checkin-buddy-joined');
  });

  return feature;
}


/**
 * /forget of someone in a pairing, either side: the other side is told (without a name), and the pairing
 * goes (the client's own rows go with their client row; a buddy's are found by their buddy key).
 */
export async function forgetCheckinLinks(deps: BotDeps, i18n: I18n<BotContext>, api: BotContext['api'], clientKey: string): Promise<void> {
  const { db, privacy, config } = deps;
  const send = (chatId: () => number, lang: string | null, key: string) =>
    Promise.resolve()
      .then(() => api.sendMessage(chatId(), i18n.t(lang ?? config.defaultLanguage, key), HTML))
      .catch(() => undefined);
  const own = pairingOf(db, clientKey);
  if (isPaired(own)) {
    const checkin = findCheckin(db, clientKey);
    // An alert they got is over: the plan goes with everything else.
    if (checkin?.buddyAlertMessageId != null) {
      const alertId = checkin.buddyAlertMessageId;
      await Promise.resolve()
        .then(() => api.editMessageText(buddyChatId(privacy, own), alertId, i18n.t(own.buddyLanguage ?? config.defaultLanguage, 'checkin-buddy-alert-over'), HTML))
        .catch(() => undefined);
    }
    if (checkin?.buddyAlerted) await send(() => buddyChatId(privacy, own), own.buddyLanguage, 'checkin-buddy-ended');
    await send(() => buddyChatId(privacy, own), own.buddyLanguage, 'checkin-buddy-removed');
  }
  for (const pairing of endPairingsAsBuddy(db, privacy, clientKey)) {
    const client = findClient(db, pairing.clientKey);
    if (client) await send(() => clientChatId(privacy, client), client.language, 'checkin-buddy-quit');
  }
}
