import { lt } from 'drizzle-orm';
import type { Db } from './connection.js';
import { conversationState } from './schema.js';

/** An intake left unfinished this long is forgotten: its state holds the updates the plugin replays. */
export const ABANDONED_AFTER_MS = 6 * 3_600_000;

export function purgeAbandonedConversations(db: Db, now: number): number {
  return db.delete(conversationState).where(lt(conversationState.updatedAt, now - ABANDONED_AFTER_MS)).run().changes;
}
