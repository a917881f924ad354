import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Chat, type Message, type User } from '../../src/sandbox/telegram-sim/index.js';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { until } from '../support/wait.js';
import { buttons, chatHelpers } from '../support/chat.js';

let fake: FakeTelegram;
let bot: BotProcess;
let staff: Chat;
let anna: User; // administrator
let boris: User; // member throughout
let eve: User; // a member, then removed
let mallory: User; // never a member
let env: Record<string, string>;

const chat = chatHelpers(() => fake);
const general = () => fake.botMessages(staff).filter((m) => m.message_thread_id === undefined);
const inTopic = (threadId: number) => fake.messages(staff).filter((m) => m.message_thread_id === threadId);
const clientTexts = (user: User) => fake.botMessages(user).map((m) => String(m.text ?? ''));
const topicOf = (threadId: number) => fake.chat(staff).topics.find((t) => t.message_thread_id === threadId)!;

/** The case topic made for this client's intake (the newest topic once they are queued). */
async function openCase(client: User): Promise<number> {
  const before = fake.chat(staff).topics.length;
  await chat.intake(client, 'substances');
  await until(() => clientTexts(client).some((t) => /You are in the queue/.test(t)), 'the client to be queued');
  return (await until(() => fake.chat(staff).topics[before], 'the case topic')).message_thread_id;
}

let forgedId = 900_000;
/** A message update as Telegram would deliver it, for senders the simulator will not let write (no longer members, anonymous). */
function queuedMessage(from: Record<string, unknown>, text: string, threadId?: number, extra: Record<string, unknown> = {}) {
  const command = /^\/\w+/.exec(text)?.[0];
  return {
    message: {
      message_id: ++forgedId,
      date: Math.floor(Date.now() / 1000),
      chat: { ...staff },
      from,
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
      ...(threadId !== undefined ? { message_thread_id: threadId, is_topic_message: true } : {}),
      ...extra,
    },
  };
}

/** A later message in the same topic is handled after the ones before it (one topic, one sequence): when its answer shows, they are done. */
async function sentinel(threadId: number): Promise<void> {
  const before = inTopic(threadId).filter((m) => /Referrals: lawyer/.test(String(m.text))).length;
  fake.sendText(boris, '/refer lawyer', { chatId: staff.id, threadId });
  await until(() => inTopic(threadId).filter((m) => /Referrals: lawyer/.test(String(m.text))).length > before, 'the sentinel answer');
}

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  anna = fake.createUser({ first_name: 'Anna', username: 'anna_admin' });
  boris = fake.createUser({ first_name: 'Boris', username: 'boris_staff' });
  eve = fake.createUser({ first_name: 'Eve', username: 'eve_removed' });
  mallory = fake.createUser({ first_name: 'Mallory', username: 'mallory_x' });
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [boris, eve], admins: [anna] });
  // As many groups are made: new members see the history, and saving is allowed.
  fake.setGroupSettings(staff, { visibleHistory: true, protectedContent: false });
  env = {
    BOT_TOKEN: fake.token,
    BOT_SECRET: 'membership-secret-membership-secret-0001',
    TELEGRAM_API_ROOT: fake.apiRoot,
    STAFF_CHAT_ID: String(staff.id),
    DEFAULT_LANGUAGE: 'en',
  };
  bot = await startBot(env);
  fake.sendText(anna, '/stats', { chatId: staff.id });
  await until(() => fake.botMessages(staff).some((m) => /Cases/.test(m.text ?? '')), 'the first poll');
});

afterAll(async () => {
  expect(await bot?.stop()).toBe(0);
  await fake?.stop();
});

describe('the staff group settings (M5)', () => {
  it('says loudly in General, once, that new members see old cases and that saving is allowed; /healthz shows it', async () => {
    const notice = await until(() => general().find((m) => /settings put clients at risk/.test(String(m.text))), 'the settings notice');
    expect(notice.text).toMatch(/new members can read every earlier message/);
    expect(notice.text).toMatch(/Restrict saving content is off/);
    const health = (await (await fetch(`http://127.0.0.1:${bot.port}/healthz`)).json()) as { ok: boolean; staffGroups: Record<string, { problems: string[] }> };
    expect(health.ok).toBe(true); // the team keeps working
    expect(health.staffGroups.main?.problems).toEqual(['visible-history', 'not-protected']);
    expect(bot.output()).toMatch(/the staff group settings expose clients/);

    // A restart with the same settings does not say it again; fixed, it says so once.
    const database = bot.databasePath;
    expect(await bot.stop()).toBe(0);
    bot = await startBot({ ...env, DATABASE_PATH: database });
    await until(() => bot.output().includes('the staff group settings expose clients'), 'the check after the restart');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(general().filter((m) => /settings put clients at risk/.test(String(m.text)))).toHaveLength(1);
    fake.setGroupSettings(staff, { visibleHistory: false, protectedContent: true });
    expect(await bot.stop()).toBe(0);
    bot = await startBot({ ...env, DATABASE_PATH: database });
    await until(() => general().find((m) => /settings are safe again/.test(String(m.text))), 'the all-clear');
  }, 60_000);
});

describe('only current members act as staff (issue 24.3)', () => {
  it("a removed member's queued reply, /close, /ban and Take change nothing and reach no client; a member's do", async () => {
    const first = fake.createUser({ first_name: 'Firstclient', language_code: 'en' });
    const second = fake.createUser({ first_name: 'Secondclient', language_code: 'en' });
    const topic1 = await openCase(first);
    const topic2 = await openCase(second);

    // Eve, a member, answers the first client: that works (and the bot now knows her as a member).
    fake.sendText(eve, 'Hi, I am here for you', { chatId: staff.id, threadId: topic1 });
    await chat.clientSees(first, /Hi, I am here for you/);

    // She is removed. Telegram still holds updates she sent (or that someone forged in her name).
    fake.setMemberStatus(staff, eve, 'left');
    fake.pushUpdate({
      chat_member: {
        chat: { ...staff }, from: { ...anna }, date: Math.floor(Date.now() / 1000),
        old_chat_member: { status: 'member', user: { ...eve } }, new_chat_member: { status: 'left', user: { ...eve } },
      },
    });
    await until(() => general().find((m) => /Eve \(@eve_removed\) was removed/.test(String(m.text))), 'the removal notice');
    const card2 = await until(() => inTopic(topic2).find((m) => buttons(m).some((b) => b.startsWith('case:take:'))), 'the second card') as Message;
    const take2 = buttons(card2).find((b) => b.startsWith('case:take:'))!;

    fake.pushUpdate(queuedMessage({ ...eve }, 'Send me your address, I will come by', topic1));
    fake.pushUpdate(queuedMessage({ ...eve }, '/close', topic1));
    fake.pushUpdate(queuedMessage({ ...eve }, '/ban', topic1));
    fake.pushUpdate({ callback_query: { id: 'forged-take-1', from: { ...eve }, chat_instance: '1', data: take2, message: card2 } });
    // Mallory was never a member (the bot has never heard of her).
    fake.pushUpdate(queuedMessage({ ...mallory }, '/take', topic2));
    fake.pushUpdate(queuedMessage({ ...mallory }, '/close', topic2));
    await sentinel(topic1);
    await sentinel(topic2);
    await new Promise((r) => setTimeout(r, 500));

    // Nothing reached either client, nothing changed in either case.
    expect(clientTexts(first).some((t) => /address|has ended|not available/.test(t))).toBe(false);
    expect(clientTexts(second).some((t) => /has joined|has ended/.test(t))).toBe(false);
    expect(topicOf(topic1).closed).toBeFalsy();
    expect(topicOf(topic2).name).not.toMatch(/✅/);
    expect(buttons(fake.messages(staff).find((m) => m.message_id === card2.message_id)!)).toContain(take2);
    expect(fake.callbackAnswer('forged-take-1')).toBeDefined(); // answered (the button stops spinning), nothing more
    expect(fake.calls.filter((c) => c.method === 'getChatMember' && c.params.user_id === mallory.id).length).toBeGreaterThan(0);
    // Logged by kind, without names or ids.
    expect(bot.output()).toMatch(/"reason":"not-a-member"/);
    expect(bot.output()).not.toMatch(/\bEve\b|\bMallory\b|eve_removed|mallory_x/);
    expect(bot.output()).not.toContain(String(eve.id));

    // The first client is not banned and the case is open: their words still reach the topic.
    fake.sendText(first, 'are you still there?');
    await until(() => inTopic(topic1).some((m) => String(m.text).includes('are you still there?')), 'the client message in the topic');

    // A current member still works: Boris takes the second case and answers.
    fake.sendText(boris, '/take', { chatId: staff.id, threadId: topic2 });
    await chat.clientSees(second, /has joined/);
    fake.sendText(boris, 'Hello from Boris', { chatId: staff.id, threadId: topic2 });
    await chat.clientSees(second, /Hello from Boris/);
  }, 90_000);

  it('refuses messages sent as the group (anonymous administrator) or on behalf of a channel, with one note in General', async () => {
    const client = fake.createUser({ first_name: 'Thirdclient', language_code: 'en' });
    const topic = await openCase(client);
    const anonymous = { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' };
    const channelBot = { id: 136817688, is_bot: true, first_name: 'Channel', username: 'Channel_Bot' };
    fake.pushUpdate(queuedMessage(anonymous, '/close', topic, { sender_chat: { ...staff } }));
    fake.pushUpdate(queuedMessage(anonymous, 'Tell me where you live', topic, { sender_chat: { ...staff } }));
    fake.pushUpdate(queuedMessage(channelBot, 'Hello from a channel', topic, { sender_chat: { id: -1009999999999, type: 'channel', title: 'Some channel' } }));
    fake.pushUpdate(queuedMessage(anonymous, '/lockdown', undefined, { sender_chat: { ...staff } }));
    await sentinel(topic);
    await until(() => general().find((m) => /sent as the group \(an anonymous administrator\) or on behalf of a channel was ignored/.test(String(m.text))), 'the note in General');
    await new Promise((r) => setTimeout(r, 500));
    expect(general().filter((m) => /anonymous administrator/.test(String(m.text)))).toHaveLength(1); // one note, not one per message
    expect(general().some((m) => /Inbox locked/.test(String(m.text)))).toBe(false);
    expect(clientTexts(client).some((t) => /has ended|where you live|from a channel|has joined/.test(t))).toBe(false);
    expect(topicOf(topic).closed).toBeFalsy();
    expect(bot.output()).toMatch(/"reason":"anonymous-admin"/);
    expect(bot.output()).toMatch(/"reason":"as-channel"/);
  }, 60_000);
});

describe('bans nobody could lift (L13)', () => {
  it('/unban PSEUDONYM in General lifts a ban after the case is closed; /bans counts them by day for administrators', async () => {
    const client = fake.createUser({ first_name: 'Bannedclient', language_code: 'en' });
    const topic = await openCase(client);
    const pseudonym = /Client ([0-9A-Z]{4})/.exec(topicOf(topic).name)![1]!;
    fake.sendText(boris, '/ban', { chatId: staff.id, threadId: topic });
    await chat.clientSees(client, /not available to you/);
    fake.sendText(client, '/consult');
    await chat.clientSees(client, /not available to you/);

    fake.sendText(boris, '/bans', { chatId: staff.id });
    await until(() => general().find((m) => /Only an administrator of this group can list bans/.test(String(m.text))), 'the refusal');
    fake.sendText(anna, '/bans', { chatId: staff.id });
    const list = await until(() => general().find((m) => /Bans in force/.test(String(m.text))), 'the ban list');
    expect(list.text).toMatch(/: 1\n• \d{4}-\d{2}-\d{2}: 1$/);
    expect(list.text).not.toContain(pseudonym);

    fake.sendText(boris, `/unban client ${pseudonym.toLowerCase()}`, { chatId: staff.id });
    await until(() => general().find((m) => new RegExp(`Client ${pseudonym} is no longer banned`).test(String(m.text))), 'the unban answer');
    fake.sendText(boris, '/unban ZZZZ', { chatId: staff.id });
    await until(() => general().find((m) => /No client ZZZZ is known/.test(String(m.text))), 'the unknown answer');
    fake.sendText(client, '/consult');
    await chat.withButton(client, 'intake:topic:substances');
    fake.sendText(anna, '/bans', { chatId: staff.id });
    await until(() => general().find((m) => /No bans are in force/.test(String(m.text))), 'the empty list');
  }, 60_000);
});

describe('a lockdown holds every staff post to clients (L3)', () => {
  it('holds replies and snippets queued before the lockdown; /unlock lists them; drop sends none, send sends them', async () => {
    const client = fake.createUser({ first_name: 'Heldclient', language_code: 'en' });
    const topic = await openCase(client);
    fake.sendText(boris, '/take', { chatId: staff.id, threadId: topic });
    await chat.clientSees(client, /has joined/);
    fake.sendText(boris, '/alias Boris B', { chatId: staff.id });
    await until(() => general().find((m) => /Boris B/.test(String(m.text))), 'the alias answer');

    // The client's chat is slow for a moment (a 429 of a few seconds): what the team sends waits in the outbox.
    fake.setRateLimits({ privatePerSecond: 0.2, privateBurst: 1 });
    fake.sendText(boris, 'first reply, sent just before the lockdown', { chatId: staff.id, threadId: topic });
    fake.sendText(boris, 'second reply, also queued', { chatId: staff.id, threadId: topic });
    fake.sendText(boris, '/snippet greeting', { chatId: staff.id, threadId: topic });
    await until(() => inTopic(topic).find((m) => /peer consultant/.test(String(m.text))), 'the snippet shown in the topic');
    fake.sendText(boris, '/lockdown', { chatId: staff.id });
    await until(() => general().find((m) => /Inbox locked by Boris/.test(String(m.text))), 'the lockdown');
    fake.setRateLimits({});

    // An administrator's /unlock first shows what is held, per topic and author, and keeps the lock.
    fake.sendText(anna, '/unlock', { chatId: staff.id });
    const list = await until(() => general().find((m) => /Still locked/.test(String(m.text))), 'the held list');
    const name = topicOf(topic).name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const held = Number(new RegExp(`${name}: (\\d+) \\(from Boris B\\)`).exec(String(list.text))?.[1]);
    expect(held).toBeGreaterThanOrEqual(1); // at least the snippet, behind the replies that waited
    expect(list.text).toMatch(new RegExp(`Still locked\\. ${held} messages`));
    expect(list.text).toMatch(/\/unlock send/);
    expect(list.text).toMatch(/\/unlock drop/);
    const before = clientTexts(client).length;
    await new Promise((r) => setTimeout(r, 6_000)); // past the 429: still nothing goes while locked
    expect(clientTexts(client)).toHaveLength(before);

    fake.sendText(anna, '/unlock drop', { chatId: staff.id });
    const unlocked = await until(() => general().find((m) => /Inbox unlocked/.test(String(m.text))), 'the unlock');
    expect(unlocked.text).toMatch(new RegExp(`${held} held messages from the team were dropped`));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(clientTexts(client)).toHaveLength(before);
    expect(clientTexts(client).some((t) => /peer consultant/.test(t))).toBe(false); // the snippet never went

    // Another time the administrator lets them go.
    fake.setRateLimits({ privatePerSecond: 0.2, privateBurst: 1 });
    fake.sendText(boris, 'third reply, fine to send', { chatId: staff.id, threadId: topic });
    await chat.clientSees(client, /third reply, fine to send/); // that used up the client chat's budget for a few seconds
    fake.sendText(boris, 'fourth reply, fine too', { chatId: staff.id, threadId: topic });
    await new Promise((r) => setTimeout(r, 300));
    fake.sendText(boris, '/lockdown', { chatId: staff.id });
    await until(() => general().filter((m) => /Inbox locked by Boris/.test(String(m.text))).length === 2, 'the second lockdown');
    fake.setRateLimits({});
    fake.sendText(anna, '/unlock', { chatId: staff.id });
    await until(() => general().filter((m) => /Still locked/.test(String(m.text))).length === 2, 'the second held list');
    fake.sendText(anna, '/unlock send', { chatId: staff.id });
    await chat.clientSees(client, /fourth reply, fine too/);
    expect(fake.failedCalls({ ignoreRateLimits: true })).toEqual([]);
  }, 90_000);
});
