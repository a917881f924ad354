import { asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { caseNotes, cases, caseStats } from '../db/schema.js';
import type { Privacy } from '../privacy/keys.js';
import { codeStatus, codesOfCase, type CodeStatus } from './referral-codes.js';

/**
 * A returning client's earlier cases for /history: what the database already keeps while a case exists
 * (until RETENTION_DAYS after it closed, or /forget), plus the consultants' notes, sealed. Never the
 * client's words: those were only ever in the topic, and go with it.
 */

/** A note longer than this is kept cut (a note is a reminder for colleagues, not a transcript). */
export const NOTE_MAX_CHARS = 1000;
/** Notes kept per case: the first ones (later ones are still in the topic while it exists). */
export const NOTES_PER_CASE = 30;

const noteBinding = (caseId: number) => `case_notes:${caseId}`;

/** Keeps a consultant's note on a case, sealed. Returns false when the case already holds NOTES_PER_CASE. */
export function addNote(db: Db, privacy: Pick<Privacy, 'notes'>, caseId: number, consultantId: number, text: string): boolean {
  const clean = text.trim();
  if (clean === '') return false;
  const held = db.select({ id: caseNotes.id }).from(caseNotes).where(eq(caseNotes.caseId, caseId)).all().length;
  if (held >= NOTES_PER_CASE) return false;
  const cut = clean.length > NOTE_MAX_CHARS ? `${clean.slice(0, NOTE_MAX_CHARS - 1)}…` : clean;
  db.insert(caseNotes).values({ caseId, consultantId, sealedText: privacy.notes.seal(cut, noteBinding(caseId)) }).run();
  return true;
}

export interface CaseNote {
  consultantId: number;
  text: string;
}

/** A case's notes in the order written; a note that does not open (altered, another key) is left out. */
export function notesOf(db: Db, privacy: Pick<Privacy, 'notes'>, caseId: number): CaseNote[] {
  return db
    .select()
    .from(caseNotes)
    .where(eq(caseNotes.caseId, caseId))
    .orderBy(asc(caseNotes.id))
    .all()
    .flatMap((row) => {
      try {
        return [{ consultantId: row.consultantId, text: privacy.notes.open(row.sealedText, noteBinding(caseId)) }];
      } catch {
        return [];
      }
    });
}

export interface PastCase {
  id: number;
  topic: string;
  inbox: string;
  urgent: boolean;
  status: string;
  openedAt: number;
  closedAt: number | null;
  /** Who had it last (null: nobody took it). */
  consultantId: number | null;
  referrals: string[];
  rating: number | null;
  codes: { type: string; place: string | null; status: CodeStatus }[];
  notes: CaseNote[];
}

/** Every case the client has (closed ones within the retention time, and an open one), newest first. */
export function clientHistory(db: Db, privacy: Pick<Privacy, 'notes'>, clientKey: string, now: number): PastCase[] {
  return db
    .select({ row: cases, stats: caseStats })
    .from(cases)
    .leftJoin(caseStats, eq(caseStats.id, cases.statsId))
    .where(eq(cases.clientKey, clientKey))
    .orderBy(desc(cases.openedAt), desc(cases.id))
    .all()
    .map(({ row, stats }) => ({
      id: row.id,
      topic: row.topic,
      inbox: row.inbox,
      urgent: row.urgent,
      status: row.status,
      openedAt: row.openedAt,
      closedAt: row.closedAt,
      consultantId: row.consultantId,
      referrals: stats ? (JSON.parse(stats.referrals) as string[]) : [],
      rating: stats?.rating ?? null,
      codes: codesOfCase(db, row.id).map((c) => ({ type: c.type, place: c.place, status: codeStatus(c, now) })),
      notes: notesOf(db, privacy, row.id),
    }));
}

/**
 * The cases of the inbox `here` (a case of an inbox no longer configured counts as the default one's),
 * and how many are in other inboxes: each team sees its own cases, the others only as a number.
 */
export function ownCases<T extends { inbox: string }>(cases: T[], here: string, configured: readonly string[], fallback: string): { own: T[]; elsewhere: number } {
  const own = cases.filter((c) => (configured.includes(c.inbox) ? c.inbox : fallback) === here);
  return { own, elsewhere: cases.length - own.length };
}

/**
 * Fits the per-case blocks into one message: whole cases, newest first, while the total stays within
 * `limit` characters; returns the blocks shown and how many were left out.
 */
export function fitBlocks(blocks: string[], limit: number, length: (block: string) => number = (b) => b.length): { shown: string[]; left: number } {
  const shown: string[] = [];
  let used = 0;
  for (const block of blocks) {
    const size = length(block) + 2;
    if (used + size > limit) break;
    shown.push(block);
    used += size;
  }
  return { shown, left: blocks.length - shown.length };
}
