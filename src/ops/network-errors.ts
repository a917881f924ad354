import { HttpError, type Transformer } from 'grammy';
import type { Logger } from '../logger.js';

/**
 * Installed inside auto-retry, which retries network errors without a word: tells the operator when
 * the Bot API cannot be reached (once a minute at most while it lasts) and when it can again. The
 * error is logged whole (its cause quotes the request URL, token included; the logger scrubs it).
 */
export function reportNetworkErrors(logger: Logger, everyMs = 60_000, now = () => performance.now()): Transformer {
  let failingSince: number | undefined;
  let lastReport = Number.NEGATIVE_INFINITY;
  return async (prev, method, payload, signal) => {
    try {
      const result = await prev(method, payload, signal);
      if (failingSince !== undefined) {
        logger.info({ seconds: Math.round((now() - failingSince) / 1000) }, 'the Bot API can be reached again');
        failingSince = undefined;
        lastReport = Number.NEGATIVE_INFINITY;
      }
      return result;
    } catch (error) {
      if (error instanceof HttpError && !signal?.aborted) {
        failingSince ??= now();
        if (now() - lastReport >= everyMs) {
          lastReport = now();
          logger.warn({ err: error, method }, 'cannot reach the Bot API at TELEGRAM_API_ROOT; retrying');
        }
      }
      throw error;
    }
  };
}
