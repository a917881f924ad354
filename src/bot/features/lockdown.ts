import { Composer } from 'grammy';
import { findCaseByThread } from '../../inbox/cases.js';
import { backlog, type Relay } from '../../relay/index.js';
import { PRIORITY } from '../../relay/posts.js';
import { casesAwaitingTopic, type Lockdown } from '../../inbox/lockdown.js';
import type { InboxService } from '../../inbox/service.js';
import { formatLocal } from '../../publishing/time.js';
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
  // An anonymous administrator writes as the chat itself: only administrators can.
  const asChat = (ctx: BotContext) => ctx.senderChat !== undefined && ctx.senderChat.id === ctx.chat?.id;
  const staff = feature.filter((ctx) => inboxes.isInbox(ctx.chat?.id) && ((!!ctx.from && !ctx.from.is_bot) || asChat(ctx)));
  const who = (ctx: BotContext) => (asChat(ctx) || !ctx.from ? inbox.st('staff-anonymous-admin') : staffName(ctx.from));
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
    if (!lockdown.lock(clock())) {
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
    let admin = asChat(ctx);
    if (!admin && ctx.from) {
      // An administrator of the group the command came from: each inbox's administrators are its own.
      const member = await ctx.api.getChatMember(ctx.chat.id, ctx.from.id).catch((error: unknown) => {
        logger.warn({ err: error }, 'could not check who asked to unlock; refused');
        return undefined;
      });
      admin = member?.status === 'creator' || member?.status === 'administrator';
    }
    if (!admin) return void (inbox.replyInTeam(ctx, inbox.st('staff-unlock-denied'), true));
    lockdown.unlock();
    logger.warn('inbox unlocked');
    announce(ctx, inbox.st('staff-unlocked', { name: who(ctx), count: backlog(db).toInbox }), 'staff-unlock-all');
    // Cases opened meanwhile get their topics now (oldest first), then the waiting copies go, in order.
    for (const row of casesAwaitingTopic(db)) inbox.createTopic(row);
    relay.kick();
  });

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
