import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { FakeTelegram, type Message } from '../../src/sandbox/telegram-sim/index.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { until } from '../support/wait.js';
import { buttons, chatHelpers } from '../support/chat.js';
import { databaseFiles, scanFiles } from '../support/byte-scan.js';
import { publications, stories } from '../../src/db/schema.js';

/**
 * Readers' stories end to end (issue 23.1): a client writes in several messages (a photo is refused),
 * chooses kind and substances, sees the editors' card and sends it; two editors approve (one twice does
 * not count), edit and ask through the bot; the story reaches its channel once, in its frame; rejection
 * with a reason, withdrawal, the daily limit, a former member refused, and /forget.
 */

let fake: FakeTelegram;
let bot: InProcessBot;
type User = ReturnType<FakeTelegram['createUser']>;
let editorsChat: { id: number };
let channelEn: { id: number };
let channelRu: { id: number };
let vera: User;
let omar: User;
let former: User;

const textOf = (m: Message) => String(m.text ?? m.caption ?? '');

async function sees(chatId: number, pattern: RegExp): Promise<Message> {
  for (;;) {
    const m = await fake.nextBotMessage(chatId, { timeoutMs: 10_000 });
    if (pattern.test(textOf(m))) return m;
  }
}

/** The latest bot message in the chat offering the button. */
const withButton = (chatId: number, data: string) => until(() => fake.botMessages(chatId).findLast((m) => buttons(m).includes(data)), `a button ${data}`);

async function press(user: User, chatId: number, data: string): Promise<void> {
  fake.pressButton(user, await withButton(chatId, data), data);
}

/** A client writes and sends a story; returns its number as the client was told it. */
async function submit(client: User, parts: string[], kind = 'trip', substances: string[] = []): Promise<string> {
  fake.sendText(client, '/share');
  await sees(client.id, /Share your story/);
  for (const part of parts) {
    fake.sendText(client, part);
    await sees(client.id, /Added \(/);
  }
  await press(client, client.id, 'st:done');
  await press(client, client.id, `st:kind:${kind}`);
  for (const s of substances) {
    await press(client, client.id, `st:sub:${s}`);
    await until(() => fake.botMessages(client.id).findLast((m) => buttons(m).includes('st:subs'))?.reply_markup?.inline_keyboard.flat().some((b) => b.text.startsWith('✅')), 'the substance ticked');
  }
  await press(client, client.id, 'st:subs');
  await sees(client.id, /Send it to the editors\?/);
  await press(client, client.id, 'st:send');
  const sent = await sees(client.id, /Sent as S-/);
  return /S-[2-9A-Z]{4}/.exec(textOf(sent))![0];
}

const row = (number: string) => bot.db.select().from(stories).where(eq(stories.number, number)).get();

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  vera = fake.createUser({ first_name: 'Vera', language_code: 'en' });
  omar = fake.createUser({ first_name: 'Omar', language_code: 'en' });
  former = fake.createUser({ first_name: 'Former', language_code: 'en' });
  const staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [vera] });
  editorsChat = fake.createSupergroup({ title: 'Editors', members: [vera, omar, former] });
  channelEn = fake.createChannel({ title: 'Stories (en)', username: 'stories_en' });
  channelRu = fake.createChannel({ title: 'Stories (ru)', username: 'stories_ru' });
  bot = await startInProcessBot({
    BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    STAFF_CHAT_ID: String(staff.id),
    EDITORS_CHAT_ID: String(editorsChat.id),
    CHANNELS: `news=@stories_ru,news_en=@stories_en`,
    DEFAULT_LANGUAGE: 'en',
    STORIES_PER_DAY: '3',
  });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('readers\' stories, end to end', () => {
  const author = () => fake.createUser({ first_name: 'Secretname', username: 'secret_author_s', language_code: 'en' });
  let client: User;
  let number: string;

  it('a story in several messages (a photo refused, a phone number removed), previewed, sent under a random number only', async () => {
    client = author();
    fake.sendText(client, '/start');
    const menu = await sees(client.id, /./);
    expect(buttons(menu)).toContain('menu:share');
    fake.pressButton(client, menu, 'menu:share');
    const intro = await sees(client.id, /Share your story/);
    expect(textOf(intro)).toMatch(/leave out names, places and phone numbers.*What does not/s);
    fake.sendText(client, 'Last weekend I tried mephedrone at a party. Call me on +7 701 123 45 67 if you want.');
    await sees(client.id, /Added \(/);
    fake.sendMessage(client, { photo: [{ file_id: 'st-ph', file_unique_id: 'st-phu', width: 90, height: 90 }], caption: 'this is me' });
    await sees(client.id, /Stories are text only: a photo, a voice or a video can show who someone is/);
    fake.sendText(client, 'Water and sleep helped the next day.');
    await sees(client.id, /Added \(/);
    await press(client, client.id, 'st:done');
    expect(textOf(await sees(client.id, /What kind of story/))).toMatch(/removed 1 thing/);
    await press(client, client.id, 'st:kind:trip');
    await press(client, client.id, 'st:sub:mephedrone');
    await until(() => fake.botMessages(client.id).findLast((m) => buttons(m).includes('st:subs'))?.reply_markup?.inline_keyboard.flat().some((b) => b.text === '✅ Mephedrone'), 'mephedrone ticked');
    await press(client, client.id, 'st:subs');
    await sees(client.id, /exactly what the editors will see/);
    const preview = await sees(client.id, /Story S-/);
    expect(textOf(preview)).toMatch(/Trip report · Mephedrone · en → news_en · approvals 0\/2\s+Last weekend I tried mephedrone at a party\. Call me on \[…\] if you want\.\s+Water and sleep helped/);
    await press(client, client.id, 'st:send');
    number = /S-[2-9A-Z]{4}/.exec(textOf(await sees(client.id, /Sent as S-/)))![0];

    // The editors see the same card under the number, never who wrote it.
    const cardMessage = await sees(editorsChat.id, new RegExp(`Story ${number}`));
    expect(textOf(cardMessage)).toContain('Call me on […] if you want.');
    expect(buttons(cardMessage)).toEqual([`st:ap:${number}`]);
    for (const m of fake.botMessages(editorsChat.id)) expect(textOf(m)).not.toMatch(/Secretname|secret_author_s|701 123/);
    // At rest the words are sealed: not in the database file or its WAL.
    expect(scanFiles(databaseFiles(bot.config.databasePath), [{ label: 'story', bytes: Buffer.from('Water and sleep helped') }])).toEqual([]);
    expect(row(number)).toMatchObject({ status: 'pending', chatRef: expect.stringMatching(/^c2\./) });
  });

  it('edit, a question answered through the bot, one editor twice, then a second editor: published once, in its frame, the author told and unlinked', async () => {
    fake.sendText(vera, `/story_edit ${number} I tried mephedrone at a party.\nWater and sleep helped the next day.`, { chatId: editorsChat.id });
    await sees(editorsChat.id, new RegExp(`Story ${number} was edited: approvals start again`));
    const edited = await sees(editorsChat.id, new RegExp(`^📝 Story ${number}`));
    expect(textOf(edited)).toMatch(/I tried mephedrone at a party\.\s+Water.*The author's original:\s+Last weekend/s);

    fake.sendText(vera, `/story_ask ${number} Was it your first time?`, { chatId: editorsChat.id });
    const question = await sees(client.id, /question about your story/);
    expect(textOf(question)).toContain('Was it your first time?');
    fake.pressButton(client, question, `st:ans:${number}`);
    await sees(client.id, /Write your answer/);
    fake.sendText(client, 'Yes, the first time.');
    await sees(client.id, /Your answer went to the editors/);
    expect(textOf(await sees(editorsChat.id, /answers:/))).toMatch(new RegExp(`${number}.*Yes, the first time\\.`, 's'));

    await press(vera, editorsChat.id, `st:ap:${number}`);
    await sees(editorsChat.id, new RegExp(`${number}: 1 of 2 approvals`));
    await press(vera, editorsChat.id, `st:ap:${number}`);
    await sees(editorsChat.id, /approved .* already: it needs 2 different editors/);
    expect(fake.botMessages(channelEn.id)).toHaveLength(0);

    // A former member's press counts for nothing.
    // (Telegram may still deliver a press made before they left: pushed here as it would arrive.)
    fake.setMemberStatus(editorsChat, former, 'left');
    const card = await withButton(editorsChat.id, `st:ap:${number}`);
    fake.pushUpdate({ callback_query: { id: 'former-press', from: former, chat_instance: 'editors', message: card, data: `st:ap:${number}` } });
    await sees(editorsChat.id, /Only current members of the editors chat/);

    await press(omar, editorsChat.id, `st:ap:${number}`);
    await sees(editorsChat.id, new RegExp(`Story ${number} published in news_en`));
    const posted = fake.botMessages(channelEn.id);
    expect(posted).toHaveLength(1);
    expect(textOf(posted[0]!)).toMatch(/^📖 Shared by a reader · 🌀 Trip report · Mephedrone\s+I tried mephedrone at a party\.\nWater and sleep helped the next day\.\s+A reader sent this story anonymously/);
    expect(textOf(await sees(client.id, /has been published/))).toContain(number);
    await until(() => row(number)?.chatRef === null, 'the author unlinked');
    expect(row(number)).toMatchObject({ status: 'published', chatRef: null, clientKey: null, sealedOriginal: null, sealedEdited: null });
    expect(bot.db.select().from(publications).where(eq(publications.postSlug, `story/${number}`)).all()).toMatchObject([{ status: 'sent', channel: 'news_en' }]);

    // Pressing again publishes nothing more.
    await press(omar, editorsChat.id, `st:ap:${number}`);
    await sees(editorsChat.id, new RegExp(`Story ${number} is not waiting any more \\(published\\)`));
    expect(fake.botMessages(channelEn.id)).toHaveLength(1);
    expect(fake.botMessages(channelRu.id)).toHaveLength(0);
  });

  it('reject with a reason; withdraw; the daily limit', async () => {
    const second = await submit(client, ['Tramadol and alcohol together made me pass out.'], 'other', ['tramadol', 'alcohol']);
    expect(textOf(await sees(editorsChat.id, new RegExp(`Story ${second}`)))).toContain('Tramadol, Alcohol');
    fake.sendText(omar, `/story_reject ${second}`, { chatId: editorsChat.id });
    await sees(editorsChat.id, /Usage: \/story_reject S-XXXX the reason/);
    fake.sendText(omar, `/story_reject ${second} It reads like advice on doses.`, { chatId: editorsChat.id });
    await sees(editorsChat.id, new RegExp(`Story ${second} rejected`));
    expect(textOf(await sees(client.id, /will not be published/))).toMatch(new RegExp(`${second}.*The editors say: It reads like advice on doses\\.`, 's'));
    await until(() => row(second)?.chatRef === null, 'the author unlinked');
    expect(row(second)).toMatchObject({ status: 'rejected', chatRef: null, clientKey: null, sealedOriginal: null, reason: null });

    const third = await submit(client, ['The pharmacy on duty was kind to me.'], 'services');
    // Three sent today (STORIES_PER_DAY=3): the next /share is refused, offering to withdraw the waiting one.
    fake.sendText(client, '/share');
    const limit = await sees(client.id, /You can have 3 stories waiting/);
    expect(buttons(limit)).toEqual([`st:wd:${third}`]);
    fake.pressButton(client, limit, `st:wd:${third}`);
    await sees(client.id, new RegExp(`${third}</b> is withdrawn|${third} is withdrawn`));
    await sees(editorsChat.id, new RegExp(`The author withdrew story ${third}`));
    // Its words are gone from the editors' chat too (the cards that showed them).
    await until(() => !fake.messages(editorsChat.id).some((m) => /pharmacy on duty was kind/.test(textOf(m))) || undefined, 'the withdrawn story gone from the editors chat');
    await until(() => row(third)?.chatRef === null, 'the author unlinked');
    expect(row(third)).toMatchObject({ status: 'withdrawn', chatRef: null, clientKey: null, sealedOriginal: null });
    fake.sendText(vera, `/story ${third}`, { chatId: editorsChat.id });
    await sees(editorsChat.id, new RegExp(`Story ${third} is not waiting any more \\(withdrawn\\)`));
    fake.sendText(client, '/share');
    await sees(client.id, /You can have 3 stories waiting/);
  });

  it('/forget withdraws the stories not yet published and deletes the draft', async () => {
    const other = author();
    const waiting = await submit(other, ['My first time with salts went badly.'], 'trip', ['pvp']);
    fake.sendText(other, '/share');
    await sees(other.id, /Share your story/);
    fake.sendText(other, 'A draft never sent.');
    await sees(other.id, /Added \(/);
    expect(bot.db.select().from(stories).where(eq(stories.status, 'draft')).all()).toHaveLength(1);
    fake.sendText(other, '/forget');
    await press(other, other.id, 'forget:yes');
    expect(textOf(await sees(other.id, /erased|deleted/i))).toMatch(/your stories not yet published \(2\), withdrawn/);
    await sees(editorsChat.id, new RegExp(`stories ${waiting} are withdrawn and deleted`));
    expect(fake.messages(editorsChat.id).some((m) => /salts went badly/.test(textOf(m)))).toBe(false);
    expect(row(waiting)).toBeUndefined();
    expect(bot.db.select().from(stories).where(eq(stories.status, 'draft')).all()).toHaveLength(0);
    fake.sendText(vera, `/story_ask ${waiting} still there?`, { chatId: editorsChat.id });
    await sees(editorsChat.id, new RegExp(`There is no story ${waiting}`));
  });

  it('a client talking to a consultant is not put into writing a story: their messages stay the consultant\'s', async () => {
    const talking = fake.createUser({ first_name: 'Talking', language_code: 'en' });
    await chatHelpers(() => fake).intake(talking, 'hiv');
    await sees(talking.id, /You are in the queue/);
    fake.sendText(talking, '/share');
    await sees(talking.id, /in a conversation with a consultant now/);
    expect(bot.db.select().from(stories).where(eq(stories.status, 'draft')).all()).toHaveLength(0);
  });
});
