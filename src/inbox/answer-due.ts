import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { caseStats, cases, type CaseRow } from '../db/schema.js';

/** How long a taken case may leave its client unanswered before its holder is nudged, and again before it is offered back. */
export interface AnswerDuePeriods {
  normal: number;
  urgent: number;
}

export type AnswerDueStep = 'nudge' | 'offer-back';

/**
 * What a taken case needs now: a nudge once its client has waited a period for an answer, then, a second
 * period after the nudge, to be offered back to the queue. Measured from stored wall times, each step
 * from its own stamp: a clock jumping forward brings the nudge early, never the offer back with it, and
 * each step is recorded before it is posted, so a round after a jump finds it done. A stamp "in the
 * future" (the clock went back) counts as just now.
 */
export function answerDueStep(row: Pick<CaseRow, 'status' | 'urgent' | 'consultantId' | 'clientWroteAt' | 'nudgedAt'>, now: number, periods: AnswerDuePeriods): AnswerDueStep | undefined {
  if (row.status !== 'active' || row.consultantId === null || row.clientWroteAt === null) return undefined;
  const period = row.urgent ? periods.urgent : periods.normal;
  if (row.nudgedAt === null) return now - row.clientWroteAt >= period ? 'nudge' : undefined;
  return now - row.nudgedAt >= period ? 'offer-back' : undefined;
}

/** Taken cases with a client waiting for an answer (the candidates for answerDueStep). */
export function unansweredCases(db: Db): CaseRow[] {
  return db.select().from(cases).where(and(eq(cases.status, 'active'), isNotNull(cases.clientWroteAt))).all();
}

/** The client wrote: the spell without an answer starts now, unless one is already running. */
export function clientWrote(db: Db, caseId: number, now: number): void {
  db.update(cases).set({ lastActivityAt: now }).where(eq(cases.id, caseId)).run();
  db.update(cases).set({ clientWroteAt: now }).where(and(eq(cases.id, caseId), isNull(cases.clientWroteAt))).run();
}

/**
 * A consultant answered: no client waits in this case any more. An answer after the first adds how long
 * the client waited for it to the case's anonymous figures (a duration, never a time). Call it before
 * recording the first response.
 */
export function clientAnswered(db: Db, caseId: number, now: number): void {
  db.update(cases).set({ lastActivityAt: now }).where(eq(cases.id, caseId)).run();
  const row = db.select().from(cases).where(eq(cases.id, caseId)).get();
  if (!row || row.clientWroteAt === null) return;
  const stats = row.statsId === null ? undefined : db.select().from(caseStats).where(eq(caseStats.id, row.statsId)).get();
  if (stats && stats.firstResponseAt !== null) {
    const waited = [...(JSON.parse(stats.nextResponses) as number[]), Math.max(0, now - row.clientWroteAt)];
    db.update(caseStats).set({ nextResponses: JSON.stringify(waited) }).where(eq(caseStats.id, stats.id)).run();
  }
  db.update(cases).set({ clientWroteAt: null, nudgedAt: null, lastActivityAt: now }).where(eq(cases.id, caseId)).run();
}

/** Records the nudge for this spell; false when it is no longer due (answered, released, or already nudged). */
export function markNudged(db: Db, row: CaseRow, now: number): boolean {
  return (
    db
      .update(cases)
      .set({ nudgedAt: now })
      .where(and(eq(cases.id, row.id), eq(cases.status, 'active'), eq(cases.consultantId, row.consultantId!), eq(cases.clientWroteAt, row.clientWroteAt!), isNull(cases.nudgedAt)))
      .run().changes === 1
  );
}

/**
 * Back to the queue from the consultant who held it (only if they still do), keeping `nudgedAt` so the
 * card says it was offered back; `clientWroteAt` stays, so whoever takes it next starts a fresh period.
 */
export function offerBack(db: Db, row: CaseRow, now: number): CaseRow | undefined {
  return db
    .update(cases)
    .set({ status: 'waiting', consultantId: null, queuedAt: now, specialty: null, remindedAt: null, nudgedAt: row.nudgedAt ?? now })
    .where(and(eq(cases.id, row.id), eq(cases.status, 'active'), eq(cases.consultantId, row.consultantId!)))
    .returning()
    .get();
}

/** Taken cases `consultantId` holds in `inbox`. */
export function casesHeldIn(db: Db, consultantId: number, inbox: string): CaseRow[] {
  return db.select().from(cases).where(and(eq(cases.status, 'active'), eq(cases.consultantId, consultantId), eq(cases.inbox, inbox))).all();
}
