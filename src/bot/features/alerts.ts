import { Composer, InlineKeyboard, type Api } from 'grammy';
import type { I18n } from '@grammyjs/i18n';
import { alertReviewLines, fillAlertTemplate, loadAlertTemplates, type AlertTemplate } from '../../content/alert-templates.js';
import { escapeHtml } from '../../content/markdown.js';
import { alertRegionsOf } from '../../content/settings.js';
import { formatLocal } from '../../time/zoned.js';
import type { AlertRow } from '../../db/schema.js';
import type { AlertTexts, Broadcaster } from '../../alerts/broadcaster.js';
import { parseDraft } from '../../alerts/draft.js';
import { splitRegions } from '../../alerts/regions.js';
import { approve, approveUpdate, cancelDraft, claimChannel, createDraft, figuresOf, findAlert, proposeUpdate, recentAlerts, withdrawAlert, type Revision } from '../../alerts/store.js';
import type { Subscriptions } from '../../alerts/subscriptions.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { showScreen } from '../screens.js';
import type { StaffMembers } from '../staff-members.js';

/** The alert templates of content/alerts/, read at start and at /reload. */
export class AlertTemplates {
  private loaded: { templates: Map<string, AlertTemplate>; problems: string[] } = { templates: new Map(), problems: [] };

  constructor(private readonly deps: Pick<BotDeps, 'config' | 'content'>) {
    this.reload();
  }

  reload(): string[] {
    const { templates, problems } = loadAlertTemplates(this.deps.config.contentDir, this.deps.content.languages, this.deps.content.settings.emergency_numbers);
    this.loaded = { templates, problems: problems.map((p) => `${p.file}: ${p.field ? `${p.field}: ` : ''}${p.message}`) };
    return this.loaded.problems;
  }

  /** The template of `language`, else DEFAULT_LANGUAGE's, else any. */
  for(language: string): AlertTemplate | undefined {
    const { templates } = this.loaded;
    return templates.get(language) ?? templates.get(this.deps.config.defaultLanguage) ?? templates.values().next().value;
  }

  get problems(): string[] {
    return this.loaded.problems;
  }

  /** Languages whose template has no current clinician's sign-off (the alert then claims nothing). */
  unsigned(now: Date): string[] {
    return [...this.loaded.templates.values()].filter((t) => alertReviewLines(t, now).length === 0).map((t) => t.file);
  }
}

/** What an alert says in each language: the template filled with staff's fields, the regions and the end in words. */
export function createAlertTexts(deps: BotDeps, i18n: I18n<BotContext>, templates: AlertTemplates): AlertTexts {
  const { config } = deps;
  const now = () => (deps.clock ?? (() => new Date()))();
  const render = (alert: AlertRow, language: string) => {
    const lang = deps.content.languages.includes(language) ? language : config.defaultLanguage;
    const template = templates.for(lang);
    if (!template) return i18n.t(lang, 'alert-no-template');
    const fields = JSON.parse(alert.fields) as Record<string, string>;
    const field = (name: string) => fields[`${name}.${lang}`] ?? fields[name] ?? '';
    const html = fillAlertTemplate(template, {
      substance: field('substance'),
      sold_as: field('sold_as'),
      effects: field('effects'),
      action: field('action'),
      regions: splitRegions(alert.regions).map((r) => i18n.t(lang, `region-${r}`)).join(', '),
      until: formatLocal(new Date(alert.expiresAt), config.timezone),
      severity: i18n.t(lang, `alert-severity-${alert.severity}`),
    });
    const review = alertReviewLines(template, now()).map((line) => `<i>${i18n.t(lang, line.key, { date: line.date ?? '' })}</i>`);
    return [html, ...review, ...(alert.version > 1 ? [`<i>${i18n.t(lang, 'alert-updated')}</i>`] : [])].join('\n\n');
  };
  return {
    alert: render,
    withdrawn: (alert, language) => {
      const lang = deps.content.languages.includes(language) ? language : config.defaultLanguage;
      const fields = JSON.parse(alert.fields) as Record<string, string>;
      return i18n.t(lang, 'alert-withdrawn', { substance: escapeHtml(fields[`substance.${lang}`] ?? fields.substance ?? '') });
    },
    channel: (alert) => render(alert, config.defaultLanguage),
  };
}

export interface AlertsTools {
  subscriptions: Subscriptions;
  broadcaster: Broadcaster;
  templates: AlertTemplates;
  texts: AlertTexts;
  members: StaffMembers;
  /** Chats where staff may draft alerts: the inboxes' groups and the editors chat. */
  staffChats: () => number[];
}

/** The client's side: /alerts and the menu button; regions on and off; stop all. */
export function createClientAlertsFeature(deps: BotDeps, tools: AlertsTools): Composer<BotContext> {
  const { subscriptions } = tools;
  const feature = new Composer<BotContext>();
  const now = () => (deps.clock ?? (() => new Date()))().getTime();

  async function show(ctx: BotContext, prefix = ''): Promise<void> {
    const regions = alertRegionsOf(deps.content.settings);
    if (regions.length === 0 || !ctx.client) {
      await showScreen(ctx, ctx.t('alerts-unavailable'), new InlineKeyboard().text(ctx.t('button-menu'), 'menu:main'));
      return;
    }
    const mine = subscriptions.find(ctx.client.key)?.list.filter((r) => regions.includes(r)) ?? [];
    const keyboard = new InlineKeyboard();
    regions.forEach((region, i) => {
      keyboard.text(`${mine.includes(region) ? '✅ ' : ''}${ctx.t(`region-${region}`)}`, `alerts:t:${region}`);
      if (i % 2 === 1) keyboard.row();
    });
    if (regions.length % 2 === 1) keyboard.row();
    if (mine.length > 0) keyboard.text(ctx.t('alerts-off-button'), 'alerts:off').row();
    keyboard.text(ctx.t('button-menu'), 'menu:main');
    const state = mine.length > 0 ? ctx.t('alerts-current', { regions: mine.map((r) => ctx.t(`region-${r}`)).join(', ') }) : ctx.t('alerts-none');
    await showScreen(ctx, [prefix, ctx.t('alerts-intro'), state, ctx.t('alerts-choose'), `<i>${ctx.t('alerts-kept')}</i>`].filter(Boolean).join('\n\n'), keyboard);
  }

  feature.command('alerts', (ctx) => show(ctx));
  feature.callbackQuery(/^(?:n:)?menu:alerts$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx);
  });
  feature.callbackQuery(/^alerts:t:([a-z0-9-]{1,24})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const regions = alertRegionsOf(deps.content.settings);
    const region = ctx.match[1]!;
    if (!ctx.client || !regions.includes(region)) return show(ctx);
    const mine = (subscriptions.find(ctx.client.key)?.list ?? []).filter((r) => regions.includes(r));
    const next = mine.includes(region) ? mine.filter((r) => r !== region) : [...mine, region];
    subscriptions.set(ctx.client.key, ctx.chat!.id, regions.filter((r) => next.includes(r)), ctx.lang, now());
    tools.broadcaster.wake(); // an alert still running for a region just added goes to them
    await show(ctx);
  });
  feature.callbackQuery('alerts:off', async (ctx) => {
    await ctx.answerCallbackQuery();
    if (ctx.client) subscriptions.forget(ctx.client.key);
    await show(ctx, ctx.t('alerts-stopped'));
  });
  // A subscriber who changes language gets alerts in the new one.
  feature.callbackQuery(/^(?:n:)?lang:set:([a-z]{2})$/, async (ctx, next) => {
    const lang = ctx.match[1]!;
    if (ctx.client && deps.content.languages.includes(lang)) subscriptions.refreshLanguage(ctx.client.key, lang);
    await next();
  });
  return feature;
}

const HTML = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };

/**
 * The staff's side, in an inbox's group or the editors chat: /alert drafts, a second current member of
 * that chat approves (a button or /alert approve N), then list, stats, update, withdraw, cancel.
 */
export function createStaffAlertsFeature(deps: BotDeps, tools: AlertsTools, t: (key: string, vars?: Record<string, string | number>) => string): Composer<BotContext> {
  const { config, db, privacy } = deps;
  const { broadcaster, templates, texts, members } = tools;
  const feature = new Composer<BotContext>();
  const staff = feature.filter((ctx) => ctx.chat !== undefined && tools.staffChats().includes(ctx.chat.id) && !!ctx.from && !ctx.from.is_bot);
  const now = () => (deps.clock ?? (() => new Date()))().getTime();
  const regionNames = (stored: string) => splitRegions(stored).map((r) => t(`staff-region-${r}`)).join(', ');
  const until = (at: number) => formatLocal(new Date(at), config.timezone);
  const thread = (ctx: BotContext) => (ctx.msg?.is_topic_message ? { message_thread_id: ctx.msg.message_thread_id } : {});
  const say = (ctx: BotContext, html: string, extra: object = {}) => ctx.reply(html, { ...HTML, ...thread(ctx), ...extra });

  const figures = (id: number) => describeFigures(db, id, t, now());

  /** The alert named by number, drafted in this chat (figures and changes stay where it was drafted). */
  async function alertHere(ctx: BotContext, text: string | undefined): Promise<AlertRow | undefined> {
    const id = Number(/^#?(\d{1,9})$/.exec(text?.trim() ?? '')?.[1] ?? NaN);
    const alert = Number.isFinite(id) ? findAlert(db, id) : undefined;
    if (!alert || alert.chatId !== ctx.chat!.id) {
      await say(ctx, t('staff-alert-not-found', { id: escapeHtml(text?.trim() || '?') }));
      return undefined;
    }
    return alert;
  }

  async function isMember(ctx: BotContext): Promise<boolean> {
    if ((await members.isMember(ctx.chat!.id, ctx.from!.id)) === true) return true;
    await say(ctx, t('staff-alert-not-member'));
    return false;
  }

  /** Says what became of a change to a live alert; an applied one edits what went out. */
  async function revised(ctx: BotContext, id: number, result: Revision): Promise<void> {
    switch (result.outcome) {
      case 'missing':
        return void (await say(ctx, t('staff-alert-not-found', { id })));
      case 'not-live':
        return void (await say(ctx, t('staff-alert-not-live', { id, status: t(`staff-alert-status-${result.status}`) })));
      case 'none':
        return void (await say(ctx, t('staff-alert-no-update', { id })));
      case 'already':
        return void (await say(ctx, t('staff-alert-own-update', { id })));
      case 'counted':
        return void (await say(ctx, t('staff-alert-update-waits', { id, have: result.have, need: result.need }), {
          reply_markup: new InlineKeyboard().text(t('staff-alert-approve-update', { id }), `alert:revise:${id}`),
        }));
      case 'applied':
        claimChannel(db, id, 'sent', 'edit');
        broadcaster.wake();
        if (ctx.callbackQuery?.message) await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
        await say(ctx, t('staff-alert-updated', { id }));
    }
  }

  async function doApprove(ctx: BotContext, id: number): Promise<void> {
    if (!(await isMember(ctx))) return;
    const result = approve(db, id, privacy.staffKey(ctx.from!.id), now());
    switch (result.outcome) {
      case 'missing':
        return void (await say(ctx, t('staff-alert-not-found', { id })));
      case 'already':
        return void (await say(ctx, t('staff-alert-own', { id })));
      case 'expired':
        return void (await say(ctx, t('staff-alert-expired-draft', { id })));
      case 'not-draft':
        // A live alert with a change waiting: "/alert approve N" agrees to the change.
        if (findAlert(db, id)?.pendingFields) return revised(ctx, id, approveUpdate(db, id, privacy.staffKey(ctx.from!.id)));
        return void (await say(ctx, t('staff-alert-not-draft', { id, status: t(`staff-alert-status-${result.status}`) })));
      case 'counted':
        return void (await say(ctx, t('staff-alert-counted', { id, have: result.have, need: result.need })));
      case 'started':
        broadcaster.wake();
        if (ctx.callbackQuery?.message) await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
        await say(ctx, t('staff-alert-started', { id, count: result.subscribers }));
    }
  }

  async function draft(ctx: BotContext, body: string): Promise<void> {
    const regions = alertRegionsOf(deps.content.settings);
    const channels = Object.keys(config.channels);
    if (body.trim() === '') {
      await say(ctx, t('staff-alert-usage', { regions: regions.join(', ') || '—', channels: channels.join(', ') || '—', approvals: config.alertApprovals }));
      return;
    }
    if (!(await isMember(ctx))) return;
    const parsed = parseDraft(body, { regions, languages: deps.content.languages, channels, timezone: config.timezone, now: now() });
    if (!parsed.ok) {
      await say(ctx, t('staff-alert-problems', { list: parsed.problems.map((p) => `• ${escapeHtml(p)}`).join('\n') }));
      return;
    }
    const { row, started } = createDraft(db, parsed.alert, { chatId: ctx.chat!.id, staffKey: privacy.staffKey(ctx.from!.id), approvalsNeeded: config.alertApprovals }, now());
    const subscribed = db.$client
      .prepare<string[], { n: number }>(`SELECT count(*) AS n FROM alert_subscriptions WHERE ${splitRegions(row.regions).map(() => "instr(regions, ',' || ? || ',') > 0").join(' OR ')}`)
      .get(...splitRegions(row.regions))!.n;
    const unsigned = templates.unsigned(new Date(now()));
    const card = [
      t('staff-alert-draft', {
        id: row.id,
        severity: t(`alert-severity-${row.severity}`),
        regions: regionNames(row.regions),
        until: until(row.expiresAt),
        channel: row.channel ? t('staff-alert-draft-channel', { channel: escapeHtml(row.channel) }) : '',
        need: row.approvalsNeeded,
        have: 1,
        subscribers: subscribed,
      }),
      unsigned.length > 0 ? t('staff-alert-unsigned', { files: unsigned.map(escapeHtml).join(', ') }) : '',
      ...templates.problems.map((p) => `⚠️ <code>${escapeHtml(p)}</code>`),
      `${t('staff-alert-preview', { language: config.defaultLanguage })}\n\n${texts.alert(row, config.defaultLanguage)}`,
    ].filter(Boolean);
    const keyboard = started === undefined ? new InlineKeyboard().text(t('staff-alert-approve', { id: row.id }), `alert:approve:${row.id}`).text(t('staff-alert-cancel'), `alert:cancel:${row.id}`) : undefined;
    await say(ctx, card.join('\n\n'), keyboard ? { reply_markup: keyboard } : {});
    if (started !== undefined) {
      broadcaster.wake();
      await say(ctx, t('staff-alert-started', { id: row.id, count: started }));
    }
  }

  staff.command('alert', async (ctx) => {
    const text = String(ctx.match ?? '');
    const [first = '', ...rest] = text.split('\n');
    const [word = '', arg] = first.trim().split(/\s+/);
    const verb = word.toLowerCase();
    if (!['list', 'stats', 'approve', 'update', 'withdraw', 'cancel'].includes(verb)) return draft(ctx, text);
    if (verb === 'list') {
      const list = recentAlerts(db, ctx.chat.id);
      const lines = list.map((a) =>
        t('staff-alert-list-line', { id: a.id, status: t(`staff-alert-status-${a.status}`), severity: t(`alert-severity-${a.severity}`), regions: regionNames(a.regions), until: until(a.expiresAt) }),
      );
      return void (await say(ctx, lines.length > 0 ? lines.join('\n') : t('staff-alert-list-empty')));
    }
    const alert = await alertHere(ctx, arg);
    if (!alert) return;
    if (verb === 'stats') return void (await say(ctx, figures(alert.id)));
    if (verb === 'approve') return doApprove(ctx, alert.id);
    if (!(await isMember(ctx))) return;
    if (verb === 'cancel') {
      if (alert.status !== 'draft') return void (await say(ctx, t('staff-alert-not-draft', { id: alert.id, status: t(`staff-alert-status-${alert.status}`) })));
      cancelDraft(db, alert.id, now());
      return void (await say(ctx, t('staff-alert-cancelled', { id: alert.id })));
    }
    if (verb === 'withdraw') {
      const told = withdrawAlert(db, alert.id, now());
      if (told === undefined) return void (await say(ctx, t('staff-alert-not-live', { id: alert.id, status: t(`staff-alert-status-${alert.status}`) })));
      broadcaster.wake();
      return void (await say(ctx, t('staff-alert-withdrawn', { id: alert.id, count: told })));
    }
    // update: the fields on the next lines replace those of the alert.
    const parsed = parseDraft(rest.join('\n'), { regions: alertRegionsOf(deps.content.settings), languages: deps.content.languages, channels: Object.keys(config.channels), timezone: config.timezone, now: now(), partial: true });
    if (!parsed.ok) return void (await say(ctx, t('staff-alert-problems', { list: parsed.problems.map((p) => `• ${escapeHtml(p)}`).join('\n') })));
    // Held until as many people agree as for the alert itself (applied at once with ALERT_APPROVALS=1).
    await revised(ctx, alert.id, proposeUpdate(db, alert.id, parsed.alert.fields, parsed.alert.expiresAt || undefined, privacy.staffKey(ctx.from!.id)));
  });

  staff.callbackQuery(/^alert:(approve|cancel|revise):(\d{1,9})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const id = Number(ctx.match[2]);
    const alert = findAlert(db, id);
    if (!alert || alert.chatId !== ctx.chat!.id) return;
    if (ctx.match[1] === 'approve') return doApprove(ctx, id);
    if (!(await isMember(ctx))) return;
    if (ctx.match[1] === 'revise') return revised(ctx, id, approveUpdate(db, id, privacy.staffKey(ctx.from!.id)));
    if (alert.status === 'draft' && cancelDraft(db, id, now())) {
      await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
      await say(ctx, t('staff-alert-cancelled', { id }));
    }
  });

  return feature;
}

/** An alert's delivery figures for staff: sent, failed, blocked, uncertain, not sent, waiting, and how long it took. */
export function describeFigures(db: BotDeps['db'], id: number, t: (key: string, vars?: Record<string, string | number>) => string, now: number): string {
  const f = figuresOf(db, id)!;
  const a = f.alert;
  const seconds = (to: number) => String(Math.round((to - (a.approvedAt ?? to)) / 1000));
  const duration =
    a.finishedAt !== null && a.approvedAt !== null ? t('staff-alert-duration', { seconds: seconds(a.finishedAt) }) : a.approvedAt !== null && a.status === 'sending' ? t('staff-alert-running', { seconds: seconds(now) }) : '';
  return t('staff-alert-figures', {
    id,
    status: t(`staff-alert-status-${a.status}`),
    sent: a.sent,
    failed: a.failed,
    blocked: a.blocked,
    uncertain: a.uncertain,
    unsent: a.unsent,
    queued: f.queued + f.inFlight,
    duration,
  });
}

/** Figures and endings told in the chat an alert was drafted in (never throws). */
export function alertNotices(api: Api, t: (key: string, vars?: Record<string, string | number>) => string, figures: (id: number) => string) {
  const post = (chatId: number, html: string) => api.sendMessage(chatId, html, HTML).then(() => undefined, () => undefined);
  return {
    onFinished: (alert: AlertRow) => void post(alert.chatId, `${t('staff-alert-finished', { id: alert.id })}\n${figures(alert.id)}`),
    onExpired: (alert: AlertRow) => void post(alert.chatId, `${t('staff-alert-ended', { id: alert.id })}\n${figures(alert.id)}`),
  };
}
