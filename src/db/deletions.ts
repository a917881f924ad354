import { eq, sql } from 'drizzle-orm';
import type { Db } from './connection.js';
import { pendingDeletions, type CaseRow } from './schema.js';

/** A topic or a message in Telegram to delete; the chat id is sealed (a private chat's id is the user's id). */
export interface DeletionTarget {
  chatRef: string;
  threadId?: number | null;
  messageId?: number | null;
}

export type PendingDeletion = typeof pendingDeletions.$inferSelect;

/**
 * What of a case lives in Telegram: its topic in the team's chat, its reminder in General, its topic in the
 * client's chat. `teamChatRef`: the sealed id of the chat the case's topic and reminder are in (`team_chat_id`).
 */
export function caseTraces(row: Pick<CaseRow, 'threadId' | 'reminderMessageId' | 'clientThreadId'>, teamChatRef: string | undefined, clientChatRef?: string): DeletionTarget[] {
  const targets: DeletionTarget[] = [];
  if (row.threadId !== null && teamChatRef) targets.push({ chatRef: teamChatRef, threadId: row.threadId });
  if (row.reminderMessageId !== null && teamChatRef) targets.push({ chatRef: teamChatRef, messageId: row.reminderMessageId });
  if (row.clientThreadId !== null && clientChatRef) targets.push({ chatRef: clientChatRef, threadId: row.clientThreadId });
  return targets;
}

/**
 * Queues deletions in Telegram. Called in the same transaction that deletes the rows they belonged to,
 * so a crash between the two cannot leave a topic nobody knows about any more.
 */
export function queueDeletions(db: Db, targets: DeletionTarget[]): void {
  for (const target of targets) {
    db.insert(pendingDeletions).values({ chatRef: target.chatRef, threadId: target.threadId ?? null, messageId: target.messageId ?? null }).run();
  }
}

export function pendingDeletionList(db: Db): PendingDeletion[] {
  return db.select().from(pendingDeletions).orderBy(pendingDeletions.id).all();
}

export function deletionDone(db: Db, id: number): void {
  db.delete(pendingDeletions).where(eq(pendingDeletions.id, id)).run();
}

export function deletionFailed(db: Db, id: number, reason: string): void {
  db.update(pendingDeletions)
    .set({ attempts: sql`${pendingDeletions.attempts} + 1`, lastError: reason.slice(0, 200) })
    .where(eq(pendingDeletions.id, id))
    .run();
}
