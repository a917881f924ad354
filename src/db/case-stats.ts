import { inArray, sql } from 'drizzle-orm';
import type { Db } from './connection.js';
import { caseStats } from './schema.js';

const HOUR = 3_600_000;

/**
 * A case's anonymous figures outlive it (/stats, /export). When the case itself goes (/forget, retention),
 * its times are moved to the start of the hour it opened in, keeping every duration (wait, first
 * response, length) exact: millisecond timestamps could otherwise be matched against the message times
 * on a seized phone to confirm that someone consulted.
 */
export function coarsenStats(db: Db, statsIds: number[]): void {
  if (statsIds.length === 0) return;
  const shift = sql`(${caseStats.openedAt} % ${HOUR})`;
  db.update(caseStats)
    .set({
      openedAt: sql`${caseStats.openedAt} - ${shift}`,
      takenAt: sql`${caseStats.takenAt} - ${shift}`,
      firstResponseAt: sql`${caseStats.firstResponseAt} - ${shift}`,
      closedAt: sql`${caseStats.closedAt} - ${shift}`,
    })
    .where(inArray(caseStats.id, statsIds))
    .run();
}
