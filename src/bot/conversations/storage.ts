import { eq, sql } from 'drizzle-orm';
import { prepared } from '../../db/prepared.js';
import type { ConversationStorage } from '@grammyjs/conversations';
import type { Db } from '../../db/connection.js';
import { conversationState } from '../../db/schema.js';
import type { BotContext } from '../context.js';

/** Bump when a conversation's code changes in a way that old saved states would replay wrongly. */
export const CONVERSATIONS_VERSION = 2;

/**
 * Conversation state in SQLite, keyed by the client key (never the chat id), versioned, and deleted
 * by the plugin when the conversation ends.
 */
export function conversationStorage<S>(db: Db, keyOf: (ctx: BotContext) => string | undefined): ConversationStorage<BotContext, S> {
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
        return row ? JSON.parse(row.value) : undefined;
      },
      write: (key, state) => {
        const value = JSON.stringify(state);
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
