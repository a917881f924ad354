import { Composer } from 'grammy';
import { findCase, findCaseByThread } from '../../inbox/cases.js';
import { backlog, type Relay } from '../../relay/index.js';
import { PRIORITY } from '../../relay/posts.js';
import { casesAwaitingTopic, dropHeldStaffPosts, heldStaffPosts, type HeldForCase, type Lockdown } from '../../inbox/lockdown.js';
import { escapeHtml } from '../../content/markdown.js';
import type { InboxService } from '../../inbox/service.js';
import { formatLocal } from '../../time/zoned.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { LOCKDOWN_BUTTON, staffName } from './membership.js';


/**
 * `/lockdown` (or the button under a membership notice) pauses the inbox: nothing is relayed either
 * way and new cases get no topic, until an administrator sends `/unlock`. Anyone in the staff chat
 * may lock (failing safe); only an administrator, checked with Telegram at that moment, may unlock,
 * so a stranger who got in cannot undo it. Meanwhile the team's messages in case topics are not
 * relayed at all (not even later): they may be an intruder's.
 */
export function createLockdownFeature(deps: BotDeps, parts: { inbox: InboxService; lockdown: Lockdown; relay: Relay }): Composer<BotContext> {
  const { config, db, logger } = deps;
  const { inbox, lockdown, relay } = parts;
  const clock = () => (deps.clock ?? (() => new Date()))().getTime();
  const feature = new Composer<BotContext>();
  const { inboxes } = inbox;
  // Anonymous administrators (and posts on behalf of a channel) never get here: the staff gate refuses
  // them, because nobody could tell who locked or unlocked.
  const staff = feature.filter((ctx) => inboxes.isInbox(ctx.chat?.id) && !!ctx.from && !ctx.from.is_bot);
  const who = (ctx: BotContext) => staffName(ctx.from!);
  /**
   * In the General topic (no thread) of every inbox, where membership changes are announced too: one
   * lockdown holds them all (a stranger in any group could write to clients), so every team must know.
   * Queued ahead of clients' words; the handler does not wait for any group's budget.
   */
  const announce = (ctx: BotContext, html: string, key: 'staff-lockdown-all' | 'staff-unlock-all') => {
    const from = inboxes.byChat(ctx.chat?.id) ?? inboxes.default;
    for (const name of inboxes.names) {
      const text = inboxes.names.length > 1 ? `${html}\n${inbox.st(key, { inbox: from })}` : html;
      relay.postToTeam({ kind: 'general', html: text }, { inbox: name, priority: PRIORITY.words });
    }
  };
  /** Topics (chat:thread) already told, in this lockdown, that what is written there is not sent. */
  const warnedTopics = new Set<string>();

  async function lock(ctx: BotContext): Promise<void> {
    if (!lockdown.lock(clock(), inboxes.byChat(ctx.chat?.id))) {
      const when = formatLocal(new Date(lockdown.since ?? clock()), config.timezone);
      inbox.replyInTeam(ctx, inbox.st('staff-lockdown-already', { when }));
      return;
    }
    warnedTopics.clear();
    logger.warn('inbox locked');
    announce(ctx, inbox.st('staff-lockdown-on', { name: who(ctx) }), 'staff-lockdown-all');
  }

  staff.command('lockdown', lock);
  staff.callbackQuery(LOCKDOWN_BUTTON, async (ctx) => {
    await ctx.answerCallbackQuery();
    await lock(ctx);
  });

  staff.command('unlock', async (ctx) => {
    if (!lockdown.isLocked) return void (inbox.replyInTeam(ctx, inbox.st('staff-unlock-not-locked'), true));
    let admin = false;
    if (ctx.from) {
      // An administrator of the inbox the lockdown began in (where the trouble was seen), asked of
      // Telegram now; the weakest group's administrators do not decide for the others.
      const from = lockdown.lockedFrom;
      const chatId = from !== undefined && inboxes.names.includes(from) ? inboxes.chatOf(from) : ctx.chat.id;
      const member = await ctx.api.getChatMember(chatId, ctx.from.id).catch((error: unknown) => {
        logger.warn({ err: error }, 'could not check who asked to unlock; refused');
        return undefined;
      });
      admin = member?.status === 'creator' || member?.status === 'administrator';
    }
    if (!admin) {
      const from = lockdown.lockedFrom;
      const elsewhere = from !== undefined && inboxes.names.includes(from) && from !== inboxes.byChat(ctx.chat.id);
      return void inbox.replyInTeam(ctx, elsewhere ? inbox.st('staff-unlock-denied-elsewhere', { inbox: from }) : inbox.st('staff-unlock-denied'), true);
    }
    // What the team queued for clients before or during the lockdown may be an intruder's: the
    // administrator sees it first and decides (`/unlock send` or `/unlock drop`).
    const choice = String(ctx.match ?? '').trim().toLowerCase();
    const held = heldStaffPosts(db);
    if (held.length > 0 && choice !== 'send' && choice !== 'drop') return void inbox.replyInTeam(ctx, heldList(held, inboxes.byChat(ctx.chat.id)));
    const dropped = choice === 'drop' ? dropHeldStaffPosts(db) : 0;
    lockdown.unlock();
    logger.warn({ held: held.reduce((n, h) => n + h.count, 0), dropped }, 'inbox unlocked');
    const unlocked = inbox.st('staff-unlocked', { name: who(ctx), count: backlog(db).toInbox });
    announce(ctx, dropped > 0 ? `${unlocked}\n${inbox.st('staff-unlock-dropped', { count: dropped })}` : unlocked, 'staff-unlock-all');
    // Cases opened meanwhile get their topics now (oldest first), then the waiting copies go, in order.
    for (const row of casesAwaitingTopic(db)) inbox.createTopic(row);
    relay.kick();
  });

  /** The held staff posts, per case topic with who queued them, and the two ways on. */
  function heldList(held: HeldForCase[], here: string | undefined): string {
    const lines = held.slice(0, 20).map((h) => {
      const row = findCase(db, h.caseId);
      const aliases = [...h.aliases, ...(h.copies > 0 && row ? [inbox.aliasOf(row.consultantId)] : [])];
      const authors = [...new Set(aliases)].map(escapeHtml).join(', ');
      // Another team's case: its inbox and topic, not its pseudonym (each team sees its own cases).
      const topic = !row ? `#${h.caseId}` : inbox.inboxOf(row) === here ? inbox.topicName(row) : `${inbox.inboxOf(row)} · ${inbox.topicLabel(row.topic)}`;
      return inbox.st('staff-unlock-held-line', { topic: escapeHtml(topic), count: h.count, name: authors });
    });
    if (held.length > lines.length) lines.push(inbox.st('staff-unlock-held-more', { count: held.length - lines.length }));
    return `${inbox.st('staff-unlock-held', { count: held.reduce((n, h) => n + h.count, 0) })}\n${lines.join('\n')}\n\n${inbox.st('staff-unlock-held-how')}`;
  }

  // While locked, nothing the team does in a case topic reaches the client, now or later.
  staff.use(async (ctx, next) => {
    if (!lockdown.isLocked) return next();
    if (ctx.callbackQuery?.data?.startsWith('case:')) {
      await ctx.answerCallbackQuery({ text: inbox.st('staff-locked-button'), show_alert: true });
      return;
    }
    const msg = ctx.msg;
    const threadId = msg?.is_topic_message ? msg.message_thread_id : undefined;
    const here = ctx.chat!.id;
    if (threadId === undefined || !findCaseByThread(db, here, threadId)) return next();
    const topic = `${here}:${threadId}`;
    if (!warnedTopics.has(topic) && ctx.message) {
      warnedTopics.add(topic);
      inbox.replyInTeam(ctx, inbox.st('staff-locked-not-sent'));
    }
  });

  return feature;
}
