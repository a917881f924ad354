import { clientChatId } from '../../src/db/clients.js';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, closeDatabase, openDatabase } from '../../src/db/connection.js';
import { ensureClient, findClient, forgetClient, setClientLanguage } from '../../src/db/clients.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { memoryDb } from '../support/db.js';

const privacy = createPrivacy('test-secret-test-secret-test-secret-42');

describe('database', () => {
  it('migrations and src/db/schema.ts agree (drizzle-kit generates nothing new)', () => {
    const out = mkdtempSync(join(tmpdir(), 'migrations-'));
    cpSync(MIGRATIONS_DIR, out, { recursive: true });
    const before = readdirSync(out).sort();
    const run = spawnSync('npx', ['drizzle-kit', 'generate'], { env: { ...process.env, DRIZZLE_OUT: relative(process.cwd(), out) }, encoding: 'utf8' });
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status, output).toBe(0);
    expect(readdirSync(out).sort(), `drizzle-kit generated a migration:\n${output}`).toEqual(before);
    expect(output).toMatch(/No schema changes/);
  }, 60_000);

  it('sets the pragmas that protect the data', () => {
    const dir = mkdtempSync(join(tmpdir(), 'db-'));
    const db = openDatabase(join(dir, 'sub', 'bot.db'));
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.$client.pragma('secure_delete', { simple: true })).toBe(1);
    expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
    closeDatabase(db);
  });

  it('creates a client with a pseudonym and an encrypted chat id, once', () => {
    const db = memoryDb();
    const key = privacy.clientKey(1001);
    const first = ensureClient(db, privacy, key, 1001);
    const again = ensureClient(db, privacy, key, 1001);
    expect(again.pseudonym).toBe(first.pseudonym);
    expect(clientChatId(privacy, first)).toBe(1001);
    expect(first.lastSeenOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('forgets a client completely and reports what went', () => {
    const db = memoryDb();
    const key = privacy.clientKey(2002);
    const { pseudonym } = ensureClient(db, privacy, key, 2002);
    setClientLanguage(db, key, 'kk');
    expect(forgetClient(db, key)).toEqual({ pseudonym, hadLanguage: true, rows: { clients: 1 }, caseIds: [], inboxes: {} });
    expect(findClient(db, key)).toBeUndefined();
    expect(forgetClient(db, key)).toBeNull();
  });

  it('leaves no trace of an erased client in the WAL either, while the database is still open', () => {
    const dir = mkdtempSync(join(tmpdir(), 'db-'));
    const path = join(dir, 'bot.db');
    const db = openDatabase(path);
    const key = privacy.clientKey(4004);
    const { pseudonym } = ensureClient(db, privacy, key, 4004);
    const files = () => Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
    expect(files().includes(Buffer.from(pseudonym))).toBe(true);
    forgetClient(db, key);
    expect(files().includes(Buffer.from(pseudonym))).toBe(false);
    expect(files().includes(Buffer.from(key))).toBe(false);
    closeDatabase(db);
  });

  it('leaves no trace of an erased client in the database file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'db-'));
    const path = join(dir, 'bot.db');
    const db = openDatabase(path);
    const key = privacy.clientKey(3003);
    const { pseudonym } = ensureClient(db, privacy, key, 3003);
    closeDatabase(db);
    expect(readFileSync(path).includes(Buffer.from(pseudonym))).toBe(true);
    const reopened = openDatabase(path);
    forgetClient(reopened, key);
    closeDatabase(reopened);
    const bytes = readFileSync(path);
    expect(bytes.includes(Buffer.from(key))).toBe(false);
    expect(bytes.includes(Buffer.from(pseudonym))).toBe(false);
  });
});
