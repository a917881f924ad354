import { Composer, InlineKeyboard } from 'grammy';
import { escapeHtml } from '../../content/markdown.js';
import type { Post, PostEvent } from '../../publishing/posts.js';
import { cancelRsvp, confirmRsvp, eventCountsOf, MAX_EVENTS_PER_CLIENT, rsvpTimes, waitingHolders, type ReminderMessage } from '../../inbox/event-reminders.js';
import { cell } from '../../inbox/stats.js';
import { formatLocal } from '../../time/zoned.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { mainMenu } from '../keyboards.js';

const HTML = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;
type T = (key: string, vars?: Record<string, string | number>) => string;

/** The event of an invitation post, in the client's language if a post in it invites to it (its file ends in -<lang>). */
export function findEvent(posts: readonly Post[], id: string, lang: string): PostEvent | undefined {
  const inviting = posts.filter((p) => p.event?.id === id);
  return (inviting.find((p) => p.slug.endsWith(`-${lang}`)) ?? inviting[0])?.event;
}

/** "1 day, 1 hour" */
export function beforeText(t: T, ms: readonly number[]): string {
  return ms
    .map((b) =>
      b % 86_400_000 === 0 ? t('event-in-days', { count: b / 86_400_000 }) : b % 3_600_000 === 0 ? t('event-in-hours', { count: b / 3_600_000 }) : t('event-in-minutes', { count: Math.round(b / 60_000) }),
    )
    .join(', ');
}

/** The event as the client reads it: title, when (in the organisation's time zone), where. */
export function eventCard(event: PostEvent, timeZone: string): string {
  const lines = [`<b>${escapeHtml(event.title)}</b>`, `🗓 ${formatLocal(event.at, timeZone)} (${escapeHtml(timeZone)})`];
  if (event.place) lines.push(`📍 ${escapeHtml(event.place)}`);
  if (event.link) lines.push(`🔗 ${escapeHtml(event.link)}`);
  return lines.join('\n');
}

/** The reminder a client asked for, rendered when it goes (the event as the content says now). */
export function reminderMessage(posts: () => readonly Post[], t: (lang: string) => T, timeZone: string): (eventId: string, lang: string) => ReminderMessage | undefined {
  return (eventId, lang) => {
    const event = findEvent(posts(), eventId, lang);
    if (!event) return undefined;
    return {
      html: `${t(lang)('event-reminder')}\n\n${eventCard(event, timeZone)}`,
      keyboard: new InlineKeyboard().text(t(lang)('event-button-cancel'), `rsvp:c:${eventId}`),
    };
  };
}

/**
 * Invitations: the RSVP button of a channel post opens the bot with `/start rsvp-<event id>`, the client
 * confirms (or cancels) the reminder here, in private. Editors see the counts with /events.
 */
export function createInvitationsFeature(deps: BotDeps, editorsText: T): Composer<BotContext> {
  const { db, privacy, config } = deps;
  const clock = () => (deps.clock ?? (() => new Date()))().getTime();
  const feature = new Composer<BotContext>();
  const clients = feature.chatType('private');
  const times = (list: readonly number[]) => list.map((at) => formatLocal(new Date(at), config.timezone)).join(', ');

  clients.command('start', async (ctx, next) => {
    const id = /^rsvp-([a-z0-9-]{2,40})$/.exec(String(ctx.match ?? ''))?.[1];
    const event = id ? findEvent(deps.posts.posts, id, ctx.lang) : undefined;
    if (!id || !event || event.at.getTime() <= clock() || !ctx.client) return next(); // an unknown or past event: the normal start
    const waiting = rsvpTimes(db, privacy, ctx.client.key, id);
    if (waiting.length > 0) {
      const keyboard = new InlineKeyboard().text(ctx.t('event-button-cancel'), `rsvp:c:${id}`).row().text(ctx.t('button-menu'), 'menu:main');
      return void (await ctx.reply(`${eventCard(event, config.timezone)}\n\n${ctx.t('event-already', { times: times(waiting) })}`, { ...HTML, reply_markup: keyboard }));
    }
    const keyboard = new InlineKeyboard().text(ctx.t('event-button-remind'), `rsvp:y:${id}`).row().text(ctx.t('event-button-no'), 'menu:main');
    await ctx.reply(`${eventCard(event, config.timezone)}\n\n${ctx.t('event-ask', { before: beforeText(ctx.t.bind(ctx), event.remindBefore) })}`, { ...HTML, reply_markup: keyboard });
  });

  clients.callbackQuery(/^rsvp:y:([a-z0-9-]{2,40})$/, async (ctx) => {
    const id = ctx.match[1]!;
    const event = findEvent(deps.posts.posts, id, ctx.lang);
    if (!event || !ctx.client || event.at.getTime() <= clock()) return void (await ctx.answerCallbackQuery({ text: ctx.t('event-gone'), show_alert: true }));
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
    const outcome = confirmRsvp(db, privacy, {
      clientKey: ctx.client.key,
      chatId: ctx.chat.id,
      eventId: id,
      eventAt: event.at.getTime(),
      lang: ctx.lang,
      remindBefore: event.remindBefore,
      now: clock(),
    });
    const cancel = new InlineKeyboard().text(ctx.t('event-button-cancel'), `rsvp:c:${id}`);
    if (outcome.status === 'confirmed') return void (await ctx.reply(ctx.t('event-confirmed', { times: times(outcome.times) }), { ...HTML, reply_markup: cancel }));
    if (outcome.status === 'already') return void (await ctx.reply(ctx.t('event-already', { times: times(outcome.times) }), { ...HTML, reply_markup: cancel }));
    if (outcome.status === 'too-late') return void (await ctx.reply(ctx.t('event-too-late'), HTML));
    await ctx.reply(ctx.t('event-too-many', { max: MAX_EVENTS_PER_CLIENT }), HTML);
  });

  clients.callbackQuery(/^rsvp:c:([a-z0-9-]{2,40})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
    const cancelled = !!ctx.client && cancelRsvp(db, privacy, ctx.client.key, ctx.match[1]!);
    await ctx.reply(ctx.t(cancelled ? 'event-cancelled' : 'event-not-waiting'), { ...HTML, reply_markup: mainMenu(ctx) });
  });

  // Editors: the invitations and how many asked for a reminder; never who.
  const editors = feature.filter((ctx) => ctx.chat?.id === config.editorsChatId && !!ctx.from && !ctx.from.is_bot);
  editors.command('events', async (ctx) => {
    const counts = eventCountsOf(db);
    const seen = new Map<string, Post>();
    for (const post of deps.posts.posts) if (post.event && !seen.has(post.event.id)) seen.set(post.event.id, post);
    if (seen.size === 0) return void (await ctx.reply(editorsText('editors-events-none'), HTML));
    const lines = [...seen.values()]
      .sort((a, b) => a.event!.at.getTime() - b.event!.at.getTime())
      .map((post) => {
        const event = post.event!;
        const n = counts.get(event.id) ?? { confirmed: 0, cancelled: 0 };
        const waiting = waitingHolders(db, event.id);
        return editorsText('editors-events-line', {
          when: formatLocal(event.at, config.timezone),
          id: escapeHtml(event.id),
          title: escapeHtml(event.title),
          confirmed: escapeHtml(String(cell(n.confirmed))),
          cancelled: escapeHtml(String(cell(n.cancelled))),
          waiting: escapeHtml(String(cell(waiting))),
        });
      });
    await ctx.reply(`${editorsText('editors-events-title')}\n${lines.join('\n')}`, HTML);
  });

  return feature;
}
