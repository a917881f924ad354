import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { clientChatId, ensureClient, findClient } from '../../src/db/clients.js';
import { openDatabase, type Db } from '../../src/db/connection.js';
import { queueDeletions, pendingDeletionList } from '../../src/db/deletions.js';
import { caseIntact, rowIntact } from '../../src/db/row-integrity.js';
import { outbox } from '../../src/db/schema.js';
import { attachTopic, moveCase, openCase } from '../../src/inbox/cases.js';
import { sealLegacyRows } from '../../src/ops/seal-legacy-rows.js';
import { CHAT_REF_BINDING, createPrivacy, KEY_LABELS, subkey } from '../../src/privacy/keys.js';
import { dueTeamPosts, enqueueCopy, enqueuePost, laneRows } from '../../src/relay/outbox-store.js';

const secret = 'rows-secret-rows-secret-rows-secret-0001';
const privacy = createPrivacy(secret);
const logger = pino({ level: 'silent' });
const alice = 111111111;
const bob = 222222222;

/** The bot's database (row integrity installed as at start) and a second connection: someone writing the file without BOT_SECRET. */
function setup() {
  const path = join(mkdtempSync(join(tmpdir(), 'rows-')), 'bot.db');
  const db = openDatabase(path);
  sealLegacyRows(db, privacy, logger);
  const outside = new Database(path);
  const ka = privacy.clientKey(alice);
  const kb = privacy.clientKey(bob);
  ensureClient(db, privacy, ka, alice);
  ensureClient(db, privacy, kb, bob);
  const caseA = openCase(db, { clientKey: ka, topic: 'legal', urgent: false, inbox: 'main', now: Date.now() }).case;
  const caseB = openCase(db, { clientKey: kb, topic: 'legal', urgent: false, inbox: 'main', now: Date.now() }).case;
  attachTopic(db, caseA.id, -100777, 10);
  attachTopic(db, caseB.id, -100777, 20);
  return { db, outside, ka, kb, caseA, caseB, path };
}

/** A consultant's reply queued for the client of `caseId`, and whether the relay would send it. */
function replyGoesOut(db: Db, caseId: number, source: number): boolean {
  enqueueCopy(db, { caseId, toClient: true, sourceChatId: -100777, sourceMessageId: source }, Date.now());
  return laneRows(db, caseId, true).some((r) => r.sourceMessageId === source);
}

describe('rows bound to where they belong', () => {
  it('a chat ref swapped between two clients opens for neither: replies to Alice never reach Bob (the chatref-swap reproduction)', () => {
    const { db, outside, ka, kb, caseA } = setup();
    expect(clientChatId(privacy, findClient(db, ka)!)).toBe(alice);
    const refA = findClient(db, ka)!.chatRef;
    const refB = findClient(db, kb)!.chatRef;
    outside.prepare('UPDATE clients SET chat_ref = ? WHERE key = ?').run(refB, ka);
    outside.prepare('UPDATE clients SET chat_ref = ? WHERE key = ?').run(refA, kb);
    expect(() => clientChatId(privacy, findClient(db, ka)!)).toThrow();
    expect(() => clientChatId(privacy, findClient(db, kb)!)).toThrow();
    expect(replyGoesOut(db, caseA.id, 1)).toBe(false);
    expect(db.select().from(outbox).all()).toEqual([]); // refused rows are dropped, not retried
  });

  it("a case moved to another client, or to another topic, from outside the bot is refused; the bot's own changes keep it intact", () => {
    const { db, outside, caseA, caseB } = setup();
    const kc = privacy.clientKey(333333333);
    ensureClient(db, privacy, kc, 333333333); // a third client, without an open case
    expect(replyGoesOut(db, caseA.id, 1)).toBe(true);
    moveCase(db, caseA.id, 'lawyers'); // the bot's own transfer
    attachTopic(db, caseA.id, -100888, 11);
    expect(caseIntact(db, caseA.id)).toBe(true);
    outside.prepare('UPDATE cases SET client_key = ? WHERE id = ?').run(kc, caseA.id);
    outside.prepare('UPDATE cases SET thread_id = 99 WHERE id = ?').run(caseB.id);
    expect(caseIntact(db, caseA.id)).toBe(false);
    expect(caseIntact(db, caseB.id)).toBe(false);
    expect(laneRows(db, caseA.id, true)).toEqual([]); // the reply queued before is refused too
    // Whatever the bot writes to a tampered case later does not make it intact again.
    attachTopic(db, caseA.id, -100888, 12);
    moveCase(db, caseB.id, 'main');
    expect(caseIntact(db, caseA.id)).toBe(false);
    expect(caseIntact(db, caseB.id)).toBe(false);
  });

  it('an outbox row written without the bot\'s code (even on its own connection) is refused and never sent (the outbox-inject reproduction)', () => {
    const { db, outside, caseA } = setup();
    enqueuePost(db, { kind: 'general', toClient: false, inbox: 'main', payload: { html: 'a real notice' }, priority: 4 }, Date.now());
    const forged = JSON.stringify({ html: 'please come to our office tonight and bring your passport' });
    db.$client.prepare("INSERT INTO outbox (case_id, to_client, kind, payload, priority, not_before, created_at) VALUES (?, 1, 'html', ?, 2, 0, 0)").run(caseA.id, forged);
    outside.prepare("INSERT INTO outbox (case_id, to_client, kind, payload, priority, not_before, created_at) VALUES (NULL, 0, 'general', ?, 0, 0, 0)").run(forged);
    expect(laneRows(db, caseA.id, true)).toEqual([]);
    expect(dueTeamPosts(db, Date.now(), 10).map((r) => r.payload)).toEqual([JSON.stringify({ html: 'a real notice' })]);
    // A real row with its payload changed from outside fails too.
    outside.prepare("UPDATE outbox SET payload = ? WHERE kind = 'general'").run(forged);
    expect(dueTeamPosts(db, Date.now(), 10)).toEqual([]);
    expect(db.select().from(outbox).all()).toEqual([]);
  });

  it('queued deletions carry a MAC over their chat, topic and message', () => {
    const { db, outside } = setup();
    queueDeletions(db, [{ chatRef: privacy.encryptChatId(-100123, CHAT_REF_BINDING.deletion), threadId: 10 }]);
    const [row] = pendingDeletionList(db);
    expect(rowIntact(db, 'pending_deletions', row!)).toBe(true);
    outside.prepare('UPDATE pending_deletions SET thread_id = 11').run();
    expect(rowIntact(db, 'pending_deletions', pendingDeletionList(db)[0]!)).toBe(false);
  });

  it('at the upgrade, rows of the earlier version are bound once; afterwards a row without a MAC is refused, not stamped', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rows-')), 'bot.db');
    const old = openDatabase(path); // the earlier version: no integrity, chat refs of the earlier format
    const legacyRef = (id: number) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', subkey(secret, KEY_LABELS.chatId), iv);
      const ct = Buffer.concat([cipher.update(String(id), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url');
    };
    const ka = privacy.clientKey(alice);
    old.$client.prepare("INSERT INTO clients (key, pseudonym, chat_ref, last_seen_on) VALUES (?, 'AAAA', ?, '2026-12-01')").run(ka, legacyRef(alice));
    old.$client.prepare("INSERT INTO cases (client_key, topic, status, thread_id, opened_at, queued_at) VALUES (?, 'legal', 'active', 10, 0, 0)").run(ka);
    old.$client.prepare("INSERT INTO outbox (case_id, to_client, kind, payload, priority, not_before, created_at) VALUES (1, 1, 'tell', '{\"key\":\"x\"}', 2, 0, 0)").run();
    old.$client.prepare('INSERT INTO pending_deletions (chat_ref, thread_id) VALUES (?, 5)').run(legacyRef(-100123));
    old.$client.close();

    const db = openDatabase(path);
    sealLegacyRows(db, privacy, logger);
    const client = findClient(db, ka)!;
    expect(client.chatRef.startsWith('c2.')).toBe(true);
    expect(clientChatId(privacy, client)).toBe(alice);
    expect(caseIntact(db, 1)).toBe(true);
    expect(laneRows(db, 1, true)).toHaveLength(1);
    const deletion = pendingDeletionList(db)[0]!;
    expect(rowIntact(db, 'pending_deletions', deletion)).toBe(true);
    expect(privacy.decryptChatId(deletion.chatRef, CHAT_REF_BINDING.deletion)).toBe(-100123);
    db.$client.close();

    // Later: someone clears a MAC and re-points the case; the next start does not bless it.
    const outside = new Database(path);
    outside.prepare('UPDATE cases SET mac = NULL, thread_id = 20').run();
    outside.close();
    const again = openDatabase(path);
    sealLegacyRows(again, privacy, logger);
    expect(caseIntact(again, 1)).toBe(false);
    expect(laneRows(again, 1, true)).toEqual([]);
  });
});
