import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Message } from '../support/fake-telegram/index.js';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { until } from '../support/wait.js';

let fake: FakeTelegram;
let bot: BotProcess;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await FakeTelegram.start();
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});


describe('crash safety', () => {
  it('kill -9 in the middle of a burst of client messages: after a restart every message is in the inbox once, in order', async () => {
    const staff = fake.createSupergroup({ title: 'Inbox', isForum: true });
    env = { BOT_TOKEN: fake.token, BOT_SECRET: 'crash-secret-crash-secret-crash-secret-01', TELEGRAM_API_ROOT: fake.apiRoot, STAFF_CHAT_ID: String(staff.id), DEFAULT_LANGUAGE: 'en' };
    bot = await startBot(env);
    const client = fake.createUser({ first_name: 'Crash', language_code: 'en' });
    const withButton = async (data: string): Promise<Message> => {
      for (;;) {
        const m = await fake.nextBotMessage(client.id);
        if ((m.reply_markup?.inline_keyboard ?? []).flat().some((b) => b.callback_data === data)) return m;
      }
    };
    fake.sendText(client, '/consult');
    fake.pressButton(client, await withButton('intake:topic:other'), 'intake:topic:other');
    fake.pressButton(client, await withButton('intake:skip'), 'intake:skip');
    fake.pressButton(client, await withButton('intake:go'), 'intake:go');
    const threadId = await until(() => fake.chat(staff.id).topics[0]?.message_thread_id, 'the topic', 20_000);
    const copies = () => fake.messages(staff.id).filter((m) => m.message_thread_id === threadId && /^burst \d+$/.test(String(m.text))).map((m) => String(m.text));

    const texts = Array.from({ length: 16 }, (_, i) => `burst ${i + 1}`); // within the 20-a-minute inbox budget
    for (const text of texts) fake.sendText(client, text);
    await until(() => copies().length >= 3 && copies(), 'the first copies', 20_000);
    await bot.crash(); // mid-burst: some updates fetched, some handled, some copies queued
    expect(copies().length).toBeLessThan(16);

    bot = await startBot({ ...env, DATABASE_PATH: bot.databasePath });
    await until(() => copies().length >= 16 && copies(), "all sixteen copies", 30_000);
    await new Promise((r) => setTimeout(r, 1_000)); // anything doubled would show up by now
    expect(copies()).toEqual(texts);
  }, 90_000);
});
