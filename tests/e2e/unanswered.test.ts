import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Message, type User } from '../../src/sandbox/telegram-sim/index.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { until } from '../support/wait.js';
import { buttons, chatHelpers } from '../support/chat.js';

/**
 * No case left hanging (issue 21.1), through Telegram with a clock the test owns: a taken case whose client
 * gets no answer nudges its holder, then goes back to the queue for another consultant; a consultant who
 * leaves the staff chat hands their cases back at once.
 */

let fake: FakeTelegram;
let bot: InProcessBot;
let staff: ReturnType<FakeTelegram["createSupergroup"]>;
let anna: User;
let boris: User;
let now = Date.now();
const MIN = 60_000;

const { clientSees, intake } = chatHelpers(() => fake);
const inTopic = (threadId: number) => fake.messages(staff.id).filter((m) => m.message_thread_id === threadId);
const card = (threadId: number) => inTopic(threadId).find((m) => /case #/.test(String(m.text)));
const takeButton = (m: Message | undefined) => (m ? buttons(m).find((b) => b.startsWith('case:take:')) : undefined);

/** Moves the bot's clock and runs the round of the inbox jobs that looks for unanswered cases. */
async function advance(ms: number): Promise<void> {
  now += ms;
  await bot.tickAt(new Date(now));
  bot.created.inboxJobs.chaseUnanswered();
}

async function openTakenCase(client: User, by: User): Promise<number> {
  await intake(client, 'other');
  await clientSees(client, /You are in the queue/);
  const threadId = await until(() => fake.chat(staff.id).topics.find((t) => !t.closed && inTopic(t.message_thread_id).some((m) => takeButton(m)))?.message_thread_id, 'the case topic');
  const withTake = await until(() => inTopic(threadId).find((m) => takeButton(m)), 'the card with Take');
  fake.pressButton(by, withTake, takeButton(withTake)!);
  await until(() => (takeButton(card(threadId)) === undefined ? true : undefined), 'the card without Take');
  return threadId;
}

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  anna = fake.createUser({ first_name: 'Anna' });
  boris = fake.createUser({ first_name: 'Boris' });
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [anna, boris] });
  bot = await startInProcessBot({ BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, STAFF_CHAT_ID: String(staff.id), DEFAULT_LANGUAGE: 'en', CASE_OPEN_MINUTES: '0' });
  await bot.tickAt(new Date(now));
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('a taken case left unanswered', () => {
  it('nudges its holder after ANSWER_DUE_MINUTES, then goes back to the queue; the client is told, another consultant takes it', async () => {
    const client = fake.createUser({ first_name: 'Waiting', language_code: 'en' });
    const threadId = await openTakenCase(client, anna);
    fake.sendText(anna, 'Hello, I am here', { chatId: staff.id, threadId });
    await clientSees(client, /Hello, I am here/);

    // Answered: however long, nothing happens until the client writes.
    await advance(30 * MIN);
    fake.sendText(client, 'Is it safe to mix these?');
    await until(() => inTopic(threadId).find((m) => /Is it safe to mix/.test(String(m.text))), 'the copy in the topic');

    await advance(9 * MIN);
    await advance(0.9 * MIN);
    expect(inTopic(threadId).some((m) => /waited \d+ min for an answer/.test(String(m.text)))).toBe(false);
    await advance(0.2 * MIN);
    const nudge = await until(() => inTopic(threadId).find((m) => /waited 10 min for an answer/.test(String(m.text))), 'the nudge');
    // Anna is mentioned (Telegram notifies her); the note is in the topic only, never in the client's chat.
    expect(nudge.entities?.some((e) => e.type === 'text_mention' && (e as { user?: { id: number } }).user?.id === anna.id)).toBe(true);
    expect(fake.botMessages(client).some((m) => /for an answer/.test(String(m.text)))).toBe(false);
    // The queue board in General lists it as unanswered: pseudonym, how long, who holds it.
    const board = () => fake.messages(staff.id).find((m) => m.message_thread_id === undefined && /Queue/.test(String(m.text)));
    await until(() => /Unanswered: 1 taken/.test(String(board()?.text)), 'the board listing the unanswered case');
    expect(board()?.text).toMatch(/⏰ Client [0-9A-Z]{4} · Other · 10 min · Consultant/);
    await advance(1 * MIN); // no second nudge for the same wait
    expect(inTopic(threadId).filter((m) => /for an answer/.test(String(m.text)))).toHaveLength(1);

    await advance(9 * MIN);
    await until(() => inTopic(threadId).find((m) => /No answer from .*back in the queue/.test(String(m.text))), 'the note that it went back');
    await clientSees(client, /someone else may answer you/);
    const offered = await until(() => (takeButton(card(threadId)) ? card(threadId) : undefined), 'the card with Take again');
    expect(offered.text).toMatch(/waiting again/);
    await until(() => /Queue: 1 waiting\n• Client/.test(String(board()?.text)) && !/Unanswered/.test(String(board()?.text)), 'the board listing it as waiting');

    fake.pressButton(boris, offered, takeButton(offered)!);
    await until(() => (takeButton(card(threadId)) === undefined && /💬 with/.test(String(card(threadId)?.text)) ? true : undefined), 'the card taken by Boris');
    fake.sendText(boris, 'Boris here: do not mix them', { chatId: staff.id, threadId });
    await clientSees(client, /Boris here/);
    // Boris answered: the new holder is never nudged for Anna's silence.
    await advance(30 * MIN);
    expect(inTopic(threadId).filter((m) => /for an answer/.test(String(m.text)))).toHaveLength(1);
    fake.sendText(boris, '/close', { chatId: staff.id, threadId });
    await clientSees(client, /ended/i);

    // /stats has a line per inbox and week; from one case it shows no figure (that would be one person's).
    fake.sendText(anna, '/stats', { chatId: staff.id });
    const stats = await until(() => fake.botMessages(staff.id).find((m) => /Response times/.test(String(m.text))), 'the stats');
    expect(stats.text).toMatch(/• main · \d{4}-\d{2}-\d{2}: first answer — \/ — \(<5\); next answers — \/ — \(<5\)/);
  }, 60_000);
});

describe('a consultant who leaves the staff chat', () => {
  it('hands their cases back to the queue at once', async () => {
    const client = fake.createUser({ first_name: 'Left', language_code: 'en' });
    const threadId = await openTakenCase(client, boris);
    fake.setMemberStatus(staff, boris, 'left');
    fake.pushUpdate({
      chat_member: {
        chat: { ...staff }, from: { ...boris }, date: Math.floor(now / 1000),
        old_chat_member: { status: 'member', user: { ...boris } }, new_chat_member: { status: 'left', user: { ...boris } },
      },
    } as never);
    await until(() => inTopic(threadId).find((m) => /left the staff chat: the case is back in the queue/.test(String(m.text))), 'the note in the topic');
    await clientSees(client, /someone else may answer you/);
    const offered = await until(() => (takeButton(card(threadId)) ? card(threadId) : undefined), 'the card with Take again');
    expect(offered.text).toMatch(/waiting again/);
  }, 60_000);
});
