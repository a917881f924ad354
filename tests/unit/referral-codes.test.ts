import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { ensureClient, forgetClient } from '../../src/db/clients.js';
import { referralCodes } from '../../src/db/schema.js';
import { openCase } from '../../src/inbox/cases.js';
import {
  CODE_ALPHABET,
  codeStatus,
  codesOfCase,
  formatCode,
  issueCode,
  normalizeCode,
  pickupsSince,
  randomCode,
  recordOutcome,
  redeemCode,
  scrubOldCodes,
} from '../../src/inbox/referral-codes.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { memoryDb } from '../support/db.js';

const privacy = createPrivacy('codes-secret-codes-secret-codes-secret-1');
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1, 9, 37);

function client(db: ReturnType<typeof memoryDb>, id: number): string {
  const key = privacy.clientKey(id);
  ensureClient(db, privacy, key, id);
  return key;
}

describe('referral codes', () => {
  it('are six characters from an alphabet without look-alikes, shown as XXX-XXX', () => {
    for (const ambiguous of '0O1IL5S2Z8B') expect(CODE_ALPHABET).not.toContain(ambiguous);
    const codes = new Set(Array.from({ length: 2000 }, randomCode));
    expect(codes.size).toBeGreaterThan(1990);
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{6}$`));
    expect(formatCode('K7QM4X')).toBe('K7Q-M4X');
  });

  it('reads what a partner types: lower case, spaces, dashes, Cyrillic look-alikes', () => {
    expect(normalizeCode('k7q-m4x')).toBe('K7QM4X');
    expect(normalizeCode(' K7Q M4X ')).toBe('K7QM4X');
    expect(normalizeCode('К7Q-М4Х')).toBe('K7QM4X'); // Cyrillic К, М, Х
    expect(normalizeCode('K7Q-M4')).toBeUndefined();
    expect(normalizeCode('K0Q-M4X')).toBeUndefined(); // 0 is never in a code
    expect(normalizeCode('hello there')).toBeUndefined();
  });

  it('redeem once: valid, then used; expired and unknown codes are refused', () => {
    const db = memoryDb();
    const key = client(db, 1);
    const code = issueCode(db, { type: 'hiv-test', place: 'almaty', source: 'staff', clientKey: key, now: NOW, validDays: 14 });
    expect(code.issuedHour % 3_600_000).toBe(0); // the hour only
    expect(codeStatus(code, NOW)).toBe('valid');
    expect(redeemCode(db, code.code, NOW + DAY).status).toBe('redeemed');
    const again = redeemCode(db, code.code, NOW + 2 * DAY);
    expect(again.status).toBe('used');
    const old = issueCode(db, { type: 'naloxone', place: null, source: 'pickup', clientKey: key, now: NOW, validDays: 3 });
    expect(redeemCode(db, old.code, old.expiresAt).status).toBe('expired'); // valid through its last day, not a moment longer
    expect(codeStatus(db.select().from(referralCodes).all().find((c) => c.id === old.id)!, NOW + 4 * DAY)).toBe('expired');
    expect(redeemCode(db, 'AAAAAA', NOW).status).toBe('unknown');
  });

  it('keep no moment of issue finer than the hour in any column: the expiry is the end of a day, from the rounded hour', () => {
    const db = memoryDb();
    // Two codes issued at different moments of one hour (what a seized phone shows for the code message), redeemed and forgotten alike.
    const moments = [Date.UTC(2026, 10, 3, 14, 3, 27, 412), Date.UTC(2026, 10, 3, 14, 48, 10, 1)];
    const rows = moments.map((issuedAt, i) => {
      const key = client(db, i + 1);
      const code = issueCode(db, { type: 'hiv-test', place: 'almaty', source: 'staff', clientKey: key, now: issuedAt, validDays: 14, timeZone: 'Asia/Almaty' });
      redeemCode(db, code.code, issuedAt + 3 * DAY);
      recordOutcome(db, code.id, 'treatment-started');
      forgetClient(db, key);
      return db.select().from(referralCodes).all().find((r) => r.id === code.id)!;
    });
    // No column tells the two apart (but the id and the code itself, which are random or a counter).
    const { id: _a, code: _b, ...first } = rows[0]!;
    const { id: _c, code: _d, ...second } = rows[1]!;
    expect(second).toEqual(first);
    // Valid to the end of the 14th day after, Almaty time: the day shown to the client is the last valid one.
    expect(new Date(first.expiresAt + 1).toISOString()).toBe('2026-11-17T19:00:00.000Z'); // midnight in Almaty (UTC+5)
  });

  it('records one outcome from a redeemed code only', () => {
    const db = memoryDb();
    const key = client(db, 1);
    const code = issueCode(db, { type: 'hiv-test', place: null, source: 'staff', clientKey: key, now: NOW, validDays: 14 });
    expect(recordOutcome(db, code.id, 'tested')).toBe(false); // not redeemed yet
    redeemCode(db, code.code, NOW);
    expect(recordOutcome(db, code.id, 'tested')).toBe(true);
    expect(recordOutcome(db, code.id, 'counselled')).toBe(false);
  });

  it('two connections redeeming the same codes at once: each code is redeemed exactly once', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'codes-')), 'bot.db');
    const a = openDatabase(path);
    const b = openDatabase(path, { migrate: false });
    const key = client(a, 1);
    const codes = Array.from({ length: 200 }, () => issueCode(a, { type: 'naloxone', place: null, source: 'pickup', clientKey: key, now: NOW, validDays: 14 }).code);
    let won = 0;
    for (const code of codes) for (const db of code.charCodeAt(0) % 2 ? [a, b] : [b, a]) if (redeemCode(db, code, NOW).status === 'redeemed') won++;
    expect(won).toBe(codes.length);
    a.$client.close();
    b.$client.close();
  });

  it('RETENTION_DAYS after expiry the code itself is scrubbed; the anonymous row stays', () => {
    const db = memoryDb();
    const key = client(db, 1);
    const old = issueCode(db, { type: 'hiv-test', place: 'almaty', source: 'staff', clientKey: key, now: NOW, validDays: 14 });
    const fresh = issueCode(db, { type: 'naloxone', place: null, source: 'pickup', clientKey: key, now: NOW + 20 * DAY, validDays: 14 });
    redeemCode(db, old.code, NOW + DAY);
    expect(scrubOldCodes(db, old.expiresAt + 30 * DAY - 1, 30)).toBe(0);
    expect(scrubOldCodes(db, old.expiresAt + 30 * DAY + 1, 30)).toBe(1);
    const rows = db.select().from(referralCodes).all();
    expect(rows.find((r) => r.id === old.id)).toMatchObject({ code: `-${old.id}`, clientKey: null, type: 'hiv-test', place: 'almaty' });
    expect(rows.find((r) => r.id === old.id)!.redeemedHour).not.toBeNull();
    expect(rows.find((r) => r.id === fresh.id)).toMatchObject({ code: fresh.code, clientKey: key });
    expect(redeemCode(db, old.code, NOW + 50 * DAY).status).toBe('unknown');
    expect(scrubOldCodes(db, NOW + 100 * DAY, 30)).toBe(1); // only the fresh one, now old too
  });

  it('/forget unlinks the codes at once; the anonymous rows stay for the figures', () => {
    const db = memoryDb();
    const key = client(db, 1);
    const opened = openCase(db, { clientKey: key, topic: 'hiv', inbox: 'main', urgent: false, now: NOW });
    issueCode(db, { type: 'hiv-test', place: null, source: 'staff', clientKey: key, caseId: opened.case.id, now: NOW, validDays: 14 });
    issueCode(db, { type: 'naloxone', place: null, source: 'pickup', clientKey: key, now: NOW, validDays: 14 });
    expect(codesOfCase(db, opened.case.id)).toHaveLength(1);
    expect(pickupsSince(db, key, NOW - DAY)).toBe(1);
    forgetClient(db, key);
    const rows = db.select().from(referralCodes).all();
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.clientKey === null && r.caseId === null)).toBe(true);
    expect(pickupsSince(db, key, NOW - DAY)).toBe(0);
  });
});
