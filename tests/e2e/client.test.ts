import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { ContentStore } from '../../src/content/store.js';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { join } from 'node:path';
import { createPrivacy } from '../../src/privacy/keys.js';

const content = new ContentStore(join(PROJECT_ROOT, 'content'), 'ru');
const LANGUAGES = content.languages;

let fake: FakeTelegram;
let bot: BotProcess;
const secrets: string[] = [];
let staffChatId = '';

type User = ReturnType<FakeTelegram['createUser']>;
type Message = Awaited<ReturnType<FakeTelegram['nextBotMessage']>>;

function buttons(message: Message): { text: string; data: string }[] {
  const keyboard = (message as { reply_markup?: { inline_keyboard: { text: string; callback_data?: string }[][] } }).reply_markup;
  return (keyboard?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data ?? '' }));
}

function buttonData(message: Message, data: string | RegExp): string {
  const found = buttons(message).find((b) => (typeof data === 'string' ? b.data === data : data.test(b.data)));
  if (!found) throw new Error(`no button ${String(data)} in ${JSON.stringify(buttons(message))}`);
  return found.data;
}

/** A client with identifying details that must never reach the database or the logs. */
function newClient(language_code: string, tag: string): User {
  const user = fake.createUser({
    first_name: `Firstname${tag}`,
    last_name: `Lastname${tag}`,
    username: `secret_user_${tag}`,
    language_code,
  });
  secrets.push(String(user.id), `Firstname${tag}`, `Lastname${tag}`, `secret_user_${tag}`);
  return user;
}

/** Presses a button and returns the bot's next message in that chat (new or edited). */
async function press(user: User, message: Message, data: string | RegExp): Promise<Message> {
  fake.pressButton(user, message, buttonData(message, data));
  return fake.nextBotMessage(user.id);
}

async function say(user: User, text: string): Promise<Message> {
  if (!text.startsWith('/')) secrets.push(text);
  fake.sendText(user, text);
  return fake.nextBotMessage(user.id);
}

beforeAll(async () => {
  fake = await FakeTelegram.start();
  const staff = fake.createSupergroup({ title: 'Staff', isForum: true, members: [] });
  staffChatId = String(staff.id);
  bot = await startBot({
    BOT_TOKEN: fake.token,
    BOT_SECRET: 'e2e-secret-e2e-secret-e2e-secret-123456',
    TELEGRAM_API_ROOT: fake.apiRoot,
    STAFF_CHAT_ID: staffChatId,
    DEFAULT_LANGUAGE: 'ru',
  });
});

afterAll(async () => {
  const code = await bot?.stop();
  await fake?.stop();
  expect(code).toBe(0);
});

describe('client side, end to end', () => {
  it('registers the client commands in every language', () => {
    for (const lang of LANGUAGES) {
      const commands = fake.commands({ scope: { type: 'all_private_chats' }, language_code: lang });
      expect(commands.map((c) => c.command)).toEqual(['start', 'help', 'consult', 'status', 'end', 'info', 'mix', 'checkin', 'buddy', 'services', 'report', 'alerts', 'language', 'privacy', 'share', 'surveys', 'forget']);
    }
    expect(fake.commands({ scope: { type: 'all_private_chats' }, language_code: 'kk' })[0]?.description).not.toBe(
      fake.commands({ scope: { type: 'all_private_chats' }, language_code: 'en' })[0]?.description,
    );
  });

  it.each([
    ['ru', /имя/i],
    ['kk', /аты|нөмір/i],
    ['en', /never see your name or number/],
    ['de', /имя/i], // unknown language → DEFAULT_LANGUAGE (ru)
  ])('greets a %s client in their language with the anonymity promise and the menu', async (code, promise) => {
    const client = newClient(code, `start${code}`);
    const greeting = await say(client, '/start');
    expect(greeting.text).toMatch(promise);
    expect(greeting.text).toContain('/forget');
    expect(buttons(greeting).map((b) => b.data)).toEqual([
      'menu:info', 'menu:emergency', 'menu:consult', 'menu:services', 'menu:report', 'menu:share', 'menu:alerts', 'menu:language', 'menu:privacy',
    ]);
  });

  it('opens every info card in every language without a Telegram error', async () => {
    for (const lang of LANGUAGES) {
      const client = newClient(lang, `cards${lang}`);
      const { sections } = content.for(lang);
      expect(sections.length).toBeGreaterThanOrEqual(4);
      let screen = await say(client, '/info');
      for (const [index, section] of sections.entries()) {
        const list = await press(client, screen, `info:s:${index}`);
        expect(list.text).toContain(section.title);
        let current = list;
        for (const card of section.cards) {
          const first = await press(client, current, `info:c:${card.slug}`);
          expect(first.text).toContain(card.title);
          // Long cards arrive as several messages; the last one carries the buttons and the disclaimer.
          let last = first;
          while (buttons(last).length === 0) last = await fake.nextBotMessage(client.id);
          expect(last.text).toMatch(/ℹ️/);
          expect(buttons(last).map((b) => b.data)).toContain('n:menu:consult');
          // Back to the section from under the card: a new message with the section's cards.
          current = await press(client, last, /^n:info:s:/);
          expect(current.text).toContain(section.title);
        }
        screen = await press(client, current, 'menu:info');
      }
    }
    expect(fake.failedCalls()).toEqual([]);
  });

  it('shows the emergency guidance from the menu and on /help, with a way to a consultant', async () => {
    const client = newClient('en', 'emergency');
    const menu = await say(client, '/start');
    const page = await press(client, menu, 'menu:emergency');
    expect(page.text).toMatch(/103/);
    expect(page.text).toMatch(/recovery position/i);
    expect(page.text).toMatch(/naloxone/i);
    expect(buttons(page).map((b) => b.data)).toContain('n:consult:urgent');
    const help = await say(client, '/help');
    expect(help.text).toBe(page.text);
    const consult = await press(client, help, 'n:consult:urgent');
    expect(consult.text).toMatch(/consultant/i);
  });

  it('lists services by city, shows no sample contacts (SHOW_SAMPLE_SERVICES is off), and navigates back', async () => {
    const client = newClient('ru', 'services');
    const menu = await say(client, '/start');
    const regions = await press(client, menu, 'menu:services');
    const cities = buttons(regions).filter((b) => b.data.startsWith('svc:r:'));
    expect(cities.length).toBeGreaterThanOrEqual(3);
    for (const city of cities) {
      const page = await press(client, regions, city.data);
      expect(page.text).toContain(city.text);
      let last = page;
      while (buttons(last).length === 0) last = await fake.nextBotMessage(client.id);
      // The shipped cities are samples: the client is told plainly there is nothing verified yet,
      // with the emergency numbers, and sees no placeholder contact.
      expect(page.text).toMatch(/проверенных контактов здесь пока нет/);
      expect(page.text).toContain('103');
      expect(page.text).not.toMatch(/7xx|xxx-xx|заполнить|ОБРАЗЕЦ/);
      expect(buttons(last).map((b) => b.data)).toContain('n:menu:consult');
      const back = await press(client, last, 'n:menu:services');
      expect(buttons(back).some((b) => b.data === city.data)).toBe(true);
    }
  });

  it('switches the language and remembers it', async () => {
    const client = newClient('ru', 'language');
    const choice = await say(client, '/language');
    const changed = await press(client, choice, 'lang:set:kk');
    expect(changed.text).toMatch(/қазақ/i);
    const greeting = await say(client, '/start');
    expect(greeting.text).toBe(await (async () => {
      const kkClient = newClient('kk', 'languagecheck');
      return (await say(kkClient, '/start')).text;
    })());
  });

  it('leaves the intake when the client presses 🆘 in the middle of it: what they write next is not refused as a wrong answer', async () => {
    const client = newClient('en', 'sos-intake');
    const menu = await say(client, '/start');
    const topics = await say(client, '/consult');
    expect(buttons(topics).some((b) => b.data.startsWith('intake:topic:'))).toBe(true);
    await press(client, menu, /menu:emergency$/);
    const after = await say(client, 'my friend is not waking up');
    expect(String(after.text)).not.toMatch(/choose one of the buttons above/);
    // The intake's own buttons no longer act; /consult starts afresh.
    const again = await say(client, '/consult');
    expect(buttons(again).some((b) => b.data.startsWith('intake:topic:'))).toBe(true);
  });

  it('explains privacy and the retention period', async () => {
    const client = newClient('en', 'privacy');
    // One message per Telegram's limit; the buttons come under the last one.
    const pages = [await say(client, '/privacy')];
    while (buttons(pages.at(-1)!).length === 0) pages.push(await fake.nextBotMessage(client.id));
    for (const page of pages) expect(String(page.text).length).toBeLessThanOrEqual(4096);
    const text = pages.map((p) => String(p.text)).join('\n\n');
    expect(text).toMatch(/never stored/i);
    expect(text).toMatch(/deleted 30 days after your conversation ends/);
    // Where each thing lives: the database, the team's chat, this chat (48 hours without topic mode).
    expect(text).toMatch(/In the team's private chat/);
    expect(text).toMatch(/last 48 hours: Telegram does not let bots delete older ones/);
    // What the newer features keep is there too, to the last paragraph.
    expect(text).toMatch(/report/i);
    expect(text).toMatch(/stor(y|ies)/i);
    expect(text).toMatch(/check-in/i);
    expect(buttons(pages.at(-1)!).map((b) => b.data)).toEqual(expect.arrayContaining(['forget:ask', 'chat:clear']));
  });

  it('erases the client on /forget after confirmation, and starts fresh afterwards', async () => {
    const client = newClient('en', 'forget');
    const choice = await say(client, '/language');
    await press(client, choice, 'lang:set:en'); // this stores a row
    const db = new Database(bot.databasePath, { readonly: true });
    const count = () => (db.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n;
    const before = count();
    const confirm = await say(client, '/forget');
    expect(confirm.text).toMatch(/cannot be undone/);
    const cancelled = await press(client, confirm, 'forget:no');
    expect(cancelled.text).toMatch(/Nothing was erased/);
    expect(count()).toBe(before);
    const again = await say(client, '/forget');
    const done = await press(client, again, 'forget:yes');
    expect(done.text).toMatch(/Erased/);
    expect(done.text).toMatch(/language choice/);
    expect(count()).toBe(before - 1);
    // The chat itself was cleared: the menus and commands before it are gone from the client's phone.
    expect(fake.messages(client.id).map((m) => m.message_id)).toEqual([done.message_id]);
    expect(done.text).toMatch(/Clear history/); // what the bot cannot delete, the client is told how to
    const third = await say(client, '/forget');
    const nothing = await press(client, third, 'forget:yes');
    expect(nothing.text).toMatch(/held nothing else about you/);
    // Not even the ids of those last messages are kept under their key.
    const key = createPrivacy('e2e-secret-e2e-secret-e2e-secret-123456').clientKey(client.id);
    expect((db.prepare('SELECT count(*) AS n FROM chat_traces WHERE client_key = ?').get(key) as { n: number }).n).toBe(0);
    db.close();
  });

  it('answers the unexpected helpfully: stickers, voice, free text, unknown commands, stale buttons', async () => {
    const client = newClient('en', 'unexpected');
    // Whoever gets "I don't understand" may be in danger now: every such answer gives the numbers.
    const withNumbers = (text: string | undefined) => {
      expect(text).toContain('103');
      expect(text).toContain('112');
      return text;
    };
    fake.sendMessage(client, { sticker: { file_id: 'st1', file_unique_id: 'st1u', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } });
    expect(withNumbers((await fake.nextBotMessage(client.id)).text)).toMatch(/can't read that kind of message/);
    fake.sendMessage(client, { voice: { file_id: 'v1', file_unique_id: 'v1u', duration: 3 } });
    expect(withNumbers((await fake.nextBotMessage(client.id)).text)).toMatch(/can't read that kind of message/);
    expect(withNumbers((await say(client, 'I took too much, what do I do')).text)).toMatch(/can't answer free text/);
    expect(withNumbers((await say(client, '/doesnotexist')).text)).toMatch(/don't know that command/);
    const menu = await say(client, '/start');
    fake.pushUpdate({
      update_id: 0,
      callback_query: { id: 'stale-1', from: client, chat_instance: 'ci', message: menu, data: 'old:button:v0' },
    });
    const reply = await fake.nextBotMessage(client.id);
    expect(buttons(reply).length).toBe(9);
    withNumbers(reply.text);
    expect(fake.unansweredCallbackQueries()).toEqual([]);
    expect(fake.failedCalls()).toEqual([]);
  });

  it('keeps no client identity or message text in the database file or the logs', async () => {
    // Its own client too, so this test proves something even when run alone.
    const client = newClient('kk', 'scan');
    await say(client, '/start');
    await say(client, 'мен мефті үш күн бойы қолдандым');
    const choice = await say(client, '/language');
    await press(client, choice, 'lang:set:ru'); // stores a row for this client
    const db = new Database(bot.databasePath, { readonly: true });
    const stored = db.prepare('SELECT pseudonym FROM clients').all() as { pseudonym: string }[];
    db.close();
    expect(stored.length).toBeGreaterThan(0);
    await bot.stop(); // closes the database: WAL checkpointed into the main file
    const files = [bot.databasePath, `${bot.databasePath}-wal`].flatMap((path) => {
      try {
        return [readFileSync(path)];
      } catch {
        return [];
      }
    });
    const logs = bot.output();
    expect(logs).toContain('bot started');
    expect(logs).toContain('"update_id"'); // debug logs of the updates were written, just without identities
    // The scan can see what is stored: the pseudonyms are in the file.
    for (const { pseudonym } of stored) expect(files.some((f) => f.includes(Buffer.from(pseudonym)))).toBe(true);
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    for (const secret of secrets) {
      for (const file of files) expect(file.includes(Buffer.from(secret)), `database contains "${secret}"`).toBe(false);
      expect(logs.includes(secret), `logs contain "${secret}"`).toBe(false);
    }
    bot = await startBot({
      BOT_TOKEN: fake.token,
      BOT_SECRET: 'e2e-secret-e2e-secret-e2e-secret-123456',
      TELEGRAM_API_ROOT: fake.apiRoot,
      STAFF_CHAT_ID: staffChatId,
    });
  });
});
