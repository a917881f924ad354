import { and, eq, lte } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { prepared } from '../db/prepared.js';
import { publications, type PublicationRow } from '../db/schema.js';

export type PublicationStatus = 'sending' | 'sent' | 'failed' | 'skipped' | 'unknown' | 'abandoned';

export interface OccurrenceKey {
  postSlug: string;
  occurrence: number;
  channel: string;
}

export function findPublication(db: Db, key: OccurrenceKey): PublicationRow | undefined {
  return db
    .select()
    .from(publications)
    .where(and(eq(publications.postSlug, key.postSlug), eq(publications.occurrence, key.occurrence), eq(publications.channel, key.channel)))
    .get();
}

/**
 * Claims an occurrence for sending, atomically: a new row in "sending", or a failed row whose retry is
 * due. Returns the row to send with, or undefined if it is not ours to send (already sent, skipped,
 * being sent, or in doubt after a crash).
 */
export function claimPublication(db: Db, key: OccurrenceKey, chatId: string, now: number): PublicationRow | undefined {
  return db.$client.transaction(() => {
    const existing = findPublication(db, key);
    if (!existing) {
      return db
        .insert(publications)
        .values({ ...key, status: 'sending', chatId, attempts: 1, updatedAt: now })
        .returning()
        .get();
    }
    if (existing.status !== 'failed' || (existing.nextAttemptAt ?? 0) > now) return undefined;
    return db
      .update(publications)
      .set({ status: 'sending', chatId, attempts: existing.attempts + 1, nextAttemptAt: null, updatedAt: now })
      .where(eq(publications.id, existing.id))
      .returning()
      .get();
  })();
}

/** Records an occurrence that will not be sent (skipped by an editor, or missed beyond the grace period). */
export function markSkipped(db: Db, key: OccurrenceKey, reason: string, now: number): boolean {
  const result = db
    .insert(publications)
    .values({ ...key, status: 'skipped', error: reason, updatedAt: now })
    .onConflictDoNothing()
    .run();
  return result.changes > 0;
}

/**
 * Records many occurrences of one post and channel as not sent, in one transaction (after a long
 * downtime or a jump of the clock there may be a thousand). Returns those newly recorded.
 */
export function markSkippedMany(db: Db, postSlug: string, channel: string, occurrences: number[], reason: string, now: number): number[] {
  if (occurrences.length === 0) return [];
  const insert = prepared(db, 'publicationsSkip', (d) =>
    d.$client.prepare<[string, number, string, string, number]>(
      "INSERT INTO publications (post_slug, occurrence, channel, status, error, updated_at) VALUES (?, ?, ?, 'skipped', ?, ?) ON CONFLICT DO NOTHING",
    ),
  );
  return db.$client.transaction(() => occurrences.filter((occurrence) => insert.run(postSlug, occurrence, channel, reason, now).changes > 0))();
}

/** Saves the message ids sent so far, after each message, so a retry continues instead of repeating. */
export function recordProgress(db: Db, id: number, messageIds: number[], now: number): void {
  db.update(publications).set({ messageIds: JSON.stringify(messageIds), updatedAt: now }).where(eq(publications.id, id)).run();
}

export function markSent(db: Db, id: number, messageIds: number[], now: number): void {
  db.update(publications)
    .set({ status: 'sent', messageIds: JSON.stringify(messageIds), error: null, updatedAt: now })
    .where(eq(publications.id, id))
    .run();
}

export function markFailed(db: Db, id: number, error: string, nextAttemptAt: number | null, now: number): void {
  db.update(publications)
    .set({ status: nextAttemptAt === null ? 'abandoned' : 'failed', error, nextAttemptAt, updatedAt: now })
    .where(eq(publications.id, id))
    .run();
}

/** After a crash, a row left in "sending" may or may not have reached the channel: never resend it blindly. */
export function markInterrupted(db: Db, now: number): PublicationRow[] {
  return db
    .update(publications)
    .set({ status: 'unknown', error: 'the bot stopped while sending; check the channel', updatedAt: now })
    .where(eq(publications.status, 'sending'))
    .returning()
    .all();
}

export function dueRetries(db: Db, now: number): PublicationRow[] {
  return db
    .select()
    .from(publications)
    .where(and(eq(publications.status, 'failed'), lte(publications.nextAttemptAt, now)))
    .all();
}

export function sentPublications(db: Db, postSlug: string): PublicationRow[] {
  return db
    .select()
    .from(publications)
    .where(and(eq(publications.postSlug, postSlug), eq(publications.status, 'sent')))
    .all();
}

export function messageIdsOf(row: PublicationRow): number[] {
  const parsed: unknown = JSON.parse(row.messageIds);
  return Array.isArray(parsed) ? parsed.filter((n): n is number => typeof n === 'number') : [];
}
