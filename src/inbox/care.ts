import { and, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { careAnswers, careCheckins } from '../db/schema.js';
import { cell, SMALL_CELL, type Cell } from './stats.js';

/**
 * Care for consultants: after an urgent case closes, its consultant is asked privately how they are.
 * The question is owed (care_checkins) until answered or CHECKIN_DAYS old; an answer deletes it and adds
 * one to a weekly count, so what is kept says how the team is, never who answered what.
 */

export const CARE_ANSWERS = ['ok', 'so-so', 'not-ok'] as const;
export type CareAnswer = (typeof CARE_ANSWERS)[number];
/** A check-in nobody answered goes after this long. */
export const CHECKIN_DAYS = 7;
const DAY = 86_400_000;

/** The Monday (UTC) of the week `ms` is in, YYYY-MM-DD: answers are counted per week, never by the moment. */
export function weekOf(ms: number): string {
  const date = new Date(ms);
  const back = (date.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - back)).toISOString().slice(0, 10);
}

/** A check-in owed to `consultantId`, unless one is still unanswered (one question at a time); returns its id. */
export function oweCheckin(db: Db, consultantId: number, now: number): number | undefined {
  if (db.select({ id: careCheckins.id }).from(careCheckins).where(eq(careCheckins.consultantId, consultantId)).get()) return undefined;
  return db.insert(careCheckins).values({ consultantId, createdAt: now }).returning({ id: careCheckins.id }).get().id;
}

/** Check-ins not yet delivered to a private chat (of one consultant, or everyone's), oldest first. */
export function undeliveredCheckins(db: Db, consultantId?: number): { id: number; consultantId: number }[] {
  const where = consultantId === undefined ? isNull(careCheckins.sentAt) : and(isNull(careCheckins.sentAt), eq(careCheckins.consultantId, consultantId));
  return db.select({ id: careCheckins.id, consultantId: careCheckins.consultantId }).from(careCheckins).where(where).orderBy(careCheckins.id).all();
}

export function markCheckinSent(db: Db, id: number, now: number): void {
  db.update(careCheckins).set({ sentAt: now }).where(eq(careCheckins.id, id)).run();
}

export type CheckinAnswered = 'counted' | 'gone' | 'not-yours';

/** Counts an answer once: the check-in goes in the same transaction, so a second tap counts nothing. */
export function answerCheckin(db: Db, id: number, consultantId: number, answer: CareAnswer, now: number): CheckinAnswered {
  return db.$client.transaction((): CheckinAnswered => {
    const row = db.select().from(careCheckins).where(eq(careCheckins.id, id)).get();
    if (!row) return 'gone';
    if (row.consultantId !== consultantId) return 'not-yours';
    db.delete(careCheckins).where(eq(careCheckins.id, id)).run();
    db.insert(careAnswers)
      .values({ week: weekOf(now), answer, count: 1 })
      .onConflictDoUpdate({ target: [careAnswers.week, careAnswers.answer], set: { count: sql`${careAnswers.count} + 1` } })
      .run();
    return 'counted';
  })();
}

/** Check-ins older than CHECKIN_DAYS go (unanswered is an answer too: nothing is kept of it). */
export function purgeOldCheckins(db: Db, now: number): number {
  return db.delete(careCheckins).where(lt(careCheckins.createdAt, now - CHECKIN_DAYS * DAY)).run().changes;
}

export interface CareTotals {
  total: Cell;
  /** Per answer; null while the total is under SMALL_CELL (with so few, an answer could be someone's). */
  byAnswer: Record<CareAnswer, Cell> | null;
}

/** Answers of the weeks whose Monday falls in [from, to), totals only, small cells suppressed. */
export function careTotals(db: Db, from: number, to: number): CareTotals {
  const rows = db
    .select()
    .from(careAnswers)
    .where(and(gte(careAnswers.week, weekOf(from)), lt(careAnswers.week, new Date(to).toISOString().slice(0, 10))))
    .all();
  const counts = Object.fromEntries(CARE_ANSWERS.map((a) => [a, 0])) as Record<CareAnswer, number>;
  for (const row of rows) if ((CARE_ANSWERS as readonly string[]).includes(row.answer)) counts[row.answer as CareAnswer] += row.count;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const byAnswer = total < SMALL_CELL ? null : (Object.fromEntries(CARE_ANSWERS.map((a) => [a, cell(counts[a])])) as Record<CareAnswer, Cell>);
  return { total: cell(total), byAnswer };
}
