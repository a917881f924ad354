import { and, desc, eq, lt, sql, sum } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { queueDeletions, type DeletionTarget } from '../db/deletions.js';
import { reportCounts, reports, type ReportRow } from '../db/schema.js';
import { randomPseudonym } from '../privacy/keys.js';

/**
 * Bad batch / bad reaction reports (issue 22.2): the domain side, without Telegram. A report is a
 * moderation item in the editors chat; the row keeps its state (see `reports` in src/db/schema.ts), never
 * the client's words or a file id.
 */

export const REPORT_KINDS = ['batch', 'reaction'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
/** What the team may decide; the alerts feature reads `used` (and `reviewed`). */
export const REPORT_DECISIONS = ['dismissed', 'reviewed', 'used'] as const;
export type ReportDecision = (typeof REPORT_DECISIONS)[number];
export type ReportStatus = 'open' | ReportDecision | 'expired';

/** Reports one client may send per day (UTC), counted under a key of their own (Privacy.reportLimitKey). */
export const REPORT_LIMIT_PER_DAY = 3;
/** An open report nobody decided is withdrawn after this many days: its card and photo are deleted, the link goes. */
export const REPORT_EXPIRY_DAYS = 7;
/** Characters of "sold as" and of "what happened". */
export const MAX_SOLD_AS = 80;
export const MAX_WHAT_HAPPENED = 600;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const hourOf = (ms: number) => Math.floor(ms / HOUR) * HOUR;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A fresh report number such as "R-7KQ4F": random, so it says nothing about who sent it or when. */
export function randomReportNumber(): string {
  return `R-${randomPseudonym(5)}`;
}

export interface NewReport {
  /** Wanted number (the one the client was shown in the preview); another is drawn if it is taken. */
  number: string;
  kind: ReportKind;
  region?: string;
  hasPhoto: boolean;
  clientKey: string;
  chatId: number;
  now: number;
}

export function createReport(db: Db, input: NewReport): ReportRow {
  for (let number = input.number; ; number = randomReportNumber()) {
    const row = db
      .insert(reports)
      .values({ number, kind: input.kind, region: input.region ?? null, hasPhoto: input.hasPhoto, receivedHour: hourOf(input.now), clientKey: input.clientKey, chatId: input.chatId })
      .onConflictDoNothing()
      .returning()
      .get();
    if (row) return row;
  }
}

/** Records where the card (and the photo under it, if it could be posted) went. */
export function attachMessages(db: Db, id: number, cardMessageId: number, photoMessageId?: number): void {
  db.update(reports).set({ cardMessageId, photoMessageId: photoMessageId ?? null, hasPhoto: photoMessageId !== undefined }).where(eq(reports.id, id)).run();
}

/** A report whose card could not be posted: nothing of it exists for the team, so nothing is kept. */
export function dropReport(db: Db, id: number): void {
  db.delete(reports).where(eq(reports.id, id)).run();
}

export function findReport(db: Db, id: number): ReportRow | undefined {
  return db.select().from(reports).where(eq(reports.id, id)).get();
}

/**
 * The team's decision on an open report, once (a second press finds it decided and changes nothing). The
 * link to the reporter goes, and the photo's deletion is queued in the same transaction (`chatRef`: the
 * moderation chat's id, sealed for pending_deletions). Returns the report as it was, or undefined.
 */
export function decideReport(db: Db, id: number, decision: ReportDecision, now: number, chatRef: (chatId: number) => string): ReportRow | undefined {
  return db.$client.transaction(() => {
    const before = db.select().from(reports).where(and(eq(reports.id, id), eq(reports.status, 'open'))).get();
    if (!before) return undefined;
    db.update(reports).set({ status: decision, decidedHour: hourOf(now), clientKey: null, photoMessageId: null }).where(eq(reports.id, id)).run();
    if (before.photoMessageId !== null) queueDeletions(db, [{ chatRef: chatRef(before.chatId), messageId: before.photoMessageId }]);
    return before;
  })();
}

/** Reports in one status, newest first (for the alerts feature: `used`, or `reviewed`). */
export function reportsWithStatus(db: Db, status: ReportStatus): ReportRow[] {
  return db.select().from(reports).where(eq(reports.status, status)).orderBy(desc(reports.receivedHour), desc(reports.id)).all();
}

/** What of a report lives in Telegram: its card and its photo. */
export function reportTraces(row: Pick<ReportRow, 'chatId' | 'cardMessageId' | 'photoMessageId'>, chatRef: (chatId: number) => string): DeletionTarget[] {
  const ref = chatRef(row.chatId);
  return [row.cardMessageId, row.photoMessageId].flatMap((messageId) => (messageId === null ? [] : [{ chatRef: ref, messageId }]));
}

/**
 * Open reports older than REPORT_EXPIRY_DAYS: marked expired, the link to the reporter gone, their card
 * and photo queued for deletion. Returns how many.
 */
export function expireReports(db: Db, now: number, chatRef: (chatId: number) => string, days = REPORT_EXPIRY_DAYS): number {
  return db.$client.transaction(() => {
    const due = db.select().from(reports).where(and(eq(reports.status, 'open'), lt(reports.receivedHour, now - days * DAY))).all();
    for (const row of due) {
      queueDeletions(db, reportTraces(row, chatRef));
      db.update(reports).set({ status: 'expired', decidedHour: hourOf(now), clientKey: null, cardMessageId: null, photoMessageId: null }).where(eq(reports.id, row.id)).run();
    }
    return due.length;
  })();
}

/** Reports counted today (UTC) under this limit key. */
export function reportsToday(db: Db, limitKey: string, now: number): number {
  const [row] = db
    .select({ n: sum(reportCounts.count) })
    .from(reportCounts)
    .where(and(eq(reportCounts.limitKey, limitKey), eq(reportCounts.day, dayOf(now))))
    .all();
  return Number(row?.n ?? 0);
}

export function countReport(db: Db, limitKey: string, now: number): void {
  db.insert(reportCounts)
    .values({ limitKey, day: dayOf(now), count: 1 })
    .onConflictDoUpdate({ target: [reportCounts.limitKey, reportCounts.day], set: { count: sql`${reportCounts.count} + 1` } })
    .run();
}

/** Counts of earlier days are of no use to the limit: they go. */
export function purgeReportCounts(db: Db, now: number): number {
  return db.delete(reportCounts).where(lt(reportCounts.day, dayOf(now - DAY))).run().changes;
}
