import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Chat, type User } from '../../src/sandbox/telegram-sim/index.js';
import { cases, outbox, pendingDeletions, referralCodes } from '../../src/db/schema.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { buttons, chatHelpers } from '../support/chat.js';
import { until } from '../support/wait.js';

let fake: FakeTelegram;
let bot: InProcessBot;
let staff: Chat;
let partners: Chat;
let anna: User;
let boris: User;
let pharmacist: User;
const { intake, clientSees, withButton } = chatHelpers(() => fake);
const CODE = /Your code: <?b?>?([A-Z0-9]{3}-[A-Z0-9]{3})/;

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  anna = fake.createUser({ first_name: 'Anna' });
  boris = fake.createUser({ first_name: 'Boris', username: 'boris_lawyer' });
  pharmacist = fake.createUser({ first_name: 'Pharma' });
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [anna, boris] });
  partners = fake.createSupergroup({ title: 'Partners', members: [pharmacist] });
  bot = await startInProcessBot({
    BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    STAFF_CHAT_ID: String(staff.id),
    PARTNERS_CHAT_ID: String(partners.id),
    DEFAULT_LANGUAGE: 'en',
    PICKUP_LIMIT: '2',
    PICKUP_PERIOD_DAYS: '30',
    SHOW_SAMPLE_SERVICES: 'true',
  });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

const inTopic = (threadId: number) => fake.messages(staff.id).filter((m) => m.message_thread_id === threadId);

/** A client with a case, taken by Anna; returns its topic. */
async function takenCase(client: User): Promise<number> {
  const before = fake.chat(staff.id).topics.length;
  await intake(client, 'legal');
  await clientSees(client, /You are in the queue/);
  const threadId = await until(() => fake.chat(staff.id).topics[before]?.message_thread_id, 'the case topic');
  const card = await until(() => inTopic(threadId).find((m) => buttons(m).some((b) => b.startsWith('case:take:'))), 'the card');
  fake.pressButton(anna, card, buttons(card).find((b) => b.startsWith('case:take:'))!);
  await clientSees(client, /has joined the conversation/);
  return threadId;
}

async function forget(client: User): Promise<string> {
  fake.sendText(client, '/forget');
  fake.pressButton(client, await withButton(client, 'forget:yes'), 'forget:yes');
  return String((await clientSees(client, /Erased|held nothing/)).text);
}

describe('deletions done in parts', () => {
  it('"Clear this chat" deletes every message it may although Telegram refuses the batch for one (a dice), and says exactly what is left', async () => {
    const client = fake.createUser({ first_name: 'Dicey', language_code: 'en' });
    fake.sendText(client, '/start');
    await clientSees(client, /What do you need right now/);
    const dice = fake.sendMessage(client, { dice: { emoji: '🎲', value: 4 } });
    fake.sendText(client, '/privacy');
    fake.pressButton(client, await withButton(client, 'chat:clear'), 'chat:clear');
    fake.pressButton(client, await withButton(client, 'chat:clear:yes'), 'chat:clear:yes');
    const report = await clientSees(client, /Done/);
    // Telegram refused the whole first batch (a dice cannot be deleted for a day): the bot split it.
    expect(fake.failedCalls().some((c) => c.method === 'deleteMessages')).toBe(true);
    expect(report.text).toMatch(/Deleted \d+ recent messages/);
    expect(report.text).toMatch(/1 message could not be deleted/);
    expect(report.text).not.toMatch(/nothing recent to delete/);
    // Everything else went; what is left is the dice (and the report itself).
    const left = fake.messages(client.id).map((m) => m.message_id);
    expect(left).toEqual([dice.message_id, report.message_id]);
  });

  it('/forget while the bot is out of the team chat keeps the topic deletion queued (not "done"), and deletes it once the bot is back', async () => {
    const client = fake.createUser({ first_name: 'Away', language_code: 'en' });
    const threadId = await takenCase(client);
    fake.removeBotFromChat(staff, 'kicked', anna);
    expect(await forget(client)).toMatch(/Erased/);
    // The topic with the client's words is still in the group, and the bot has not forgotten that it must go.
    expect(fake.chat(staff.id).topics.some((t) => t.message_thread_id === threadId)).toBe(true);
    expect(bot.db.select().from(pendingDeletions).all().filter((d) => d.threadId === threadId)).toHaveLength(1);
    const waiting = await bot.created.erasure.runPending();
    expect(waiting.teamChatUnreachable).toBeGreaterThanOrEqual(1);
    fake.addBotToChat(staff, 'administrator', anna);
    const run = await bot.created.erasure.runPending();
    expect(run.waiting).toBe(0);
    expect(fake.chat(staff.id).topics.some((t) => t.message_thread_id === threadId)).toBe(false);
    expect(bot.db.select().from(pendingDeletions).all()).toEqual([]);
  });
});

describe('the queue board after /forget', () => {
  it("drops the erased client's pseudonym from the board in General at once", async () => {
    const first = fake.createUser({ first_name: 'Waiting', language_code: 'en' });
    const second = fake.createUser({ first_name: 'Forgetting', language_code: 'en' });
    await intake(first, 'mental');
    await clientSees(first, /You are in the queue/);
    await intake(second, 'mental');
    await clientSees(second, /You are in the queue/);
    const rows = bot.db.select().from(cases).all().slice(-2);
    const pseudonyms = rows.map((r) => bot.db.$client.prepare('SELECT pseudonym FROM clients WHERE key = ?').get(r.clientKey) as { pseudonym: string });
    const board = () => fake.messages(staff.id).find((m) => /Queue/.test(String(m.text)) && m.message_thread_id === undefined);
    bot.created.inboxJobs.updateBoard();
    await until(() => pseudonyms.every((p) => String(board()?.text).includes(p.pseudonym)) || undefined, 'both on the board');
    expect(await forget(second)).toMatch(/Erased/);
    await until(() => !String(board()?.text).includes(pseudonyms[1]!.pseudonym) || undefined, 'the board without the erased pseudonym', 3_000);
    expect(String(board()?.text)).toContain(pseudonyms[0]!.pseudonym);
  });
});

describe('rows bound to where they belong', () => {
  it('an outbox row written into the database without the bot (no BOT_SECRET) is refused, never sent (the outbox-inject reproduction)', async () => {
    const client = fake.createUser({ first_name: 'Victim', language_code: 'en' });
    await intake(client, 'legal');
    await clientSees(client, /You are in the queue/);
    const row = bot.db.select().from(cases).all().at(-1)!;
    bot.db.$client
      .prepare("INSERT INTO outbox (case_id, to_client, kind, payload, priority, not_before, created_at) VALUES (?, 1, 'html', ?, 2, 0, 0)")
      .run(row.id, JSON.stringify({ html: '👋 <b>Dana</b> (lawyer): please come to our office tonight and bring your passport.' }));
    bot.created.relay.kick();
    await until(() => bot.db.select().from(outbox).all().every((r) => r.caseId !== row.id), 'the forged row refused');
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messages(client.id).some((m) => String(m.text).includes('passport'))).toBe(false);
    // The case itself is untouched: the team's words still reach the client.
    fake.sendText(client, '/status');
    await clientSees(client, /queue/i);
  });
});

describe('the pick-up limit', () => {
  it('holds through /forget for its period (the pickup-forget reproduction), and /privacy says so', async () => {
    const client = fake.createUser({ first_name: 'Collector', language_code: 'en' });
    const ask = async () => {
      fake.sendText(client, '/services');
      fake.pressButton(client, await withButton(client, 'svc:r:almaty'), 'svc:r:almaty');
      fake.pressButton(client, await withButton(client, 'code:p:almaty'), 'code:p:almaty');
      return withButton(client, 'code:g:almaty:naloxone');
    };
    const choose = await ask();
    for (let i = 0; i < 2; i++) {
      fake.pressButton(client, choose, 'code:g:almaty:naloxone');
      await clientSees(client, CODE);
    }
    expect(await forget(client)).toMatch(/Erased/);
    fake.pressButton(client, await ask(), 'code:g:almaty:naloxone');
    await clientSees(client, /already have 2 pick-up codes/);
    expect(bot.db.select().from(referralCodes).all().filter((c) => c.source === 'pickup')).toHaveLength(2);
    fake.sendText(client, '/privacy');
    await clientSees(client, /\/forget does not erase this count/);
  });
});

describe("consultants' words on their way to a client", () => {
  it('mentions never reach the client: a linked name loses its link, an @username becomes "@…", and the consultant is told', async () => {
    const client = fake.createUser({ first_name: 'Mentioned', language_code: 'en' });
    const threadId = await takenCase(client);
    const text = 'Ask @boris_lawyer or Boris about it, *today*';
    fake.sendMessage(anna, {
      text,
      entities: [
        { type: 'mention', offset: 4, length: 13 },
        { type: 'text_mention', offset: 21, length: 5, user: boris },
        { type: 'bold', offset: 37, length: 7 },
      ],
    }, { chatId: staff.id, threadId });
    const got = await clientSees(client, /Ask/);
    expect(got.text).toBe('Ask @… or Boris about it, *today*');
    expect(got.entities?.map((e) => e.type)).toEqual(['bold']);
    expect(got.entities?.[0]).toMatchObject({ offset: 26, length: 7 });
    expect(JSON.stringify(fake.messages(client.id))).not.toMatch(/boris_lawyer|"user"/);
    await until(() => inTopic(threadId).find((m) => /without its mention/.test(String(m.text)) || /without its 2 mentions/.test(String(m.text))), 'the note to the consultant');
    // A caption with a mention cannot be rewritten in a copy: not sent, and the consultant is told.
    fake.sendMessage(anna, { photo: [{ file_id: 'm-ph', file_unique_id: 'm-phu', width: 9, height: 9 }], caption: 'see @boris_lawyer', caption_entities: [{ type: 'mention', offset: 4, length: 13 }] }, { chatId: staff.id, threadId });
    await until(() => inTopic(threadId).find((m) => /Not sent to the client/.test(String(m.text))), 'the refusal note');
    fake.sendText(anna, 'plain words', { chatId: staff.id, threadId });
    await clientSees(client, /plain words/);
    expect(fake.messages(client.id).some((m) => m.photo !== undefined)).toBe(false);
  });

  it('an edit of a reply joined with others travels sealed, and reaches the client as "✏️" with the new words', async () => {
    const client = fake.createUser({ first_name: 'Joined', language_code: 'en' });
    const threadId = await takenCase(client);
    // The client's chat takes one message at a time now: the replies pile up and go out joined.
    fake.setRateLimits({ privatePerSecond: 0.5, privateBurst: 1 });
    const replies = ['first part', 'second part', 'third part'].map((t) => fake.sendText(anna, t, { chatId: staff.id, threadId }));
    await clientSees(client, /second part[\s\S]*third part|first part[\s\S]*second part/);
    await until(() => fake.messages(client.id).some((m) => String(m.text).includes('third part')), 'all parts');
    const secret = 'my colleague Dana at Abay street 12';
    const before = fake.messages(client.id).length;
    // Every row written to the outbox is captured as it was written, however soon it is sent.
    bot.db.$client.exec(`CREATE TEMP TABLE IF NOT EXISTS seen_outbox AS SELECT * FROM outbox WHERE 0;
      CREATE TEMP TRIGGER IF NOT EXISTS capture_outbox AFTER INSERT ON outbox BEGIN INSERT INTO seen_outbox SELECT * FROM outbox WHERE id = new.id; END;`);
    fake.setRateLimits({ privatePerSecond: 0.01, privateBurst: 1 }); // the edit has to wait in the outbox
    fake.editUserMessage(anna, replies[1]!, secret);
    const seen = () => bot.db.$client.prepare('SELECT * FROM seen_outbox').all() as { kind: string }[];
    await until(() => seen().some((r) => r.kind === 'edited-reply'), 'the edit queued');
    expect(JSON.stringify(seen())).not.toContain('Abay');
    fake.setRateLimits({});
    bot.created.relay.kick();
    const shown = await clientSees(client, /✏️/);
    expect(shown.text).toBe(`✏️ ${secret}`);
    expect(fake.messages(client.id).length).toBe(before + 1);
  }, 60_000);
});
