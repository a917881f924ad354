import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { PROJECT_ROOT, startBot, type BotProcess } from '../support/bot-process.js';

/** What a placeholder contact looks like in the shipped sample entries, in every language. */
const PLACEHOLDER = /7xx|xxx-xx|to be filled|заполнить|толтыру керек|SAMPLE entry|ОБРАЗЕЦ|ҮЛГІ/i;

type User = ReturnType<FakeTelegram['createUser']>;
type Message = Awaited<ReturnType<FakeTelegram['nextBotMessage']>>;

function buttons(message: Message): { text: string; data: string }[] {
  const keyboard = (message as { reply_markup?: { inline_keyboard: { text: string; callback_data?: string }[][] } }).reply_markup;
  return (keyboard?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data ?? '' }));
}

/** Everything the bot sends or edits in the chat until it falls quiet: the first within 5 s, the rest within 200 ms. */
async function drain(fake: FakeTelegram, user: User): Promise<Message[]> {
  const seen = [await fake.nextBotMessage(user.id)];
  for (;;) {
    try {
      seen.push(await fake.nextBotMessage(user.id, { timeoutMs: 200 }));
    } catch {
      return seen;
    }
  }
}

const BASE_ENV = (fake: FakeTelegram, staffChatId: number) => ({
  BOT_TOKEN: fake.token,
  BOT_SECRET: 'lists-secret-lists-secret-lists-secret-01',
  TELEGRAM_API_ROOT: fake.apiRoot,
  STAFF_CHAT_ID: String(staffChatId),
});

describe('the shipped content, as a client walks it', () => {
  let fake: FakeTelegram;
  let bot: BotProcess;
  let staffId = 0;

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    const staff = fake.createSupergroup({ title: 'Staff', isForum: true, members: [] });
    staffId = staff.id;
    bot = await startBot({ ...BASE_ENV(fake, staff.id), WORKING_HOURS: 'Mon-Sun 00:00-00:01' });
  });

  afterAll(async () => {
    await bot?.stop();
    await fake?.stop();
  });

  // The three walks run at once (one client each): the bot serves them concurrently, as it would.
  it.concurrent.each(['ru', 'kk', 'en'])(
    'shows no placeholder contact on any screen a %s client can reach',
    async (lang) => {
      const client = fake.createUser({ first_name: `Walker${lang}`, language_code: lang });
      const texts: string[] = [];
      const queue: Message[] = [];
      const visit = (messages: Message[]) => {
        for (const message of messages) {
          texts.push(String(message.text ?? message.caption ?? ''));
          queue.push(message);
        }
      };
      for (const command of ['/start', '/help', '/info', '/services', '/privacy', '/language', '/status']) {
        fake.sendText(client, command);
        visit(await drain(fake, client));
      }
      // Every button once (by what it does); not the ones that erase, end a case or switch language.
      const pressed = new Set<string>();
      const skip = /^(n:)?(lang:set:|forget:yes|chat:clear:yes|end:yes:|rate:)/;
      while (queue.length > 0) {
        const snapshot = queue.shift()!;
        for (const { data } of buttons(snapshot)) {
          // A button under content ("n:") always sends a new screen: once is enough. Others edit
          // their own message, so a screen edited away is reached again from another one.
          const action = data.startsWith('n:') ? data.slice(2) : `${String(snapshot.text)}|${data}`;
          if (!data || skip.test(data) || pressed.has(action) || pressed.has(data.replace(/^n:/, ''))) continue;
          // Screens are edited in place: press only what the message still shows (what it shows
          // instead was queued when it changed).
          const message = fake.botMessages(client.id).find((m) => m.message_id === snapshot.message_id);
          if (!message || !buttons(message).some((b) => b.data === data)) continue;
          pressed.add(action);
          fake.pressButton(client, message, data);
          visit(await drain(fake, client));
        }
      }
      // The walk reached the directory's cities and the cards, so it proves something.
      const reached = (prefix: string) => new Set([...pressed].map((a) => a.split('|').at(-1)!).filter((a) => a.startsWith(prefix))).size;
      expect(reached('svc:r:')).toBeGreaterThanOrEqual(3);
      expect(reached('info:c:')).toBeGreaterThanOrEqual(15);
      expect(texts.filter((text) => PLACEHOLDER.test(text))).toEqual([]);
      expect(fake.failedCalls()).toEqual([]);
    },
    180_000,
  );

  it('describes the staff and editors commands in DEFAULT_LANGUAGE (ru), from the locales', () => {
    const commands = fake.commands({ scope: { type: 'chat', chat_id: staffId } });
    expect(commands.find((c) => c.command === 'take')?.description).toBe('Взять это обращение');
    expect(commands.find((c) => c.command === 'reload')?.description).toBe('Перезагрузить папку контента');
  });

  it('gives the emergency numbers when the team is off duty', async () => {
    const client = fake.createUser({ first_name: 'Night', language_code: 'en' });
    fake.sendText(client, '/consult');
    const topics = (await drain(fake, client)).at(-1)!;
    fake.pressButton(client, topics, buttons(topics).find((b) => b.data.startsWith('intake:topic:'))!.data);
    const describe = (await drain(fake, client)).at(-1)!;
    fake.pressButton(client, describe, 'intake:skip');
    const reminder = (await drain(fake, client)).at(-1)!;
    fake.pressButton(client, reminder, buttons(reminder).find((b) => b.data === 'intake:go')!.data);
    // The private chat is paced (a burst of 3, then one a second), so the notice may come a second later.
    const seen = (await drain(fake, client)).map((m) => String(m.text));
    while (!seen.some((text) => /off duty/.test(text))) {
      const next = await fake.nextBotMessage(client.id, { timeoutMs: 3_000 }).catch(() => undefined);
      if (!next) break;
      seen.push(String(next.text));
    }
    const queued = seen.join('\n');
    expect(queued).toMatch(/off duty/);
    expect(queued).toMatch(/103/);
    expect(queued).toMatch(/112/);
    expect(queued).toMatch(/150/);
  }, 30_000);
});

describe('a content folder the organisation changed: a new language, its own lists and numbers, samples shown', () => {
  let fake: FakeTelegram;
  let bot: BotProcess;
  let root: string;
  let staffId = 0;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'content-uz-'));
    cpSync(join(PROJECT_ROOT, 'content'), root, { recursive: true });
    // Uzbek, with only a few texts: the rest must fall back to DEFAULT_LANGUAGE (ru).
    writeFileSync(
      join(root, 'locales', 'uz.ftl'),
      [
        "language-name = O'zbekcha",
        "language-changed = Tayyor, endi o'zbekcha gaplashaman.",
        'menu-title = Sizga nima kerak?',
        'command-start = Asosiy menyu',
        '',
      ].join('\n'),
    );
    mkdirSync(join(root, 'info', 'uz'), { recursive: true });
    writeFileSync(join(root, 'info', 'uz', 'nalokson.md'), '---\ntitle: Nalokson\nsection: Dozani oshirib yuborish\norder: 1\n---\nNalokson opioidlar taʼsirini toʻxtatadi.\n');
    const settings = readFileSync(join(root, 'settings.yml'), 'utf8')
      .replace('ambulance: "103"', 'ambulance: "1003"')
      .replace(/intake_topics: \[.*\]/, 'intake_topics: [legal, other]')
      .replace(/languages: \[.*\]/, 'languages: [ru, uz, kk, en]');
    writeFileSync(join(root, 'settings.yml'), settings);
    fake = await FakeTelegram.start();
    const staff = fake.createSupergroup({ title: 'Staff', isForum: true, members: [] });
    staffId = staff.id;
    bot = await startBot({ ...BASE_ENV(fake, staff.id), CONTENT_DIR: root, SHOW_SAMPLE_SERVICES: 'true' });
  });

  afterAll(async () => {
    await bot?.stop();
    await fake?.stop();
  });

  it('tells the editors at start-up, in DEFAULT_LANGUAGE, what to review: the new language lacks most texts', async () => {
    const report = await fake.nextBotMessage(staffId); // the staff chat is the editors chat here
    expect(report.text).toMatch(/^📋 Контент на проверку: замечаний — \d+/);
    expect(report.text).toContain('npm run content:check');
    const review = spawnSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), [join(PROJECT_ROOT, 'src', 'cli', 'content-check.ts')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', CONTENT_DIR: root },
      encoding: 'utf8',
    });
    expect(review.stdout).toContain(`warning: ${root}/info/uz/nalokson.md: sources: names no sources`);
    expect(review.stdout).toMatch(/warning: .*\/locales\/uz\.ftl: lacks \d+ text\(s\) of ru\.ftl \(shown in ru meanwhile\): .*welcome/);
    expect(review.stdout).toMatch(/warning: .*\/emergency\/uz\.md: is missing: uz lacks this emergency screen/);
    expect(review.stdout).toMatch(/languages: ru, uz, kk, en;/);
  }, 30_000);

  it('offers the new language on /language, in the order of settings.yml, and registers its commands', async () => {
    const client = fake.createUser({ first_name: 'Lang', language_code: 'ru' });
    fake.sendText(client, '/language');
    const choice = (await drain(fake, client)).at(-1)!;
    expect(buttons(choice).map((b) => b.data)).toEqual(['lang:set:ru', 'lang:set:uz', 'lang:set:kk', 'lang:set:en', 'menu:main']);
    expect(buttons(choice)[1]!.text).toBe("O'zbekcha");
    fake.pressButton(client, choice, 'lang:set:uz');
    const changed = (await drain(fake, client)).at(-1)!;
    expect(changed.text).toContain("Tayyor, endi o'zbekcha gaplashaman.");
    expect(changed.text).toContain('Sizga nima kerak?');
    // Its commands are registered: its own text, and the default language's where it has none.
    const commands = fake.commands({ scope: { type: 'all_private_chats' }, language_code: 'uz' });
    expect(commands[0]).toEqual({ command: 'start', description: 'Asosiy menyu' });
    expect(commands.find((c) => c.command === 'help')?.description).toBe(
      fake.commands({ scope: { type: 'all_private_chats' }, language_code: 'ru' }).find((c) => c.command === 'help')?.description,
    );
  }, 30_000);

  it('speaks it to a client whose Telegram is in that language, with its own cards, falling back to the default texts', async () => {
    const client = fake.createUser({ first_name: 'Uz', language_code: 'uz' });
    fake.sendText(client, '/start');
    const greeting = (await drain(fake, client)).at(-1)!;
    expect(greeting.text).toMatch(/Привет!/); // no welcome in uz.ftl: DEFAULT_LANGUAGE's
    fake.sendText(client, '/info');
    const sections = (await drain(fake, client)).at(-1)!;
    expect(buttons(sections).map((b) => b.text)).toContain('Dozani oshirib yuborish');
  }, 30_000);

  it('uses the numbers and intake topics of settings.yml', async () => {
    const client = fake.createUser({ first_name: 'Topics', language_code: 'en' });
    fake.sendText(client, 'help me');
    const answer = (await drain(fake, client)).at(-1)!;
    expect(answer.text).toContain('1003');
    fake.sendText(client, '/consult');
    const topics = (await drain(fake, client)).at(-1)!;
    expect(buttons(topics).map((b) => b.data)).toEqual(['intake:topic:legal', 'intake:topic:other', 'intake:cancel']);
  }, 30_000);

  it('shows the sample services, marked as samples, when SHOW_SAMPLE_SERVICES=true', async () => {
    const client = fake.createUser({ first_name: 'Samples', language_code: 'en' });
    fake.sendText(client, '/services');
    const regions = (await drain(fake, client)).at(-1)!;
    fake.pressButton(client, regions, 'svc:r:almaty');
    const page = (await drain(fake, client)).map((m) => String(m.text)).join('\n');
    expect(page).toMatch(/Sample entry: the organisation has not filled in verified contacts/);
    expect(page).toMatch(PLACEHOLDER);
  }, 30_000);
});
