import type { MiddlewareFn } from 'grammy';
import { findClient, today } from '../db/clients.js';
import { clients } from '../db/schema.js';
import { eq } from 'drizzle-orm';
import type { BotContext } from './context.js';
import type { BotDeps } from './deps.js';
import { languageFromCode } from './i18n.js';

/** A child logger per update that knows only the update id — never who sent it or what it says. */
export function attachLogger(deps: BotDeps): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    ctx.logger = deps.logger.child({ update_id: ctx.update.update_id });
    ctx.lang = deps.config.defaultLanguage;
    const started = performance.now();
    await next();
    // The kind of update and how long it took: enough to operate the bot, nothing about the person.
    const type = Object.keys(ctx.update).find((key) => key !== 'update_id');
    ctx.logger.debug({ type, chat_type: ctx.chat?.type, ms: Math.round(performance.now() - started) }, 'update handled');
  };
}

/**
 * Identifies the client in private chats by their pseudonymous key and loads their row if one exists,
 * then picks the language: their stored choice, else Telegram's language code, else DEFAULT_LANGUAGE.
 */
export function identifyClient({ db, privacy, config }: BotDeps): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    if (ctx.chat?.type === 'private' && ctx.from && !ctx.from.is_bot) {
      const key = privacy.clientKey(ctx.from.id);
      const row = findClient(db, key);
      if (row && row.lastSeenOn !== today()) {
        db.update(clients).set({ lastSeenOn: today() }).where(eq(clients.key, key)).run();
      }
      ctx.client = { key, row };
    }
    ctx.lang =
      (ctx.client?.row?.language as BotContext['lang'] | null | undefined) ??
      languageFromCode(ctx.from?.language_code) ??
      config.defaultLanguage;
    return next();
  };
}

/** Every callback query gets answered, so the client's button never keeps spinning. */
export const answerCallbackQueries: MiddlewareFn<BotContext> = async (ctx, next) => {
  if (!ctx.callbackQuery) return next();
  let answered = false;
  ctx.api.config.use((prev, method, payload, signal) => {
    if (method === 'answerCallbackQuery') answered = true;
    return prev(method, payload, signal);
  });
  try {
    await next();
  } finally {
    if (!answered) await ctx.answerCallbackQuery().catch(() => undefined);
  }
};
