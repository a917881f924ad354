import type { MiddlewareFn } from 'grammy';
import type { BotContext } from './context.js';

/** Far beyond what a person types: more than this many messages within the window. */
const LIMIT = 20;
const WINDOW_MS = 10_000;

/**
 * A polite brake for clients who flood the bot. Over the limit, they are asked once per window to slow
 * down, and the bot stops answering free text, stickers and the like for the moment; commands still
 * work, and what is meant for a consultant (a message in an open case) still goes through the relay.
 * Kept in memory only: a count of recent messages per pseudonymous key.
 */
export function floodBrake(isInCase: (clientKey: string) => boolean, now: () => number = () => performance.now()): MiddlewareFn<BotContext> {
  const recent = new Map<string, number[]>();
  const warned = new Map<string, number>();
  return async (ctx, next) => {
    const key = ctx.client?.key;
    if (!key || !ctx.message) return next();
    const t = now();
    const times = (recent.get(key) ?? []).filter((x) => x > t - WINDOW_MS);
    times.push(t);
    recent.set(key, times);
    if (recent.size > 10_000) recent.delete(recent.keys().next().value as string);
    if (warned.size > 10_000) warned.delete(warned.keys().next().value as string);
    if (times.length <= LIMIT) return next();
    const lastWarning = warned.get(key);
    if (lastWarning === undefined || lastWarning <= t - WINDOW_MS) {
      warned.set(key, t);
      await ctx.reply(ctx.t('flood-slow-down'));
    }
    // Commands still work, and messages for a consultant are still relayed; the rest waits its turn.
    if (ctx.message.text?.startsWith('/') || isInCase(key)) return next();
  };
}
