import { and, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { duty, dutyWeeks, type DutyRow } from '../db/schema.js';

/**
 * Duty state of consultants per inbox (issue 21.3), independent of Telegram. `on`: nudged, offered
 * cases, counted towards the week's hours. `break`: back by themselves at `break_until`, not nudged;
 * the team still counts as there for clients. `off`: their cases go back to the queue.
 */
export type DutyState = 'on' | 'break' | 'off';

/** /break takes 1–120 minutes. */
export const BREAK_MINUTES = { min: 1, max: 120 } as const;
/** A round of the jobs counts at most this much duty time: time the bot was down is not counted. */
export const MAX_COUNTED_GAP_MS = 5 * 60_000;

export function dutyRow(db: Db, consultantId: number, inbox: string): DutyRow | undefined {
  return db.select().from(duty).where(and(eq(duty.consultantId, consultantId), eq(duty.inbox, inbox))).get();
}

export function dutyRows(db: Db, inbox?: string): DutyRow[] {
  return inbox === undefined ? db.select().from(duty).all() : db.select().from(duty).where(eq(duty.inbox, inbox)).all();
}

/** Duty is used in an inbox once anyone went on duty there (or the roster put them): only then does it decide what clients are told. */
export function dutyInUse(db: Db, inbox: string): boolean {
  return db.select({ id: duty.consultantId }).from(duty).where(eq(duty.inbox, inbox)).limit(1).get() !== undefined;
}

/** Whether someone is on duty, or on a break they come back from, in `inbox`. */
export function teamPresent(db: Db, inbox: string): boolean {
  return db.select({ id: duty.consultantId }).from(duty).where(and(eq(duty.inbox, inbox), inArray(duty.state, ['on', 'break']))).limit(1).get() !== undefined;
}

/** Whether this consultant may be nudged and offered cases in `inbox`: on duty, or duty not used there. */
export function availableIn(db: Db, consultantId: number, inbox: string): boolean {
  if (!dutyInUse(db, inbox)) return true;
  return dutyRow(db, consultantId, inbox)?.state === 'on';
}

/** Sets the state; returns the row before (undefined if none). `rosterSlot` is kept unless given. */
export function setDuty(db: Db, consultantId: number, inbox: string, state: DutyState, now: number, options: { breakUntil?: number; rosterSlot?: number } = {}): DutyRow | undefined {
  const before = dutyRow(db, consultantId, inbox);
  const values = { state, since: before?.state === state && state !== 'break' ? before.since : now, breakUntil: options.breakUntil ?? null };
  const roster = options.rosterSlot !== undefined ? { rosterSlot: options.rosterSlot } : {};
  db.insert(duty)
    .values({ consultantId, inbox, ...values, rosterSlot: options.rosterSlot ?? null })
    .onConflictDoUpdate({ target: [duty.consultantId, duty.inbox], set: { ...values, ...roster } })
    .run();
  return before;
}

/** What the roster says now, recorded without changing the state (the state already agrees, or nothing to change). */
export function recordRoster(db: Db, consultantId: number, inbox: string, rosterSlot: number): void {
  db.update(duty).set({ rosterSlot }).where(and(eq(duty.consultantId, consultantId), eq(duty.inbox, inbox))).run();
}

/** Duty no longer used in `inbox` (a supervisor's /duty reset): WORKING_HOURS decides again. Returns how many rows went. */
export function resetDuty(db: Db, inbox: string): number {
  return db.delete(duty).where(eq(duty.inbox, inbox)).run().changes;
}

/** Breaks that are over by `now`. */
export function endedBreaks(db: Db, now: number): DutyRow[] {
  return db.select().from(duty).where(and(eq(duty.state, 'break'), isNotNull(duty.breakUntil), lte(duty.breakUntil, now))).all();
}

/** The week (its Monday, YYYY-MM-DD, in TIMEZONE), as /stats counts weeks. */
export { weekOf } from './stats.js';

/**
 * Adds `ms` of duty time to each consultant's week; returns those who crossed `limitMs` now and were not
 * warned this week yet (they are marked warned in the same step, so the warning goes once).
 */
export function countDutyTime(db: Db, consultantIds: readonly number[], ms: number, week: string, limitMs: number | undefined, now: number): { consultantId: number; dutyMs: number }[] {
  const crossed: { consultantId: number; dutyMs: number }[] = [];
  if (ms <= 0) return crossed;
  db.$client.transaction(() => {
    for (const consultantId of new Set(consultantIds)) {
      const row = db
        .insert(dutyWeeks)
        .values({ consultantId, week, dutyMs: ms })
        .onConflictDoUpdate({ target: [dutyWeeks.consultantId, dutyWeeks.week], set: { dutyMs: sqlAdd(ms) } })
        .returning()
        .get();
      if (limitMs !== undefined && row.dutyMs >= limitMs && row.warnedAt === null) {
        db.update(dutyWeeks).set({ warnedAt: now }).where(and(eq(dutyWeeks.consultantId, consultantId), eq(dutyWeeks.week, week))).run();
        crossed.push({ consultantId, dutyMs: row.dutyMs });
      }
    }
  })();
  return crossed;
}

function sqlAdd(ms: number) {
  return sql`${dutyWeeks.dutyMs} + ${ms}`;
}

/** Duty time this week, per consultant. */
export function weekHours(db: Db, week: string): Map<number, number> {
  return new Map(db.select().from(dutyWeeks).where(eq(dutyWeeks.week, week)).all().map((r) => [r.consultantId, r.dutyMs]));
}

/** A /break argument: whole minutes within BREAK_MINUTES, else undefined. */
export function parseBreakMinutes(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d{1,3}$/.test(t)) return undefined;
  const n = Number(t);
  return n >= BREAK_MINUTES.min && n <= BREAK_MINUTES.max ? n : undefined;
}

/**
 * What the roster asks of one consultant in one inbox at a round: `on`/`off` only at a boundary (the
 * shift they are in, by its start, differs from the one at its last look; 0: none); undefined otherwise,
 * so a /duty by hand stands until then.
 */
export function rosterChange(row: Pick<DutyRow, 'rosterSlot'> | undefined, slotNow: number): 'on' | 'off' | undefined {
  const before = row?.rosterSlot ?? 0;
  if (before === slotNow) return undefined;
  return slotNow !== 0 ? 'on' : 'off';
}
