/**
 * Who gets the inbox's next free slot. The staff group has one budget (20 messages a minute) for every
 * case, so a client who sends hundreds of messages (or edits one a hundred times) must not hold up
 * everyone else. A lane is one client's: their words and every post they cause.
 *
 * - A lane's first message in a while (no slot within the last window) goes before any backlog, and a
 *   few slots of the window are kept for such messages: a backlog may not use them.
 * - A lane that already had its fair slice of the window (`cap` slots) goes after every other lane,
 *   and even alone leaves a larger part of the window free (`capReserve`), so that whoever writes next
 *   finds a slot at once.
 * - Otherwise urgent cases go first, then round-robin: the lane served longest ago goes next.
 *
 * It remembers only when each lane had its slots within the last window (in memory; a client's lane is
 * named by their keyed hash), so an erased client is forgotten a minute later without being told.
 *
 * Plain data in, decisions out; the delivery asks it and keeps the time.
 */
export interface Contender {
  /** The client's lane. */
  lane: string;
  urgent: boolean;
  /** Outbox id of the lane's oldest waiting row: the older, the sooner among equals. */
  since: number;
}

export class FairShare {
  /** When each lane got its slots within the window (oldest first), and its last turn number (ties of time still have an order). */
  private readonly servedAt = new Map<string, { at: number[]; turn: number }>();
  private turns = 0;

  constructor(
    /** The budget's window (the pacer's span for a group). */
    private readonly windowMs: number,
    /** Slots of the window a lane that already had one in it may not take. */
    readonly reserve: number,
    /** Slots of the window one lane may take while others wait. */
    readonly cap = Number.POSITIVE_INFINITY,
    /** Slots of the window a lane over its cap leaves free, even alone. */
    readonly capReserve = reserve,
  ) {}

  private recent(lane: string, now: number): number[] {
    return (this.servedAt.get(lane)?.at ?? []).filter((t) => t > now - this.windowMs);
  }

  /** Whether the lane has had no slot within the window (its next message counts as a first one). */
  isNewcomer(lane: string, now: number): boolean {
    return this.recent(lane, now).length === 0;
  }

  /** Slots the lane had within the window. */
  slots(lane: string, now: number): number {
    return this.recent(lane, now).length;
  }

  /** Whether the lane had its fair slice of the window already. */
  overCap(lane: string, now: number): boolean {
    return this.slots(lane, now) >= this.cap;
  }

  /** Slots this lane must leave free in the window. */
  reserveFor(lane: string, now: number): number {
    if (this.isNewcomer(lane, now)) return 0;
    return this.overCap(lane, now) ? Math.max(this.reserve, this.capReserve) : this.reserve;
  }

  /** Negative when `a` is to be served before `b`. */
  compare(a: Contender, b: Contender, now: number): number {
    const newA = this.isNewcomer(a.lane, now);
    const newB = this.isNewcomer(b.lane, now);
    if (newA !== newB) return newA ? -1 : 1;
    if (!newA) {
      const overA = this.overCap(a.lane, now);
      const overB = this.overCap(b.lane, now);
      if (overA !== overB) return overA ? 1 : -1;
    }
    if (a.urgent !== b.urgent) return a.urgent ? -1 : 1;
    if (!newA) {
      const byTurn = (this.servedAt.get(a.lane)?.turn ?? 0) - (this.servedAt.get(b.lane)?.turn ?? 0);
      if (byTurn !== 0) return byTurn;
    }
    return a.since - b.since;
  }

  order<T extends Contender>(contenders: T[], now: number): T[] {
    return [...contenders].sort((a, b) => this.compare(a, b, now));
  }

  /** The lane got `count` slots now. */
  served(lane: string, now: number, count = 1): void {
    const at = [...this.recent(lane, now), ...Array.from({ length: count }, () => now)];
    this.servedAt.delete(lane); // re-inserted last: the map stays in serving order, so pruning stops early
    this.servedAt.set(lane, { at, turn: ++this.turns });
    for (const [key, served] of this.servedAt) {
      if ((served.at[served.at.length - 1] ?? 0) > now - this.windowMs) break;
      this.servedAt.delete(key);
    }
  }
}
