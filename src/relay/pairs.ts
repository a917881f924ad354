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

/** Whether a message (in the team's chat, or the client's) holds several joined texts, so an edit of one part cannot replace it. */
function isJoined(db: Db, caseId: number, inTeamChat: boolean, messageId: number): boolean {
  const parts = db
    .select({ id: relayMessages.caseId })
    .from(relayMessages)
    .where(and(eq(relayMessages.caseId, caseId), eq(inTeamChat ? relayMessages.inboxMessageId : relayMessages.clientMessageId, messageId)))
    .limit(2)
    .all();
  return parts.length > 1;
}

/** Several of the client's texts joined into this team-chat message. */
export function isJoinedCopy(db: Db, caseId: number, inboxMessageId: number): boolean {
  return isJoined(db, caseId, true, inboxMessageId);
}

/** Several of a consultant's replies joined into this message in the client's chat. */
export function isJoinedAtClient(db: Db, caseId: number, clientMessageId: number): boolean {
  return isJoined(db, caseId, false, clientMessageId);
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
