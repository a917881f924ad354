import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Chat, type Message, type User } from '../../src/sandbox/telegram-sim/index.js';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { until } from '../support/wait.js';
import { buttons, chatHelpers } from '../support/chat.js';

let fake: FakeTelegram;
let bot: BotProcess;
let staff: Chat;
let anna: User; // administrator
let boris: User; // member
let env: Record<string, string>;

/** What the bot has posted in the General topic (no thread), as it is now. */
const general = () => fake.botMessages(staff).filter((m) => m.message_thread_id === undefined);
const inTopic = (threadId: number) => fake.messages(staff).filter((m) => m.message_thread_id === threadId);
/** Client texts in a topic, one per part of a joined copy. */
const partsIn = (threadId: number) => inTopic(threadId).flatMap((m) => String(m.text ?? '').split('\n\n'));
const clientTexts = (user: User) => fake.botMessages(user).map((m) => String(m.text ?? ''));
const WAITING_NOTICE = /inbox is paused for a short while/;

const chat = chatHelpers(() => fake);
const withButton = chat.withButton;

async function intake(client: User): Promise<void> {
  await chat.intake(client, 'substances');
  await until(() => clientTexts(client).some((t) => /You are in the queue/.test(t)), 'the client to be queued');
}

function memberUpdate(user: User, by: User, from: string, to: string) {
  return {
    chat_member: {
      chat: { ...staff },
      from: { ...by },
      date: Math.floor(Date.now() / 1000),
      old_chat_member: { status: from, user: { ...user } },
      new_chat_member: to === 'administrator'
        ? { status: to, user: { ...user }, can_be_edited: true, is_anonymous: false, can_manage_chat: true, can_delete_messages: true, can_manage_video_chats: true, can_restrict_members: true, can_promote_members: false, can_change_info: true, can_invite_users: true, can_post_stories: false, can_edit_stories: false, can_delete_stories: false, can_pin_messages: true, can_manage_topics: true }
        : { status: to, user: { ...user } },
    },
  };
}

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  anna = fake.createUser({ first_name: 'Anna', username: 'anna_admin' });
  boris = fake.createUser({ first_name: 'Boris', username: 'boris_staff' });
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [boris], admins: [anna] });
  env = {
    BOT_TOKEN: fake.token,
    BOT_SECRET: 'lockdown-secret-lockdown-secret-00000001',
    TELEGRAM_API_ROOT: fake.apiRoot,
    STAFF_CHAT_ID: String(staff.id),
    DEFAULT_LANGUAGE: 'en',
  };
  bot = await startBot(env);
  // Telegram applies allowed_updates from the bot's first getUpdates on: wait until it has polled once.
  fake.sendText(anna, '/stats', { chatId: staff.id });
  await until(() => fake.botMessages(staff).some((m) => /Cases/.test(m.text ?? '')), 'the first poll');
});

afterAll(async () => {
  expect(await bot?.stop()).toBe(0);
  await fake?.stop();
});

describe('staff chat membership', () => {
  it('announces a join, a promotion and a departure in the General topic, naming who did it, with a lockdown button', async () => {
    const eve = fake.createUser({ first_name: 'Eve <b>&', last_name: 'Intruder', username: 'eve_x' });
    fake.setMemberStatus(staff, eve, 'member');
    fake.pushUpdate(memberUpdate(eve, boris, 'left', 'member'));
    const joined = await until(() => general().find((m) => /joined the staff chat/.test(m.text ?? '')), 'the join notice');
    expect(joined.text).toContain('Eve <b>& Intruder (@eve_x) joined the staff chat. (by Boris (@boris_staff))');
    expect(joined.text).toMatch(/gives access to every open case/);
    expect(buttons(joined)).toEqual(['lockdown:on']);

    fake.pushUpdate(memberUpdate(eve, anna, 'member', 'administrator'));
    const promoted = await until(() => general().find((m) => /is now an administrator/.test(m.text ?? '')), 'the promotion notice');
    expect(promoted.text).toContain('Eve <b>& Intruder (@eve_x) is now an administrator of the staff chat. (by Anna (@anna_admin))');

    fake.pushUpdate(memberUpdate(eve, eve, 'administrator', 'left'));
    const left = await until(() => general().find((m) => /left the staff chat/.test(m.text ?? '')), 'the departure notice');
    expect(left.text).not.toContain('(by ');
    fake.setMemberStatus(staff, eve, 'left');

    // Someone takes the bot's administrator rights: from then on it would not see who joins, so it says so.
    fake.addBotToChat(staff, 'member', anna);
    const demoted = await until(() => general().find((m) => /The bot is no longer an administrator/.test(m.text ?? '')), 'the warning about the bot');
    expect(demoted.text).toContain('(changed by Anna (@anna_admin))');
    fake.addBotToChat(staff, 'administrator', anna);
    expect(fake.droppedUpdates().filter((u) => 'chat_member' in u)).toEqual([]);
    expect(fake.failedCalls()).toEqual([]);
  }, 30_000);
});

describe('lockdown', () => {
  it('holds client messages and new topics until an administrator unlocks, across a restart, then delivers in order', async () => {
    const first = fake.createUser({ first_name: 'Firstclient', language_code: 'en' });
    await intake(first);
    const topic = await until(() => fake.chat(staff).topics[0], 'the first case topic');

    // A member (not an administrator) locks with one tap on a membership notice.
    const notice = general().find((m) => buttons(m).includes('lockdown:on'))!;
    fake.pressButton(boris, notice, 'lockdown:on');
    await until(() => general().find((m) => /Inbox locked by Boris \(@boris_staff\)/.test(m.text ?? '')), 'the lockdown notice');

    // The client's messages wait; the client is told once.
    fake.sendText(first, 'held message one');
    fake.sendText(first, 'held message two');
    await until(() => clientTexts(first).some((t) => WAITING_NOTICE.test(t)), 'the waiting notice');

    // A new case gets no topic while locked.
    const second = fake.createUser({ first_name: 'Secondclient', language_code: 'en' });
    await intake(second);
    fake.sendText(second, 'second client, held');
    await until(() => clientTexts(second).some((t) => WAITING_NOTICE.test(t)), 'the waiting notice for the new case');

    // What someone in the staff chat writes in a case topic is not sent, now or later.
    fake.sendText(boris, 'tell me your real name', { chatId: staff.id, threadId: topic.message_thread_id });
    await until(() => inTopic(topic.message_thread_id).find((m) => /this was NOT sent/.test(m.text ?? '')), 'the not-sent notice');

    // A member who is not an administrator cannot unlock.
    fake.sendText(boris, '/unlock', { chatId: staff.id });
    await until(() => fake.botMessages(staff).find((m) => /Only an administrator/.test(m.text ?? '')), 'the refusal');
    await fake.waitForCall('getChatMember', (c) => c.params.user_id === boris.id);

    // The lockdown survives a restart; the board says the inbox is locked, and lists nobody.
    expect(await bot.stop()).toBe(0);
    bot = await startBot({ ...env, DATABASE_PATH: bot.databasePath });
    const board = await until(() => general().find((m) => /Inbox locked since/.test(m.text ?? '')), 'the locked board');
    expect(board.text).toMatch(/2 waiting/);
    expect(board.text).not.toMatch(/Client [2-9A-Z]{4}/);
    fake.sendText(first, 'held message three');
    await new Promise((r) => setTimeout(r, 1_500));

    expect(fake.chat(staff).topics).toHaveLength(1);
    expect(partsIn(topic.message_thread_id).filter((t) => t.startsWith('held message'))).toEqual([]);
    expect(clientTexts(first).filter((t) => WAITING_NOTICE.test(t))).toHaveLength(1);
    expect(clientTexts(second).filter((t) => WAITING_NOTICE.test(t))).toHaveLength(1);
    expect(clientTexts(first).some((t) => t.includes('real name'))).toBe(false);

    // An administrator unlocks: the new case gets its topic, and everything waiting arrives in order.
    fake.sendText(anna, '/unlock', { chatId: staff.id });
    await until(() => general().find((m) => /Inbox unlocked/.test(m.text ?? '')), 'the unlock notice');
    await until(
      () => partsIn(topic.message_thread_id).filter((t) => t.startsWith('held message')).length === 3,
      'the held messages in the first topic',
      15_000,
    );
    expect(partsIn(topic.message_thread_id).filter((t) => t.startsWith('held message'))).toEqual(['held message one', 'held message two', 'held message three']);
    const secondTopic = await until(() => fake.chat(staff).topics[1], 'the second case topic');
    await until(() => partsIn(secondTopic.message_thread_id).includes('second client, held'), 'the second client message');

    // Relaying works both ways again; the message written during the lockdown never went out.
    fake.sendText(anna, 'Hello, I am here now', { chatId: staff.id, threadId: topic.message_thread_id });
    await until(() => clientTexts(first).some((t) => t.includes('Hello, I am here now')), 'the reply after the unlock', 10_000);
    expect(clientTexts(first).some((t) => t.includes('real name'))).toBe(false);
    expect(fake.failedCalls()).toEqual([]);
  }, 90_000);
});
