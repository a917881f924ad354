import type { MiddlewareFn } from 'grammy';
import type { BotContext } from './context.js';

/** Far beyond what a person types: more than this many messages within the window. */
const LIMIT = 20;
const WINDOW_MS = 10_000;

/**
 * Over the limit, commands are answered at most once a window each for /start and for the emergency
 * screen (/help, /emergency, /sos), and once for any other: a flood of commands cannot use up the bot's
 * global budget (about 30 messages a second for everyone), while help is never further than a window away.
 */
function commandClass(text: string | undefined): string | undefined {
  const name = /^\/([A-Za-z0-9_]+)/.exec(text ?? '')?.[1]?.toLowerCase();
  if (name === undefined) return undefined;
  if (name === 'start') return 'start';
  if (name === 'help' || name === 'emergency' || name === 'sos') return 'help';
  return 'other';
}

/**
 * A polite brake for clients who flood the bot. Over the limit, they are asked once per window to slow
 * down, and the bot stops answering free text, stickers and the like for the moment; commands get one
 * answer per window (see commandClass), and what is meant for a consultant (a message in an open case)
 * still goes through the relay. Kept in memory only: a count of recent messages per pseudonymous key.
 */
export function floodBrake(isInCase: (clientKey: string) => boolean, now: () => number = () => performance.now()): MiddlewareFn<BotContext> {
  const recent = new Map<string, number[]>();
  const warned = new Map<string, number>();
  /** Over the limit: when each class of command was last answered, per key. */
  const commands = new Map<string, Record<string, number>>();
  return async (ctx, next) => {
    const key = ctx.client?.key;
    if (!key || !ctx.message) return next();
    const t = now();
    const times = (recent.get(key) ?? []).filter((x) => x > t - WINDOW_MS);
    times.push(t);
    recent.set(key, times);
    if (recent.size > 10_000) recent.delete(recent.keys().next().value as string);
    if (warned.size > 10_000) warned.delete(warned.keys().next().value as string);
    if (commands.size > 10_000) commands.delete(commands.keys().next().value as string);
    if (times.length <= LIMIT) return next();
    const lastWarning = warned.get(key);
    if (lastWarning === undefined || lastWarning <= t - WINDOW_MS) {
      warned.set(key, t);
      await ctx.reply(ctx.t('flood-slow-down'));
    }
    // One answer per window for each class of command; messages for a consultant are still relayed.
    const command = commandClass(ctx.message.text);
    if (command !== undefined) {
      const answered = commands.get(key) ?? {};
      const last = answered[command];
      if (last !== undefined && last > t - WINDOW_MS) return; // dropped: answered a moment ago
      commands.set(key, { ...answered, [command]: t });
      return next();
    }
    if (isInCase(key)) return next();
  };
}
