import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Message, type User } from '../../src/sandbox/telegram-sim/index.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { until } from '../support/wait.js';
import { buttons, chatHelpers } from '../support/chat.js';
import { databaseFiles, scanFiles } from '../support/byte-scan.js';

/**
 * Issue 21.5 and the check-in of 21.6, through Telegram: /history of a returning client (notes, referrals,
 * never their words), snippets with variables (filled, or not sent at all), found by a word, used as a
 * note; and the private check-in after an urgent case, with the "not started" fallback and /stats totals.
 */

let fake: FakeTelegram;
let bot: InProcessBot;
let staff: ReturnType<FakeTelegram['createSupergroup']>;
let anna: User;
let boris: User;

const { clientSees, intake } = chatHelpers(() => fake);
const inTopic = (threadId: number) => fake.messages(staff.id).filter((m) => m.message_thread_id === threadId);
const takeButton = (m: Message | undefined) => (m ? buttons(m).find((b) => b.startsWith('case:take:')) : undefined);
const inStaff = (user: User, text: string, threadId?: number) => fake.sendText(user, text, { chatId: staff.id, ...(threadId ? { threadId } : {}) });
const staffSees = (pattern: RegExp, what: string) => until(() => fake.botMessages(staff.id).find((m) => pattern.test(String(m.text))), what);

async function openTakenCase(client: User, by: User): Promise<number> {
  const known = new Set(fake.chat(staff.id).topics.map((t) => t.message_thread_id));
  await intake(client, 'other');
  await clientSees(client, /You are in the queue/);
  const threadId = await until(() => fake.chat(staff.id).topics.find((t) => !known.has(t.message_thread_id))?.message_thread_id, 'the new case topic');
  const card = await until(() => inTopic(threadId).find((m) => takeButton(m)), 'the card with Take');
  fake.pressButton(by, card, takeButton(card)!);
  await clientSees(client, /joined/);
  return threadId;
}

const pseudonymOf = (threadId: number) => /Client ([0-9A-Z]{4})/.exec(fake.chat(staff.id).topics.find((t) => t.message_thread_id === threadId)!.name)![1]!;

beforeAll(async () => {
  const content = mkdtempSync(join(tmpdir(), 'content-history-'));
  cpSync(join(import.meta.dirname, '..', '..', 'content'), content, { recursive: true });
  writeFileSync(join(content, 'snippets', 'en', 'who.md'), '---\ntitle: Who we are\n---\nI am {alias}, you are Client {pseudonym}. Police: {emergency:police}.\n\n{emergency}\n');
  // almaty is a sample entry (placeholder contacts): never filled into a client's message.
  writeFileSync(join(content, 'snippets', 'en', 'place.md'), '---\ntitle: Where to test\n---\nGo here:\n\n{service:almaty}\n');
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  anna = fake.createUser({ first_name: 'Anna' });
  boris = fake.createUser({ first_name: 'Boris', started: false }); // never opened the bot in private
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [anna, boris] });
  bot = await startInProcessBot({ BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, STAFF_CHAT_ID: String(staff.id), DEFAULT_LANGUAGE: 'en', CASE_OPEN_MINUTES: '0', CONTENT_DIR: content });
  inStaff(anna, '/alias Aigerim');
  await staffSees(/Aigerim/, 'the alias set');
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('snippets and notes in a case, then /history when the client returns', () => {
  it('fills variables, refuses a half-filled snippet, finds by a word, keeps notes, and shows them later without the client words', async () => {
    const client = fake.createUser({ first_name: 'Returning', language_code: 'en' });
    const first = await openTakenCase(client, anna);
    const pseudonym = pseudonymOf(first);
    fake.sendText(client, 'my secret words about mephedrone');
    await until(() => inTopic(first).find((m) => /secret words/.test(String(m.text))), 'the copy in the topic');

    inStaff(anna, '/snippet who', first);
    await clientSees(client, new RegExp(`I am Aigerim, you are Client ${pseudonym}\\. Police: 102\\.\\n\\n🆘 Ambulance: 103 · from any phone: 112`));

    inStaff(anna, '/snippet place', first);
    const refused = await staffSees(/Not sent: in the snippet “place”/, 'the refusal');
    expect(refused.text).toMatch(/\{service:almaty\}: the services entry “almaty” is a sample/);

    inStaff(anna, '!snippet who', first);
    await until(() => inTopic(first).find((m) => /as an internal note/.test(String(m.text))), 'the snippet as a note');

    inStaff(anna, '/snippets NALOXONE', first);
    const found = await staffSees(/Snippets with “NALOXONE”/, 'the search');
    expect(found.text).toMatch(/overdose-now/);
    expect(found.text).not.toMatch(/greeting/);
    inStaff(anna, '/snippets qwertyuiop', first);
    await staffSees(/No snippet has “qwertyuiop”/, 'nothing found');

    inStaff(anna, '! Police stop last week; offered the lawyer', first);
    inStaff(anna, '/note Follow up on the court date', first);
    inStaff(anna, '/refer lawyer', first);
    await staffSees(/lawyer/, 'the referral');
    inStaff(anna, '/close', first);
    await clientSees(client, /ended/i);
    // Neither snippet went to the client as a note or half-filled.
    expect(fake.botMessages(client).filter((m) => /I am Aigerim/.test(String(m.text)))).toHaveLength(1);
    expect(fake.botMessages(client).some((m) => /Go here|service:|Police stop|court date/.test(String(m.text)))).toBe(false);

    // The client comes back: a new case, and the team looks at the earlier one.
    const second = await openTakenCase(client, anna);
    inStaff(anna, `/history ${pseudonym.toLowerCase()}`);
    const history = await staffSees(/📁/, 'the history');
    expect(history.text).toMatch(new RegExp(`Client ${pseudonym}.*2 case\\(s\\)`));
    expect(history.text).toMatch(/Other · \d{4}-\d{2}-\d{2} → \d{4}-\d{2}-\d{2} · Aigerim\nReferrals: lawyer/);
    expect(history.text).toMatch(/📝 Aigerim: Police stop last week; offered the lawyer\n📝 Aigerim: Follow up on the court date/);
    expect(history.text).toMatch(/open now/);
    expect(history.text).not.toMatch(/secret words|I am Aigerim/);
    // The notes are kept encrypted: not a byte of them in the database, its WAL or anything beside it.
    const needles = ['Police stop last week', 'court date'].map((t) => ({ label: t, bytes: Buffer.from(t, 'utf8') }));
    expect(scanFiles(databaseFiles(bot.config.databasePath), needles)).toEqual([]);
    // Bare /history in the case's topic shows the same client.
    inStaff(anna, '/history', second);
    await until(() => inTopic(second).find((m) => /📁/.test(String(m.text))), 'the history in the topic');
    inStaff(anna, '/history ZZZZ');
    await staffSees(/No client ZZZZ is known/, 'an unknown pseudonym');
  }, 60_000);
});

describe('the check-in after an urgent case', () => {
  it('asks its consultant privately, counts the answer, shows support contacts on "not OK"; asks one who never started the bot once they do', async () => {
    const client = fake.createUser({ first_name: 'Urgent', language_code: 'en' });
    const thread = await openTakenCase(client, anna);
    inStaff(anna, '/urgent overdose', thread);
    await until(() => (fake.chat(staff.id).topics.find((t) => t.message_thread_id === thread)?.name.startsWith('🆘') ? true : undefined), 'the urgent topic');
    inStaff(anna, '/close', thread);
    const question = await until(() => fake.botMessages(anna).find((m) => /How are you after this one/.test(String(m.text))), 'the private check-in');
    const notOk = buttons(question).find((b) => b.endsWith(':not-ok'))!;
    expect(buttons(question).map((b) => b.split(':').pop())).toEqual(['ok', 'so-so', 'not-ok']);
    const query = fake.pressButton(anna, question, notOk);
    const contacts = await until(() => fake.botMessages(anna).find((m) => /Support for you/.test(String(m.text))), 'the support contacts');
    expect(contacts.text).toMatch(/not filled in yet by the organisation/);
    expect(contacts.text).not.toMatch(/\[\[ORG/);
    expect(fake.callbackAnswer(query)).toMatchObject({ text: 'Thank you: counted, anonymously.' });
    // The buttons are gone; a second tap (from a stale screen) counts nothing; nothing of it shows in the team's chat.
    expect(buttons(fake.botMessages(anna).find((m) => m.message_id === question.message_id)!)).toEqual([]);
    const again = fake.pressButton(anna, question, buttons(question)[0]!, { stale: true });
    await until(() => fake.callbackAnswer(again), 'the answer to the second tap');
    expect(fake.callbackAnswer(again)).toMatchObject({ text: 'This check-in was already answered, or has expired.' });
    expect(fake.messages(staff.id).some((m) => /Not OK|counted|check-in/i.test(String(m.text)))).toBe(false);

    // Boris never started the bot: the topic says only that something waits for him in private.
    const other = fake.createUser({ first_name: 'Urgent2', language_code: 'en' });
    const thread2 = await openTakenCase(other, boris);
    inStaff(boris, '/urgent', thread2);
    await until(() => (fake.chat(staff.id).topics.find((t) => t.message_thread_id === thread2)?.name.startsWith('🆘') ? true : undefined), 'the second urgent topic');
    inStaff(boris, '/close', thread2);
    await until(() => inTopic(thread2).find((m) => /a private check-in waits for you.*@peer_help_bot/.test(String(m.text))), 'the note in the topic');
    expect(fake.botMessages(boris)).toEqual([]);
    fake.sendText(boris, '/start');
    const his = await until(() => fake.botMessages(boris).find((m) => /How are you after this one/.test(String(m.text))), 'the check-in once he started the bot');
    fake.pressButton(boris, his, buttons(his)[0]!);
    await until(() => fake.botMessages(boris).find((m) => /Take a breath/.test(String(m.text))), 'the answer acknowledged in place');

    // /stats: a total only (two answers: "<5", and no breakdown that could be someone's).
    inStaff(anna, '/stats');
    const stats = await staffSees(/Check-ins/, 'the stats');
    expect(stats.text).toMatch(/Check-ins after urgent cases: <5 answered$/m);

    // Locked (a stranger may be in the chat): /history shows nothing.
    const histories = () => fake.botMessages(staff.id).filter((m) => /📁/.test(String(m.text))).length;
    const before = histories();
    inStaff(anna, '/lockdown');
    await staffSees(/locked/i, 'the lockdown');
    inStaff(anna, `/history ${pseudonymOf(thread2)}`);
    await new Promise((r) => setTimeout(r, 700));
    expect(histories()).toBe(before);
  }, 60_000);
});

describe('the sandbox', () => {
  it("shows each consultant their own private chat with the bot, with the check-in's buttons", async () => {
    const { createScene } = await import('../../src/sandbox/scene.js');
    const { buildView } = await import('../../src/sandbox/view.js');
    const sim = await FakeTelegram.start({ botUsername: 'sandbox_bot' });
    try {
      const scene = createScene(sim);
      const [first, second] = scene.consultants;
      const res = await fetch(`${sim.apiRoot}/bot${sim.token}/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: first!.id, text: 'How are you after this one?', reply_markup: { inline_keyboard: [[{ text: 'OK', callback_data: 'care:1:ok' }]] } }),
      });
      expect(res.ok).toBe(true);
      const team = buildView(scene).team;
      expect(team.consultants.find((c) => c.id === first!.id)!.private.map((m) => [m.html, m.buttons])).toEqual([['How are you after this one?', [[{ text: 'OK', data: 'care:1:ok' }]]]]);
      expect(team.consultants.find((c) => c.id === second!.id)!.private).toEqual([]);
    } finally {
      await sim.stop();
    }
  });
});
