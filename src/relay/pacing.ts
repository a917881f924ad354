/**
 * Telegram's flood limits, applied before sending rather than learned from 429s: about one message a
 * second per private chat, 20 a minute per group (the whole inbox shares one budget), 30 a second
 * overall. A sliding window per destination; `reserve` says when the next send may go.
 */
export interface PacingLimits {
  groupPerMinute: number;
  privatePerSecond: number;
  /** Short bursts in a private chat: this many seconds' worth may go at once. */
  privateBurstSeconds?: number;
  globalPerSecond: number;
}

export const TELEGRAM_LIMITS: PacingLimits = { groupPerMinute: 20, privatePerSecond: 1, privateBurstSeconds: 1, globalPerSecond: 30 };

/** No pacing at all (OUTGOING_PACING=off): for tests and benchmarks against a server without limits. */
export const NO_LIMITS: PacingLimits = { groupPerMinute: Infinity, privatePerSecond: Infinity, globalPerSecond: Infinity };

const GROUP_MARGIN_MS = 500;
/** The window a group's budget is counted over. */
export const GROUP_WINDOW_MS = 60_000 + GROUP_MARGIN_MS;

export class Pacer {
  private readonly sent = new Map<string, number[]>();
  /** After a 429: nothing to the chat before this time. */
  private readonly blocked = new Map<number, number>();
  /**
   * Private chats: a bucket of `privateBurstSeconds` × rate messages, refilled at the rate, as Telegram
   * lets a short burst through and then about one a second (a window of "3 in any 3 s" would make the
   * fourth of a burst wait 3 s instead of 1).
   */
  private readonly buckets = new Map<number, { tokens: number; at: number }>();

  constructor(private readonly limits: PacingLimits = TELEGRAM_LIMITS) {}

  private window(key: string, now: number, span: number): number[] {
    const list = (this.sent.get(key) ?? []).filter((t) => t > now - span);
    this.sent.set(key, list);
    return list;
  }

  private spanOf(chatId: number): number {
    // Groups: a little over a minute, because Telegram counts from when a message arrives, a moment
    // after it was counted here; sending exactly on the minute would sometimes be one too early.
    return chatId < 0 ? GROUP_WINDOW_MS : 1_000 * (this.limits.privateBurstSeconds ?? 1);
  }

  private maxOf(chatId: number): number {
    return chatId < 0 ? this.limits.groupPerMinute : this.limits.privatePerSecond * (this.limits.privateBurstSeconds ?? 1);
  }

  /**
   * 0 if a message to `chatId` may go now, else how many ms to wait. `reserve`: slots of the chat's
   * window to leave free (a backlog leaves a few for other cases' first messages). `globalReserve`:
   * slots of the overall second to leave free (a broadcast leaves them to consultations and emergencies).
   */
  delay(chatId: number, now: number, reserve = 0, globalReserve = 0): number {
    if (chatId > 0) return this.privateDelay(chatId, now, globalReserve);
    const span = this.spanOf(chatId);
    const max = Math.max(1, this.maxOf(chatId) - reserve);
    const own = this.window(`chat:${chatId}`, now, span);
    let wait = Math.max(0, (this.blocked.get(chatId) ?? 0) - now);
    if (wait === 0) this.blocked.delete(chatId);
    if (own.length >= max) wait = Math.max(wait, (own[own.length - max] ?? now) + span - now);
    return Math.max(wait, this.globalDelay(now, globalReserve));
  }

  /** How long until the overall second has a slot, leaving `globalReserve` of them free. */
  private globalDelay(now: number, globalReserve: number): number {
    if (this.limits.globalPerSecond === Infinity) return 0;
    const all = this.window('global', now, 1_000);
    const max = Math.max(1, this.limits.globalPerSecond - globalReserve);
    return all.length >= max ? Math.max(0, (all[all.length - max] ?? now) + 1_000 - now) : 0;
  }

  private bucket(chatId: number, now: number): { tokens: number; at: number } {
    const burst = Math.max(1, this.limits.privatePerSecond * (this.limits.privateBurstSeconds ?? 1));
    const previous = this.buckets.get(chatId) ?? { tokens: burst, at: now };
    const bucket = { tokens: Math.min(burst, previous.tokens + (Math.max(0, now - previous.at) / 1000) * this.limits.privatePerSecond), at: Math.max(now, previous.at) };
    this.buckets.delete(chatId); // re-inserted last: the map stays in order of use
    this.buckets.set(chatId, bucket);
    if (this.buckets.size > 10_000) this.buckets.delete(this.buckets.keys().next().value as number); // the least recently used chat is full again by now
    return bucket;
  }

  private privateDelay(chatId: number, now: number, globalReserve = 0): number {
    let wait = Math.max(0, (this.blocked.get(chatId) ?? 0) - now);
    if (wait === 0) this.blocked.delete(chatId);
    if (this.limits.privatePerSecond !== Infinity) {
      const { tokens } = this.bucket(chatId, now);
      if (tokens < 1) wait = Math.max(wait, Math.ceil(((1 - tokens) / this.limits.privatePerSecond) * 1000));
    }
    return Math.max(wait, this.globalDelay(now, globalReserve));
  }

  /** Whether any limit applies (OUTGOING_PACING=off has none). */
  get active(): boolean {
    return !(this.limits.globalPerSecond === Infinity && this.limits.groupPerMinute === Infinity && this.limits.privatePerSecond === Infinity);
  }

  /** Records `count` messages sent to `chatId` at `now`. */
  record(chatId: number, now: number, count = 1): void {
    if (this.limits.globalPerSecond === Infinity && this.limits.groupPerMinute === Infinity && this.limits.privatePerSecond === Infinity) return;
    if (chatId > 0 && this.limits.privatePerSecond !== Infinity) this.bucket(chatId, now).tokens -= count;
    for (let i = 0; i < count; i++) {
      if (chatId <= 0) this.window(`chat:${chatId}`, now, this.spanOf(chatId)).push(now);
      this.window('global', now, 1_000).push(now);
    }
  }

  /** After a 429: nothing to that chat before `until`. */
  block(chatId: number, until: number): void {
    this.blocked.set(chatId, Math.max(until, this.blocked.get(chatId) ?? 0));
  }
}
