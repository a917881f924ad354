import { randomInt } from 'node:crypto';
import { and, eq, lte, notLike } from 'drizzle-orm';
import type { Privacy } from '../privacy/keys.js';
import type { Db } from './connection.js';
import { clients, surveyMarkers, surveyOptIns, surveyProgress, surveyResponses } from './schema.js';

/**
 * The SQL of surveys. What links to a client: an unfinished survey (keyed by the client key, sealed) and
 * the opt-in to invitations. What does not: a finished response (no key, the day only, a random id) and
 * the "answered" marker (a keyed hash of its own).
 */

const progressAad = (clientKey: string, surveyId: string) => `survey_progress:${clientKey}:${surveyId}`;
const responseAad = (surveyId: string) => `survey_responses:${surveyId}`;

/** The sealed state of an unfinished survey, opened; undefined if none (or it does not open with this key). */
export function readProgress(db: Db, privacy: Privacy, clientKey: string, surveyId: string, now: number): string | undefined {
  const row = db
    .select()
    .from(surveyProgress)
    .where(and(eq(surveyProgress.clientKey, clientKey), eq(surveyProgress.surveyId, surveyId)))
    .get();
  if (!row || row.expiresAt <= now) return undefined;
  try {
    return privacy.surveys.open(row.sealedState, progressAad(clientKey, surveyId));
  } catch {
    return undefined; // altered, or sealed with another BOT_SECRET: start afresh
  }
}

export function writeProgress(db: Db, privacy: Privacy, clientKey: string, surveyId: string, state: string, expiresAt: number): void {
  const sealedState = privacy.surveys.seal(state, progressAad(clientKey, surveyId));
  db.insert(surveyProgress)
    .values({ clientKey, surveyId, sealedState, expiresAt })
    .onConflictDoUpdate({ target: [surveyProgress.clientKey, surveyProgress.surveyId], set: { sealedState, expiresAt } })
    .run();
}

export function deleteProgress(db: Db, clientKey: string, surveyId?: string): number {
  const where = surveyId === undefined ? eq(surveyProgress.clientKey, clientKey) : and(eq(surveyProgress.clientKey, clientKey), eq(surveyProgress.surveyId, surveyId));
  return db.delete(surveyProgress).where(where).run().changes;
}

/** The surveys this client has unfinished. */
export function progressOf(db: Db, clientKey: string, now: number): string[] {
  return db
    .select({ id: surveyProgress.surveyId, expiresAt: surveyProgress.expiresAt })
    .from(surveyProgress)
    .where(eq(surveyProgress.clientKey, clientKey))
    .all()
    .filter((r) => r.expiresAt > now)
    .map((r) => r.id);
}

export function hasAnswered(db: Db, privacy: Privacy, clientKey: string, surveyId: string, now: number): boolean {
  const row = db.select().from(surveyMarkers).where(eq(surveyMarkers.marker, privacy.surveyMarker(clientKey, surveyId))).get();
  return row !== undefined && row.expiresAt > now;
}

/**
 * Stores a finished survey: the marker, the unlinked response and the end of the unfinished one, in one
 * transaction. False (nothing written, the unfinished one dropped) when the marker says it was answered.
 */
export function storeResponse(
  db: Db,
  privacy: Privacy,
  input: { clientKey: string; surveyId: string; answers: string; answeredOn: string; markerExpiresAt: number; now: number },
): boolean {
  const marker = privacy.surveyMarker(input.clientKey, input.surveyId);
  const sealedAnswers = privacy.surveys.seal(input.answers, responseAad(input.surveyId));
  return db.$client.transaction(() => {
    // A marker left from an earlier run of a survey with the same id (expired) does not count.
    db.delete(surveyMarkers).where(and(eq(surveyMarkers.marker, marker), lte(surveyMarkers.expiresAt, input.now))).run();
    const marked = db.insert(surveyMarkers).values({ marker, expiresAt: input.markerExpiresAt }).onConflictDoNothing().run().changes === 1;
    deleteProgress(db, input.clientKey, input.surveyId);
    if (!marked) return false;
    for (;;) {
      const id = randomInt(1, 2 ** 48);
      const inserted = db.insert(surveyResponses).values({ id, surveyId: input.surveyId, answeredOn: input.answeredOn, sealedAnswers }).onConflictDoNothing().run().changes;
      if (inserted === 1) return true;
    }
  })();
}

/** Every response of a survey, opened (a row that does not open is counted apart, never guessed at). */
export function readResponses(db: Db, privacy: Privacy, surveyId: string): { answers: string[]; unreadable: number } {
  const rows = db.select({ sealed: surveyResponses.sealedAnswers }).from(surveyResponses).where(eq(surveyResponses.surveyId, surveyId)).all();
  const answers: string[] = [];
  let unreadable = 0;
  for (const { sealed } of rows) {
    try {
      answers.push(privacy.surveys.open(sealed, responseAad(surveyId)));
    } catch {
      unreadable++;
    }
  }
  return { answers, unreadable };
}

export function countResponses(db: Db, surveyId: string): number {
  return (db.$client.prepare('SELECT count(*) AS n FROM survey_responses WHERE survey_id = ?').get(surveyId) as { n: number }).n;
}

/** Unfinished surveys past their time and markers of closed surveys go. */
export function purgeExpiredSurveyRows(db: Db, now: number): { progress: number; markers: number } {
  return {
    progress: db.delete(surveyProgress).where(lte(surveyProgress.expiresAt, now)).run().changes,
    markers: db.delete(surveyMarkers).where(lte(surveyMarkers.expiresAt, now)).run().changes,
  };
}

export function isOptedIn(db: Db, clientKey: string): boolean {
  return db.select({ key: surveyOptIns.clientKey }).from(surveyOptIns).where(eq(surveyOptIns.clientKey, clientKey)).get() !== undefined;
}

/** The client row must exist (the invitation needs its sealed chat id). */
export function setOptIn(db: Db, clientKey: string, on: boolean, language: string): void {
  if (on) db.insert(surveyOptIns).values({ clientKey, language }).onConflictDoUpdate({ target: surveyOptIns.clientKey, set: { language } }).run();
  else db.delete(surveyOptIns).where(eq(surveyOptIns.clientKey, clientKey)).run();
}

/** Opted-in clients not yet invited to `surveyId`, with what sending needs (at most `limit`). */
export function notYetInvited(db: Db, surveyId: string, limit: number): { clientKey: string; chatRef: string; language: string; invited: string[] }[] {
  const rows = db
    .select({ clientKey: surveyOptIns.clientKey, chatRef: clients.chatRef, language: surveyOptIns.language, invited: surveyOptIns.invited })
    .from(surveyOptIns)
    .innerJoin(clients, eq(clients.key, surveyOptIns.clientKey))
    .where(notLike(surveyOptIns.invited, `%${JSON.stringify(surveyId)}%`))
    .limit(limit)
    .all();
  return rows.map((r) => ({ ...r, invited: JSON.parse(r.invited) as string[] }));
}

/** Notes the invitation before it is sent: a crash may lose one, never send it twice. */
export function markInvited(db: Db, clientKey: string, invited: string[]): void {
  db.update(surveyOptIns).set({ invited: JSON.stringify(invited) }).where(eq(surveyOptIns.clientKey, clientKey)).run();
}
