import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Message } from '../../src/sandbox/telegram-sim/index.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { until } from '../support/wait.js';
import { buttons, chatHelpers } from '../support/chat.js';
import { eventReminders, sourceCounts, sourceMarkers } from '../../src/db/schema.js';

/**
 * Outreach and invitations through Telegram (the real bot over HTTP against the fake Bot API, in this
 * process so the test owns the clock), with the shipped sample content: starts through a source's link
 * are counted and lead to consultations, /qr makes the poster, /stats sources and /export sources show
 * the months with small cells hidden; an invitation's RSVP gives one reminder at its time, which the
 * client can cancel, and /forget takes.
 */

let fake: FakeTelegram;
let bot: InProcessBot;
type User = ReturnType<FakeTelegram['createUser']>;
type Chat = ReturnType<FakeTelegram['createSupergroup']>;
let staff: Chat;
let editors: Chat;
let anna: User;
const HOUR = 3_600_000;
// 2027-08-25 10:00 in Almaty: the sample invitation (iod-evening-2027) is on 31 August at 19:00.
let now = Date.UTC(2027, 7, 25, 5, 0);
const EVENT_AT = Date.UTC(2027, 7, 31, 14, 0);

const textOf = (m: Message) => String(m.text ?? m.caption ?? '');
const { clientSees, withButton, intake } = chatHelpers(() => fake);
/** The bytes of a document the bot uploaded (the fake keeps them). */
const uploaded = (fileId: string): Buffer => (fake as unknown as { sim: { world: { files: Map<string, { data?: Buffer }> } } }).sim.world.files.get(fileId)!.data!;

async function sees(chatId: number, pattern: RegExp): Promise<Message> {
  for (;;) {
    const m = await fake.nextBotMessage(chatId, { timeoutMs: 10_000 });
    if (pattern.test(textOf(m))) return m;
  }
}

async function at(ms: number): Promise<void> {
  now = ms;
  await bot.tickAt(new Date(now));
  await bot.created.eventReminders.run();
}

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  anna = fake.createUser({ first_name: 'Anna' });
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [anna] });
  editors = fake.createSupergroup({ title: 'Editors', members: [anna] });
  bot = await startInProcessBot({
    BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    STAFF_CHAT_ID: String(staff.id),
    EDITORS_CHAT_ID: String(editors.id),
    DEFAULT_LANGUAGE: 'en',
    TIMEZONE: 'Asia/Almaty',
  });
  await bot.tickAt(new Date(now));
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('outreach sources', () => {
  it('counts starts through a source link once per new person, and the consultation one of them opens; an unknown code is just a start', async () => {
    const people = Array.from({ length: 6 }, (_, i) => fake.createUser({ first_name: `Secret${i}`, username: `secret_src_${i}`, language_code: 'en' }));
    for (const person of people) {
      fake.sendText(person, '/start apteka-sample');
      await clientSees(person, /./);
    }
    // The same person again, and a code nobody knows: the normal start, nothing counted.
    fake.sendText(people[0]!, '/start apteka-sample');
    await clientSees(people[0]!, /./);
    const stranger = fake.createUser({ first_name: 'Other', language_code: 'en' });
    fake.sendText(stranger, '/start no-such-poster');
    const welcome = await clientSees(stranger, /./);
    expect(buttons(welcome).length).toBeGreaterThan(0); // the main menu, not an error
    expect(textOf(welcome)).not.toMatch(/error|unknown|no-such-poster/i);

    await intake(people[1]!, 'hiv');
    await clientSees(people[1]!, /You are in the queue/);
    const counts = bot.db.select().from(sourceCounts).all();
    expect(counts).toEqual(
      expect.arrayContaining([
        { day: '2027-08-25', source: 'apteka-sample', metric: 'start', count: 6 },
        { day: '2027-08-25', source: 'apteka-sample', metric: 'consultation', count: 1 },
      ]),
    );
    expect(counts).toHaveLength(2);
    // The markers hold the source only, under keys that match no client row.
    const clientKeys = bot.db.$client.prepare('SELECT key FROM clients').all() as { key: string }[];
    const markers = bot.db.select().from(sourceMarkers).all();
    expect(markers).toHaveLength(6);
    for (const { key } of clientKeys) expect(markers.map((m) => m.markerKey)).not.toContain(key);

    // /forget takes a person's marker: their later consultation is counted for no source.
    fake.sendText(people[2]!, '/forget');
    fake.pressButton(people[2]!, await withButton(people[2]!, 'forget:yes'), 'forget:yes');
    await clientSees(people[2]!, /./);
    await until(() => bot.db.select().from(sourceMarkers).all().length === 5, 'the marker gone');
  });

  it('/stats sources and /export sources show starts, consultations and redeemed codes per month, small cells hidden', async () => {
    fake.sendText(anna, '/stats sources', { chatId: staff.id });
    const stats = await sees(staff.id, /Sources 2027-06…2027-08/);
    expect(textOf(stats)).toContain('2027-08 · Pharmacy (sample) (almaty): 6 / <5 / 0');
    fake.sendText(anna, '/stats sources 2027-13', { chatId: staff.id });
    await sees(staff.id, /"2027-13" is not a month like 2026-11.*Usage: \/stats sources/s);
    fake.sendText(anna, '/stats sources 2026-01', { chatId: editors.id });
    await sees(editors.id, /No starts through a source's link in 2026-01…2026-01/);

    fake.sendText(anna, '/export sources 2027-08', { chatId: editors.id });
    const doc = await until(() => fake.messages(editors.id).find((m) => m.document?.file_name === 'sources-2027-08-2027-08.csv'), 'the CSV');
    expect(uploaded(doc.document!.file_id).toString('utf8')).toBe(
      'month,source,label,region,starts,consultations,codes_redeemed\n2027-08,apteka-sample,Pharmacy (sample),almaty,6,<5,0\n',
    );
    // The cases' /stats still answers as before.
    fake.sendText(anna, '/stats', { chatId: staff.id });
    await sees(staff.id, /last 30 days/);
  });

  it('/qr makes a poster: a PNG to print and an SVG with the bot, the QR code and the line in the language asked for', async () => {
    fake.sendText(anna, '/qr', { chatId: editors.id });
    await sees(editors.id, /Usage: \/qr CODE \[ru\|kk\|en\]. Codes: apteka-sample, iod-campaign-sample/);
    fake.sendText(anna, '/qr tarot', { chatId: editors.id });
    await sees(editors.id, /“tarot” is not a code in sources.yml/);
    fake.sendText(anna, '/qr apteka-sample de', { chatId: editors.id });
    await sees(editors.id, /“de” is not a language of the bot/);

    fake.sendText(anna, '/qr apteka-sample kk', { chatId: editors.id });
    const png = await until(() => fake.messages(editors.id).find((m) => m.document?.file_name === 'poster-apteka-sample-kk.png'), 'the PNG');
    const svg = await until(() => fake.messages(editors.id).find((m) => m.document?.file_name === 'poster-apteka-sample-kk.svg'), 'the SVG');
    expect(uploaded(png.document!.file_id).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(textOf(png)).toMatch(/Poster for Pharmacy \(sample\) \(almaty\), kk.*t\.me\/peer_help_bot\?start=apteka-sample.*draft \(sample\) source/s);
    const text = uploaded(svg.document!.file_id).toString('utf8');
    expect(text).toContain('@peer_help_bot');
    expect(text).toMatch(/<path stroke="#000000" d="M/);
    expect(text).toContain('Анонимді. Айыптаусыз.');
    expect(text).toContain('ҮЛГІ'); // a sample's poster says so

    // Not for the staff chat's strangers or clients: only the editors chat makes posters.
    const client = fake.createUser({ first_name: 'Curious', language_code: 'en' });
    fake.sendText(client, '/qr apteka-sample');
    await clientSees(client, /./);
    expect(fake.botMessages(client.id).some((m) => m.document)).toBe(false);
  });
});

describe('invitations', () => {
  it('RSVP → confirm in private → one reminder at each time → cancel; editors see counts, never who; /forget takes the reminders', async () => {
    const client = fake.createUser({ first_name: 'Secretname', username: 'secret_rsvp', language_code: 'ru' });
    fake.sendText(client, '/start rsvp-iod-evening-2027');
    const invite = await withButton(client, 'rsvp:y:iod-evening-2027');
    expect(textOf(invite)).toMatch(/вечер памяти.*2027-08-31 19:00.*Алматы.*за 1 день, 2 часа/s);
    fake.pressButton(client, invite, 'rsvp:y:iod-evening-2027');
    await clientSees(client, /Готово: напомню 2027-08-30 19:00, 2027-08-31 17:00/);
    const rows = bot.db.select().from(eventReminders).all();
    expect(rows.map((r) => r.remindAt)).toEqual([EVENT_AT - 24 * HOUR, EVENT_AT - 2 * HOUR]);
    expect(JSON.stringify(rows)).not.toMatch(new RegExp(`${client.id}|secret_rsvp|Secretname`));
    // Pressing the channel's button again: they are told they have asked already, with a way to cancel.
    fake.sendText(client, '/start rsvp-iod-evening-2027');
    expect(buttons(await withButton(client, 'rsvp:c:iod-evening-2027'))).toContain('rsvp:c:iod-evening-2027');

    // A second person asks and then erases everything.
    const other = fake.createUser({ first_name: 'Other', language_code: 'en' });
    fake.sendText(other, '/start rsvp-iod-evening-2027');
    fake.pressButton(other, await withButton(other, 'rsvp:y:iod-evening-2027'), 'rsvp:y:iod-evening-2027');
    await clientSees(other, /Done: I will remind you/);
    fake.sendText(other, '/forget');
    fake.pressButton(other, await withButton(other, 'forget:yes'), 'forget:yes');
    expect(textOf(await clientSees(other, /erased|deleted/i))).toMatch(/your event reminders \(1\)/);
    expect(bot.db.select().from(eventReminders).all()).toHaveLength(2);

    fake.sendText(anna, '/events', { chatId: editors.id });
    const events = await sees(editors.id, /Invitations/);
    expect(textOf(events)).toContain('2027-08-31 19:00 · iod-evening-2027 Overdose Awareness Day: an evening of remembrance: <5 / 0, <5 waiting');
    expect(textOf(events)).not.toMatch(/Secretname|secret_rsvp|Other/);

    // The first reminder, once, at its time (and not again on the next pass or a later one).
    const before = fake.botMessages(client.id).length;
    await at(EVENT_AT - 24 * HOUR - 60_000);
    expect(fake.botMessages(client.id).length).toBe(before);
    await at(EVENT_AT - 24 * HOUR);
    const reminder = await withButton(client, 'rsvp:c:iod-evening-2027');
    expect(textOf(reminder)).toMatch(/Напоминание.*вечер памяти.*2027-08-31 19:00/s);
    await at(EVENT_AT - 24 * HOUR + 60_000);
    await at(EVENT_AT - 24 * HOUR + 120_000);
    expect(fake.botMessages(client.id).filter((m) => /^🔔 Напоминание/.test(textOf(m)))).toHaveLength(1);

    // Cancelled from the reminder: the second one never comes, nothing of it is kept.
    fake.pressButton(client, reminder, 'rsvp:c:iod-evening-2027');
    await clientSees(client, /Отменено/);
    expect(bot.db.select().from(eventReminders).all()).toEqual([]);
    await at(EVENT_AT - 2 * HOUR);
    await at(EVENT_AT + HOUR);
    expect(fake.botMessages(client.id).filter((m) => /^🔔 Напоминание/.test(textOf(m)))).toHaveLength(1);

    // /privacy says what is kept for outreach and reminders (the whole screen still fits one message, in the longest language).
    const kazakh = fake.createUser({ first_name: 'Kaz', language_code: 'kk' });
    fake.sendText(kazakh, '/privacy');
    expect(textOf(await clientSees(kazakh, /плакаттағы сілтеме/))).toMatch(/Оқиға туралы еске салу/);

    // After the event the link is just a start.
    fake.sendText(client, '/start rsvp-iod-evening-2027');
    const start = await clientSees(client, /./);
    expect(buttons(start)).not.toContain('rsvp:y:iod-evening-2027');
  }, 60_000);
});
