/**
 * Scenario 6: partners redeeming under load. `codes` codes are seeded; `partners` partners (half in the
 * partners chat, half privately, which costs a getChatMember each) send every code twice in all, two
 * different partners per code, all at once. Counted: answers "valid" and "already used" per code (each
 * code must be redeemed exactly once), codes redeemed in the database, and redemptions per second.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { startBot } from '../support/bot-process.js';
import { closeDatabase, openDatabase } from '../../src/db/connection.js';
import { ensureClient } from '../../src/db/clients.js';
import { referralCodes } from '../../src/db/schema.js';
import { formatCode, issueCode } from '../../src/inbox/referral-codes.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { SECRET, botEnv, sleep } from './harness.js';

export interface RedeemFigures {
  codes: number;
  attempts: number;
  /** Codes with exactly one "valid" answer and one "already used". */
  correct: number;
  /** Codes answered "valid" more than once (must be 0). */
  twice: number;
  redeemedInDb: number;
  perSecond: number;
}

export async function redeemUnderLoad(options: { codes: number; partners: number }): Promise<RedeemFigures> {
  const fake = await FakeTelegram.start();
  const databasePath = join(mkdtempSync(join(tmpdir(), 'bench-redeem-')), 'bot.db');
  const consultant = fake.createUser({ first_name: 'Consultant' });
  const staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [consultant] });
  const partners = Array.from({ length: options.partners }, (_, i) => fake.createUser({ first_name: `Partner${i}` }));
  const group = fake.createSupergroup({ title: 'Partners', members: partners });

  const db = openDatabase(databasePath);
  const privacy = createPrivacy(SECRET);
  const key = privacy.clientKey(1);
  ensureClient(db, privacy, key, 1);
  const codes = db.$client.transaction(() =>
    Array.from({ length: options.codes }, () => formatCode(issueCode(db, { type: 'naloxone', place: null, source: 'pickup', clientKey: key, now: Date.now(), validDays: 14 }).code)),
  )();
  closeDatabase(db);

  const bot = await startBot(botEnv(fake, staff.id, databasePath, { PARTNERS_CHAT_ID: String(group.id), OUTGOING_PACING: 'off' }), { timeoutMs: 60_000 });
  const valid = new Map<string, number>();
  const used = new Map<string, number>();
  const unsubscribe = fake.onCall((call) => {
    if (!call.ok || call.method !== 'sendMessage') return;
    const text = String(call.params.text ?? '');
    const code = /[A-Z0-9]{3}-[A-Z0-9]{3}/.exec(text)?.[0];
    if (!code) return;
    if (text.includes('✅')) valid.set(code, (valid.get(code) ?? 0) + 1);
    if (text.includes('⚠️')) used.set(code, (used.get(code) ?? 0) + 1);
  });

  const started = performance.now();
  codes.forEach((code, i) => {
    const a = i % options.partners;
    const b = (i + 1 + (i % (options.partners - 1))) % options.partners; // another partner
    for (const p of [a, b === a ? (a + 1) % options.partners : b]) {
      const partner = partners[p]!;
      if (p % 2 === 0) fake.sendText(partner, `/redeem ${code}`, { chatId: group.id });
      else fake.sendText(partner, `/redeem ${code}`); // privately: membership checked with Telegram
    }
  });
  const attempts = codes.length * 2;
  const end = Date.now() + 180_000;
  while ([...valid.values(), ...used.values()].reduce((s, n) => s + n, 0) < attempts && Date.now() < end) await sleep(20);
  const seconds = (performance.now() - started) / 1000;
  unsubscribe();
  await bot.stop();

  const check = openDatabase(databasePath, { migrate: false });
  const redeemedInDb = check.select().from(referralCodes).all().filter((c) => c.redeemedHour !== null).length;
  closeDatabase(check);
  await fake.stop();
  return {
    codes: codes.length,
    attempts,
    correct: codes.filter((c) => valid.get(c) === 1 && used.get(c) === 1).length,
    twice: codes.filter((c) => (valid.get(c) ?? 0) > 1).length,
    redeemedInDb,
    perSecond: attempts / seconds,
  };
}
