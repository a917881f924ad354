import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Message } from '../../src/sandbox/telegram-sim/index.js';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { until } from '../support/wait.js';
import { chatHelpers } from '../support/chat.js';

let fake: FakeTelegram;
let bot: BotProcess;
let staff: { id: number };
type User = ReturnType<FakeTelegram['createUser']>;
let anna: User;

const { clientSees, intake, withButton } = chatHelpers(() => fake);

const inTopic = (threadId: number) => fake.messages(staff.id).filter((m) => m.message_thread_id === threadId);
const topicName = (threadId: number) => fake.chat(staff.id).topics.find((t) => t.message_thread_id === threadId)?.name ?? '';
const card = (threadId: number) => inTopic(threadId).find((m) => String(m.text).includes('Earlier cases:'));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  anna = fake.createUser({ first_name: 'Anna', username: 'anna_staff' });
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [anna] });
  bot = await startBot({
    BOT_TOKEN: fake.token,
    BOT_SECRET: 'risk-words-secret-risk-words-secret-0001',
    TELEGRAM_API_ROOT: fake.apiRoot,
    STAFF_CHAT_ID: String(staff.id),
    DEFAULT_LANGUAGE: 'en', // the staff side speaks DEFAULT_LANGUAGE
  });
});

afterAll(async () => {
  expect(await bot?.stop()).toBe(0);
  await fake?.stop();
});

/** A client with a waiting case; returns its topic, found by the copy of a first ordinary message. */
async function waitingClient(lang: string, hello: string): Promise<{ client: User; thread: number }> {
  const client = fake.createUser({ first_name: `Secret${lang}`, username: `secret_${lang}_client`, language_code: lang });
  await intake(client, 'substances');
  await clientSees(client, /✅/); // queued
  fake.sendText(client, hello);
  const copy = await until(() => fake.messages(staff.id).find((m) => m.text === hello), `the copy of "${hello}"`);
  const thread = copy.message_thread_id!;
  await until(() => card(thread), 'the case card');
  expect(topicName(thread)).not.toMatch(/🆘/);
  expect(card(thread)!.text).not.toMatch(/URGENT/);
  return { client, thread };
}

const place = async (client: User): Promise<string> => {
  fake.sendText(client, '/status');
  const answer: Message = await clientSees(client, /⏳/);
  return /(\d+)/.exec(String(answer.text))?.[1] ?? String(answer.text); // the place is the first number
};

describe('risk words in a client\'s messages, end to end', () => {
  let ru: { client: User; thread: number };
  let kk: { client: User; thread: number };
  let en: { client: User; thread: number };

  it('"он не дышит", "ол дем алмайды", "he is not breathing" make waiting cases urgent, first in the queue, the reason on the card, nothing to the client', async () => {
    ru = await waitingClient('ru', 'Привет');
    kk = await waitingClient('kk', 'Сәлем');
    en = await waitingClient('en', 'Hello there');
    expect(await place(en.client)).toBe('3');

    for (const [who, words] of [[en, 'he is not breathing'], [ru, 'он не дышит'], [kk, 'ол дем алмайды']] as const) {
      const before = fake.botMessages(who.client.id).length;
      fake.sendText(who.client, words);
      await until(() => inTopic(who.thread).find((m) => m.text === words), `the copy of "${words}"`);
      await until(() => topicName(who.thread).startsWith('🆘 '), 'the topic named 🆘');
      await until(() => /URGENT/.test(String(card(who.thread)?.text)) && /Why: someone not breathing/.test(String(card(who.thread)?.text)), 'the card with the reason');
      const note = await until(() => inTopic(who.thread).find((m) => String(m.text).startsWith('🆘 Marked urgent')), 'the note in the topic');
      expect(note.text).toMatch(/someone not breathing/);
      expect(note.text).not.toContain(words); // the category, never the words
      await pause(400);
      expect(fake.botMessages(who.client.id).slice(before), 'nothing reaches the client').toEqual([]);
      if (who === en) expect(await place(en.client)).toBe('1'); // raised: ahead of the two who came earlier
    }
    // All three urgent now: among urgent cases, the earliest first.
    expect(await place(ru.client)).toBe('1');
    expect(await place(en.client)).toBe('3');
    // The client's chat has no trace of urgency.
    for (const who of [ru, kk, en]) {
      expect(fake.botMessages(who.client.id).map((m) => String(m.text)).join('\n')).not.toMatch(/🆘|URGENT|urgent|срочн|шұғыл/i);
    }
  });

  it('/normal lowers a case and the same words do not raise it again; /urgent with a reason raises it by hand', async () => {
    fake.sendText(anna, '/normal', { chatId: staff.id, threadId: ru.thread });
    await until(() => !topicName(ru.thread).startsWith('🆘'), 'the topic without 🆘');
    await until(() => card(ru.thread) && !/URGENT|Why:/.test(String(card(ru.thread)!.text)), 'the card without urgency');
    await until(() => inTopic(ru.thread).find((m) => /marked the case not urgent/.test(String(m.text))), 'the note');
    expect(await place(ru.client)).toBe('3'); // behind the two urgent cases again

    fake.sendText(ru.client, 'он всё ещё не дышит');
    await until(() => inTopic(ru.thread).find((m) => m.text === 'он всё ещё не дышит'), 'the copy');
    await pause(500);
    expect(topicName(ru.thread)).not.toMatch(/🆘/);
    expect(card(ru.thread)!.text).not.toMatch(/URGENT/);

    fake.sendText(anna, '/urgent alone at night', { chatId: staff.id, threadId: ru.thread });
    await until(() => topicName(ru.thread).startsWith('🆘 '), 'the topic named 🆘 again');
    await until(() => /Why: alone at night/.test(String(card(ru.thread)?.text)), 'the card with the consultant\'s reason');
    expect(await place(ru.client)).toBe('1');

    // Lowering a case that is not urgent says so; /urgent outside a case topic is refused.
    fake.sendText(anna, '/normal', { chatId: staff.id, threadId: kk.thread });
    fake.sendText(anna, '/normal', { chatId: staff.id, threadId: kk.thread });
    await until(() => inTopic(kk.thread).find((m) => m.text === 'This case is not urgent.'), 'the refusal');
    fake.sendText(anna, '/urgent', { chatId: staff.id });
    await until(() => fake.messages(staff.id).find((m) => m.message_thread_id === undefined && /inside a case topic/.test(String(m.text))), 'the in-case-only answer');
  });

  it('risk words in the intake description open the case urgent, with its reason', async () => {
    const client = fake.createUser({ first_name: 'Secretdesc', language_code: 'ru' });
    fake.sendText(client, '/consult');
    fake.pressButton(client, await withButton(client, 'intake:topic:substances'), 'intake:topic:substances');
    await withButton(client, 'intake:skip'); // asked to describe it
    fake.sendText(client, 'друг без сознания, губы синие');
    const confirm = await withButton(client, 'intake:go');
    fake.pressButton(client, confirm, 'intake:go');
    const copy = await until(() => fake.messages(staff.id).find((m) => m.text === 'друг без сознания, губы синие'), 'the description copy');
    await until(() => topicName(copy.message_thread_id!).startsWith('🆘 '), 'the topic named 🆘');
    await until(() => /Why: signs of an overdose/.test(String(card(copy.message_thread_id!)?.text)), 'the card with the reason');
    expect(fake.botMessages(client.id).map((m) => String(m.text)).join('\n')).not.toMatch(/🆘|срочн/i);
  });
});
