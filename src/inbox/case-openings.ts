/**
 * How often one client may open a case, or bring an urgent one back. Every opening puts a topic (ranked
 * first when urgent) and a card into the team's chat, and every ending a note and a closed topic: without
 * a limit, emergency → /end → emergency from two accounts fills the team's 20 messages a minute. Ending
 * needs no limit of its own: a case ends once, so endings follow openings.
 *
 * Kept in memory, by the client's keyed hash, only as long as it limits (a restart forgets it; nothing
 * about the client is written for it).
 */
/** An urgent case (new or brought back) at most once in this time per client (URGENT_CASE_MINUTES). */
export const URGENT_CASE_INTERVAL_MS = 5 * 60_000;
/** Any new case at most once in this time per client (CASE_OPEN_MINUTES; an urgent one is limited only by the line above). */
export const CASE_OPEN_INTERVAL_MS = 2 * 60_000;

export class CaseOpenings {
  private readonly last = new Map<string, { any: number; urgent?: number }>();

  constructor(
    private readonly urgentIntervalMs = URGENT_CASE_INTERVAL_MS,
    private readonly openIntervalMs = CASE_OPEN_INTERVAL_MS,
  ) {}

  /** How long until the client may open a case of this kind (0: now). */
  waitFor(clientKey: string, urgent: boolean, now: number): number {
    const last = this.last.get(clientKey);
    if (!last) return 0;
    const interval = urgent ? this.urgentIntervalMs : this.openIntervalMs;
    const until = (urgent ? (last.urgent ?? -Infinity) : last.any) + interval;
    // A wall clock moved back (NTP, a restored snapshot) never makes a client wait longer than the limit itself.
    return Math.min(interval, Math.max(0, until - now));
  }

  /** The client opened (or brought back) a case now. */
  opened(clientKey: string, urgent: boolean, now: number): void {
    const previous = this.last.get(clientKey);
    this.last.delete(clientKey); // re-inserted last: the map stays in order of openings, so pruning stops early
    this.last.set(clientKey, { any: now, urgent: urgent ? now : previous?.urgent });
    const keep = Math.max(this.urgentIntervalMs, this.openIntervalMs);
    for (const [key, entry] of this.last) {
      if (Math.max(entry.any, entry.urgent ?? -Infinity) > now - keep) break;
      this.last.delete(key);
    }
  }
}
