import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Message } from '../../src/sandbox/telegram-sim/index.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { until } from '../support/wait.js';
import { buttons, chatHelpers } from '../support/chat.js';
import { referralCodes } from '../../src/db/schema.js';

/**
 * Referral and pick-up codes through Telegram (the real bot over HTTP against the fake Bot API, in this
 * process so the test owns the clock): a consultant issues a code, the client receives it with the place,
 * partners redeem it once (also two at once), expiry, strangers, pick-up limits, /forget in between.
 */

let fake: FakeTelegram;
let bot: InProcessBot;
type User = ReturnType<FakeTelegram['createUser']>;
type Chat = ReturnType<FakeTelegram['createSupergroup']>;
let staff: Chat;
let partners: Chat;
let anna: User;
let pharmacist: User;
let nurse: User;
const DAY = 86_400_000;
let now = Date.UTC(2026, 11, 1, 6, 0);

const textOf = (m: Message) => String(m.text ?? m.caption ?? '');
const CODE = /Your code: ([A-Z0-9]{3}-[A-Z0-9]{3})/;

async function sees(chatId: number, pattern: RegExp): Promise<Message> {
  for (;;) {
    const m = await fake.nextBotMessage(chatId, { timeoutMs: 10_000 });
    if (pattern.test(textOf(m))) return m;
  }
}

const { withButton, intake } = chatHelpers(() => fake);

/** A client with an open case (taken by Anna); returns the case's topic. */
async function caseFor(client: User): Promise<number> {
  const before = fake.chat(staff.id).topics.length;
  await intake(client, 'hiv');
  await sees(client.id, /You are in the queue|Ты в очереди/);
  // The topic is made by the relay a moment after the client is told: wait for this case's own.
  const threadId = await until(() => (fake.chat(staff.id).topics.length > before ? fake.chat(staff.id).topics.at(-1)!.message_thread_id : undefined), 'the topic');
  fake.sendText(anna, '/take', { chatId: staff.id, threadId });
  await sees(client.id, /has joined the conversation|подключается к разговору/);
  return threadId;
}

/** The consultant issues a code in the topic; returns it as the client received it. */
async function issue(client: User, threadId: number, args: string): Promise<{ code: string; message: Message }> {
  fake.sendText(anna, `/code ${args}`, { chatId: staff.id, threadId });
  const message = await sees(client.id, CODE);
  return { code: CODE.exec(textOf(message))![1]!, message };
}

const card = (threadId: number) => fake.messages(staff.id).find((m) => m.message_thread_id === threadId && /case #/.test(textOf(m)));

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  anna = fake.createUser({ first_name: 'Anna' });
  pharmacist = fake.createUser({ first_name: 'Pharma', username: 'pharmacist_p' });
  nurse = fake.createUser({ first_name: 'Nurse', username: 'nurse_n' });
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [anna] });
  partners = fake.createSupergroup({ title: 'Partners', members: [pharmacist, nurse] });
  bot = await startInProcessBot({
    BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    STAFF_CHAT_ID: String(staff.id),
    PARTNERS_CHAT_ID: String(partners.id),
    DEFAULT_LANGUAGE: 'en',
    CODE_VALID_DAYS: '10',
    PICKUP_LIMIT: '2',
    PICKUP_PERIOD_DAYS: '30',
    // The shipped directory is sample data; codes name a place only when samples are shown on purpose
    // (content-lists.test.ts walks every screen without it and finds no placeholder, codes included).
    SHOW_SAMPLE_SERVICES: 'true',
  });
  await bot.tickAt(new Date(now));
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('referral codes, end to end', () => {
  it('issue → the client gets code, place and hours → a partner redeems it once → the card shows it', async () => {
    const client = fake.createUser({ first_name: 'Secretname', username: 'secret_user_r', language_code: 'ru' });
    const threadId = await caseFor(client);

    fake.sendText(anna, '/code', { chatId: staff.id, threadId });
    expect(textOf(await sees(staff.id, /Usage: \/code TYPE/))).toMatch(/hiv-test.*Places: .*almaty/s);
    fake.sendText(anna, '/code tarot', { chatId: staff.id, threadId });
    await sees(staff.id, /Unknown type “tarot”/);

    // The client gets it in their language, with the place's entry (addresses, hours) and what to say.
    fake.sendText(anna, '/code hiv-test almaty', { chatId: staff.id, threadId });
    const delivered = await sees(client.id, /Твой код: [A-Z0-9]{3}-[A-Z0-9]{3}/);
    const code = /Твой код: (\S+)/.exec(textOf(delivered))![1]!;
    expect(code).toMatch(/^[34679ACDEFGHJKMNPQRTUVWXY]{3}-[34679ACDEFGHJKMNPQRTUVWXY]{3}$/);
    expect(textOf(delivered)).toMatch(/тест на ВИЧ.*Алматы.*Действует до: 2026-12-11.*Покажи этот код/s);
    await until(() => fake.botMessages(client.id).find((m) => /Часы работы|Адрес/.test(textOf(m))), "the place's addresses and hours");
    await sees(staff.id, /one-time code for hiv-test \(almaty\) was sent/);
    // The card lists it: type, place, status; never the code itself.
    await until(() => /hiv-test · almaty · ⏳ not used yet/.test(textOf(card(threadId)!)), 'the card lists the code');
    expect(textOf(card(threadId)!)).not.toContain(code);

    // A partner in the partners chat redeems it (written by hand, lower case, with a space).
    fake.sendText(pharmacist, `/redeem ${code.toLowerCase().replace('-', ' ')}`, { chatId: partners.id });
    const valid = await sees(partners.id, /is valid and is now marked as used/);
    expect(textOf(valid)).toMatch(new RegExp(`${code} is valid.*For: HIV and hepatitis test.*Place: Almaty`, 's'));
    expect(buttons(valid)).toContain(`rc:o:1:tested`);
    await until(() => /hiv-test · almaty · ✅ redeemed/.test(textOf(card(threadId)!)), 'the card shows it redeemed');

    // The outcome, from the fixed list, once.
    const press = fake.pressButton(pharmacist, valid, 'rc:o:1:tested');
    await until(() => fake.callbackAnswer(press)?.text === 'Saved, thank you.', 'the outcome saved');
    expect(bot.db.select().from(referralCodes).all()[0]?.outcome).toBe('tested');

    // The bare code again, from the other partner: already used.
    fake.sendText(nurse, code, { chatId: partners.id });
    expect(textOf(await sees(partners.id, /was already used/))).toMatch(/cannot be used twice/);

    // Partners learn nothing about the client: no name, username, id or pseudonym.
    const toPartners = JSON.stringify(fake.calls.filter((c) => c.params.chat_id === partners.id));
    const pseudonym = /Client ([2-9A-Z]{4})/.exec(textOf(card(threadId)!))![1]!;
    for (const secret of ['Secretname', 'secret_user_r', String(client.id), pseudonym]) expect(toPartners).not.toContain(secret);
  }, 60_000);

  it('two partners redeem the same code at the same moment: exactly one succeeds', async () => {
    const client = fake.createUser({ first_name: 'Race', language_code: 'en' });
    const threadId = await caseFor(client);
    const { code } = await issue(client, threadId, 'naloxone');
    fake.sendText(pharmacist, `/redeem ${code}`, { chatId: partners.id });
    fake.sendText(nurse, `/redeem ${code}`); // privately: a member of the partners chat
    const answers = await until(() => {
      const group = fake.botMessages(partners.id).filter((m) => textOf(m).includes(code));
      const dm = fake.botMessages(nurse.id).filter((m) => textOf(m).includes(code));
      return group.length && dm.length ? [...group, ...dm].map(textOf) : undefined;
    }, 'both answers');
    expect(answers.filter((t) => /is valid and is now marked as used/.test(t))).toHaveLength(1);
    expect(answers.filter((t) => /was already used/.test(t))).toHaveLength(1);
  }, 60_000);

  it('a stranger cannot redeem, privately or by pasting the code; a removed partner loses the right at once', async () => {
    const client = fake.createUser({ first_name: 'Strange', language_code: 'en' });
    const threadId = await caseFor(client);
    const { code } = await issue(client, threadId, 'lawyer');
    const stranger = fake.createUser({ first_name: 'Stranger', language_code: 'en' });
    fake.sendText(stranger, `/redeem ${code}`);
    await sees(stranger.id, /Only partner organisations can redeem codes/);
    fake.sendText(stranger, code);
    await sees(stranger.id, /.+/); // the ordinary answer to free text, not a redemption
    fake.setMemberStatus(partners.id, nurse, 'left');
    fake.sendText(nurse, `/redeem ${code}`);
    await sees(nurse.id, /Only partner organisations/);
    fake.setMemberStatus(partners.id, nurse, 'member');
    expect(fake.botMessages(stranger.id).some((m) => /valid|already used/.test(textOf(m)))).toBe(false);
    expect(bot.db.select().from(referralCodes).all().find((c) => c.type === 'lawyer')?.redeemedHour).toBeNull();
  }, 60_000);

  it('during a lockdown /code sends the client nothing and issues nothing', async () => {
    const client = fake.createUser({ first_name: 'Locked', language_code: 'en' });
    const threadId = await caseFor(client);
    const before = bot.db.select().from(referralCodes).all().length;
    fake.sendText(anna, '/lockdown', { chatId: staff.id });
    await sees(staff.id, /Inbox locked/);
    fake.sendText(anna, '/code hiv-test', { chatId: staff.id, threadId });
    await sees(staff.id, /this was NOT sent/);
    expect(bot.db.select().from(referralCodes).all()).toHaveLength(before);
    expect(fake.botMessages(client.id).some((m) => CODE.test(textOf(m)))).toBe(false);
    fake.setMemberStatus(staff.id, anna, 'administrator');
    fake.sendText(anna, '/unlock', { chatId: staff.id });
    await sees(staff.id, /Inbox unlocked/);
    fake.setMemberStatus(staff.id, anna, 'member');
  }, 60_000);

  it('expires after CODE_VALID_DAYS', async () => {
    const client = fake.createUser({ first_name: 'Late', language_code: 'en' });
    const threadId = await caseFor(client);
    const { code } = await issue(client, threadId, 'psychologist');
    // Valid through the last day it shows (the end of that day in TIMEZONE), expired the day after.
    await bot.tickAt(new Date((now += 11 * DAY)));
    fake.sendText(pharmacist, `/redeem ${code}`, { chatId: partners.id });
    expect(textOf(await sees(partners.id, /expired on/))).toContain(code);
    fake.sendText(pharmacist, '/redeem K7Q-M4X', { chatId: partners.id });
    await sees(partners.id, /There is no code “K7Q-M4X”/);
  }, 60_000);

  it('pick-up codes from the services screen, limited per client per period; /forget unlinks them and the code still works', async () => {
    const client = fake.createUser({ first_name: 'Pickup', language_code: 'en' });
    fake.sendText(client, '/privacy');
    expect(textOf(await sees(client.id, /What is kept, where/))).toMatch(/referral or pick-up code is kept.*we do not note who redeemed it/s);
    fake.sendText(client, '/services');
    fake.pressButton(client, await withButton(client, 'svc:r:almaty'), 'svc:r:almaty');
    const entry = await withButton(client, 'code:p:almaty');
    fake.pressButton(client, entry, 'code:p:almaty');
    const choose = await withButton(client, 'code:g:almaty:naloxone');
    expect(buttons(choose)).toEqual(expect.arrayContaining(['code:g:almaty:hiv-self-test', 'code:g:almaty:condoms']));
    const codes: string[] = [];
    for (const type of ['naloxone', 'condoms']) {
      fake.pressButton(client, choose, `code:g:almaty:${type}`);
      codes.push(CODE.exec(textOf(await sees(client.id, CODE)))![1]!);
    }
    fake.pressButton(client, choose, 'code:g:almaty:hiv-self-test');
    await sees(client.id, /already have 2 pick-up codes from the last 30 days/);
    expect(bot.db.select().from(referralCodes).all().filter((c) => c.source === 'pickup' && c.clientKey !== null)).toHaveLength(2);

    fake.sendText(client, '/forget');
    fake.pressButton(client, await withButton(client, 'forget:yes'), 'forget:yes');
    expect(textOf(await sees(client.id, /erased/i))).toMatch(/the link between you and your 2 code\(s\)/);
    const pickups = bot.db.select().from(referralCodes).all().filter((c) => c.source === 'pickup');
    expect(pickups).toHaveLength(2);
    expect(pickups.every((c) => c.clientKey === null)).toBe(true); // unlinked at once; the anonymous rows stay

    fake.sendText(pharmacist, codes[0]!, { chatId: partners.id });
    expect(textOf(await sees(partners.id, /is valid/))).toMatch(/For: naloxone.*Place: Almaty/s);
  }, 60_000);
});

describe('follow-up the client controls', () => {
  const rowOf = (code: string) => bot.db.select().from(referralCodes).all().find((c) => c.code === code.replace('-', ''))!;
  const runJobs = async (at: number) => {
    now = at;
    await bot.tickAt(new Date(now));
    await bot.created.inboxJobs.run();
  };

  async function pickup(client: User, type: string): Promise<{ code: string; message: Message }> {
    fake.sendText(client, '/services');
    fake.pressButton(client, await withButton(client, 'svc:r:astana'), 'svc:r:astana');
    fake.pressButton(client, await withButton(client, 'code:p:astana'), 'code:p:astana');
    fake.pressButton(client, await withButton(client, `code:g:astana:${type}`), `code:g:astana:${type}`);
    const message = await sees(client.id, CODE);
    return { code: CODE.exec(textOf(message))![1]!, message };
  }

  it('opt in → one reminder at 11:00 local → redeemed → one question → the answer is counted', async () => {
    const client = fake.createUser({ first_name: 'Follow', language_code: 'en' });
    const { code, message } = await pickup(client, 'hiv-self-test');
    const id = rowOf(code).id;
    expect(buttons(message)).toEqual([`code:f:${id}`]);
    // Nothing is sent without the opt-in…
    fake.pressButton(client, message, `code:f:${id}`);
    const on = await sees(client.id, /I will remind you on (\S+) and ask once on (\S+)/);
    const row = rowOf(code);
    // …and then at 11:00 in Asia/Almaty (UTC+5), two days before expiry.
    expect(new Date(row.remindAt!).toISOString()).toMatch(/T06:00:00/);
    expect(textOf(on)).toContain(new Date(row.remindAt! + 5 * 3_600_000).toISOString().slice(0, 10));
    await runJobs(row.remindAt! - 60_000);
    expect(fake.botMessages(client.id).some((m) => /A reminder/.test(textOf(m)))).toBe(false);
    await runJobs(row.remindAt! + 1000);
    expect(textOf(await sees(client.id, /A reminder/))).toContain(code);
    await runJobs(now + 60_000); // once
    expect(fake.botMessages(client.id).filter((m) => /A reminder/.test(textOf(m)))).toHaveLength(1);

    fake.sendText(pharmacist, code, { chatId: partners.id });
    await sees(partners.id, /is valid/);
    const askAt = rowOf(code).askAt!;
    expect(askAt).toBeGreaterThanOrEqual(now + 12 * 3_600_000);
    await runJobs(askAt + 1000);
    const question = await sees(client.id, /did you get there, and was it OK\?/);
    expect(buttons(question)).toEqual([`code:a:${id}:ok`, `code:a:${id}:not-ok`, `code:a:${id}:not-yet`]);
    const press = fake.pressButton(client, question, `code:a:${id}:ok`);
    await until(() => fake.callbackAnswer(press)?.text === 'Thank you, that helps us.', 'the thanks');
    expect(rowOf(code).followUpAnswer).toBe('ok');
    // A second answer is not counted twice.
    const again = fake.pressButton(client, question, `code:a:${id}:not-ok`, { stale: true });
    await until(() => fake.callbackAnswer(again), 'the second answer');
    expect(rowOf(code).followUpAnswer).toBe('ok');
  }, 60_000);

  it('/forget in between: nothing more is sent, the code is unlinked, the anonymous row stays', async () => {
    const client = fake.createUser({ first_name: 'Gone', language_code: 'en' });
    const { code, message } = await pickup(client, 'condoms');
    fake.pressButton(client, message, `code:f:${rowOf(code).id}`);
    await sees(client.id, /I will remind you/);
    fake.sendText(client, '/forget');
    fake.pressButton(client, await withButton(client, 'forget:yes'), 'forget:yes');
    await sees(client.id, /erased/i);
    expect(rowOf(code).clientKey).toBeNull();
    const sentBefore = fake.botMessages(client.id).length;
    await runJobs(rowOf(code).askAt! + DAY);
    await runJobs(now + 60_000);
    expect(fake.botMessages(client.id).length).toBe(sentBefore);
  }, 60_000);
});

describe('the cascade for the team and for donors', () => {
  /** The bytes of a document or photo the bot uploaded (the fake keeps them). */
  const uploaded = (fileId: string): Buffer => (fake as unknown as { sim: { world: { files: Map<string, { data?: Buffer }> } } }).sim.world.files.get(fileId)!.data!;

  it('/export cascade gives the monthly CSV with the figures and nothing about anyone; /stats shows them; /stats cascade draws the funnel', async () => {
    fake.sendText(anna, '/export cascade 2026-12', { chatId: staff.id });
    const doc = await until(() => fake.messages(staff.id).find((m) => m.document?.file_name === 'referral-cascade-2026-12.csv'), 'the CSV');
    const [header, ...lines] = uploaded(doc.document!.file_id).toString('utf8').trim().split('\n');
    const cols = header!.split(',');
    expect(cols.slice(0, 7)).toEqual(['month', 'type', 'place', 'issued', 'redeemed', 'redeemed_percent', 'median_days_to_redeem']);
    const rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
    const row = (type: string, place: string) => rows.find((r) => r.type === type && r.place === place);
    // A month with one or two codes of each type: every count is a small cell, no rate, no median.
    expect(row('hiv-test', 'all')).toMatchObject({ month: '2026-12', issued: '<5', redeemed: '<5', redeemed_percent: '', median_days_to_redeem: '', outcome_tested: '<5' });
    expect(row('naloxone', 'all')).toMatchObject({ issued: '<5', redeemed: '<5' });
    expect(row('naloxone', 'almaty')).toMatchObject({ issued: '<5', redeemed: '<5' });
    expect(row('naloxone', 'any')).toMatchObject({ issued: '<5', redeemed: '<5' });
    expect(row('lawyer', 'all')).toMatchObject({ issued: '<5', redeemed: '0', redeemed_percent: '', median_days_to_redeem: '' });
    expect(row('psychologist', 'all')).toMatchObject({ issued: '<5', redeemed: '0' });
    expect(row('hiv-self-test', 'astana')).toMatchObject({ issued: '<5', redeemed: '<5', followup_ok: '<5', 'followup_not-ok': '0' });
    expect(row('condoms', 'all')).toMatchObject({ issued: '<5', redeemed: '0' });
    // Counts and months only: no code, no key, no day.
    const csv = uploaded(doc.document!.file_id).toString('utf8');
    for (const c of bot.db.select().from(referralCodes).all()) expect(csv).not.toContain(c.code);
    expect(csv).not.toMatch(/\d{4}-\d{2}-\d{2}|[0-9a-f]{32}/);

    fake.sendText(anna, '/stats 2026-12', { chatId: staff.id });
    const table = await sees(staff.id, /Referral codes, issued 2026-12/);
    expect(textOf(table)).toMatch(/hiv-test · all places: issued <5 → redeemed <5 \(—\), median — d · outcomes: tested <5/);

    fake.sendText(anna, '/stats cascade 2026-12', { chatId: staff.id });
    const chart = await until(() => fake.messages(staff.id).find((m) => m.photo && /Referral cascade, 2026-12/.test(String(m.caption))), 'the chart');
    const png = uploaded(chart.photo!.at(-1)!.file_id);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(800); // width from the IHDR chunk
    expect(png.length).toBeGreaterThan(5_000); // bars and text, not an empty canvas

    fake.sendText(anna, '/stats cascade 2025-01', { chatId: staff.id });
    await sees(staff.id, /No codes were issued 2025-01/);
  }, 60_000);
});
