import type { ChatType } from './types.js';

/** Flood limits to simulate; all off unless set. */
export interface RateLimits {
  /** Messages per second in one private chat, refilled continuously. */
  privatePerSecond?: number;
  /** How many messages a private chat may take at once before the rate applies (default: 3 × rate, at least 1). */
  privateBurst?: number;
  /** Messages per minute in one group, supergroup or channel (sliding window). */
  groupPerMinute?: number;
  /** Messages per second across all chats (sliding window). */
  globalPerSecond?: number;
}

/** Methods that create messages count against the limits; edits, deletions and queries don't. */
export function countsAsMessage(method: string): boolean {
  return (/^(send|copy|forward)/.test(method) && method !== 'sendChatAction' && !method.endsWith('Draft'));
}

/**
 * Telegram-like flood control. `take` consumes one message for the chat and returns undefined, or
 * returns the seconds to wait (the `retry_after` of a 429) without consuming anything.
 */
export class RateLimiter {
  private limits: RateLimits = {};
  private buckets = new Map<number, { tokens: number; at: number }>();
  private windows = new Map<number, number[]>();
  private global: number[] = [];

  set(limits: RateLimits): void {
    this.limits = { ...limits };
    this.buckets.clear();
    this.windows.clear();
    this.global = [];
  }

  take(chatId: number, type: ChatType, now: number): number | undefined {
    const { privatePerSecond, groupPerMinute, globalPerSecond } = this.limits;
    const waits: number[] = [];
    let bucket: { tokens: number; at: number } | undefined;
    if (type === 'private' && privatePerSecond) {
      const burst = this.limits.privateBurst ?? Math.max(1, Math.ceil(privatePerSecond * 3));
      const previous = this.buckets.get(chatId) ?? { tokens: burst, at: now };
      bucket = { tokens: Math.min(burst, previous.tokens + ((now - previous.at) / 1000) * privatePerSecond), at: now };
      this.buckets.set(chatId, bucket);
      if (bucket.tokens < 1) waits.push(((1 - bucket.tokens) / privatePerSecond) * 1000);
    }
    let window: number[] | undefined;
    if (type !== 'private' && groupPerMinute) {
      window = (this.windows.get(chatId) ?? []).filter((t) => t > now - 60_000);
      this.windows.set(chatId, window);
      if (window.length >= groupPerMinute) waits.push(window[window.length - groupPerMinute]! + 60_000 - now);
    }
    if (globalPerSecond) {
      this.global = this.global.filter((t) => t > now - 1000);
      if (this.global.length >= globalPerSecond) waits.push(this.global[this.global.length - globalPerSecond]! + 1000 - now);
    }
    if (waits.length > 0) return Math.max(1, Math.ceil(Math.max(...waits) / 1000));
    if (bucket) bucket.tokens -= 1;
    window?.push(now);
    if (globalPerSecond) this.global.push(now);
    return undefined;
  }
}
