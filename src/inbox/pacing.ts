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

export class Pacer {
  private readonly sent = new Map<string, number[]>();

  constructor(private readonly limits: PacingLimits = TELEGRAM_LIMITS) {}

  private window(key: string, now: number, span: number): number[] {
    const list = (this.sent.get(key) ?? []).filter((t) => t > now - span);
    this.sent.set(key, list);
    return list;
  }

  /** 0 if a message to `chatId` may go now, else how many ms to wait. */
  private spanOf(chatId: number): number {
    return chatId < 0 ? 60_000 : 1_000 * (this.limits.privateBurstSeconds ?? 1);
  }

  private maxOf(chatId: number): number {
    return chatId < 0 ? this.limits.groupPerMinute : this.limits.privatePerSecond * (this.limits.privateBurstSeconds ?? 1);
  }

  delay(chatId: number, now: number): number {
    const span = this.spanOf(chatId);
    const max = this.maxOf(chatId);
    const own = this.window(`chat:${chatId}`, now, span);
    const all = this.window('global', now, 1_000);
    let wait = 0;
    if (own.length >= max) wait = Math.max(wait, (own[own.length - max] ?? now) + span - now);
    if (all.length >= this.limits.globalPerSecond) wait = Math.max(wait, (all[all.length - this.limits.globalPerSecond] ?? now) + 1_000 - now);
    return wait;
  }

  /** Records `count` messages sent to `chatId` at `now`. */
  record(chatId: number, now: number, count = 1): void {
    for (let i = 0; i < count; i++) {
      this.window(`chat:${chatId}`, now, this.spanOf(chatId)).push(now);
      this.window('global', now, 1_000).push(now);
    }
  }

  /** After a 429: nothing to that chat before `until`. */
  block(chatId: number, until: number, now: number): void {
    const span = this.spanOf(chatId);
    const max = this.maxOf(chatId);
    // Fill the window so that delay() answers at least until `until`.
    this.sent.set(`chat:${chatId}`, Array.from({ length: max }, () => until - span));
    void now;
  }
}
