import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Chat, type Message, type User } from '../../src/sandbox/telegram-sim/index.js';
import { PROJECT_ROOT, startBot, type BotProcess } from '../support/bot-process.js';
import { buttons, chatHelpers } from '../support/chat.js';
import { until } from '../support/wait.js';

let fake: FakeTelegram;
let bot: BotProcess;
let main: Chat;
let lawyers: Chat;
let south: Chat;
let aigerim: User; // peer consultant, main
let dana: User; // lawyer
let erlan: User; // south, administrator there

const { clientSees, withButton } = chatHelpers(() => fake);
const topicsOf = (chat: Chat) => fake.chat(chat.id).topics;
const inTopic = (chat: Chat, threadId: number) => fake.messages(chat.id).filter((m) => m.message_thread_id === threadId);
const general = (chat: Chat) => fake.botMessages(chat).filter((m) => m.message_thread_id === undefined);

/** The shipped content, with two regions listed and labelled (the shipped list is empty). */
function contentWithRegions(): string {
  const root = mkdtempSync(join(tmpdir(), 'content-regions-'));
  cpSync(join(PROJECT_ROOT, 'content'), root, { recursive: true });
  const settings = join(root, 'settings.yml');
  writeFileSync(settings, readFileSync(settings, 'utf8').replace(/^regions: \[\]$/m, 'regions: [north, south]'));
  for (const lang of ['ru', 'kk', 'en']) {
    appendFileSync(join(root, 'locales', `${lang}.ftl`), '\nregion-north = North\nregion-south = South\nstaff-region-north = North\nstaff-region-south = South\n');
  }
  return root;
}

/** The intake with the region step: topic, no description, a region (or none), confirm. */
async function intake(client: User, topic: string, region: string | undefined): Promise<void> {
  fake.sendText(client, '/consult');
  fake.pressButton(client, await withButton(client, `intake:topic:${topic}`), `intake:topic:${topic}`);
  fake.pressButton(client, await withButton(client, 'intake:skip'), 'intake:skip');
  const asked = await withButton(client, 'intake:noregion');
  expect(asked.text).toMatch(/Which region are you in\?/);
  expect(asked.text).toMatch(/You do not have to say/);
  // "I'd rather not say" comes first, before any region.
  expect(buttons(asked)).toEqual(['intake:noregion', 'intake:region:north', 'intake:region:south', 'intake:cancel']);
  fake.pressButton(client, asked, region === undefined ? 'intake:noregion' : `intake:region:${region}`);
  fake.pressButton(client, await withButton(client, 'intake:go'), 'intake:go');
  await clientSees(client, /You are in the queue/);
}

const cardIn = (chat: Chat, threadId: number) => until(() => inTopic(chat, threadId).find((m) => String(m.text).includes('Earlier cases')), 'the case card');

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  aigerim = fake.createUser({ first_name: 'Aigerim' });
  dana = fake.createUser({ first_name: 'Dana' });
  erlan = fake.createUser({ first_name: 'Erlan' });
  main = fake.createSupergroup({ title: 'Main inbox', isForum: true, members: [aigerim] });
  lawyers = fake.createSupergroup({ title: 'Lawyers', isForum: true, members: [dana] });
  south = fake.createSupergroup({ title: 'South', isForum: true, admins: [erlan] });
  // The editors' own chat: the start-up content report (cards not yet signed off) must not take a message id in an inbox.
  const editors = fake.createSupergroup({ title: 'Editors', isForum: false, members: [aigerim] });
  bot = await startBot({
    BOT_TOKEN: fake.token,
    BOT_SECRET: 'inboxes-secret-inboxes-secret-inboxes-01',
    TELEGRAM_API_ROOT: fake.apiRoot,
    INBOXES: `main=${main.id},lawyers=${lawyers.id},south=${south.id}`,
    INBOX_ROUTES: 'topic:legal=lawyers,region:south=south',
    EDITORS_CHAT_ID: String(editors.id),
    CONTENT_DIR: contentWithRegions(),
    DEFAULT_LANGUAGE: 'en',
  });
});

afterAll(async () => {
  expect(await bot?.stop()).toBe(0);
  await fake?.stop();
});

describe('several inboxes', () => {
  it('routes each intake to its team, and each team\'s replies reach only their own client', async () => {
    const legalClient = fake.createUser({ first_name: 'Legalclient', language_code: 'en' });
    const drugsClient = fake.createUser({ first_name: 'Drugsclient', language_code: 'en' });

    // Each group has its own queue board as its message 1, so both first topics get the same thread id.
    for (const chat of [main, lawyers]) await until(() => general(chat).find((m) => /Queue/.test(String(m.text))), `the queue board in ${chat.title}`);
    // A legal question, region not given: the lawyers' group; the card says nothing about a region.
    await intake(legalClient, 'legal', undefined);
    const legalTopic = await until(() => topicsOf(lawyers)[0], 'a topic in the lawyers\' group');
    expect(legalTopic.name).toMatch(/^Client [2-9A-Z]{4} · /);
    expect((await cardIn(lawyers, legalTopic.message_thread_id)).text).not.toMatch(/Region/);

    // Substances, from the north (no rule for it): the default inbox, with the region on the card.
    await intake(drugsClient, 'substances', 'north');
    const drugsTopic = await until(() => topicsOf(main)[0], 'a topic in the main group');
    expect((await cardIn(main, drugsTopic.message_thread_id)).text).toMatch(/Region: North/);
    // Thread ids are per chat: both groups' first topic has the same one, and each must still find its own case.
    expect(drugsTopic.message_thread_id).toBe(legalTopic.message_thread_id);
    expect(topicsOf(lawyers)).toHaveLength(1);
    expect(topicsOf(south)).toHaveLength(0);

    // Each consultant replies in their own group; each reply reaches the right client, and only them.
    fake.sendText(dana, 'About your rights: you may stay silent.', { chatId: lawyers.id, threadId: legalTopic.message_thread_id });
    await clientSees(legalClient, /has joined the conversation/);
    await clientSees(legalClient, /you may stay silent/);
    fake.sendText(aigerim, 'Drink some water and rest.', { chatId: main.id, threadId: drugsTopic.message_thread_id });
    await clientSees(drugsClient, /Drink some water/);
    expect(fake.botMessages(drugsClient).some((m) => /stay silent/.test(String(m.text)))).toBe(false);
    expect(fake.botMessages(legalClient).some((m) => /Drink some water/.test(String(m.text)))).toBe(false);

    // And the clients' answers land in their own team's topic, never in the other group.
    fake.sendText(legalClient, 'They took my phone');
    fake.sendText(drugsClient, 'Thank you, feeling calmer');
    await until(() => inTopic(lawyers, legalTopic.message_thread_id).find((m) => m.text === 'They took my phone'), 'the legal answer');
    await until(() => inTopic(main, drugsTopic.message_thread_id).find((m) => m.text === 'Thank you, feeling calmer'), 'the drugs answer');
    expect(fake.messages(main.id).some((m) => m.text === 'They took my phone')).toBe(false);
    expect(fake.messages(lawyers.id).some((m) => m.text === 'Thank you, feeling calmer')).toBe(false);

    // /close in the lawyers' group closes that case only.
    fake.sendText(dana, '/close', { chatId: lawyers.id, threadId: legalTopic.message_thread_id });
    await clientSees(legalClient, /conversation has ended/);
    await until(() => topicsOf(lawyers)[0]?.closed, 'the lawyers\' topic closed');
    expect(topicsOf(main)[0]?.closed).toBe(false);

    // The bot stays in every inbox and has the staff commands there.
    expect(fake.calls.some((c) => c.method === 'leaveChat')).toBe(false);
    for (const chat of [main, lawyers, south]) expect(fake.commands({ scope: { type: 'chat', chat_id: chat.id } }).map((c) => c.command)).toContain('close');
  }, 60_000);

  it('sends a client who chose a region with a rule to that region\'s team', async () => {
    const client = fake.createUser({ first_name: 'Southclient', language_code: 'en' });
    await intake(client, 'mental', 'south');
    const topic = await until(() => topicsOf(south)[0], 'a topic in the south group');
    expect((await cardIn(south, topic.message_thread_id)).text).toMatch(/Region: South/);
    // The operator sees each inbox's queue (each has its own Telegram budget).
    const health = (await (await fetch(`http://127.0.0.1:${bot.port}/healthz`)).json()) as { inboxes: Record<string, { waiting: number }> };
    expect(health.inboxes).toMatchObject({ main: { waiting: 0 }, lawyers: { waiting: 0 }, south: { waiting: 1 } });
    fake.sendText(erlan, 'Hello from the south team.', { chatId: south.id, threadId: topic.message_thread_id });
    await clientSees(client, /Hello from the south team/);
  }, 60_000);

  it('a lockdown from any inbox holds every inbox, and every team is told', async () => {
    fake.sendText(aigerim, '/lockdown', { chatId: main.id });
    for (const chat of [main, lawyers, south]) {
      const notice: Message = await until(() => general(chat).find((m) => /Inbox locked/.test(String(m.text))), `the lockdown notice in ${chat.title}`);
      expect(notice.text).toMatch(/All inboxes are locked; it began in the inbox “main”/);
    }
    // A reply in another inbox is not sent to its client.
    const southTopic = topicsOf(south)[0]!;
    fake.sendText(erlan, 'Tell me where you live', { chatId: south.id, threadId: southTopic.message_thread_id });
    await until(() => inTopic(south, southTopic.message_thread_id).find((m) => /was NOT sent/.test(String(m.text))), 'the not-sent warning');
    // Only an administrator of the inbox the lockdown began in may unlock (checked with Telegram in that
    // group): the south team's administrator may not decide for main.
    fake.sendText(erlan, '/unlock', { chatId: south.id });
    await until(() => fake.botMessages(south).find((m) => /began in the inbox “main”/.test(String(m.text)) && /administrator/.test(String(m.text))), 'the refusal in south');
    expect(general(main).some((m) => /Inbox unlocked/.test(String(m.text)))).toBe(false);
    fake.setMemberStatus(main, aigerim, 'administrator');
    fake.sendText(aigerim, '/unlock', { chatId: main.id });
    for (const chat of [main, lawyers, south]) await until(() => general(chat).find((m) => /Inbox unlocked/.test(String(m.text))), `the unlock notice in ${chat.title}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const fromSouth = fake.calls.filter((c) => c.method === 'copyMessage' && c.params.from_chat_id === south.id).length;
    expect(fromSouth).toBe(1); // only the reply before the lockdown, not even after the unlock
  }, 60_000);

  it('/transfer lawyers moves a case to the lawyers\' group: a new topic there, the old one deleted, the pseudonym kept', async () => {
    const client = fake.createUser({ first_name: 'Movedclient', language_code: 'en' });
    const before = topicsOf(main).length;
    await intake(client, 'substances', undefined);
    const topic = await until(() => (topicsOf(main).length > before ? topicsOf(main).at(-1) : undefined), 'a topic in the main group');
    const pseudonym = /^Client ([2-9A-Z]{4,6})/.exec(topic.name)![1]!;
    fake.sendText(client, 'I also have a question about my rights');
    await until(() => inTopic(main, topic.message_thread_id).find((m) => m.text === 'I also have a question about my rights'), 'the copy in main');
    const lawyerTopics = topicsOf(lawyers).length;
    fake.sendText(aigerim, '/transfer lawyers', { chatId: main.id, threadId: topic.message_thread_id });
    const moved = await until(() => (topicsOf(lawyers).length > lawyerTopics ? topicsOf(lawyers).at(-1) : undefined), 'a topic in the lawyers\' group');
    expect(moved.name).toContain(`Client ${pseudonym}`);
    await until(() => inTopic(lawyers, moved.message_thread_id).find((m) => /moved here from the <b>main<\/b>|moved here from the main/.test(String(m.text))), 'the note in the new topic');
    await until(() => !topicsOf(main).some((t) => t.message_thread_id === topic.message_thread_id), 'the old topic deleted');
    // The lawyer's answer reaches the same client; the client's next words reach the lawyers.
    fake.sendText(dana, 'A lawyer here: you may stay silent.', { chatId: lawyers.id, threadId: moved.message_thread_id });
    await clientSees(client, /A lawyer here/);
    fake.sendText(client, 'Thank you');
    await until(() => inTopic(lawyers, moved.message_thread_id).find((m) => m.text === 'Thank you'), 'the client\'s words in the lawyers\' topic');
  }, 60_000);
});
