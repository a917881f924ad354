import type { Transformer } from 'grammy';
import { Pacer } from '../relay/pacing.js';

/** Calls that put a message into a chat, or change one: these count towards Telegram's flood limits. */
const PACED = /^(send(?!ChatAction)|copyMessage|forwardMessage|editMessage)/;

/**
 * Paces every outgoing message before it is sent (not only after a 429): per chat in order, about one a
 * second per private chat with short bursts, 20 a minute per group or channel, 30 a second overall.
 * The relay's own sends share the same Pacer, so the inbox's one budget of 20 a minute holds for both.
 */
export function pacingTransformer(
  pacer: Pacer = new Pacer(),
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
  now = Date.now,
): Transformer {
  const chains = new Map<string, Promise<void>>();
  return async (prev, method, payload, signal) => {
    const chat = (payload as { chat_id?: number | string } | undefined)?.chat_id;
    if (!PACED.test(method) || chat === undefined) return prev(method, payload, signal);
    // Channels given as @username are groups for the limits.
    const id = typeof chat === 'number' ? chat : -1;
    const key = String(chat);
    const turn = (chains.get(key) ?? Promise.resolve()).then(async () => {
      for (let wait = pacer.delay(id, now()); wait > 0; wait = pacer.delay(id, now())) await sleep(wait);
      pacer.record(id, now());
    });
    chains.set(key, turn);
    try {
      await turn;
    } finally {
      if (chains.get(key) === turn) chains.delete(key);
    }
    return prev(method, payload, signal);
  };
}
