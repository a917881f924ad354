import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Chat, type User } from '../../src/sandbox/telegram-sim/index.js';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { chatHelpers } from '../support/chat.js';
import { until } from '../support/wait.js';

let fake: FakeTelegram;
let bot: BotProcess | undefined;
let team: Chat; // the one group of STAFF_CHAT_ID, later one inbox among others
let lawyers: Chat;
let aigerim: User;

const { clientSees, intake } = chatHelpers(() => fake);

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  aigerim = fake.createUser({ first_name: 'Aigerim' });
  lawyers = fake.createSupergroup({ title: 'Lawyers', isForum: true, members: [] });
  team = fake.createSupergroup({ title: 'Team', isForum: true, members: [aigerim] });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('moving from STAFF_CHAT_ID to INBOXES', () => {
  it('keeps the cases from before in their group, even when it is not the first inbox', async () => {
    const base = { BOT_TOKEN: fake.token, BOT_SECRET: 'upgrade-secret-upgrade-secret-upgrade-01', TELEGRAM_API_ROOT: fake.apiRoot, DEFAULT_LANGUAGE: 'en' };
    bot = await startBot({ ...base, STAFF_CHAT_ID: String(team.id) });
    const client = fake.createUser({ first_name: 'Earlyclient', language_code: 'en' });
    await intake(client, 'substances');
    await clientSees(client, /You are in the queue/);
    const topic = await until(() => fake.chat(team.id).topics[0], 'the case topic');
    const databasePath = bot.databasePath;
    expect(await bot.stop()).toBe(0);

    // The old group is now the second inbox; STAFF_CHAT_ID says it is where the earlier cases are.
    bot = await startBot({
      ...base,
      DATABASE_PATH: databasePath,
      INBOXES: `lawyers=${lawyers.id},team=${team.id}`,
      STAFF_CHAT_ID: String(team.id),
      INBOX_ROUTES: 'topic:housing=lawyers',
    });
    // A rule naming a topic settings.yml does not list is a warning, not a refusal.
    expect(bot.output()).toContain('INBOX_ROUTES names an id settings.yml does not list');
    expect(bot.output()).toMatch(/topic:housing=lawyers.*housing.* is not one of intake_topics/);

    fake.sendText(aigerim, 'Still here for you.', { chatId: team.id, threadId: topic.message_thread_id });
    await clientSees(client, /Still here for you/);
    fake.sendText(client, 'Thanks');
    await until(() => fake.messages(team.id).find((m) => m.message_thread_id === topic.message_thread_id && m.text === 'Thanks'), 'the answer in the old topic');
    expect(fake.chat(lawyers.id).topics).toHaveLength(0);
  }, 60_000);
});
