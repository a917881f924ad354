import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { cases, relayMessages } from '../db/schema.js';

/**
 * Message-id pairs (client chat ↔ team chat) of a case: for threading replies and carrying edits.
 * Inbox message ids are only unique within one team chat, so every lookup is by case.
 */

/** The id, on the other side, of the copy (or original) of `sourceId`; a reply to joined texts threads to the last of them. */
export function counterpart(db: Db, caseId: number, toClient: boolean, sourceId: number): number | undefined {
  const pair = db
    .select()
    .from(relayMessages)
    .where(and(eq(relayMessages.caseId, caseId), toClient ? eq(relayMessages.inboxMessageId, sourceId) : eq(relayMessages.clientMessageId, sourceId)))
    .orderBy(desc(relayMessages.clientMessageId))
    .get();
  return pair ? (toClient ? pair.clientMessageId : pair.inboxMessageId) : undefined;
}

/** The copy of a message on the other side, for edits: by the source's id. */
export function findCounterpart(db: Db, caseId: number, fromClient: boolean, sourceId: number): number | undefined {
  return counterpart(db, caseId, !fromClient, sourceId);
}

/** Whether this inbox message holds several joined client texts (so an edit of one part cannot replace it). */
export function isJoinedCopy(db: Db, caseId: number, inboxMessageId: number): boolean {
  const parts = db
    .select({ id: relayMessages.clientMessageId })
    .from(relayMessages)
    .where(and(eq(relayMessages.caseId, caseId), eq(relayMessages.inboxMessageId, inboxMessageId)))
    .limit(2)
    .all();
  return parts.length > 1;
}

/** Whether this message in the client's chat holds several joined replies (an edit of one part cannot replace it). */
export function isJoinedAtClient(db: Db, caseId: number, clientMessageId: number): boolean {
  const parts = db
    .select({ id: relayMessages.inboxMessageId })
    .from(relayMessages)
    .where(and(eq(relayMessages.caseId, caseId), eq(relayMessages.clientMessageId, clientMessageId)))
    .limit(2)
    .all();
  return parts.length > 1;
}

/** Which case a message in this inbox belongs to (a reply to a copy), if any: message ids are per chat. */
export function caseOfInboxMessage(db: Db, inbox: string, inboxMessageId: number): number | undefined {
  return db
    .select({ caseId: relayMessages.caseId })
    .from(relayMessages)
    .innerJoin(cases, eq(cases.id, relayMessages.caseId))
    .where(and(eq(relayMessages.inboxMessageId, inboxMessageId), eq(cases.inbox, inbox)))
    .get()?.caseId;
}
