/**
 * Who gets the inbox's next free slot. The staff group has one budget (20 messages a minute) for every
 * case, so a client who sends hundreds of messages must not hold up everyone else:
 *
 * - A case's first message in a while (a lane with no slot within the last window) goes before any
 *   backlog, and a few slots of the window are kept for such messages: a backlog may not use them.
 * - Otherwise urgent cases go first, then round-robin: the lane served longest ago goes next.
 *
 * Plain data in, decisions out; the delivery asks it and keeps the time.
 */
export interface Contender {
  /** `${caseId}:${toClient}` */
  lane: string;
  urgent: boolean;
  /** Outbox id of the lane's oldest waiting row: the older, the sooner among equals. */
  since: number;
}

export class FairShare {
  /** When each lane last got a slot, and that slot's turn number (ties of time still have an order). */
  private readonly servedAt = new Map<string, { at: number; turn: number }>();
  private turns = 0;

  constructor(
    /** The budget's window (the pacer's span for a group). */
    private readonly windowMs: number,
    /** Slots of the window a lane that already had one in it may not take. */
    readonly reserve: number,
  ) {}

  /** Whether the lane has had no slot within the window (its next message counts as a first one). */
  isNewcomer(lane: string, now: number): boolean {
    const served = this.servedAt.get(lane);
    return served === undefined || served.at <= now - this.windowMs;
  }

  /** Slots this lane must leave free in the window. */
  reserveFor(lane: string, now: number): number {
    return this.isNewcomer(lane, now) ? 0 : this.reserve;
  }

  /** Negative when `a` is to be served before `b`. */
  compare(a: Contender, b: Contender, now: number): number {
    const newA = this.isNewcomer(a.lane, now);
    const newB = this.isNewcomer(b.lane, now);
    if (newA !== newB) return newA ? -1 : 1;
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

  /** The lane got a slot now. */
  served(lane: string, now: number): void {
    this.servedAt.delete(lane); // re-inserted last: the map stays in serving order, so pruning stops early
    this.servedAt.set(lane, { at: now, turn: ++this.turns });
    for (const [key, served] of this.servedAt) {
      if (served.at > now - this.windowMs) break;
      this.servedAt.delete(key);
    }
  }

  /** The lane is gone (case erased): nothing to remember. */
  forget(lane: string): void {
    this.servedAt.delete(lane);
  }
}
