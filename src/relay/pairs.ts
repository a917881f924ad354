import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { cases, relayMessages } from '../db/schema.js';

/**
 * Message-id pairs (client chat ↔ team chat) of a case: for threading replies and carrying edits.
 * Telegram numbers messages per chat, and a case can move to another team's chat (/transfer), so a
 * team-side id is always looked up with its chat; the client's side is the case's client's own chat.
 */

/**
 * The id, on the other side, of the copy (or original) of `sourceId`; a reply to joined texts threads to
 * the last of them. `teamChatId`: the team chat that the team-side id is in (the source's chat for
 * `toClient`, the chat the copy goes to otherwise).
 */
export function counterpart(db: Db, caseId: number, toClient: boolean, teamChatId: number, sourceId: number): number | undefined {
  const pair = db
    .select()
    .from(relayMessages)
    .where(
      and(
        eq(relayMessages.caseId, caseId),
        eq(relayMessages.teamChatId, teamChatId),
        toClient ? eq(relayMessages.inboxMessageId, sourceId) : eq(relayMessages.clientMessageId, sourceId),
      ),
    )
    .orderBy(desc(relayMessages.clientMessageId))
    .get();
  return pair ? (toClient ? pair.clientMessageId : pair.inboxMessageId) : undefined;
}

/** The copy of a message on the other side, for edits: by the source's id, in `teamChatId`. */
export function findCounterpart(db: Db, caseId: number, fromClient: boolean, teamChatId: number, sourceId: number): number | undefined {
  return counterpart(db, caseId, !fromClient, teamChatId, sourceId);
}

/** Whether a client's message was copied into a team chat at all (the caller looked in the case's current one first). */
export function wasCopied(db: Db, caseId: number, clientMessageId: number): boolean {
  return (
    db
      .select({ id: relayMessages.caseId })
      .from(relayMessages)
      .where(and(eq(relayMessages.caseId, caseId), eq(relayMessages.clientMessageId, clientMessageId), eq(relayMessages.fromClient, true)))
      .limit(1)
      .get() !== undefined
  );
}

/** Whether a message (in the team's chat `teamChatId`, or the client's) holds several joined texts, so an edit of one part cannot replace it. */
function isJoined(db: Db, caseId: number, teamChatId: number, inTeamChat: boolean, messageId: number): boolean {
  const parts = db
    .select({ id: relayMessages.caseId })
    .from(relayMessages)
    .where(
      and(
        eq(relayMessages.caseId, caseId),
        eq(relayMessages.teamChatId, teamChatId),
        eq(inTeamChat ? relayMessages.inboxMessageId : relayMessages.clientMessageId, messageId),
      ),
    )
    .limit(2)
    .all();
  return parts.length > 1;
}

/** Several of the client's texts joined into this message of the team chat `teamChatId`. */
export function isJoinedCopy(db: Db, caseId: number, teamChatId: number, inboxMessageId: number): boolean {
  return isJoined(db, caseId, teamChatId, true, inboxMessageId);
}

/** Several of a consultant's replies (written in `teamChatId`) joined into this message in the client's chat. */
export function isJoinedAtClient(db: Db, caseId: number, teamChatId: number, clientMessageId: number): boolean {
  return isJoined(db, caseId, teamChatId, false, clientMessageId);
}

/** Which case a message of this team chat belongs to (a reply to a copy), if any: message ids are per chat. */
export function caseOfInboxMessage(db: Db, teamChatId: number, inboxMessageId: number): number | undefined {
  return db
    .select({ caseId: relayMessages.caseId })
    .from(relayMessages)
    .innerJoin(cases, eq(cases.id, relayMessages.caseId))
    .where(and(eq(relayMessages.inboxMessageId, inboxMessageId), eq(relayMessages.teamChatId, teamChatId)))
    .get()?.caseId;
}
