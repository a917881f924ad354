import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { until } from '../support/wait.js';
import { buttons, chatHelpers } from '../support/chat.js';
import { eq } from 'drizzle-orm';
import { bans, clients, conversationState } from '../../src/db/schema.js';
import { MAX_DESCRIPTION, MAX_UNEXPECTED } from '../../src/bot/conversations/intake.js';
import { InboxJobs } from '../../src/inbox/jobs.js';
import { createPrivacy } from '../../src/privacy/keys.js';

/**
 * Abuse limits through Telegram (the real bot over HTTP, in this process so the test owns the clock):
 * a ban that outlives /forget, no new 🆘 topic per press of an emergency → /end loop, and an intake
 * whose stored state cannot grow without end.
 */

let fake: FakeTelegram;
let bot: InProcessBot;
let staff: { id: number };
type User = ReturnType<FakeTelegram['createUser']>;
let anna: User;
const DAY = 86_400_000;
let now = Date.now();

const { clientSees, withButton, intake } = chatHelpers(() => fake);

/** Moves the bot's clock (and runs the publishing tick the helper runs with it). */
async function advance(ms: number): Promise<void> {
  now += ms;
  await bot.tickAt(new Date(now));
}

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  anna = fake.createUser({ first_name: 'Anna' });
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [anna] });
  bot = await startInProcessBot({ BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, STAFF_CHAT_ID: String(staff.id), DEFAULT_LANGUAGE: 'en', BAN_DAYS: '30' });
  await bot.tickAt(new Date(now));
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('a ban outlives /forget', () => {
  it('ban → /forget → still refused; after BAN_DAYS allowed again, and the purge removes the ban', async () => {
    const client = fake.createUser({ first_name: 'Banned', language_code: 'en' });
    await intake(client, 'other');
    await clientSees(client, /You are in the queue/);
    const threadId = await until(() => fake.chat(staff.id).topics.find((t) => t.name.includes('Other') && !t.closed)?.message_thread_id, 'the topic');

    fake.sendText(anna, '/ban', { chatId: staff.id, threadId });
    await clientSees(client, /not available to you/);

    fake.sendText(client, '/forget');
    fake.pressButton(client, await withButton(client, 'forget:yes'), 'forget:yes');
    await clientSees(client, /erased/i);
    expect(bot.db.select().from(clients).all()).toEqual([]);
    // What is left is one ban row under a key that matches no client key.
    const [ban] = bot.db.select().from(bans).all();
    expect(ban?.banKey).toMatch(/^[0-9a-f]{64}$/);
    expect(ban?.banKey).not.toBe(createPrivacy(bot.config.botSecret).clientKey(client.id));
    expect(ban?.bannedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    fake.sendText(client, '/consult');
    await clientSees(client, /not available to you/);
    fake.sendText(client, '/privacy'); // says so
    expect((await clientSees(client, /What is kept, where/)).text).toMatch(/separate code of that ban.*for 30 days\. \/forget does not erase it/s);
    fake.sendText(client, '/help');
    fake.pressButton(client, await withButton(client, 'n:consult:urgent'), 'n:consult:urgent');
    await clientSees(client, /not available to you/);

    await advance(29 * DAY);
    fake.sendText(client, '/consult');
    await clientSees(client, /not available to you/);

    await advance(2 * DAY);
    fake.sendText(client, '/consult');
    await withButton(client, 'intake:topic:hiv');

    const jobs = new InboxJobs(
      { db: bot.db, api: bot.created.bot.api, config: bot.config, privacy: createPrivacy(bot.config.botSecret), logger: pino({ level: 'silent' }), i18n: bot.created.i18n as never, clock: () => now },
      bot.created.inbox,
      bot.created.erasure,
      undefined as never, // the purge does not post the board
    );
    await jobs.purge();
    expect(bot.db.select().from(bans).all()).toEqual([]);
  }, 60_000);
});

describe('the emergency button cannot open a new urgent topic on every press', () => {
  it('emergency → /end → emergency reopens the same case and topic, at most once in 5 minutes, always with the guidance', async () => {
    const client = fake.createUser({ first_name: 'Looper', language_code: 'en' });
    const before = fake.chat(staff.id).topics.length;
    const press = async () => {
      fake.sendText(client, '/help');
      fake.pressButton(client, await withButton(client, 'n:consult:urgent'), 'n:consult:urgent');
      await clientSees(client, /You are first in line/);
    };
    const end = async () => {
      fake.sendText(client, '/end');
      const confirm = await withButton(client, 'end:no');
      fake.pressButton(client, confirm, buttons(confirm).find((b) => b.startsWith('end:yes:'))!);
      await clientSees(client, /conversation has ended/);
    };

    await press();
    const topic = await until(() => fake.chat(staff.id).topics.find((t) => t.name.startsWith('🆘') && !t.closed), 'the urgent topic');
    for (let round = 0; round < 3; round++) {
      await end();
      await until(() => fake.chat(staff.id).topics.find((t) => t.message_thread_id === topic.message_thread_id && t.closed), 'the topic closed');
      // Pressed again at once: the emergency steps and when the button calls the team again; nothing posted.
      await advance(60_000);
      fake.sendText(client, '/help');
      fake.pressButton(client, await withButton(client, 'n:consult:urgent'), 'n:consult:urgent');
      expect((await clientSees(client, /alerted a few minutes ago/)).text).toMatch(/in 4 min at the latest[\s\S]*call 103/);
      expect(fake.chat(staff.id).topics.find((t) => t.message_thread_id === topic.message_thread_id)?.closed).toBe(true);
      await advance(4 * 60_000); // an urgent case at most once in 5 minutes
      await press();
      // Reopened, then renamed (a post of its own, a moment later).
      await until(() => fake.chat(staff.id).topics.find((t) => t.message_thread_id === topic.message_thread_id && !t.closed && t.name.startsWith('🆘')), 'the topic reopened as urgent');
    }
    expect(fake.chat(staff.id).topics.length).toBe(before + 1); // one topic for the whole loop
    const inTopic = fake.messages(staff.id).filter((m) => m.message_thread_id === topic.message_thread_id);
    expect(inTopic.filter((m) => /pressed the emergency button again/.test(String(m.text)))).toHaveLength(3);
    // The card is back to waiting, with its Take button, so the team sees someone needs them.
    // (The card is brought up to date by a post of its own, a moment after the topic reopens.)
    const card = await until(
      () => fake.messages(staff.id).find((m) => m.message_thread_id === topic.message_thread_id && /case #/.test(String(m.text)) && buttons(m).some((b) => b.startsWith('case:take:'))),
      'the card with its Take button',
    );
    expect(card.text).toMatch(/waiting/);
    fake.sendText(client, '/status');
    await clientSees(client, /You are in the queue: place/);

    // Long after the last urgent case ended, a new press opens a new case.
    await end();
    await advance(11 * 60_000);
    await press();
    const second = await until(() => fake.chat(staff.id).topics.find((t) => t.name.startsWith('🆘') && t.message_thread_id !== topic.message_thread_id), 'a second topic');
    expect(second.closed).toBeFalsy();
    expect(fake.chat(staff.id).topics.length).toBe(before + 2);
  }, 60_000);
});

describe('an intake caps what it stores', () => {
  const sticker = (i: number) => ({ sticker: { file_id: `s${i}`, file_unique_id: `s${i}u`, type: 'regular' as const, width: 512, height: 512, is_animated: false, is_video: false } });

  it('ends politely after a few inputs that do not fit, keeping its stored state small, and offers to start again', async () => {
    const client = fake.createUser({ first_name: 'Sticky', language_code: 'en' });
    const stateOf = () => bot.db.select().from(conversationState).where(eq(conversationState.key, createPrivacy(bot.config.botSecret).clientKey(client.id))).get();
    fake.sendText(client, '/consult');
    await withButton(client, 'intake:topic:hiv');
    const sizes: number[] = [];
    for (let i = 1; i < MAX_UNEXPECTED; i++) {
      fake.sendMessage(client, i % 2 ? sticker(i) : { text: `no buttons ${i}` });
      await clientSees(client, /choose one of the buttons/);
      sizes.push(stateOf()?.value.length ?? 0);
    }
    expect(Math.max(...sizes)).toBeLessThan(10_000); // about 0.8 KB per input that did not fit
    fake.sendMessage(client, sticker(99));
    const ended = await clientSees(client, /stopped the request/);
    expect(buttons(ended)).toEqual(['menu:consult']);
    await until(() => stateOf() === undefined, 'the stored state deleted'); // once the update is done
    fake.pressButton(client, ended, 'menu:consult');
    await withButton(client, 'intake:topic:hiv'); // a fresh intake
  }, 30_000);

  it('a description has a maximum length', async () => {
    const client = fake.createUser({ first_name: 'Wordy', language_code: 'en' });
    fake.sendText(client, '/consult');
    fake.pressButton(client, await withButton(client, 'intake:topic:mental'), 'intake:topic:mental');
    await clientSees(client, /In a few words/);
    fake.sendText(client, 'x'.repeat(MAX_DESCRIPTION + 1));
    await clientSees(client, new RegExp(`within ${MAX_DESCRIPTION} characters`));
    fake.sendText(client, 'short enough');
    await withButton(client, 'intake:go');
  }, 30_000);

  it('200 stickers and texts sent during an intake leave no state behind and the bot answers at once afterwards', async () => {
    const client = fake.createUser({ first_name: 'Flooder', language_code: 'en' });
    fake.sendText(client, '/consult');
    await withButton(client, 'intake:topic:hiv');
    for (let i = 0; i < 200; i++) fake.sendMessage(client, i % 2 ? sticker(i) : { text: `flood ${i}` });
    await clientSees(client, /stopped the request/);
    const key = createPrivacy(bot.config.botSecret).clientKey(client.id);
    await until(() => bot.db.select().from(conversationState).where(eq(conversationState.key, key)).get() === undefined, 'the stored state deleted');
    const asked = Date.now();
    fake.sendText(client, '/consult');
    await withButton(client, 'intake:topic:hiv');
    expect(Date.now() - asked).toBeLessThan(5_000);
    const tooMany = fake.botMessages(client.id).filter((m) => /stopped the request/.test(String(m.text)));
    expect(tooMany).toHaveLength(1);
  }, 60_000);
});
