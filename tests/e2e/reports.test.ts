import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Message } from '../../src/sandbox/telegram-sim/index.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { buttons } from '../support/chat.js';
import { until } from '../support/wait.js';
import { reportCounts, reports } from '../../src/db/schema.js';
import { PROJECT_ROOT } from '../support/bot-process.js';

/**
 * Bad batch / bad reaction reports (issue 22.2) through Telegram: the real bot over HTTP against the fake
 * Bot API, in this process so the test owns the clock. The guided flow in two languages, a file refused
 * and a compressed photo taken, the card in the editors chat without identity, Dismiss deleting the photo,
 * /forget withdrawing an open report, the daily limit, expiry.
 */

let fake: FakeTelegram;
let bot: InProcessBot;
type User = ReturnType<FakeTelegram['createUser']>;
type Chat = ReturnType<FakeTelegram['createSupergroup']>;
let editors: Chat;
let editor: User;
const DAY = 86_400_000;
const start = Date.UTC(2026, 11, 1, 6, 17);

const textOf = (m: Message) => String(m.text ?? m.caption ?? '');

/** Reads the client's chat until a message matches (text) or offers the button (`data`). */
async function sees(user: User, pattern: RegExp | string): Promise<Message> {
  for (;;) {
    const m = await fake.nextBotMessage(user.id, { timeoutMs: 10_000 });
    if (typeof pattern === 'string' ? buttons(m).includes(pattern) : pattern.test(textOf(m))) return m;
  }
}

const cards = () => fake.messages(editors.id).filter((m) => /Report R-[A-Z0-9]{5}/.test(textOf(m)));
const cardOf = (number: string) => cards().find((m) => textOf(m).includes(number));

interface Answers {
  kind: 'batch' | 'reaction';
  soldAs?: string;
  what: string;
  region?: string;
  photo?: boolean;
}

/** Goes through the flow up to the preview; returns it. */
async function fillIn(user: User, a: Answers): Promise<Message> {
  fake.sendText(user, '/report');
  fake.pressButton(user, await sees(user, `report:kind:${a.kind}`), `report:kind:${a.kind}`);
  const soldAs = await sees(user, 'report:unknown');
  if (a.soldAs !== undefined) fake.sendText(user, a.soldAs);
  else fake.pressButton(user, soldAs, 'report:unknown');
  await sees(user, /\(.*600/);
  fake.sendText(user, a.what);
  const region = await sees(user, 'report:noregion');
  fake.pressButton(user, region, a.region !== undefined ? `report:region:${a.region}` : 'report:noregion');
  const photo = await sees(user, 'report:nophoto');
  if (a.photo) fake.sendMessage(user, { photo: [{ file_id: `small-${user.id}`, file_unique_id: 's1', width: 90, height: 90 }, { file_id: `large-${user.id}`, file_unique_id: 'l1', width: 1280, height: 960 }] });
  else fake.pressButton(user, photo, 'report:nophoto');
  return sees(user, 'report:send');
}

/** The whole flow, confirmed; returns the report number the client was told. */
async function report(user: User, a: Answers): Promise<string> {
  fake.pressButton(user, await fillIn(user, a), 'report:send');
  const sent = await sees(user, /R-[A-Z0-9]{5}/);
  return /R-[A-Z0-9]{5}/.exec(textOf(sent))![0];
}

beforeAll(async () => {
  // The shipped content with two regions listed (the shipped settings list none).
  const content = mkdtempSync(join(tmpdir(), 'content-reports-'));
  cpSync(join(PROJECT_ROOT, 'content'), content, { recursive: true });
  const settings = join(content, 'settings.yml');
  writeFileSync(settings, readFileSync(settings, 'utf8').replace(/^regions: \[\]$/m, 'regions: [south, north]'));
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  editor = fake.createUser({ first_name: 'Dana' });
  const staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [] });
  editors = fake.createSupergroup({ title: 'Editors', members: [editor] });
  bot = await startInProcessBot({ BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, STAFF_CHAT_ID: String(staff.id), EDITORS_CHAT_ID: String(editors.id), DEFAULT_LANGUAGE: 'en', CONTENT_DIR: content });
  await bot.tickAt(new Date(start));
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('reports, end to end', () => {
  const aigerim = () => fake.createUser({ first_name: 'Aigerim', last_name: 'Secretname', username: 'aigerim_k', language_code: 'en' });
  let client: User;

  it('English: a guided report with a refused file and a photo; the card names nobody; Dismiss deletes the photo', async () => {
    client = aigerim();
    fake.sendText(client, '/report');
    const intro = await sees(client, 'report:kind:batch');
    expect(textOf(intro)).toMatch(/not an emergency line/);
    expect(textOf(intro)).toMatch(/103/);
    expect(textOf(intro)).toMatch(/reviews every report before any warning/);
    expect(buttons(intro)).toContain('n:menu:emergency');
    fake.pressButton(client, intro, 'report:kind:batch');
    await sees(client, 'report:unknown');
    fake.sendText(client, 'x'.repeat(81));
    await sees(client, /within 80 characters/);
    fake.sendText(client, 'pink "crystal"');
    await sees(client, /What was wrong with it/);
    fake.sendText(client, 'Smelled of solvent, heart racing for hours <b>');
    fake.pressButton(client, await sees(client, 'report:region:south'), 'report:region:south');
    await sees(client, 'report:nophoto');
    // A photo sent as a file keeps its EXIF (location, time): refused, with the reason.
    fake.sendMessage(client, { document: { file_id: 'doc-with-exif', file_unique_id: 'd1', file_name: 'IMG_0042.jpg', mime_type: 'image/jpeg' } });
    expect(textOf(await sees(client, /came as a file/))).toMatch(/where and when the picture was taken/);
    fake.sendMessage(client, { photo: [{ file_id: 'pill-small', file_unique_id: 's1', width: 90, height: 90 }, { file_id: 'pill-large', file_unique_id: 'l1', width: 1280, height: 960 }] });
    const preview = await sees(client, 'report:send');
    expect(textOf(preview)).toMatch(/The team will see exactly this/);
    expect(textOf(preview)).toMatch(/Sold as: pink "crystal"\nWhat happened: Smelled of solvent, heart racing for hours <b>\nRegion: south/);
    expect(textOf(preview)).toMatch(/Received: 2026-12-01 11:00 \(to the hour\)/); // Asia/Almaty (UTC+5): 06:17 UTC rounded down
    fake.pressButton(client, preview, 'report:send');
    const sent = await sees(client, /Sent as report (R-[A-Z0-9]{5})/);
    const number = /R-[A-Z0-9]{5}/.exec(textOf(sent))![0];
    expect(textOf(sent)).toMatch(/Nobody will contact you/);

    const card = await until(() => cardOf(number), 'the report card');
    const shown = textOf(card);
    // The card the client previewed, word for word.
    expect(textOf(preview)).toContain(shown.split('\n').slice(0, 6).join('\n'));
    expect(shown).toMatch(/bad batch/);
    for (const identity of ['Aigerim', 'Secretname', 'aigerim_k', String(client.id)]) expect(JSON.stringify(card)).not.toContain(identity);
    expect(card.forward_origin).toBeUndefined();
    expect(card.has_protected_content).toBe(true);
    expect(buttons(card)).toEqual([`report:dismissed:${cardRow(number).id}`, `report:reviewed:${cardRow(number).id}`, `report:used:${cardRow(number).id}`]);
    const photo = await until(() => fake.messages(editors.id).find((m) => m.reply_to_message?.message_id === card.message_id && m.photo), 'the photo');
    expect(photo.photo!.at(-1)!.file_id).toBe('pill-large');
    expect(photo.document).toBeUndefined();
    expect(JSON.stringify(photo)).not.toContain('doc-with-exif');
    // At rest: the state, never the words.
    const row = cardRow(number);
    expect(row).toMatchObject({ kind: 'batch', region: 'south', status: 'open', hasPhoto: true, photoMessageId: photo.message_id, receivedHour: Date.UTC(2026, 11, 1, 6) });
    expect(JSON.stringify(row)).not.toMatch(/crystal|solvent|pill-large/);

    fake.pressButton(editor, card, `report:dismissed:${row.id}`);
    await until(() => !fake.messages(editors.id).some((m) => m.message_id === photo.message_id), 'the photo deleted');
    const decided = await until(() => (/Dismissed by/.test(textOf(cardOf(number)!)) ? cardOf(number) : undefined), 'the card marked');
    expect(buttons(decided!)).toEqual([]);
    expect(decided!.entities?.some((e) => e.type === 'bold')).toBe(true); // its formatting kept
    expect(cardRow(number)).toMatchObject({ status: 'dismissed', clientKey: null, photoMessageId: null });
  });

  it('Russian from the menu: "don\'t know", no region, no photo; /forget withdraws the open report and its card', async () => {
    const ru = fake.createUser({ first_name: 'Ruslan', language_code: 'ru' });
    fake.sendText(ru, '/start');
    fake.pressButton(ru, await sees(ru, 'menu:report'), 'menu:report');
    const intro = await sees(ru, 'report:kind:reaction');
    expect(textOf(intro)).toMatch(/не экстренная линия/);
    fake.pressButton(ru, intro, 'report:kind:reaction');
    fake.pressButton(ru, await sees(ru, 'report:unknown'), 'report:unknown');
    await sees(ru, /Что случилось/);
    fake.sendText(ru, 'Сильная паника и судороги через час');
    fake.pressButton(ru, await sees(ru, 'report:noregion'), 'report:noregion');
    fake.pressButton(ru, await sees(ru, 'report:nophoto'), 'report:nophoto');
    const preview = await sees(ru, 'report:send');
    expect(textOf(preview)).toMatch(/Команда увидит ровно это/);
    expect(textOf(preview)).toMatch(/Sold as: \(doesn't know\)\nWhat happened: Сильная паника и судороги через час\nRegion: \(not said\)/);
    fake.pressButton(ru, preview, 'report:send');
    const number = /R-[A-Z0-9]{5}/.exec(textOf(await sees(ru, /Отправлено как сообщение/)))![0];
    const card = await until(() => cardOf(number), 'the card');
    expect(textOf(card)).toMatch(/bad reaction/);
    expect(textOf(card)).toMatch(/No photo\./);

    fake.sendText(ru, '/forget');
    fake.pressButton(ru, await sees(ru, 'forget:yes'), 'forget:yes');
    expect(textOf(await sees(ru, /твои открытые сообщения о партиях \(1\)/))).toMatch(/карточками в чате команды/);
    await until(() => cardOf(number) === undefined, 'the card deleted');
    expect(bot.db.select().from(reports).where(eq(reports.number, number)).all()).toEqual([]);
  });

  it('three reports a day at most (the count of a day outlives /forget, not the day); undecided reports expire with their card and photo', async () => {
    // The first client has sent one; two more, then the limit.
    await report(client, { kind: 'reaction', what: 'Vomiting', photo: true });
    const third = await report(client, { kind: 'batch', soldAs: 'mef', what: 'Nothing like usual' });
    fake.sendText(client, '/report');
    expect(textOf(await sees(client, /You have sent 3 reports today/))).toMatch(/tomorrow/);
    // A count per client and day, under a key that is not the client key; the Russian client's outlived their /forget.
    const counts = bot.db.select().from(reportCounts).all();
    expect(counts.map((c) => c.count).sort()).toEqual([1, 3]);
    expect(counts.map((c) => c.limitKey)).not.toContain(cardRow(third).clientKey);

    // Nobody decides for 8 days: the open reports go from the chat, their rows keep only the state.
    const open = bot.db.select().from(reports).where(eq(reports.status, 'open')).all();
    expect(open).toHaveLength(2);
    const photoId = open.find((r) => r.photoMessageId !== null)!.photoMessageId!;
    await bot.tickAt(new Date(start + 8 * DAY));
    await bot.created.inboxJobs.run();
    await until(() => cards().filter((m) => /Report/.test(textOf(m)) && !/Dismissed/.test(textOf(m))).length === 0, 'the open cards deleted');
    expect(fake.messages(editors.id).some((m) => m.message_id === photoId)).toBe(false);
    for (const row of bot.db.select().from(reports).all()) expect(row.clientKey).toBeNull();
    expect(bot.db.select().from(reports).where(eq(reports.status, 'expired')).all()).toHaveLength(2);
    // A new day: the limit is lifted, and the old count is purged.
    expect(bot.db.select().from(reportCounts).all()).toEqual([]);
    await fillIn(client, { kind: 'batch', what: 'Again' });
    // The emergency button leaves the flow for the emergency screen at once.
    fake.sendText(client, '/report');
    fake.pressButton(client, await sees(client, 'n:menu:emergency'), 'n:menu:emergency');
    expect(buttons(await sees(client, 'n:consult:urgent'))).toContain('n:mix:start');
    fake.sendText(client, 'Help');
    expect(textOf(await sees(client, /./))).not.toMatch(/Please (use the buttons|answer in a few words)/);
  });
});

function cardRow(number: string) {
  return bot.db.select().from(reports).where(eq(reports.number, number)).get()!;
}
