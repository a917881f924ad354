import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Chat, type User } from '../../src/sandbox/telegram-sim/index.js';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { until } from '../support/wait.js';

let fake: FakeTelegram;
let bot: BotProcess;
let staff: Chat;
let consultant: User;
let stranger: User;
let newsChannel: Chat;
let kzChannel: Chat;
let offlineGroup: Chat;
let spamChannel: Chat;

const channelPost = (chat: Chat, text: string) => ({
  channel_post: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { ...chat }, text },
});
const leftChats = () => fake.calls.filter((c) => c.method === 'leaveChat' && c.ok).map((c) => Number(c.params.chat_id));
/** Every call the bot made towards a chat, other than leaving it. */
const callsTo = (chat: Chat) => fake.calls.filter((c) => Number(c.params.chat_id) === chat.id && c.method !== 'leaveChat');

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  consultant = fake.createUser({ first_name: 'Aigerim', username: 'aigerim_staff' });
  stranger = fake.createUser({ first_name: 'Strangername', username: 'stranger_handle', language_code: 'en' });
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [consultant] });
  newsChannel = fake.createChannel({ title: 'News', username: 'Safety_News' });
  kzChannel = fake.createChannel({ title: 'KZ' });
  // Added while the bot was offline; its messages wait for the bot.
  offlineGroup = fake.createGroup({ title: 'Offline group', members: [stranger], botStatus: 'member' });
  fake.sendText(stranger, '/start', { chatId: offlineGroup.id });
  spamChannel = fake.createChannel({ title: 'Spam channel' });
  fake.pushUpdate(channelPost(spamChannel, '/start'));
  bot = await startBot({
    BOT_TOKEN: fake.token,
    BOT_SECRET: 'strangers-secret-strangers-secret-000001',
    TELEGRAM_API_ROOT: fake.apiRoot,
    STAFF_CHAT_ID: String(staff.id),
    CHANNELS: `news=@safety_news,kz=${kzChannel.id}`,
    DEFAULT_LANGUAGE: 'en',
  });
});

afterAll(async () => {
  expect(await bot?.stop()).toBe(0);
  await fake?.stop();
});

describe("strangers' chats", () => {
  it('leaves a group the moment a stranger adds it, and answers nothing there', async () => {
    const group = fake.createSupergroup({ title: 'Curious group', members: [stranger], botStatus: 'left' });
    fake.addBotToChat(group, 'member', stranger);
    await fake.waitForCall('leaveChat', (c) => Number(c.params.chat_id) === group.id, { timeoutMs: 10_000 });
    // Whatever still comes from there (sent before the bot was gone) is dropped.
    for (const text of ['/start', '/stats', '/help', '/lockdown', '/consult', 'hello bot']) fake.sendText(stranger, text, { chatId: group.id });

    // Our own chats keep working: the staff chat answers, the configured channels are not left.
    fake.pushUpdate(channelPost(newsChannel, 'a post'));
    fake.pushUpdate(channelPost(kzChannel, 'a post'));
    fake.sendText(consultant, '/stats', { chatId: staff.id });
    await until(() => fake.botMessages(staff).some((m) => /Cases/.test(m.text ?? '')), 'the staff chat to get /stats', 10_000);
    await new Promise((r) => setTimeout(r, 1_000));

    expect(fake.botMessages(group)).toEqual([]);
    expect(callsTo(group)).toEqual([]);
    expect(leftChats().filter((id) => id === group.id)).toHaveLength(1); // left once, not once per update
    expect(leftChats()).not.toContain(staff.id);
    expect(leftChats()).not.toContain(newsChannel.id);
    // The channel configured by @username was looked up, so it is known by its id from now on.
    expect(fake.calls.some((c) => c.method === 'getChat' && String(c.params.chat_id).toLowerCase() === '@safety_news' && c.ok)).toBe(true);
    expect(leftChats()).not.toContain(kzChannel.id);
    expect(fake.failedCalls()).toEqual([]);
  }, 30_000);

  it('leaves chats it was added to while offline as soon as anything arrives from them', async () => {
    await until(() => leftChats().includes(offlineGroup.id) && leftChats().includes(spamChannel.id), 'the bot to leave both chats', 10_000);
    expect(fake.botMessages(offlineGroup)).toEqual([]);
    expect(callsTo(offlineGroup)).toEqual([]);
    expect(callsTo(spamChannel)).toEqual([]);
  });

  it('logs which chat it left and why, never who added it', () => {
    const lines = bot.output().split('\n').filter((l) => l.includes('leaving a chat that is not'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.join('\n')).toMatch(/"chat_type":"supergroup","chat_id":-100\d+,"reason":"the bot was added to it"/);
    expect(lines.join('\n')).toMatch(/"chat_type":"channel".*"reason":"an update came from it"/);
    const output = bot.output();
    expect(output).not.toContain('Strangername');
    expect(output).not.toContain('stranger_handle');
    expect(output).not.toContain(String(stranger.id));
  });
});
