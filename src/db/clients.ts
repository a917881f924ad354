import { eq, sql } from 'drizzle-orm';
import { prepared } from './prepared.js';
import type { Language } from '../config.js';
import { randomPseudonym, type Privacy } from '../privacy/keys.js';
import type { Db } from './connection.js';
import { clients, conversationState, type ClientRow } from './schema.js';

export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function findClient(db: Db, key: string): ClientRow | undefined {
  return prepared(db, 'findClient', (d) => d.select().from(clients).where(eq(clients.key, sql.placeholder('key'))).prepare()).get({ key });
}

/**
 * Returns the client's row, creating it (with a fresh random pseudonym and the encrypted chat id) on
 * first need. Rows are created only when something must be remembered, never just for visiting.
 */
export function ensureClient(db: Db, privacy: Privacy, key: string, chatId: number, now = new Date()): ClientRow {
  const existing = findClient(db, key);
  if (existing) {
    if (existing.lastSeenOn !== today(now)) {
      db.update(clients).set({ lastSeenOn: today(now) }).where(eq(clients.key, key)).run();
    }
    return { ...existing, lastSeenOn: today(now) };
  }
  for (let attempt = 0; ; attempt++) {
    const row: ClientRow = {
      key,
      pseudonym: randomPseudonym(attempt < 8 ? 4 : 6),
      chatRef: privacy.encryptChatId(chatId),
      language: null,
      lastSeenOn: today(now),
    };
    const inserted = db.insert(clients).values(row).onConflictDoNothing().returning().get();
    if (inserted) return inserted;
    // Either the pseudonym was taken (try another) or the same client was inserted meanwhile.
    const raced = findClient(db, key);
    if (raced) return raced;
  }
}

export function setClientLanguage(db: Db, key: string, language: Language): void {
  db.update(clients).set({ language }).where(eq(clients.key, key)).run();
}

export interface ErasedClient {
  pseudonym: string;
  hadLanguage: boolean;
  /** Rows deleted per table (the client's own row included; dependent rows go by ON DELETE CASCADE). */
  rows: Record<string, number>;
}

/** Tables with a foreign key to clients.key, found from the schema itself so new tables are never missed. */
function dependentTables(db: Db): { table: string; column: string }[] {
  const tables = db.$client
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'")
    .all() as { name: string }[];
  return tables.flatMap(({ name }) =>
    (db.$client.prepare(`PRAGMA foreign_key_list("${name}")`).all() as { table: string; from: string }[])
      .filter((fk) => fk.table === 'clients')
      .map((fk) => ({ table: name, column: fk.from })),
  );
}

/** Deletes everything about a client in one transaction; returns what was erased, or null if nothing was held. */
export function forgetClient(db: Db, key: string): ErasedClient | null {
  const sqlite = db.$client;
  return sqlite.transaction(() => {
    const row = findClient(db, key);
    if (!row) return null;
    const rows: Record<string, number> = {};
    for (const { table, column } of dependentTables(db)) {
      const { n } = sqlite.prepare(`SELECT count(*) AS n FROM "${table}" WHERE "${column}" = ?`).get(key) as { n: number };
      if (n > 0) rows[table] = (rows[table] ?? 0) + n;
    }
    // Conversation state is keyed by the client key but may exist before the client row does.
    const conversations = db.delete(conversationState).where(eq(conversationState.key, key)).run().changes;
    if (conversations > 0) rows.conversation_state = conversations;
    rows.clients = db.delete(clients).where(eq(clients.key, key)).run().changes;
    return { pseudonym: row.pseudonym, hadLanguage: row.language !== null, rows };
  })();
}
