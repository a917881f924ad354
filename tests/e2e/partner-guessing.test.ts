import { afterAll, beforeAll, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { FakeTelegram, type Chat, type User } from '../../src/sandbox/telegram-sim/index.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { CODE_ALPHABET, formatCode, issueCode } from '../../src/inbox/referral-codes.js';
import { ensureClient } from '../../src/db/clients.js';
import { referralCodes } from '../../src/db/schema.js';
import { buttons } from '../support/chat.js';
import { until } from '../support/wait.js';

/**
 * L2: a partner who guesses codes is stopped after 10 unknown codes within an hour (each hit would use
 * up a real client's code), the team is told once, and an outcome button only works under its own answer.
 */
let fake: FakeTelegram;
let bot: InProcessBot;
let staff: Chat;
let partners: Chat;
let pharmacist: User;
let nurse: User;
const text = (chatId: number) => fake.botMessages(chatId).map((m) => String(m.text ?? ''));

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  pharmacist = fake.createUser({ first_name: 'Pharma', username: 'pharma_guess' });
  nurse = fake.createUser({ first_name: 'Nurse' });
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [] });
  partners = fake.createSupergroup({ title: 'Partners', members: [pharmacist, nurse] });
  bot = await startInProcessBot({ BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, STAFF_CHAT_ID: String(staff.id), PARTNERS_CHAT_ID: String(partners.id), DEFAULT_LANGUAGE: 'en' });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

function realCode(i: number): string {
  const privacy = bot.created.privacy;
  const key = privacy.clientKey(910_000 + i);
  ensureClient(bot.db, privacy, key, 910_000 + i);
  return issueCode(bot.db, { type: 'hiv-test', place: null, source: 'staff', clientKey: key, now: Date.now(), validDays: 14 }).code;
}

function guess(i: number): string {
  let g = '';
  for (let j = 0; j < 6; j++) g += CODE_ALPHABET[(i * 7 + j * 13 + i * j) % CODE_ALPHABET.length];
  return g;
}

it('pauses a guessing partner after 10 unknown codes in an hour, without using up a real code, and tells the team once', async () => {
  const real = realCode(1);
  for (let i = 0; i < 10; i++) fake.sendText(pharmacist, `/redeem ${formatCode(guess(i))}`, { chatId: partners.id });
  await until(() => text(partners.id).filter((t) => /There is no code/.test(t)).length === 10, 'ten "no such code" answers');
  // The 11th try, even with a real code, is not looked at: the code stays unused for its client.
  fake.sendText(pharmacist, `/redeem ${formatCode(real)}`, { chatId: partners.id });
  fake.sendText(pharmacist, formatCode(guess(99)), { chatId: partners.id });
  await until(() => text(partners.id).find((t) => /Too many unknown codes from you/.test(t)), 'the pause');
  await new Promise((r) => setTimeout(r, 500));
  expect(text(partners.id).filter((t) => /Too many unknown codes/.test(t))).toHaveLength(1); // once a minute, not per try
  expect(bot.db.select().from(referralCodes).all().find((c) => c.code === real)?.redeemedHour).toBeNull();
  expect(text(partners.id).some((t) => /is valid/.test(t))).toBe(false);
  // The team learns it once, naming the partner account (not a client).
  const alert = await until(() => text(staff.id).find((t) => /A partner account/.test(t)), 'the alert in General');
  expect(alert).toMatch(/\(Pharma \(@pharma_guess\)\) entered 10 unknown codes within an hour/);

  // Another partner is not affected.
  fake.sendText(nurse, `/redeem ${formatCode(real)}`, { chatId: partners.id });
  await until(() => text(partners.id).find((t) => /is valid and is now marked as used/.test(t)), 'the nurse redeems it');
  expect(text(staff.id).filter((t) => /A partner account/.test(t))).toHaveLength(1);
}, 60_000);

it("an outcome button works only under its own code's answer: a forged rc:o query for another code changes nothing", async () => {
  const mine = realCode(2);
  const other = realCode(3);
  const otherId = bot.db.select().from(referralCodes).all().find((c) => c.code === other)!.id;
  fake.sendText(nurse, `/redeem ${formatCode(mine)}`, { chatId: partners.id });
  const answer = await until(() => fake.botMessages(partners.id).find((m) => String(m.text).includes(formatCode(mine)) && buttons(m).length > 0), 'the answer with outcome buttons');
  // The other code was redeemed elsewhere (privately, by the pharmacist's colleague): nobody here may set its outcome.
  bot.db.update(referralCodes).set({ redeemedHour: Date.now() - (Date.now() % 3_600_000) }).where(eq(referralCodes.id, otherId)).run();
  fake.pushUpdate({ callback_query: { id: 'forged-outcome', from: { ...nurse }, chat_instance: '1', data: `rc:o:${otherId}:treatment-started`, message: answer } });
  await until(() => fake.callbackAnswer('forged-outcome'), 'the forged query answered');
  expect(bot.db.select().from(referralCodes).all().find((c) => c.code === other)?.outcome).toBeNull();
  // The genuine button still works.
  const own = buttons(answer).find((b) => b.endsWith(':tested'))!;
  const press = fake.pressButton(nurse, answer, own);
  await until(() => fake.callbackAnswer(press)?.text === 'Saved, thank you.', 'the outcome saved');
  expect(bot.db.select().from(referralCodes).all().find((c) => c.code === mine)?.outcome).toBe('tested');
}, 30_000);
