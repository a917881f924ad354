import { and, eq, lt, notExists, sql } from 'drizzle-orm';
import { prepared } from './prepared.js';
import type { Language } from '../config.js';
import { CHAT_REF_BINDING, randomPseudonym, type Privacy } from '../privacy/keys.js';
import type { Db } from './connection.js';
import { coarsenStats } from './case-stats.js';
import { caseTraces, queueDeletions } from './deletions.js';
import { cases, chatTraces, clients, conversationState, reports, stories, surveyProgress, type ClientRow } from './schema.js';

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
      chatRef: privacy.encryptChatId(chatId, CHAT_REF_BINDING.client(key)),
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

/** The client's chat id; throws if the sealed ref is not this row's own (moved from another row, or altered). */
export function clientChatId(privacy: Privacy, row: Pick<ClientRow, 'key' | 'chatRef'>): number {
  return privacy.decryptChatId(row.chatRef, CHAT_REF_BINDING.client(row.key));
}

export function setClientLanguage(db: Db, key: string, language: Language): void {
  db.update(clients).set({ language }).where(eq(clients.key, key)).run();
}

export interface ErasedClient {
  pseudonym: string;
  hadLanguage: boolean;
  /** Rows deleted per table (the client's own row included; dependent rows go by ON DELETE CASCADE). */
  rows: Record<string, number>;
  /** The cases that went, so that whatever still holds them in memory can let go. */
  caseIds: number[];
  /** How many of those cases each inbox had: its team is told. */
  inboxes: Record<string, number>;
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

/**
 * Deletes everything about a client in one transaction; returns what was erased, or null if nothing was
 * held. The topics of their cases in the team's chat (and the reminders naming them) are queued for
 * deletion in the same transaction (`teamChatRef`: the sealed id of the team chat a case's topic is in),
 * and so are the cards and photos of their open reports (in the moderation chat, sealed the same way).
 */
export function forgetClient(db: Db, key: string, teamChatRef?: (teamChatId: number) => string): ErasedClient | null {
  const sqlite = db.$client;
  const erased = sqlite.transaction(() => {
    // Message ids in their chat (for "Clear this chat") may exist without a client row.
    const traces = db.delete(chatTraces).where(eq(chatTraces.clientKey, key)).run().changes;
    // An unfinished survey is keyed by the client key too, with or without a client row.
    const surveys = db.delete(surveyProgress).where(eq(surveyProgress.clientKey, key)).run().changes;
    const row = findClient(db, key);
    if (!row) {
      const loose = { ...(traces > 0 ? { chat_traces: traces } : {}), ...(surveys > 0 ? { survey_progress: surveys } : {}) };
      return traces + surveys > 0 ? { pseudonym: '', hadLanguage: false, rows: loose, caseIds: [], inboxes: {} } : null;
    }
    const owned = db.select().from(cases).where(eq(cases.clientKey, key)).all();
    if (teamChatRef) queueDeletions(db, owned.flatMap((c) => caseTraces({ ...c, clientThreadId: null }, c.teamChatId === null ? undefined : teamChatRef(c.teamChatId))));
    coarsenStats(db, owned.flatMap((c) => (c.statsId === null ? [] : [c.statsId])));
    // Their open reports go (by ON DELETE CASCADE) with their card and photo in the moderation chat.
    if (teamChatRef) {
      const open = db.select().from(reports).where(eq(reports.clientKey, key)).all();
      queueDeletions(db, open.flatMap((r) => [r.cardMessageId, r.photoMessageId].flatMap((messageId) => (messageId === null ? [] : [{ chatRef: teamChatRef(r.chatId), messageId }]))));
    }
    // Their stories not yet decided go (by ON DELETE CASCADE) with the messages showing their words to the editors.
    if (teamChatRef) {
      const own = db.select({ editorMessages: stories.editorMessages }).from(stories).where(eq(stories.clientKey, key)).all();
      queueDeletions(db, own.flatMap((r) => (JSON.parse(r.editorMessages) as [number, number][]).map(([chatId, messageId]) => ({ chatRef: teamChatRef(chatId), messageId }))));
    }
    const rows: Record<string, number> = {};
    for (const { table, column } of dependentTables(db)) {
      const { n } = sqlite.prepare(`SELECT count(*) AS n FROM "${table}" WHERE "${column}" = ?`).get(key) as { n: number };
      if (n > 0) rows[table] = (rows[table] ?? 0) + n;
    }
    // Conversation state is keyed by the client key but may exist before the client row does.
    const conversations = db.delete(conversationState).where(eq(conversationState.key, key)).run().changes;
    if (conversations > 0) rows.conversation_state = conversations;
    if (traces > 0) rows.chat_traces = traces;
    if (surveys > 0) rows.survey_progress = surveys;
    rows.clients = db.delete(clients).where(eq(clients.key, key)).run().changes;
    return { pseudonym: row.pseudonym, hadLanguage: row.language !== null, rows, caseIds: owned.map((c) => c.id), inboxes: countBy(owned.map((c) => c.inbox)) };
  })();
  // secure_delete zeroed the rows in the database file, but the WAL still holds the old pages: fold it
  // back and empty it now rather than at the next checkpoint.
  if (erased) foldWal(db);
  return erased;
}

function countBy(names: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/** Checkpoints the WAL into the database file and truncates it, so erased pages do not linger there. */
export function foldWal(db: Db): void {
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
}

/**
 * Retention: a client row with no case left (closed cases are purged first) and no contact for
 * RETENTION_DAYS goes, language choice included. Day precision, as last_seen_on is kept.
 */
export function purgeIdleClients(db: Db, now: Date, retentionDays: number): number {
  const cutoff = today(new Date(now.getTime() - retentionDays * 86_400_000));
  return db
    .delete(clients)
    .where(and(lt(clients.lastSeenOn, cutoff), notExists(db.select({ id: cases.id }).from(cases).where(eq(cases.clientKey, clients.key)))))
    .run().changes;
}
