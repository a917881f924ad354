import { eq, sql } from 'drizzle-orm';
import { prepared } from '../../db/prepared.js';
import type { ConversationStorage } from '@grammyjs/conversations';
import type { Db } from '../../db/connection.js';
import { conversationState } from '../../db/schema.js';
import type { Sealer } from '../../privacy/sealing.js';
import { stateAad } from '../../db/conversations.js';
import type { BotContext } from '../context.js';

/** Bump when a conversation's code changes in a way that old saved states would replay wrongly. */
export const CONVERSATIONS_VERSION = 2;


/**
 * Conversation state in SQLite, keyed by the client key (never the chat id), versioned, and deleted
 * by the plugin when the conversation ends. The state holds the updates the plugin replays (ids,
 * names, the description), so it is sealed with its own key before it touches the disk.
 */
export function conversationStorage<S>(
  db: Db,
  sealer: Sealer,
  keyOf: (ctx: BotContext) => string | undefined,
): ConversationStorage<BotContext, S> {
  return {
    type: 'key',
    version: CONVERSATIONS_VERSION,
    // The same key the updates are sequentialized by. Only clients have conversations; other chats
    // get a key that never holds anything.
    getStorageKey: (ctx) => keyOf(ctx) ?? 'none',
    adapter: {
      read: (key) => {
        const row = prepared(db, 'readConversation', (d) =>
          d.select().from(conversationState).where(eq(conversationState.key, sql.placeholder('key'))).prepare(),
        ).get({ key });
        if (!row) return undefined;
        try {
          return JSON.parse(sealer.open(row.value, stateAad(key)));
        } catch {
          // Not sealed by this BOT_SECRET for this key (altered, moved, or written before sealing):
          // the conversation cannot resume, so it starts afresh and the row goes.
          db.delete(conversationState).where(eq(conversationState.key, key)).run();
          return undefined;
        }
      },
      write: (key, state) => {
        const value = sealer.seal(JSON.stringify(state), stateAad(key));
        const updatedAt = Date.now();
        db.insert(conversationState)
          .values({ key, value, updatedAt })
          .onConflictDoUpdate({ target: conversationState.key, set: { value, updatedAt } })
          .run();
      },
      delete: (key) => {
        db.delete(conversationState).where(eq(conversationState.key, key)).run();
      },
    },
  };
}
