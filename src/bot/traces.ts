import type { MiddlewareFn, Transformer } from 'grammy';
import type { Db } from '../db/connection.js';
import { recordTraces } from '../db/traces.js';
import type { Privacy } from '../privacy/keys.js';
import type { BotContext } from './context.js';

/** Methods that leave a new message in the chat they are sent to. */
const SENDING = new Set([
  'sendMessage', 'sendPhoto', 'sendVideo', 'sendAnimation', 'sendAudio', 'sendDocument', 'sendVoice', 'sendVideoNote',
  'sendSticker', 'sendMediaGroup', 'sendLocation', 'sendVenue', 'sendContact', 'sendPoll', 'sendDice',
  'copyMessage', 'copyMessages',
]);

function messageIds(result: unknown): number[] {
  const list = Array.isArray(result) ? result : [result];
  return list.map((m) => (m as { message_id?: unknown })?.message_id).filter((id): id is number => typeof id === 'number');
}

/**
 * Notes the id of every message the bot leaves in a private chat (a private chat's id is the user's id,
 * so it is turned into the client key at once and never stored), so that "Clear this chat" can delete it.
 */
export function traceOutgoing(db: Db, privacy: Privacy, clock: () => number): Transformer {
  return async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    const chatId = (payload as { chat_id?: unknown }).chat_id;
    if (result.ok && SENDING.has(method) && typeof chatId === 'number' && chatId > 0) {
      recordTraces(db, privacy.clientKey(chatId), messageIds(result.result), clock());
    }
    return result;
  };
}

/** Notes the id of every message a client sends the bot, for the same reason. */
export function traceIncoming(db: Db, clock: () => number): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    if (ctx.client && ctx.message) recordTraces(db, ctx.client.key, [ctx.message.message_id], clock());
    return next();
  };
}
