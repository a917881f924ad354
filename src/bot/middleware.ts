import type { Api, MiddlewareFn } from 'grammy';
import { findClient, today } from '../db/clients.js';
import { clients } from '../db/schema.js';
import { eq } from 'drizzle-orm';
import type { BotContext } from './context.js';
import type { BotDeps } from './deps.js';
import { languageFromCode } from './i18n.js';
import type { Privacy } from '../privacy/keys.js';

/**
 * The one key per person or chat, used both to handle updates one at a time (sequentialize) and to
 * store conversation state: a client's pseudonymous key in private chats (never the Telegram id),
 * `chat:<id>` for groups and channels.
 */
export function storageKey(privacy: Privacy, ctx: Pick<BotContext, 'chat' | 'from'>): string | undefined {
  if (ctx.chat?.type === 'private' && ctx.from && !ctx.from.is_bot) return privacy.clientKey(ctx.from.id);
  if (ctx.chat) return `chat:${ctx.chat.id}`;
  return ctx.from ? privacy.clientKey(ctx.from.id) : undefined;
}

/**
 * Which updates are handled one after another. A client's, in order, under their key. In a group,
 * per forum topic (a case), and per person outside topics: one consultant's /close never waits for
 * another's work in another case. Membership changes of a chat are one sequence.
 */
export function sequenceKey(privacy: Privacy, ctx: Pick<BotContext, 'chat' | 'from' | 'msg' | 'callbackQuery' | 'chatMember' | 'myChatMember'>): string | undefined {
  const chat = ctx.chat;
  if (!chat || chat.type === 'private') return storageKey(privacy, ctx);
  if (ctx.chatMember || ctx.myChatMember) return `chat:${chat.id}:members`;
  const message = ctx.msg ?? ctx.callbackQuery?.message;
  const thread = message && 'is_topic_message' in message && message.is_topic_message ? message.message_thread_id : undefined;
  if (thread !== undefined) return `chat:${chat.id}:topic:${thread}`;
  return ctx.from ? `chat:${chat.id}:from:${ctx.from.id}` : `chat:${chat.id}`;
}

/** A child logger per update that knows only the update id — never who sent it or what it says. */
export function attachLogger(deps: BotDeps): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    ctx.logger = deps.logger.child({ update_id: ctx.update.update_id });
    ctx.lang = deps.config.defaultLanguage;
    const started = performance.now();
    await next();
    // The kind of update and how long it took: enough to operate the bot, nothing about the person.
    const type = Object.keys(ctx.update).find((key) => key !== 'update_id');
    deps.metrics?.updates.inc({ type: type ?? 'unknown' });
    ctx.logger.debug({ type, chat_type: ctx.chat?.type, ms: Math.round(performance.now() - started) }, 'update handled');
  };
}

/**
 * Identifies the client in private chats by their pseudonymous key and loads their row if one exists,
 * then picks the language: their stored choice, else Telegram's language code, else DEFAULT_LANGUAGE.
 */
export function identifyClient({ db, privacy, config, content }: BotDeps): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    if (ctx.chat?.type === 'private' && ctx.from && !ctx.from.is_bot) {
      const key = storageKey(privacy, ctx)!;
      const row = findClient(db, key);
      if (row && row.lastSeenOn !== today()) {
        db.update(clients).set({ lastSeenOn: today() }).where(eq(clients.key, key)).run();
      }
      ctx.client = { key, row };
    }
    ctx.lang =
      (ctx.client?.row?.language as BotContext['lang'] | null | undefined) ??
      languageFromCode(ctx.from?.language_code, content.languages) ??
      config.defaultLanguage;
    return next();
  };
}

/**
 * Every callback query gets answered, so the client's button never keeps spinning. Answers are
 * noticed on the bot's API (so also those given inside conversations, which use their own context).
 */
export function answerCallbackQueries(api: Api): MiddlewareFn<BotContext> {
  const answered = new Set<string>();
  api.config.use((prev, method, payload, signal) => {
    if (method === 'answerCallbackQuery') {
      answered.add((payload as { callback_query_id: string }).callback_query_id);
      if (answered.size > 1000) answered.delete(answered.values().next().value as string);
    }
    return prev(method, payload, signal);
  });
  return async (ctx, next) => {
    if (!ctx.callbackQuery) return next();
    const id = ctx.callbackQuery.id;
    try {
      await next();
    } finally {
      if (!answered.has(id)) await ctx.answerCallbackQuery().catch(() => undefined);
      answered.delete(id);
    }
  };
}
