import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Message } from '../../src/sandbox/telegram-sim/index.js';
import { PROJECT_ROOT, startBot, type BotProcess } from '../support/bot-process.js';
import { until } from '../support/wait.js';

/**
 * Every string a person or a file puts into the bot's HTML arrives as the literal text: Telegram
 * (the fake Bot API parses HTML as Telegram does and refuses malformed HTML) creates no link and no
 * bold from it, and the message is not lost.
 */

/** `<`, `&`, a link and a bold tag at once. */
const HOSTILE = '< & <a href="https://evil.example">x</a> <b>';
/** The same within an alias's 32 characters. */
const ALIAS = '<3 & <a href="//e.x">x</a><b>';
/** A post path: a file name cannot hold "/", folders can. */
const HOSTILE_PATH = '<b> & <a href="https:/evil.example">x</a>';

let fake: FakeTelegram;
let bot: BotProcess;
let staff: { id: number };
let editorsChat: { id: number };
let anna: ReturnType<FakeTelegram['createUser']>;
let editor: ReturnType<FakeTelegram['createUser']>;

/** The text shows `literal` (every time it occurs) and no entity starts or ends inside it: no link, no bold planted. */
function showsLiterally(message: Message | undefined, literal: string): void {
  const text = String(message?.text ?? message?.caption ?? '');
  expect(text).toContain(literal);
  const entities = message?.entities ?? message?.caption_entities ?? [];
  expect(entities.filter((e) => e.type === 'text_link' && /e\.x|evil/.test(String(e.url)))).toEqual([]);
  for (let at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + 1)) {
    const end = at + literal.length;
    const inside = entities.filter((e) => e.offset < end && e.offset + e.length > at && (e.offset > at || e.offset + e.length < end));
    expect(inside).toEqual([]);
  }
}

const callbacks = (m: Message) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data ?? '' }));

async function clientSees(user: { id: number }, pattern: RegExp): Promise<Message> {
  for (;;) {
    const m = await fake.nextBotMessage(user.id, { timeoutMs: 10_000 });
    if (pattern.test(String(m.text ?? m.caption ?? ''))) return m;
  }
}

async function withButton(user: { id: number }, data: string | RegExp): Promise<Message> {
  for (;;) {
    const m = await fake.nextBotMessage(user.id, { timeoutMs: 10_000 });
    if (callbacks(m).some((b) => (typeof data === 'string' ? b.data === data : data.test(b.data)))) return m;
  }
}

const staffSays = (text: string, threadId?: number) => fake.sendText(anna, text, { chatId: staff.id, ...(threadId ? { threadId } : {}) });
const staffMessage = (predicate: (m: Message) => boolean, what: string) => until(() => fake.botMessages(staff.id).find(predicate), what);

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'content-'));
  cpSync(join(PROJECT_ROOT, 'content'), root, { recursive: true });
  const yaml = (text: string) => `'${text.replaceAll("'", "''")}'`;
  const files: Record<string, string> = {
    'info/en/hostile-card.md': `---\ntitle: ${yaml(HOSTILE)}\nsection: ${yaml(HOSTILE)}\norder: 0\n---\nText ${HOSTILE}\n`,
    'emergency/en.md': `---\ntitle: Emergency\nambulance: ${yaml(`103 ${HOSTILE}`)}\n---\nCall {{ambulance}}.\n`,
    'services/en/hostile.md': `---\nregion: ${yaml(HOSTILE)}\norder: 0\n---\nA service.\n`,
    'snippets/en/hostile.md': `---\ntitle: ${yaml(HOSTILE)}\n---\nA snippet.\n`,
    [`posts/${HOSTILE_PATH}.md`]: '---\nchannel: news\npublish_at: 2031-01-06 12:00\n---\nA post.\n',
    [`posts/${HOSTILE_PATH}-broken.md`]: '---\nchannel: news\n---\nNo time.\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  anna = fake.createUser({ first_name: 'Anna' });
  editor = fake.createUser({ first_name: 'Editor' });
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [anna] });
  editorsChat = fake.createSupergroup({ title: 'Editors', isForum: false, members: [editor] });
  const news = fake.createChannel({ title: 'News', username: 'safety_news' });
  bot = await startBot({
    BOT_TOKEN: fake.token,
    BOT_SECRET: 'escaping-secret-escaping-secret-escaping-1',
    TELEGRAM_API_ROOT: fake.apiRoot,
    STAFF_CHAT_ID: String(staff.id),
    EDITORS_CHAT_ID: String(editorsChat.id),
    CHANNELS: `news=${news.id}`,
    CONTENT_DIR: root,
    DEFAULT_LANGUAGE: 'en',
  });
}, 30_000);

afterAll(async () => {
  expect(await bot?.stop()).toBe(0);
  await fake?.stop();
});

describe('strings from people and files are shown as text, never as HTML', () => {
  it('info section and card titles and the ambulance number from content files', async () => {
    const client = fake.createUser({ first_name: 'Reader', language_code: 'en' });
    fake.sendText(client, '/info');
    const sections = await withButton(client, /^info:s:/);
    const button = callbacks(sections).find((b) => b.text === HOSTILE);
    expect(button).toBeDefined();
    fake.pressButton(client, sections, button!.data);
    const section = await withButton(client, 'info:c:hostile-card');
    showsLiterally(section, HOSTILE);
    fake.pressButton(client, section, 'info:c:hostile-card');
    const card = await clientSees(client, /This is information/);
    showsLiterally(card, HOSTILE);
    showsLiterally(card, `103 ${HOSTILE}`);
  });

  it('service region names', async () => {
    const client = fake.createUser({ first_name: 'Looker', language_code: 'en' });
    fake.sendText(client, '/services');
    const regions = await withButton(client, 'svc:r:hostile');
    fake.pressButton(client, regions, 'svc:r:hostile');
    showsLiterally(await clientSees(client, /A service/), HOSTILE);
  });

  it('a consultant alias, to the client and in the team chat; a too long or invisible one is refused or cleaned', async () => {
    staffSays('/alias < & <a href="https://evil.example">x</a> <b>');
    await staffMessage((m) => /Usage: \/alias NAME/.test(String(m.text)), 'the usage for a 36-character alias');
    staffSays('/alias \u202Eanna\u0007');
    await staffMessage((m) => String(m.text) === 'Clients will see you as “anna”.', 'the cleaned alias');
    staffSays(`/alias ${ALIAS}`);
    showsLiterally(await staffMessage((m) => String(m.text).startsWith('Clients will see you as “<3'), 'the confirmation'), ALIAS);

    const client = fake.createUser({ first_name: 'Asker', language_code: 'en' });
    fake.sendText(client, '/consult');
    const topics = await withButton(client, 'intake:topic:substances');
    fake.pressButton(client, topics, 'intake:topic:substances');
    fake.pressButton(client, await withButton(client, 'intake:skip'), 'intake:skip');
    fake.pressButton(client, await withButton(client, 'intake:go'), 'intake:go');
    await clientSees(client, /You are in the queue/);
    const topic = await until(() => fake.chat(staff.id).topics.at(-1), 'the topic');
    const card = await staffMessage((m) => m.message_thread_id === topic.message_thread_id && callbacks(m).some((b) => b.data.startsWith('case:take:')), 'the card');
    fake.pressButton(anna, card, callbacks(card).find((b) => b.data.startsWith('case:take:'))!.data);

    showsLiterally(await clientSees(client, /has joined the conversation/), ALIAS);
    showsLiterally(await staffMessage((m) => m.message_thread_id === topic.message_thread_id && /took the case/.test(String(m.text)), 'the note'), ALIAS);
    await until(() => fake.messages(staff.id).find((m) => m.message_id === card.message_id && /with </.test(String(m.text))), 'the card updated');
    showsLiterally(fake.messages(staff.id).find((m) => m.message_id === card.message_id), ALIAS);
    fake.sendText(client, '/status');
    showsLiterally(await clientSees(client, /You are talking with/), ALIAS);

    // Referral types and specialties typed by a consultant.
    staffSays(`/refer ${HOSTILE}`, topic.message_thread_id);
    showsLiterally(await staffMessage((m) => /Unknown referral/.test(String(m.text)), 'the refer answer'), HOSTILE.replaceAll(' ', ', ').replace(', , ', ', '));
    staffSays(`/snippets`, topic.message_thread_id);
    showsLiterally(await staffMessage((m) => /Snippets/.test(String(m.text)), 'the snippet list'), HOSTILE);
    // Specialties come from content/settings.yml: one typed that is not listed is refused, never shown.
    staffSays(`/transfer ${HOSTILE}`, topic.message_thread_id);
    const usage = await staffMessage((m) => /\/transfer SPECIALTY, one of: peer psychologist doctor lawyer/.test(String(m.text)), 'the transfer usage');
    expect(String(usage.text)).not.toContain(HOSTILE.toLowerCase());
    staffSays('/transfer lawyer', topic.message_thread_id);
    await staffMessage((m) => /Waiting for: lawyer/.test(String(m.text)), 'the transfer note');
    expect(fake.failedCalls().filter((c) => !String(c.error?.description).includes('not modified'))).toEqual([]);
  }, 40_000);

  it('post slugs and file names in editors\' reports', async () => {
    const startup = await fake.nextBotMessage(editorsChat.id, { timeoutMs: 10_000 });
    expect(startup.text).toMatch(/Content files skipped/);
    showsLiterally(startup, `posts/${HOSTILE_PATH}-broken.md`);
    fake.sendText(editor, '/upcoming', { chatId: editorsChat.id });
    showsLiterally(await fake.nextBotMessage(editorsChat.id), HOSTILE_PATH);
    fake.sendText(editor, '/reload', { chatId: editorsChat.id });
    showsLiterally(await fake.nextBotMessage(editorsChat.id), `posts/${HOSTILE_PATH}-broken.md`);
    fake.sendText(editor, `/preview ${HOSTILE_PATH}`, { chatId: editorsChat.id });
    showsLiterally(await fake.nextBotMessage(editorsChat.id), HOSTILE_PATH);
    expect(fake.failedCalls().filter((c) => !String(c.error?.description).includes('not modified'))).toEqual([]);
  });
});
