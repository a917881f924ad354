import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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

/**
 * The publication ledger: one row per (post, occurrence, channel), written before the post is sent,
 * so a restart never sends it twice. No client data here.
 */
export const publications = sqliteTable(
  'publications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    postSlug: text('post_slug').notNull(),
    /** The scheduled moment (ms since epoch); for /publish, the moment it was asked for. */
    occurrence: integer('occurrence').notNull(),
    channel: text('channel').notNull(),
    /** sending | sent | failed | skipped | unknown | abandoned */
    status: text('status').notNull(),
    /** Telegram chat the messages went to (@username or id), for /sync. */
    chatId: text('chat_id'),
    /** JSON array of message ids sent so far, in order. */
    messageIds: text('message_ids').notNull().default('[]'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at'),
    error: text('error'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('publications_occurrence_unique').on(t.postSlug, t.occurrence, t.channel)],
);

export type PublicationRow = typeof publications.$inferSelect;

/** Small persistent key/value state of background jobs (e.g. the scheduler's last tick). */
export const jobState = sqliteTable('job_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
