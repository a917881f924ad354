import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeTelegram, type Chat, type Message, type User } from '../../src/sandbox/telegram-sim/index.js';
import { cases } from '../../src/db/schema.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { buttons, chatHelpers } from '../support/chat.js';
import { until } from '../support/wait.js';

/**
 * Telegram numbers messages and topics per chat, so an id means nothing without its chat. These are the
 * reproductions of the security review (H1, H2, M1, L1: security-2026-12/*.test.ts), turned round: each
 * checks that the attack no longer works, and that the words go where they belong instead.
 */

let fake: FakeTelegram;
let bot: InProcessBot | undefined;
const { clientSees, intake } = chatHelpers(() => fake);
const inTopic = (chat: Chat, thread: number) => fake.messages(chat.id).filter((m) => m.message_thread_id === thread);
const textOf = (m: Message) => String(m.text ?? m.caption ?? '');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await fake?.stop();
});

async function twoInboxes(options: { mainMembers?: 'aigerim+bob'; routes?: string } = {}) {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  const aigerim = fake.createUser({ first_name: 'Aigerim' });
  const bob = fake.createUser({ first_name: 'Bob' });
  const dana = fake.createUser({ first_name: 'Dana' });
  const erlan = fake.createUser({ first_name: 'Erlan' });
  const main = fake.createSupergroup({ title: 'Main', isForum: true, members: options.mainMembers ? [aigerim, bob] : [aigerim] });
  const lawyers = fake.createSupergroup({ title: 'Lawyers', isForum: true, members: [dana, erlan] });
  bot = await startInProcessBot({
    BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    INBOXES: `main=${main.id},lawyers=${lawyers.id}`,
    ...(options.routes ? { INBOX_ROUTES: options.routes } : {}),
    DEFAULT_LANGUAGE: 'en',
  });
  return { aigerim, bob, dana, erlan, main, lawyers };
}

describe('after /transfer, ids of the old group are never read in the new one', () => {
  it("a client's edit of an earlier message never overwrites another client's message; it arrives as a ✏️ message in their topic", async () => {
    const { aigerim, main, lawyers } = await twoInboxes({ routes: 'topic:legal=lawyers' });
    const clientB = fake.createUser({ first_name: 'Bclient', language_code: 'en' });
    const clientA = fake.createUser({ first_name: 'Aclient', language_code: 'en' });
    await intake(clientB, 'legal');
    const topicB = await until(() => fake.chat(lawyers.id).topics[0], 'B topic');
    await intake(clientA, 'substances');
    const topicA = await until(() => fake.chat(main.id).topics[0], 'A topic');
    const fromA: Message[] = [];
    for (let i = 1; i <= 6; i++) {
      fake.sendText(clientB, `B-private-${i}: I was detained at the station`);
      await until(() => inTopic(lawyers, topicB.message_thread_id).find((m) => m.text?.startsWith(`B-private-${i}:`)), `B copy ${i}`);
      fromA.push(fake.sendText(clientA, `A-${i}`));
      await until(() => inTopic(main, topicA.message_thread_id).find((m) => m.text === `A-${i}`), `A copy ${i}`);
    }
    // The ids of A's copies in Main are ids of B's copies in Lawyers too (both count from 1).
    const copyIds = new Set(inTopic(main, topicA.message_thread_id).filter((m) => /^A-\d$/.test(textOf(m))).map((m) => m.message_id));
    const shared = fake.messages(lawyers.id).filter((m) => copyIds.has(m.message_id) && m.text?.startsWith('B-private-'));
    expect(shared.length).toBeGreaterThan(0);
    const before = new Map(fake.messages(lawyers.id).map((m) => [m.message_id, textOf(m)]));

    fake.sendText(aigerim, '/transfer lawyers', { chatId: main.id, threadId: topicA.message_thread_id });
    const newTopicA = await until(() => fake.chat(lawyers.id).topics.find((t) => t.message_thread_id !== topicB.message_thread_id), 'A moved to lawyers');
    for (const m of fromA) fake.editUserMessage(clientA, m, `A (edited ${m.message_id}): my address is 12 Abay street, flat 3`);
    // A reply to a message from before the transfer quotes nothing of the new group.
    fake.sendText(clientA, 'A: about what I said before', { replyTo: fromA[0]! });
    const reply = await until(() => inTopic(lawyers, newTopicA.message_thread_id).find((m) => m.text === 'A: about what I said before'), 'the reply in the new topic');
    expect(reply.reply_to_message?.message_id ?? reply.message_thread_id).toBe(newTopicA.message_thread_id);
    const edits = await until(() => {
      const found = inTopic(lawyers, newTopicA.message_thread_id).filter((m) => m.text?.startsWith('✏️ A (edited'));
      return found.length === fromA.length ? found : undefined;
    }, 'every edit as a ✏️ message in A’s new topic');
    expect(edits.every((m) => m.reply_to_message === undefined || m.reply_to_message.message_id === newTopicA.message_thread_id)).toBe(true);
    // Nothing of B's (or anything else in Lawyers) was edited.
    for (const [id, text] of before) expect(textOf(fake.messages(lawyers.id).find((m) => m.message_id === id)!)).toBe(text);
    expect(fake.messages(lawyers.id).filter((m) => m.message_thread_id === topicB.message_thread_id && /Abay/.test(textOf(m)))).toEqual([]);
  }, 60_000);

  it("every consultant reply in the new group reaches the client, whatever ids the old group's replies had", async () => {
    const { aigerim, dana, main, lawyers } = await twoInboxes();
    const client = fake.createUser({ first_name: 'Aclient', language_code: 'en' });
    await intake(client, 'substances');
    const topic = await until(() => fake.chat(main.id).topics[0], 'topic');
    for (let i = 1; i <= 8; i++) {
      fake.sendText(aigerim, `main reply ${i}`, { chatId: main.id, threadId: topic.message_thread_id });
      await clientSees(client, new RegExp(`main reply ${i}$`));
    }
    fake.sendText(aigerim, '/transfer lawyers', { chatId: main.id, threadId: topic.message_thread_id });
    const moved = await until(() => fake.chat(lawyers.id).topics[0], 'new topic in lawyers');
    await until(() => inTopic(lawyers, moved.message_thread_id).find((m) => /moved here/.test(textOf(m))), 'note');
    const ids = [];
    for (let i = 1; i <= 8; i++) ids.push(fake.sendText(dana, `lawyer reply ${i}`, { chatId: lawyers.id, threadId: moved.message_thread_id }).message_id);
    const got = await until(() => {
      const texts = fake.botMessages(client).flatMap((m) => textOf(m).split('\n\n')).filter((t) => t.startsWith('lawyer reply'));
      return texts.length === 8 ? texts : undefined;
    }, 'all eight lawyer replies at the client');
    expect(got).toEqual(Array.from({ length: 8 }, (_, i) => `lawyer reply ${i + 1}`));
  }, 60_000);
});

describe('Take buttons and who holds a case', () => {
  it('the old card loses its Take button in the transfer; a stale press takes nothing and says the case moved', async () => {
    const { aigerim, bob, dana, erlan, main, lawyers } = await twoInboxes({ mainMembers: 'aigerim+bob' });
    fake.setBotRight(main, 'can_delete_messages', false); // the old topic stays (it waits for the next purge)
    const client = fake.createUser({ first_name: 'Client', language_code: 'en' });
    await intake(client, 'legal');
    const topic = await until(() => fake.chat(main.id).topics[0], 'topic in main');
    const card = await until(() => inTopic(main, topic.message_thread_id).find((m) => buttons(m).some((b) => b.startsWith('case:take:'))), 'card');
    fake.sendText(aigerim, '/transfer lawyers', { chatId: main.id, threadId: topic.message_thread_id });
    await until(() => fake.chat(lawyers.id).topics[0], 'topic in lawyers');
    await until(() => (buttons(fake.messages(main.id).find((m) => m.message_id === card.message_id)!).length === 0 ? true : undefined), 'the old card without buttons');

    // Bob had the card open before it changed: his press takes nothing.
    const press = fake.pressButton(bob, card, buttons(card)[0]!, { stale: true });
    const answer = await until(() => fake.callbackAnswer(press), 'the answer to the stale press');
    expect(String(answer.text)).toMatch(/no longer in this topic/);
    expect(bot!.db.select().from(cases).all()[0]).toMatchObject({ inbox: 'lawyers', status: 'waiting', consultantId: null });

    const row = bot!.db.select().from(cases).all()[0]!;
    fake.sendText(dana, '/alias Dana', { chatId: lawyers.id });
    fake.sendText(dana, 'Lawyer here: you have the right to stay silent', { chatId: lawyers.id, threadId: row.threadId! });
    await clientSees(client, /right to stay silent/);
    // Erlan writes in Dana's case: not sent, and he is told so (once, not at every message).
    fake.sendText(erlan, 'I think we should call them', { chatId: lawyers.id, threadId: row.threadId! });
    fake.sendText(erlan, 'and also check the address', { chatId: lawyers.id, threadId: row.threadId! });
    await until(() => inTopic(lawyers, row.threadId!).find((m) => /Not sent to the client: Dana/.test(textOf(m))), 'the notice to Erlan');
    await pause(500);
    expect(inTopic(lawyers, row.threadId!).filter((m) => /Not sent to the client/.test(textOf(m)))).toHaveLength(1);
    expect(fake.botMessages(client).some((m) => /call them|check the address/.test(textOf(m)))).toBe(false);
  }, 60_000);
});

describe('re-pointing an inbox at another group', () => {
  it('after two ids are swapped in INBOXES, open cases get new topics in the right group and no reply crosses to another client', async () => {
    fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
    const dana = fake.createUser({ first_name: 'Dana' });
    const g1 = fake.createSupergroup({ title: 'G1', isForum: true, members: [dana] });
    const g2 = fake.createSupergroup({ title: 'G2', isForum: true, members: [dana] });
    const databasePath = join(mkdtempSync(join(tmpdir(), 'crossed-db-')), 'bot.db');
    const env = { BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, INBOX_ROUTES: 'topic:legal=lawyers', DEFAULT_LANGUAGE: 'en' };
    bot = await startInProcessBot({ ...env, INBOXES: `main=${g1.id},lawyers=${g2.id}` }, { databasePath });
    const x = fake.createUser({ first_name: 'Xclient', language_code: 'en' });
    const y = fake.createUser({ first_name: 'Yclient', language_code: 'en' });
    await intake(x, 'substances');
    await clientSees(x, /in the queue/);
    await intake(y, 'legal');
    await clientSees(y, /in the queue/);
    const tx = await until(() => fake.chat(g1.id).topics[0], 'X topic in G1');
    const ty = await until(() => fake.chat(g2.id).topics[0], 'Y topic in G2');
    expect(tx.message_thread_id).toBe(ty.message_thread_id); // the same topic id in two groups
    await bot.stop();

    // The operator "fixes" INBOXES: the two group ids were the wrong way round.
    bot = await startInProcessBot({ ...env, INBOXES: `main=${g2.id},lawyers=${g1.id}` }, { databasePath });
    // The review's attack: Dana writes in Y's old topic, whose id is X's topic id in the other group.
    fake.sendText(dana, 'Y, bring the detention protocol', { chatId: g2.id, threadId: ty.message_thread_id });
    await pause(700);
    expect([...fake.botMessages(x), ...fake.botMessages(y)].some((m) => /detention protocol/.test(textOf(m)))).toBe(false);
    await bot.created.erasure.runPending();
    // Each case has a new topic in its inbox's group now, saying why; the old topics are gone.
    const newX = await until(() => fake.chat(g2.id).topics.find((t) => /Substances/.test(t.name)), "X's new topic in G2");
    const newY = await until(() => fake.chat(g1.id).topics.find((t) => /Legal/.test(t.name)), "Y's new topic in G1");
    await until(() => inTopic(g1, newY.message_thread_id).find((m) => /previous topic was in another group/.test(textOf(m))), 'the note in the new topic');
    await until(() => (fake.chat(g1.id).topics.some((t) => t.message_thread_id === tx.message_thread_id && /Substances/.test(t.name)) ? undefined : true), "X's old topic deleted");

    // Dana answers Y in Y's new topic, and X in X's: each gets their own, nobody else's.
    fake.sendText(dana, 'Y, your hearing is on Monday at 10', { chatId: g1.id, threadId: newY.message_thread_id });
    fake.sendText(dana, 'X, the needle exchange opens at 9', { chatId: g2.id, threadId: newX.message_thread_id });
    await clientSees(y, /hearing is on Monday/);
    await clientSees(x, /needle exchange/);
    fake.sendText(y, 'Thank you, Monday then');
    await until(() => inTopic(g1, newY.message_thread_id).find((m) => m.text === 'Thank you, Monday then'), "Y's words in Y's new topic");
    await pause(300);
    expect(fake.botMessages(x).some((m) => /hearing/.test(textOf(m)))).toBe(false);
    expect(fake.botMessages(y).some((m) => /needle/.test(textOf(m)))).toBe(false);
    expect(inTopic(g2, newX.message_thread_id).some((m) => /Monday/.test(textOf(m)))).toBe(false);
  }, 60_000);
});

describe('upgrading a database from before team chats were recorded', () => {
  it('takes the topics of existing cases to be in their inbox\'s group as configured at the upgrade: they keep working, nothing is moved', async () => {
    fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
    const dana = fake.createUser({ first_name: 'Dana' });
    const team = fake.createSupergroup({ title: 'Team', isForum: true, members: [dana] });
    const databasePath = join(mkdtempSync(join(tmpdir(), 'upgrade-db-')), 'bot.db');
    const env = { BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, STAFF_CHAT_ID: String(team.id), DEFAULT_LANGUAGE: 'en' };
    bot = await startInProcessBot(env, { databasePath });
    const client = fake.createUser({ first_name: 'Oldclient', language_code: 'en' });
    await intake(client, 'substances');
    const topic = await until(() => fake.chat(team.id).topics[0], 'the topic');
    fake.sendText(dana, 'first answer', { chatId: team.id, threadId: topic.message_thread_id });
    await clientSees(client, /first answer/);
    // As the migration leaves rows from before: no team chat on the case, nor on its pairs.
    bot.db.$client.exec('UPDATE cases SET team_chat_id = NULL; UPDATE relay_messages SET team_chat_id = NULL;');
    await bot.stop();

    bot = await startInProcessBot(env, { databasePath });
    expect(bot.db.select().from(cases).all()[0]).toMatchObject({ teamChatId: team.id, threadId: topic.message_thread_id });
    fake.sendText(dana, 'still here', { chatId: team.id, threadId: topic.message_thread_id });
    await clientSees(client, /still here/);
    fake.sendText(client, 'thanks');
    await until(() => inTopic(team, topic.message_thread_id).find((m) => m.text === 'thanks'), 'the answer in the same topic');
    expect(fake.chat(team.id).topics).toHaveLength(1);
  }, 60_000);
});
