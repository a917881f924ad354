import { eq, lt } from 'drizzle-orm';
import { isSealed, type Sealer } from '../privacy/sealing.js';
import type { Db } from './connection.js';
import { conversationState } from './schema.js';

/** An intake left unfinished this long is forgotten: its state holds the updates the plugin replays. */
export const ABANDONED_AFTER_MS = 6 * 3_600_000;

export function purgeAbandonedConversations(db: Db, now: number): number {
  return db.delete(conversationState).where(lt(conversationState.updatedAt, now - ABANDONED_AFTER_MS)).run().changes;
}

/** Binds a sealed state to its row: copied under another client's key, it does not open. */
export const stateAad = (key: string) => `conversation_state:${key}`;

/**
 * Conversation states written before sealing hold plain JSON. Sealed in place at start, so an intake
 * under way during the upgrade goes on; returns how many there were.
 */
export function sealLegacyConversations(db: Db, sealer: Sealer): number {
  const legacy = db.select().from(conversationState).all().filter((row) => !isSealed(row.value));
  if (legacy.length === 0) return 0;
  db.$client.transaction(() => {
    for (const row of legacy) {
      db.update(conversationState)
        .set({ value: sealer.seal(row.value, stateAad(row.key)) })
        .where(eq(conversationState.key, row.key))
        .run();
    }
  })();
  return legacy.length;
}
