import type { Statement } from 'better-sqlite3';
import { getTableColumns } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Logger } from '../logger.js';
import { CHAT_REF_BINDING, type Privacy } from '../privacy/keys.js';
import type { Db } from './connection.js';
import { cases, outbox, pendingDeletions } from './schema.js';

/**
 * Integrity of the rows that say where something goes: someone who can write the database file but
 * lacks BOT_SECRET (a tampered backup, a writable volume) must not be able to send a case's replies to
 * another client, make the bot message anyone, or delete in another chat. Each such row carries a MAC
 * (HMAC-SHA256 under a subkey per table from BOT_SECRET) over the columns listed here, its id included.
 *
 * Outbox rows and queued deletions are stamped by the code that writes them (stampRow, in the same
 * transaction as the insert): a row written any other way, even through the bot's own connection, has
 * no valid MAC. Cases change routing in many places (a topic attached, a transfer, an inbox adopted), so
 * the bot's connection stamps them itself, in temporary triggers (they live in the connection, not in
 * the file) that call a function holding the key: every insert is stamped, and an update of a listed
 * column is stamped again only if the row was intact before it, so a row tampered with from outside
 * stays refused whatever the bot does to it next. Readers check before acting (outbox-store, erasure)
 * and refuse (delete and log, without client data) a row that fails.
 *
 * Adding a column is one line below: NULL values are left out of the MAC, so rows written before the
 * column existed keep theirs. A column filled in for existing rows must be filled by the bot (through
 * this connection, after installRowIntegrity, and for the outbox with stampRow), not by plain SQL in a
 * migration.
 */
export const MAC_COLUMNS = {
  cases: ['id', 'client_key', 'inbox', 'team_chat_id', 'thread_id'],
  outbox: ['id', 'case_id', 'to_client', 'kind', 'source_chat_id', 'source_message_id', 'reply_to_source_id', 'media_group_id', 'payload', 'sealed_text', 'inbox'],
  pending_deletions: ['id', 'chat_ref', 'thread_id', 'message_id'],
} as const satisfies Record<string, readonly string[]>;

export type MacTable = keyof typeof MAC_COLUMNS;

/** Tables whose rows the connection's triggers stamp; the others are stamped by their writers (stampRow). */
const STAMPED_BY_TRIGGERS: readonly MacTable[] = ['cases'];

const TABLES: Record<MacTable, SQLiteTable> = { cases, outbox, pending_deletions: pendingDeletions };

/** The same text from SQLite's values and from drizzle's (booleans as 0/1), so both sides agree. */
function canonical(table: MacTable, values: readonly unknown[]): string {
  const fields: [string, string | number][] = [];
  MAC_COLUMNS[table].forEach((column, i) => {
    const value = values[i];
    if (value === null || value === undefined) return;
    if (typeof value === 'boolean') fields.push([column, value ? 1 : 0]);
    else if (typeof value === 'bigint') fields.push([column, Number(value)]);
    else if (typeof value === 'number' || typeof value === 'string') fields.push([column, value]);
    else throw new Error(`row integrity: ${table}.${column} holds a ${typeof value}, expected a number or text`);
  });
  return JSON.stringify([table, fields]);
}

interface Installed {
  privacy: Privacy;
  logger?: Logger;
  /** SQL column name → drizzle property, per table. */
  properties: Record<MacTable, string[]>;
}

const installed = new WeakMap<Db['$client'], Installed>();

function isMacTable(name: unknown): name is MacTable {
  return typeof name === 'string' && Object.hasOwn(MAC_COLUMNS, name);
}

/**
 * Registers the MAC functions and the stamping triggers on this connection (idempotent). Must run
 * before the bot writes anything (openApp does it first thing, with the upgrade of older rows).
 */
export function installRowIntegrity(db: Db, privacy: Privacy, logger?: Logger): void {
  const sqlite = db.$client;
  if (installed.has(sqlite)) return;
  const mac = (table: MacTable, values: readonly unknown[]) => privacy.rowMac(table, canonical(table, values));
  sqlite.function('row_mac', { varargs: true, deterministic: true }, (table: unknown, ...values: unknown[]) => {
    if (!isMacTable(table)) throw new Error(`row_mac: unknown table ${String(table)}`);
    return mac(table, values);
  });
  // Stamps the new values only if the old ones were intact: an update never launders a tampered row.
  sqlite.function('row_mac_restamp', { varargs: true, deterministic: true }, (oldMac: unknown, table: unknown, ...values: unknown[]) => {
    if (!isMacTable(table)) throw new Error(`row_mac_restamp: unknown table ${String(table)}`);
    const n = MAC_COLUMNS[table].length;
    return typeof oldMac === 'string' && oldMac === mac(table, values.slice(0, n)) ? mac(table, values.slice(n)) : oldMac;
  });
  for (const table of STAMPED_BY_TRIGGERS) {
    const columns = MAC_COLUMNS[table];
    const of = (row: 'NEW' | 'OLD') => columns.map((c) => `${row}."${c}"`).join(', ');
    sqlite.exec(`
      CREATE TEMP TRIGGER IF NOT EXISTS row_mac_${table}_insert AFTER INSERT ON main."${table}" BEGIN
        UPDATE main."${table}" SET mac = row_mac('${table}', ${of('NEW')}) WHERE rowid = NEW.rowid;
      END;
      CREATE TEMP TRIGGER IF NOT EXISTS row_mac_${table}_update AFTER UPDATE OF ${columns.map((c) => `"${c}"`).join(', ')} ON main."${table}" BEGIN
        UPDATE main."${table}" SET mac = row_mac_restamp(OLD.mac, '${table}', ${of('OLD')}, ${of('NEW')}) WHERE rowid = NEW.rowid;
      END;`);
  }
  const properties = Object.fromEntries(
    (Object.keys(MAC_COLUMNS) as MacTable[]).map((table) => {
      const byName = new Map(Object.entries(getTableColumns(TABLES[table])).map(([property, column]) => [column.name, property]));
      return [table, MAC_COLUMNS[table].map((name) => byName.get(name) ?? name)];
    }),
  ) as Record<MacTable, string[]>;
  installed.set(sqlite, { privacy, logger, properties });
}

/**
 * Stamps a row just written (by id) with its MAC. Call it in the transaction of the insert (or of an
 * update of a listed column), so no row is ever left without one.
 */
export function stampRow(db: Db, table: Exclude<MacTable, 'cases'>, id: number): void {
  const { privacy } = integrity(db);
  const row = statement(db, `SELECT * FROM "${table}" WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
  if (!row) return;
  const mac = privacy.rowMac(table, canonical(table, MAC_COLUMNS[table].map((name) => row[name])));
  statement(db, `UPDATE "${table}" SET mac = ? WHERE id = ?`).run(mac, id);
}

const statements = new WeakMap<Db['$client'], Map<string, Statement<unknown[]>>>();

/** A statement prepared once per connection (stamping and checking run for every outbox row). */
function statement(db: Db, sql: string): Statement<unknown[]> {
  let cache = statements.get(db.$client);
  if (!cache) statements.set(db.$client, (cache = new Map()));
  let prepared = cache.get(sql);
  if (!prepared) cache.set(sql, (prepared = db.$client.prepare(sql)));
  return prepared;
}

function integrity(db: Db): Installed {
  const found = installed.get(db.$client);
  if (!found) throw new Error('Row integrity is not installed on this database connection: call installRowIntegrity(db, privacy) first');
  return found;
}

/** Whether a row (as drizzle returns it, or with SQL column names when `sqlNames`) carries its own MAC. */
export function rowIntact(db: Db, table: MacTable, row: Record<string, unknown>, sqlNames = false): boolean {
  const { privacy, properties } = integrity(db);
  const names = sqlNames ? MAC_COLUMNS[table] : properties[table];
  const mac = row.mac;
  return typeof mac === 'string' && mac === privacy.rowMac(table, canonical(table, names.map((name) => row[name])));
}

/** Whether a case's routing (client, inbox, topic) is as the bot wrote it, and its client's sealed chat id is that client's own. */
export function caseIntact(db: Db, caseId: number): boolean {
  const row = statement(db, 'SELECT * FROM cases WHERE id = ?').get(caseId) as Record<string, unknown> | undefined;
  if (row === undefined || !rowIntact(db, 'cases', row, true)) return false;
  const client = statement(db, 'SELECT key, chat_ref FROM clients WHERE key = ?').get(row.client_key) as { key: string; chat_ref: string } | undefined;
  if (!client) return true; // erased meanwhile: what waits for the case goes nowhere anyway
  try {
    integrity(db).privacy.decryptChatId(client.chat_ref, CHAT_REF_BINDING.client(client.key));
    return true;
  } catch {
    return false;
  }
}

/**
 * Keeps the outbox rows that are intact and belong to an intact case; the others are deleted, never
 * sent, and logged by row id and kind (no client data).
 */
export function refuseForgedOutbox<T extends { id: number; caseId: number | null; kind: string }>(db: Db, rows: T[], raw?: Record<string, unknown>[]): T[] {
  if (rows.length === 0) return rows;
  const caseOk = new Map<number, boolean>();
  const refused: T[] = [];
  const kept = rows.filter((row, i) => {
    let ok = raw ? rowIntact(db, 'outbox', raw[i]!, true) : rowIntact(db, 'outbox', row);
    if (ok && row.caseId !== null) {
      if (!caseOk.has(row.caseId)) caseOk.set(row.caseId, caseIntact(db, row.caseId));
      ok = caseOk.get(row.caseId)!;
    }
    if (!ok) refused.push(row);
    return ok;
  });
  if (refused.length > 0) {
    const remove = db.$client.prepare('DELETE FROM outbox WHERE id = ?');
    db.$client.transaction(() => refused.forEach((row) => remove.run(row.id)))();
    for (const row of refused) {
      const why = row.caseId !== null && caseOk.get(row.caseId) === false ? "its case (or its client's chat reference) fails its integrity check" : 'it fails its integrity check';
      integrity(db).logger?.error({ outbox: row.id, kind: row.kind, case: row.caseId }, `an outbox row was refused, not sent: ${why} (was the database written without the bot?)`);
    }
  }
  return kept;
}

/** The marker that rows from before row integrity were stamped (once, at the upgrade). */
const UPGRADED = 'row-integrity:v1';

export interface LegacyStamping {
  chatRefs: number;
  rows: number;
}

/**
 * The upgrade to bound chat refs and row MACs, once: chat refs of the earlier format are sealed again
 * (fixed width, bound to their row), and rows without a MAC are stamped. After that (a marker in
 * job_state), a row without a MAC is refused, never stamped: whoever deletes the marker and the MACs
 * of a tampered database can have it stamped at the next start, which is why a backup from untrusted
 * storage must not be restored (README).
 */
export function stampLegacyRows(db: Db, privacy: Privacy): LegacyStamping {
  const sqlite = db.$client;
  installRowIntegrity(db, privacy);
  const done = sqlite.prepare('SELECT 1 FROM job_state WHERE key = ?').get(UPGRADED);
  if (done) return { chatRefs: 0, rows: 0 };
  return sqlite.transaction(() => {
    let chatRefs = 0;
    const legacy = (table: string, key: string) =>
      sqlite.prepare(`SELECT ${key} AS k, chat_ref AS ref FROM "${table}" WHERE chat_ref NOT LIKE 'c2.%'`).all() as { k: string | number; ref: string }[];
    const setClient = sqlite.prepare('UPDATE clients SET chat_ref = ? WHERE key = ?');
    for (const { k, ref } of legacy('clients', 'key')) {
      setClient.run(privacy.encryptChatId(privacy.openLegacyChatRef(ref), CHAT_REF_BINDING.client(String(k))), k);
      chatRefs++;
    }
    const setDeletion = sqlite.prepare('UPDATE pending_deletions SET chat_ref = ? WHERE id = ?');
    for (const { k, ref } of legacy('pending_deletions', 'id')) {
      setDeletion.run(privacy.encryptChatId(privacy.openLegacyChatRef(ref), CHAT_REF_BINDING.deletion), k);
      chatRefs++;
    }
    let rows = 0;
    for (const table of Object.keys(MAC_COLUMNS) as MacTable[]) {
      const columns = MAC_COLUMNS[table].map((c) => `"${c}"`).join(', ');
      rows += sqlite.prepare(`UPDATE "${table}" SET mac = row_mac('${table}', ${columns}) WHERE mac IS NULL`).run().changes;
    }
    sqlite.prepare('INSERT INTO job_state (key, value) VALUES (?, ?)').run(UPGRADED, new Date().toISOString().slice(0, 10));
    return { chatRefs, rows };
  })();
}
