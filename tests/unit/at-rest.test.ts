import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/db/connection.js';
import { conversationState, updateJournal } from '../../src/db/schema.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { isSealed } from '../../src/privacy/sealing.js';
import { conversationStorage } from '../../src/bot/conversations/storage.js';
import { sealLegacyRows } from '../../src/ops/seal-legacy-rows.js';
import type { Logger } from '../../src/logger.js';
import { databaseFiles, needlesFor, scanFiles, sqliteIntegerBytes } from '../support/byte-scan.js';

const secret = 'at-rest-secret-at-rest-secret-at-rest-01';
const person = { id: 7412598306, strings: ['zq_atrest_user', 'Зарина', 'Квондикова', 'Мефедрон третий день'] };
const mode = (path: string) => statSync(path).mode & 0o777;
const fakeLogger = () => ({ info: vi.fn(), warn: vi.fn() }) as unknown as Logger & { info: ReturnType<typeof vi.fn>; warn: ReturnType<typeof vi.fn> };

describe('the byte scan', () => {
  it('finds the id as text and as integers, and the strings in UTF-8 and UTF-16LE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scan-'));
    const db = new Database(join(dir, 'plain.db'));
    db.exec('CREATE TABLE t (n INTEGER, s TEXT)');
    db.prepare('INSERT INTO t VALUES (?, ?)').run(person.id, 'zq_atrest_user');
    db.close();
    const le = Buffer.alloc(8);
    le.writeBigInt64LE(BigInt(person.id));
    writeFileSync(join(dir, 'other.bin'), Buffer.concat([Buffer.from('Зарина', 'utf16le'), le, Buffer.from(`x${person.id}x`)]));
    const found = scanFiles([join(dir, 'plain.db'), join(dir, 'other.bin')], needlesFor(person)).map((f) => `${f.file}: ${f.needle}`);
    expect(found).toContain(`plain.db: id ${person.id} as SQLite's minimal big-endian integer`);
    expect(found).toContain('plain.db: "zq_atrest_user" (UTF-8)');
    expect(found).toContain('other.bin: "Зарина" (UTF-16LE)');
    expect(found).toContain(`other.bin: id ${person.id} as 8-byte little-endian`);
    expect(found).toContain(`other.bin: "${person.id}" (UTF-8)`);
    expect(sqliteIntegerBytes(person.id)).toHaveLength(6);
    expect(sqliteIntegerBytes(-1)).toEqual(Buffer.from([0xff]));
  });

  it('finds a deleted row in the WAL despite secure_delete (why the journal must be sealed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scan-'));
    const db = openDatabase(join(dir, 'bot.db'));
    db.insert(updateJournal).values({ updateId: 1, payload: JSON.stringify({ from: { id: person.id, username: 'zq_atrest_user' } }) }).run();
    db.delete(updateJournal).run();
    const found = scanFiles(databaseFiles(join(dir, 'bot.db')), needlesFor(person));
    expect(found.map((f) => f.file)).toContain('bot.db-wal');
    db.$client.close();
  });
});

describe('a -wal left behind by a crash', () => {
  it('is folded into the database at open, so the old page images of deleted rows go', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crash-wal-'));
    const live = openDatabase(join(dir, 'bot.db'));
    live.insert(updateJournal).values({ updateId: 1, payload: JSON.stringify({ from: { id: person.id, username: 'zq_atrest_user' } }) }).run();
    live.delete(updateJournal).run();
    // As after kill -9: the files as they are on disk while the process runs.
    mkdirSync(join(dir, 'after-crash'), { mode: 0o700 });
    for (const suffix of ['', '-wal', '-shm']) copyFileSync(join(dir, `bot.db${suffix}`), join(dir, 'after-crash', `bot.db${suffix}`));
    live.$client.close();
    const path = join(dir, 'after-crash', 'bot.db');
    expect(scanFiles(databaseFiles(path), needlesFor(person)).map((f) => f.file)).toContain('bot.db-wal');
    const db = openDatabase(path);
    expect(scanFiles(databaseFiles(path), needlesFor(person))).toEqual([]);
    closeDatabase(db);
  });
});

describe('sealed conversation state', () => {
  it('is written sealed, reads back, and a row moved to another client does not open (it is dropped)', () => {
    const db = openDatabase(':memory:');
    const privacy = createPrivacy(secret);
    const { adapter } = conversationStorage(db, privacy.conversations, () => undefined) as unknown as {
      adapter: { read(k: string): unknown; write(k: string, s: unknown): void };
    };
    const state = { version: [1, 1], state: { log: [{ from: { id: person.id, username: 'zq_atrest_user' }, text: 'Мефедрон третий день' }] } };
    adapter.write('key-a', state);
    const raw = db.select().from(conversationState).get()!.value;
    expect(isSealed(raw)).toBe(true);
    expect(raw).not.toContain('zq_atrest_user');
    expect(adapter.read('key-a')).toEqual(state);
    db.insert(conversationState).values({ key: 'key-b', value: raw, updatedAt: 0 }).run();
    expect(adapter.read('key-b')).toBeUndefined();
    expect(db.select().from(conversationState).all().map((r) => r.key)).toEqual(['key-a']);
  });
});

describe('upgrade from a version that wrote in clear', () => {
  it('seals old journal rows and conversation states in place, keeps them usable, and leaves no clear bytes in the files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'legacy-'));
    const path = join(dir, 'bot.db');
    const old = openDatabase(path);
    const update = { update_id: 41, message: { message_id: 3, date: 0, chat: { id: person.id, type: 'private' }, from: { id: person.id, is_bot: false, first_name: 'Зарина', last_name: 'Квондикова', username: 'zq_atrest_user' }, text: 'Мефедрон третий день' } };
    old.insert(updateJournal).values({ updateId: 41, payload: JSON.stringify(update) }).run();
    old.insert(conversationState).values({ key: 'key-a', value: JSON.stringify({ version: [1, 1], state: update }), updatedAt: 5 }).run();
    old.$client.close(); // the clear rows are on disk, as an earlier version left them
    expect(scanFiles(databaseFiles(path), needlesFor(person)).length).toBeGreaterThan(0);

    const db = openDatabase(path);
    const privacy = createPrivacy(secret);
    const logger = fakeLogger();
    sealLegacyRows(db, privacy, logger);
    expect(logger.info).toHaveBeenCalledWith({ journal: 1, conversations: 1 }, expect.any(String));
    const row = db.select().from(updateJournal).get()!;
    expect(JSON.parse(privacy.journal.open(row.payload, 'update_journal:41'))).toEqual(update);
    const state = db.select().from(conversationState).get()!;
    expect(JSON.parse(privacy.conversations.open(state.value, 'conversation_state:key-a')).state).toEqual(update);
    expect(scanFiles(databaseFiles(path), needlesFor(person))).toEqual([]);
    sealLegacyRows(db, privacy, logger); // the next start finds nothing to do
    expect(logger.info).toHaveBeenCalledTimes(1);
    closeDatabase(db);
    expect(scanFiles(databaseFiles(path), needlesFor(person))).toEqual([]);
  });
});

describe('file modes', () => {
  it('creates the folder 0700 and the database, its -wal and -shm 0600 (SQLite copies the file\'s mode)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'modes-')), 'data', 'deeper', 'bot.db');
    // Under the usual umask, SQLite alone would create 0644 files: the modes below are the bot's doing.
    const umask = process.umask(0o022);
    let db;
    try {
      db = openDatabase(path);
      db.insert(updateJournal).values({ updateId: 1, payload: 'x' }).run();
    } finally {
      process.umask(umask);
    }
    expect(mode(join(path, '..'))).toBe(0o700);
    expect(mode(join(path, '..', '..'))).toBe(0o700);
    expect(mode(path)).toBe(0o600);
    expect(mode(`${path}-wal`)).toBe(0o600);
    expect(mode(`${path}-shm`)).toBe(0o600);
    closeDatabase(db);
  });

  it('tightens a database and a folder of its own left open by an earlier version, and says so without paths', () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'modes-')), 'data');
    const path = join(folder, 'bot.db');
    mkdirSync(folder);
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE t (x)');
    chmodSync(path, 0o644);
    chmodSync(folder, 0o755);
    old.close();
    writeFileSync(`${path}-wal`, '');
    chmodSync(`${path}-wal`, 0o666);
    const logger = fakeLogger();
    const db = openDatabase(path, { logger });
    expect(mode(folder)).toBe(0o700);
    expect(mode(path)).toBe(0o600);
    expect(mode(`${path}-wal`)).toBe(0o600);
    expect(mode(`${path}-shm`)).toBe(0o600);
    expect(logger.warn).toHaveBeenCalledWith({ tightened: ['folder', 'database', 'wal'] }, expect.any(String));
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain(folder);
    closeDatabase(db);
  });

  it('leaves a shared folder as it is and warns, but still makes the files owner-only', () => {
    const folder = mkdtempSync(join(tmpdir(), 'modes-'));
    chmodSync(folder, 0o755);
    mkdirSync(join(folder, 'something-else'));
    const logger = fakeLogger();
    const db = openDatabase(join(folder, 'bot.db'), { logger });
    expect(mode(folder)).toBe(0o755);
    expect(mode(join(folder, 'bot.db'))).toBe(0o600);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/folder of its own/));
    closeDatabase(db);
  });
});
