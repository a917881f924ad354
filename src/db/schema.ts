import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';

/**
 * A client as the system knows them: a keyed hash of the Telegram user id, a random pseudonym for staff,
 * the chat id needed to reply (encrypted), and their language choice. Nothing else about the person.
 * Every other table that refers to a client does so through `clients.key` with ON DELETE CASCADE,
 * so /forget is one DELETE.
 */
export const clients = sqliteTable('clients', {
  /** HMAC-SHA256(key derived from BOT_SECRET, telegram user id), hex. */
  key: text('key').primaryKey(),
  /** Shown to staff, e.g. "4F7K"; random, so it does not survive /forget. */
  pseudonym: text('pseudonym').notNull().unique(),
  /** AES-256-GCM encrypted chat id (base64url of iv | tag | ciphertext). */
  chatRef: text('chat_ref').notNull(),
  /** ru | kk | en once the client chose one with /language; null = follow Telegram's language. */
  language: text('language'),
  /** Day of the last contact, YYYY-MM-DD (UTC): day precision so timestamps cannot be matched to messages. */
  lastSeenOn: text('last_seen_on').notNull(),
});

export type ClientRow = typeof clients.$inferSelect;
