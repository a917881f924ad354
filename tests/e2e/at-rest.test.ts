import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Message } from '../../src/sandbox/telegram-sim/index.js';
import { PROJECT_ROOT, startBot, type BotProcess } from '../support/bot-process.js';
import { until } from '../support/wait.js';
import { databaseFiles, needlesFor, scanFiles, type Finding } from '../support/byte-scan.js';
import { createPrivacy } from '../../src/privacy/keys.js';

const run = promisify(execFile);
let fake: FakeTelegram;
let bot: BotProcess;
type User = ReturnType<FakeTelegram['createUser']>;

/** A client whose every trace is distinctive, so a byte scan cannot miss one or mistake one. */
const person = {
  id: 7412598306,
  username: 'zq_atrest_9x4',
  first_name: 'Зарипхон',
  last_name: 'Quvondiqova',
  phone: '+77015550923',
};
const texts = {
  description: 'Мефедрон третий день, Qx7 таблетки не спала',
  waiting: ['Жду консультанта Wq83', 'Пока жду второе Wq84'],
  caption: 'Вот что взяла Rk52',
  burst: Array.from({ length: 6 }, (_, i) => `Сообщение очередь Zp${40 + i}`),
  edited: 'Исправленный текст Jm77',
  reportSoldAs: 'Розовый кристалл Vb19',
  reportWhat: 'Судороги через час Vb20',
  survey: 'Свободный ответ опроса Vb31',
};
const identity = {
  id: person.id,
  strings: [person.username, person.first_name, person.last_name, person.phone, person.phone.slice(1), texts.description, ...texts.waiting, texts.caption, ...texts.burst, texts.edited, texts.reportSoldAs, texts.reportWhat, 'at-rest-pill', texts.survey],
};

const buttons = (m: Message) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data ?? '');
const mode = (path: string) => statSync(path).mode & 0o777;

async function clientSees(user: User, pattern: RegExp): Promise<Message> {
  for (;;) {
    const m = await fake.nextBotMessage(user.id, { timeoutMs: 15_000 });
    if (pattern.test(String(m.text ?? m.caption ?? ''))) return m;
  }
}

/** Counts rows through a read-only connection, to know what the scan is looking at. */
function count(table: string, where = '1', path = bot.databasePath): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** `npm run backup` as an operator runs it, while the bot runs (or after it stopped). */
async function backup(name: string): Promise<string> {
  const folder = join(bot.dir, 'backups');
  mkdirSync(folder, { recursive: true });
  const target = join(folder, `${name}.db`);
  await run(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), [join(PROJECT_ROOT, 'src', 'cli', 'backup.ts'), target], {
    cwd: bot.dir,
    env: { PATH: process.env.PATH ?? '', DATABASE_PATH: bot.databasePath },
  });
  return target;
}

/** Every file in the data folder: the database, -wal, -shm, and anything else that may appear there. */
const dataFiles = (path: string) => {
  const folder = join(path, '..');
  return [...new Set([...databaseFiles(path), ...readdirSync(folder).map((name) => join(folder, name))])];
};

/** Scans the live files at once (the moment matters), then a backup taken right after. */
async function scanMoment(moment: string): Promise<(Finding & { moment: string })[]> {
  const live = scanFiles(dataFiles(bot.databasePath), needlesFor(identity));
  const copy = await backup(moment);
  expect(mode(copy)).toBe(0o600);
  return [...live, ...scanFiles([copy], needlesFor(identity))].map((f) => ({ ...f, moment }));
}

beforeAll(async () => {
  fake = await FakeTelegram.start();
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('nothing in clear at rest', () => {
  it('a byte scan of the database, -wal, -shm and backups finds no trace of the client at any moment; files are owner-only', async () => {
    const anna = fake.createUser({ first_name: 'Anna', username: 'anna_staff' });
    const staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [anna] });
    bot = await startBot({
      BOT_TOKEN: fake.token,
      BOT_SECRET: 'at-rest-secret-at-rest-secret-at-rest-e2e',
      TELEGRAM_API_ROOT: fake.apiRoot,
      STAFF_CHAT_ID: String(staff.id),
      DEFAULT_LANGUAGE: 'en',
      SURVEY_DRAFTS: 'offered', // the sample survey (a draft), as in the sandbox
      ALERT_APPROVALS: '1',
    });
    const client = fake.createUser({ id: person.id, username: person.username, first_name: person.first_name, last_name: person.last_name, language_code: 'en' });

    // Through a poster's link (an outreach source) first: a newcomer is counted for the source.
    fake.sendText(client, '/start apteka-sample');
    await clientSees(client, /./);
    // A survey started and left for later: its answers so far wait sealed under the client key.
    const survey = 'sample-drug-checking';
    fake.sendText(client, `/start survey-${survey}`);
    const first = await clientSees(client, /1\/6/);
    fake.pressButton(client, first, `sv:c:${survey}:0:0`);
    const interest = await clientSees(client, /3\/6/);
    fake.pressButton(client, interest, `sv:x:${survey}`);
    await clientSees(client, /kept for a week/);
    expect(count('survey_progress', "sealed_state LIKE 'gcm1:%'")).toBe(1);
    expect(await scanMoment('mid-survey')).toEqual([]);

    // Then the menu, then the intake up to its last step: the conversation state now holds the description.
    fake.sendText(client, '/start');
    const menu = await clientSees(client, /./);
    expect(buttons(menu)).toContain('menu:consult');
    // A drug alert subscription: the regions, and the chat id sealed.
    fake.sendText(client, '/alerts');
    fake.pressButton(client, await clientSees(client, /Tap the regions/), 'alerts:t:almaty');
    await clientSees(client, /You get alerts for: <b>Almaty|You get alerts for: Almaty/);
    expect(count('alert_subscriptions')).toBe(1);
    fake.pressButton(client, menu, 'menu:consult');
    fake.pressButton(client, await clientSees(client, /What is it about/), 'intake:topic:substances');
    await clientSees(client, /In a few words/);
    fake.sendText(client, texts.description);
    const reminder = await clientSees(client, /Before we connect you/);
    expect(count('conversation_state', "value LIKE 'gcm1:%'")).toBe(1);
    expect(count('conversation_state', "value NOT LIKE 'gcm1:%'")).toBe(0);
    expect(await scanMoment('mid-intake')).toEqual([]);

    // Queued; Telegram holds the inbox back (429), so the client's messages wait in the outbox.
    fake.pressButton(client, reminder, 'intake:go');
    await clientSees(client, /You are in the queue/);
    // An invitation's reminder asked for: its chat id waits sealed until the event.
    fake.sendText(client, '/start rsvp-iod-evening-2027');
    const invitation = await clientSees(client, /evening of remembrance/);
    fake.pressButton(client, invitation, 'rsvp:y:iod-evening-2027');
    await clientSees(client, /I will remind you/);
    expect([count('source_markers'), count('event_reminders'), count('source_counts')]).toEqual([1, 2, 2]);
    const threadId = await until(() => fake.chat(staff.id).topics[0]?.message_thread_id, 'the topic');
    const inTopic = () => fake.messages(staff.id).filter((m) => m.message_thread_id === threadId);
    const card = await until(() => inTopic().find((m) => buttons(m).some((b) => b.startsWith('case:take:'))), 'the case card');
    await until(() => inTopic().find((m) => m.text === texts.description), 'the description copy');
    fake.setRateLimits({ globalPerSecond: 1 });
    fake.sendText(client, texts.waiting[0]!);
    await until(() => inTopic().find((m) => m.text === texts.waiting[0]) ?? (fake.stats.rateLimited > 0 && count('outbox') > 0), 'a copy');
    fake.sendText(client, texts.waiting[1]!);
    await until(() => fake.stats.rateLimited > 0 && count('outbox') > 0, 'a copy waiting after a 429', 15_000);
    expect(await scanMoment('mid-relay')).toEqual([]);
    fake.setRateLimits({});
    await until(() => inTopic().some((m) => String(m.text).includes(texts.waiting[1]!)), 'the waiting copies', 15_000);

    // A consultant takes the case; the client sends their phone, a photo with a caption, a burst, an edit.
    fake.pressButton(anna, card, buttons(card).find((b) => b.startsWith('case:take:'))!);
    await clientSees(client, /has joined the conversation/);
    fake.sendMessage(client, { contact: { phone_number: person.phone, first_name: person.first_name, last_name: person.last_name, user_id: person.id } });
    fake.sendMessage(client, { photo: [{ file_id: 'at-rest-ph', file_unique_id: 'at-rest-phu', width: 90, height: 90 }], caption: texts.caption });
    const sent = texts.burst.map((text) => fake.sendText(client, text));
    // Right after the bot fetched the burst, while it works through it.
    await until(() => fake.updatesPending().length === 0, 'the burst fetched');
    expect(await scanMoment('burst')).toEqual([]);
    await until(() => inTopic().some((m) => m.caption === texts.caption), 'the photo copy', 15_000);
    await until(() => texts.burst.every((t) => inTopic().some((m) => String(m.text).includes(t))), 'the burst copies', 15_000);
    fake.editUserMessage(client, sent[2]!, texts.edited);
    await until(() => inTopic().some((m) => String(m.text).includes(texts.edited)), 'the edit', 15_000);
    fake.sendText(anna, 'Thank you, I am here', { chatId: staff.id, threadId });
    await clientSees(client, /Thank you, I am here/);
    expect(await scanMoment('after-burst')).toEqual([]);

    // A drug alert reaches them: its delivery row keeps the message id while the alert holds.
    fake.sendText(anna, '/alert\nregions: almaty\nsubstance: nitazene\neffects: stops breathing\nexpires: 2h', { chatId: staff.id });
    await clientSees(client, /Drug alert: nitazene/);
    await until(() => count('alert_deliveries', "state = 'sent'") === 1, 'the delivery recorded');
    expect(await scanMoment('alert-delivered')).toEqual([]);
    // A bad batch report (issue 22.2) with a photo, scanned mid-flow and once it reached the team.
    fake.sendText(client, '/report');
    fake.pressButton(client, await clientSees(client, /Report a bad batch/), 'report:kind:batch');
    await clientSees(client, /What was it sold as/);
    fake.sendText(client, texts.reportSoldAs);
    await clientSees(client, /What was wrong with it/);
    fake.sendText(client, texts.reportWhat);
    await clientSees(client, /add one photo/);
    fake.sendMessage(client, { photo: [{ file_id: 'at-rest-pill', file_unique_id: 'at-rest-pillu', width: 1280, height: 960 }] });
    const preview = await clientSees(client, /The team will see exactly this/);
    expect(await scanMoment('mid-report')).toEqual([]);
    fake.pressButton(client, preview, 'report:send');
    await clientSees(client, /Sent as report/);
    await until(() => fake.messages(staff.id).some((m) => String(m.text).includes(texts.reportWhat)), 'the report card');
    expect(count('reports')).toBe(1);
    expect(await scanMoment('after-report')).toEqual([]);
    // The survey finished, with words: stored unlinked and sealed, the unfinished one gone.
    fake.sendText(client, '/surveys');
    fake.pressButton(client, await clientSees(client, /Surveys/), `sv:go:${survey}`);
    const again = await clientSees(client, /3\/6/);
    fake.pressButton(client, again, `sv:s:${survey}:2`);
    fake.pressButton(client, await clientSees(client, /4\/6/), `sv:s:${survey}:3`);
    fake.pressButton(client, await clientSees(client, /5\/6/), `sv:d:${survey}:4`);
    await clientSees(client, /6\/6/);
    fake.sendText(client, texts.survey);
    await clientSees(client, /Thank you! This helps us/);
    expect([count('survey_progress'), count('survey_responses', "sealed_answers LIKE 'gcm1:%'"), count('survey_markers')]).toEqual([0, 1, 1]);
    expect(await scanMoment('survey-finished')).toEqual([]);

    // The data folder and every file in it are the owner's alone, while it runs.
    expect(mode(join(bot.databasePath, '..'))).toBe(0o700);
    for (const file of dataFiles(bot.databasePath).filter(existsSync)) expect(mode(file), file).toBe(0o600);
    expect(existsSync(`${bot.databasePath}-wal`) && existsSync(`${bot.databasePath}-shm`)).toBe(true);

    expect(await bot.stop()).toBe(0);
    expect(await scanMoment('stopped')).toEqual([]);
    for (const file of dataFiles(bot.databasePath).filter(existsSync)) expect(mode(file), file).toBe(0o600);
    expect(fake.failedCalls({ ignoreRateLimits: true })).toEqual([]);
  }, 120_000);

  it('after a stop, unhandled updates on disk are sealed, replayed once on restart; rows an earlier version left in clear are sealed at start and replayed; a moved row is dropped', async () => {
    const staff = fake.createSupergroup({ title: 'Inbox 2', isForum: true });
    const secret = 'at-rest-secret-at-rest-secret-replay-e2e';
    const env = { BOT_TOKEN: fake.token, BOT_SECRET: secret, TELEGRAM_API_ROOT: fake.apiRoot, STAFF_CHAT_ID: String(staff.id), DEFAULT_LANGUAGE: 'en' };
    bot = await startBot(env);
    const legacyUser = fake.createUser({ id: 7412598307, username: 'zq_legacy_9x5', first_name: 'Legacyname', language_code: 'en' });
    const sealedUser = fake.createUser({ id: 7412598308, username: 'zq_sealed_9x6', first_name: 'Sealedname', language_code: 'en' });
    fake.sendText(legacyUser, '/start');
    await fake.nextBotMessage(legacyUser.id);
    expect(await bot.stop()).toBe(0);
    const path = bot.databasePath; // startBot names a fresh path per process: the restart is pointed back at this one

    // As after kill -9: updates fetched (so confirmed to Telegram) but not handled. One row as
    // the previous version wrote it (plain JSON), one as this version does, one sealed for another row.
    const privacyText = (user: User, updateId: number) => ({
      update_id: updateId,
      message: { message_id: 900 + updateId, date: Math.floor(Date.now() / 1000), chat: { id: user.id, type: 'private', first_name: user.first_name, username: user.username }, from: { ...user }, text: '/privacy', entities: [{ type: 'bot_command', offset: 0, length: 8 }] },
    });
    const journal = createPrivacy(secret).journal;
    const db = new Database(path);
    const last = Number((db.prepare("SELECT value FROM job_state WHERE key = 'runner.last_fetched_update_id'").get() as { value: string }).value);
    const insert = db.prepare('INSERT INTO update_journal (update_id, payload) VALUES (?, ?)');
    insert.run(last - 2, JSON.stringify(privacyText(legacyUser, last - 2)));
    insert.run(last - 1, journal.seal(JSON.stringify(privacyText(sealedUser, last - 1)), `update_journal:${last - 1}`));
    insert.run(last, journal.seal(JSON.stringify(privacyText(sealedUser, last - 1)), `update_journal:${last - 1}`)); // moved
    db.close();
    const legacyTraces = { id: legacyUser.id, strings: ['zq_legacy_9x5', 'Legacyname'] };
    expect(scanFiles(databaseFiles(path), needlesFor(legacyTraces)).length).toBeGreaterThan(0);

    bot = await startBot({ ...env, DATABASE_PATH: path });
    expect(scanFiles(databaseFiles(path), needlesFor(legacyTraces))).toEqual([]);
    expect(bot.output()).toMatch(/sealed rows an earlier version wrote in clear/);
    await clientSees(legacyUser, /What is kept, where/);
    await clientSees(sealedUser, /What is kept, where/);
    expect(bot.output()).toMatch(/dropped journal rows that do not open/);
    await until(() => count('update_journal', '1', path) === 0 || undefined, 'the journal emptied');
    await new Promise((r) => setTimeout(r, 500));
    // The moved copy was not handled: /privacy answered once (its screen may take more than one message).
    expect(fake.botMessages(sealedUser.id).filter((m) => /What is kept, where/.test(String(m.text)))).toHaveLength(1);
    expect(await bot.stop()).toBe(0);
    expect(scanFiles(databaseFiles(path), needlesFor(legacyTraces))).toEqual([]);
  }, 60_000);
});
