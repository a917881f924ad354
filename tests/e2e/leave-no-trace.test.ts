import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { PROJECT_ROOT, startBot, type BotProcess } from '../support/bot-process.js';
import { until } from '../support/wait.js';
import { buttons, chatHelpers } from '../support/chat.js';
import { createPrivacy } from '../../src/privacy/keys.js';

type User = ReturnType<FakeTelegram['createUser']>;
const SECRET = 'no-trace-secret-no-trace-secret-no-trace';

/** One bot against one fake Telegram, with the helpers the scenarios share. */
function world() {
  const w = {} as { fake: FakeTelegram; bot: BotProcess; staff: { id: number }; anna: User; env: Record<string, string> };
  const { clientSees, withButton } = chatHelpers(() => w.fake);
  async function openCase(client: User): Promise<number> {
    const before = w.fake.chat(w.staff.id).topics.length;
    w.fake.sendText(client, '/consult');
    w.fake.pressButton(client, await withButton(client, 'intake:topic:mental'), 'intake:topic:mental');
    await withButton(client, 'intake:skip');
    w.fake.sendText(client, 'I have not slept for three days');
    w.fake.pressButton(client, await withButton(client, 'intake:go'), 'intake:go');
    return until(() => w.fake.chat(w.staff.id).topics[before]?.message_thread_id, 'the case topic');
  }
  const inTopic = (chat: number, threadId: number) => w.fake.messages(chat).filter((m) => m.message_thread_id === threadId);
  return { w, clientSees, withButton, openCase, inTopic };
}

describe('with topics in private chats (has_topics_enabled)', () => {
  const { w, clientSees, withButton, openCase, inTopic } = world();
  const key = (user: User) => createPrivacy(SECRET).clientKey(user.id);

  beforeAll(async () => {
    w.fake = await FakeTelegram.start({ privateTopics: true });
    w.anna = w.fake.createUser({ first_name: 'Anna' });
    w.staff = w.fake.createSupergroup({ title: 'Inbox', isForum: true, members: [w.anna] });
    w.env = {
      BOT_TOKEN: w.fake.token,
      BOT_SECRET: SECRET,
      TELEGRAM_API_ROOT: w.fake.apiRoot,
      STAFF_CHAT_ID: String(w.staff.id),
      DEFAULT_LANGUAGE: 'en',
      RETENTION_DAYS: '0', // closed cases go at the next purge
      SURVEY_DRAFTS: 'offered', // the sample survey (a draft) can be started, as in the sandbox
    };
    w.bot = await startBot(w.env);
  });

  afterAll(async () => {
    await w.bot?.stop();
    await w.fake?.stop();
  });

  it('keeps a case in its own topic of the client chat, protects copies in the inbox, and "Clear this chat" deletes it whole', async () => {
    const client = w.fake.createUser({ first_name: 'Topicclient', language_code: 'en' });
    const staffThread = await openCase(client);
    // The client's side: a topic of its own, where the bot says where they stand.
    const clientTopic = await until(() => w.fake.chat(client.id).topics[0], 'the topic in the client chat');
    expect(clientTopic.name).toBe('💬 Conversation');
    await until(() => inTopic(client.id, clientTopic.message_thread_id).find((m) => /You are in the queue/.test(String(m.text))), 'the queue notice in the topic');

    // A consultant takes the case and answers: the answer lands in the client's topic.
    const card = await until(() => inTopic(w.staff.id, staffThread).find((m) => buttons(m).some((b) => b.startsWith('case:take:'))), 'the card');
    w.fake.pressButton(w.anna, card, buttons(card).find((b) => b.startsWith('case:take:'))!);
    w.fake.sendText(w.anna, 'I am here. How are you feeling now?', { chatId: w.staff.id, threadId: staffThread });
    const answer = await clientSees(client, /How are you feeling now/);
    expect(answer.message_thread_id).toBe(clientTopic.message_thread_id);

    // The client writes in the topic: the copy in the inbox cannot be forwarded or saved.
    w.fake.sendMessage(client, { photo: [{ file_id: 'pills', file_unique_id: 'pillsu', width: 90, height: 90 }], caption: 'these pills' }, { threadId: clientTopic.message_thread_id });
    const copy = await until(() => inTopic(w.staff.id, staffThread).find((m) => m.caption === 'these pills'), 'the photo copy');
    expect(copy.has_protected_content).toBe(true);
    const description = inTopic(w.staff.id, staffThread).find((m) => m.text === 'I have not slept for three days');
    expect(description?.has_protected_content).toBe(true);

    // The consultant closes: the end message offers to clear the chat.
    w.fake.sendText(w.anna, '/close', { chatId: w.staff.id, threadId: staffThread });
    const ended = await withButton(client, 'chat:clear');
    expect(ended.text).toMatch(/team's copy is deleted in 0 days/);
    expect(ended.message_thread_id).toBe(clientTopic.message_thread_id);
    w.fake.pressButton(client, ended, 'chat:clear');
    const confirm = await withButton(client, 'chat:clear:yes');
    w.fake.pressButton(client, confirm, 'chat:clear:yes');
    const report = await clientSees(client, /Done/);
    expect(report.text).toMatch(/Deleted the conversation topics \(1\)/);
    expect(report.text).not.toMatch(/Clear history/); // nothing left that the bot could not reach

    // The client's chat: the topic and everything before it are gone; only the report is left.
    expect(w.fake.chat(client.id).topics).toEqual([]);
    expect(w.fake.messages(client.id).map((m) => m.message_id)).toEqual([report.message_id]);
    // The team's chat keeps the closed case until the purge; the database keeps no message ids of the client chat.
    expect(inTopic(w.staff.id, staffThread).length).toBeGreaterThan(0);
    const db = new Database(w.bot.databasePath, { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM chat_traces WHERE client_key = ?').get(key(client)) as { n: number }).n).toBe(1); // the report itself
    db.close();
  }, 40_000);

  it('/forget during an open case deletes the case topic on both sides', async () => {
    const client = w.fake.createUser({ first_name: 'Forgetme', language_code: 'ru' });
    // Came through a poster's link and asked for an event's reminder: both are kept under keys of their own.
    w.fake.sendText(client, '/start apteka-sample');
    w.fake.sendText(client, '/start rsvp-iod-evening-2027');
    w.fake.pressButton(client, await withButton(client, 'rsvp:y:iod-evening-2027'), 'rsvp:y:iod-evening-2027');
    await clientSees(client, /Готово: напомню/);
    const staffThread = await openCase(client);
    const clientTopic = await until(() => w.fake.chat(client.id).topics[0], 'the topic in the client chat');
    w.fake.sendText(client, 'удалите всё, пожалуйста', { threadId: clientTopic.message_thread_id });
    await until(() => inTopic(w.staff.id, staffThread).find((m) => m.text === 'удалите всё, пожалуйста'), 'the copy');
    // A survey left unfinished: it links to the client until /forget.
    w.fake.sendText(client, '/start survey-sample-drug-checking');
    w.fake.pressButton(client, await withButton(client, 'sv:c:sample-drug-checking:0:1'), 'sv:c:sample-drug-checking:0:1');
    await clientSees(client, /2\/6/);
    w.fake.sendText(client, '/forget');
    w.fake.pressButton(client, await withButton(client, 'forget:yes'), 'forget:yes');
    const done = await clientSees(client, /Стёрто/);
    expect(done.text).toMatch(/вместе с его темой в чате команды/);
    expect(w.fake.chat(client.id).topics).toEqual([]);
    expect(w.fake.messages(client.id).map((m) => m.message_id)).toEqual([done.message_id]);
    await until(() => !w.fake.chat(w.staff.id).topics.some((t) => t.message_thread_id === staffThread), 'the staff topic deleted');
    expect(inTopic(w.staff.id, staffThread)).toEqual([]);
    const db = new Database(w.bot.databasePath, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM clients WHERE key = ?').get(key(client))).toEqual({ n: 0 });
    // The trace of the last message goes right after it is sent (the client may see it a moment before).
    await until(() => (db.prepare('SELECT count(*) AS n FROM chat_traces WHERE client_key = ?').get(key(client)) as { n: number }).n === 0 || undefined, 'the last trace dropped', 5_000);
    expect(db.prepare('SELECT count(*) AS n FROM survey_progress').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT (SELECT count(*) FROM source_markers) + (SELECT count(*) FROM event_reminders) AS n').get()).toEqual({ n: 0 });
    expect(done.text).toMatch(/напоминания о событиях \(1\)/);
    db.close();
  }, 40_000);

  it('npm run purge (RETENTION_DAYS=0) deletes closed cases with their topics; without the right it says which, and retries', async () => {
    // A second closed case, and a client who only chose a language long ago.
    const client = w.fake.createUser({ first_name: 'Purged', language_code: 'en' });
    const staffThread = await openCase(client);
    w.fake.sendText(client, '/end');
    const ask = await withButton(client, 'end:no');
    w.fake.pressButton(client, ask, buttons(ask).find((b) => b.startsWith('end:yes'))!);
    await withButton(client, 'chat:clear');
    const idle = w.fake.createUser({ first_name: 'Idle', language_code: 'en' });
    w.fake.sendText(idle, '/language');
    w.fake.pressButton(idle, await withButton(idle, 'lang:set:kk'), 'lang:set:kk');
    await clientSees(idle, /қазақ/i);
    await until(() => w.fake.chat(w.staff.id).topics.find((t) => t.message_thread_id === staffThread)?.closed, 'the case topic closed');
    expect(await w.bot.stop()).toBe(0);
    const old = new Database(w.bot.databasePath);
    old.prepare("UPDATE clients SET last_seen_on = '2026-01-01' WHERE key = ?").run(key(idle));
    old.close();

    // Not spawnSync: the fake Telegram it talks to runs in this process.
    const purge = () =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), [join(PROJECT_ROOT, 'src', 'cli', 'purge.ts')], {
          cwd: w.bot.dir,
          env: { PATH: process.env.PATH ?? '', ...w.env, DATABASE_PATH: w.bot.databasePath, CONTENT_DIR: join(PROJECT_ROOT, 'content') },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        child.once('exit', (status) => resolve({ status, stdout, stderr }));
      });
    const closedTopics = () => w.fake.chat(w.staff.id).topics.filter((t) => t.closed).map((t) => t.message_thread_id);
    expect(closedTopics()).toContain(staffThread);

    // The bot may not delete topics: the rows go anyway, the deletions wait, and the team is told which right is missing.
    w.fake.setBotRight(w.staff.id, 'can_delete_messages', false);
    const refused = await purge();
    expect(refused.status, refused.stderr).toBe(2);
    expect(refused.stdout).toMatch(/Purged 2 closed case\(s\) older than 0 days, 1 idle client\(s\)/);
    expect(refused.stderr).toMatch(/lacks the administrator right Delete messages \(can_delete_messages\)/);
    const notice = w.fake.messages(w.staff.id).find((m) => /could not be deleted from this group/.test(String(m.text)));
    expect(notice?.message_thread_id).toBeUndefined(); // General
    expect(notice?.text).toMatch(/Delete messages \(can_delete_messages\)/);
    expect(closedTopics()).toContain(staffThread);
    const db = new Database(w.bot.databasePath, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM clients WHERE key = ?').get(key(idle))).toEqual({ n: 0 });
    expect((db.prepare('SELECT count(*) AS n FROM pending_deletions').get() as { n: number }).n).toBeGreaterThan(0);
    expect(db.prepare('SELECT count(*) AS n FROM case_stats').get()).toEqual({ n: 3 }); // the anonymous figures stay
    db.close();

    // With the right given back, the next purge deletes the topics whole.
    w.fake.setBotRight(w.staff.id, 'can_delete_messages', true);
    const granted = await purge();
    expect(granted.status, granted.stderr).toBe(0);
    expect(closedTopics()).toEqual([]);
    expect(inTopic(w.staff.id, staffThread)).toEqual([]);
    const after = new Database(w.bot.databasePath, { readonly: true });
    expect(after.prepare('SELECT count(*) AS n FROM pending_deletions').get()).toEqual({ n: 0 });
    after.close();
  }, 60_000);
});

describe('without topics in private chats, past Telegram\'s 48 hours', () => {
  const { w, clientSees, withButton } = world();
  let offset = 0;

  beforeAll(async () => {
    w.fake = await FakeTelegram.start({ clock: () => Date.now() + offset });
    w.anna = w.fake.createUser({ first_name: 'Anna' });
    w.staff = w.fake.createSupergroup({ title: 'Inbox', isForum: true, members: [w.anna] });
    w.bot = await startBot({ BOT_TOKEN: w.fake.token, BOT_SECRET: SECRET, TELEGRAM_API_ROOT: w.fake.apiRoot, STAFF_CHAT_ID: String(w.staff.id), DEFAULT_LANGUAGE: 'en' });
  });

  afterAll(async () => {
    await w.bot?.stop();
    await w.fake?.stop();
  });

  it('deletes what Telegram allows and tells the client honestly how to remove the rest', async () => {
    const client = w.fake.createUser({ first_name: 'Oldchat', language_code: 'en' });
    offset = -50 * 3_600_000; // these messages were sent two days ago, as far as Telegram is concerned
    w.fake.sendText(client, '/start');
    await clientSees(client, /What do you need right now/);
    offset = 0;
    w.fake.sendText(client, '/privacy');
    const privacy = await withButton(client, 'chat:clear');
    w.fake.pressButton(client, privacy, 'chat:clear');
    w.fake.pressButton(client, await withButton(client, 'chat:clear:yes'), 'chat:clear:yes');
    const report = await clientSees(client, /Done/);
    expect(report.text).toMatch(/Clear history/);
    // Telegram refused the batch for the two old ones: the bot deleted the rest in parts and says exactly what is left.
    expect(report.text).toMatch(/2 messages could not be deleted/);
    // The recent messages are gone; the two-day-old ones are still there, as Telegram keeps them.
    const left = w.fake.messages(client.id);
    expect(left.map((m) => String(m.text))).toEqual(['/start', expect.stringMatching(/What do you need right now/), report.text]);
    expect(w.fake.failedCalls().map((c) => c.method)).toEqual(expect.arrayContaining(['deleteMessages']));
    expect(w.fake.failedCalls().every((c) => /deleteMessages?$/.test(c.method))).toBe(true);
  }, 30_000);
});
