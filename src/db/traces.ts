import { eq, lt, sql } from 'drizzle-orm';
import type { Db } from './connection.js';
import { prepared } from './prepared.js';
import { chatTraces } from './schema.js';

const HOUR = 3_600_000;
/** Telegram lets a bot delete a private-chat message for 48 hours after it was sent. */
export const DELETABLE_FOR_MS = 48 * HOUR;

/** Remembers ids of messages in a client's private chat (theirs or the bot's), for "Clear this chat". */
export function recordTraces(db: Db, clientKey: string, messageIds: number[], now: number): void {
  const insert = prepared(db, 'recordTrace', (d) =>
    d
      .insert(chatTraces)
      .values({ clientKey: sql.placeholder('clientKey'), messageId: sql.placeholder('messageId'), sentHour: sql.placeholder('sentHour') })
      .onConflictDoNothing()
      .prepare(),
  );
  const sentHour = Math.floor(now / HOUR) * HOUR;
  for (const messageId of messageIds) insert.run({ clientKey, messageId, sentHour });
}

export interface Traces {
  ids: number[];
  /** How many may already be past Telegram's 48 hours (the hour is rounded down, so this errs on the safe side). */
  maybeTooOld: number;
}

export function tracesOf(db: Db, clientKey: string, now: number): Traces {
  const rows = db.select().from(chatTraces).where(eq(chatTraces.clientKey, clientKey)).all();
  return {
    ids: rows.map((r) => r.messageId).sort((a, b) => a - b),
    maybeTooOld: rows.filter((r) => r.sentHour + DELETABLE_FOR_MS - HOUR <= now).length,
  };
}

export function dropTraces(db: Db, clientKey: string): number {
  return db.delete(chatTraces).where(eq(chatTraces.clientKey, clientKey)).run().changes;
}

/** Ids past Telegram's deletion window cannot be used any more, so they are not kept either. */
export function purgeOldTraces(db: Db, now: number): number {
  return db.delete(chatTraces).where(lt(chatTraces.sentHour, now - DELETABLE_FOR_MS)).run().changes;
}
