import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { cases, caseStats, type CaseRow } from '../db/schema.js';

/**
 * Urgency after a case is open: raised by risk words in the client's messages (content/risk/) or by a
 * consultant (/urgent), lowered by a consultant (/normal). Only a category or the consultant's short
 * reason is kept, never the client's words.
 */

/** After /normal, words of the category that raised the case do not raise it again for this long. */
export const CALM_MS = 6 * 60 * 60_000;
/** `calm_category` when the case was urgent by the emergency button or by hand: every category is quiet. */
export const CALM_ALL = '*';
/** A consultant's reason is shown on the card: kept short. */
export const MAX_REASON_CHARS = 100;

/** Whether words of `category` may raise the case now. */
export function mayRaise(row: Pick<CaseRow, 'calmCategory' | 'calmUntil'>, category: string, now: number): boolean {
  if (row.calmUntil === null || row.calmUntil <= now) return true;
  return row.calmCategory !== CALM_ALL && row.calmCategory !== category;
}

function setUrgent(db: Db, caseId: number, reason: string | null, clearCalm: boolean): CaseRow | undefined {
  const row = db
    .update(cases)
    .set({ urgent: true, urgentReason: reason, ...(clearCalm ? { calmCategory: null, calmUntil: null } : {}) })
    .where(and(eq(cases.id, caseId), ne(cases.status, 'closed')))
    .returning()
    .get();
  // The figures count a case urgent if it ever was.
  if (row?.statsId != null) db.update(caseStats).set({ urgent: true }).where(eq(caseStats.id, row.statsId)).run();
  return row;
}

/**
 * Risk words of `categories` (in order of RISK_CATEGORIES) were seen in an open, not urgent case: the
 * first one not quietened by /normal raises it. Returns the raised case and its category, or undefined
 * (already urgent, closed, or every category quiet).
 */
export function raiseForRisk(db: Db, caseId: number, categories: readonly string[], now: number): { row: CaseRow; category: string } | undefined {
  return db.$client.transaction(() => {
    const current = db.select().from(cases).where(eq(cases.id, caseId)).get();
    if (!current || current.status === 'closed' || current.urgent) return undefined;
    const category = categories.find((c) => mayRaise(current, c, now));
    if (category === undefined) return undefined;
    const row = setUrgent(db, caseId, category, false);
    return row ? { row, category } : undefined;
  })();
}

/** A consultant marks the case urgent (with an optional short reason); any quiet period ends. Undefined for a closed case. */
export function markUrgent(db: Db, caseId: number, reason: string | undefined): CaseRow | undefined {
  const short = reason?.replace(/\s+/g, ' ').trim().slice(0, MAX_REASON_CHARS) || null;
  return setUrgent(db, caseId, short, true);
}

/**
 * A consultant lowers the case: not urgent, and the words that raised it stay quiet for CALM_MS (every
 * category, if the case was urgent by the button or by hand). Undefined if the case is closed or not urgent.
 */
export function markNormal(db: Db, caseId: number, now: number, isCategory: (reason: string) => boolean): CaseRow | undefined {
  return db.$client.transaction(() => {
    const current = db.select().from(cases).where(eq(cases.id, caseId)).get();
    if (!current || current.status === 'closed' || !current.urgent) return undefined;
    const calmCategory = current.urgentReason !== null && isCategory(current.urgentReason) ? current.urgentReason : CALM_ALL;
    return db.update(cases).set({ urgent: false, urgentReason: null, calmCategory, calmUntil: now + CALM_MS }).where(eq(cases.id, caseId)).returning().get();
  })();
}
