import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { PROJECT_ROOT, startBot, type BotProcess } from '../support/bot-process.js';
import { contentFolder } from '../support/content.js';
import { localParts } from '../../src/time/zoned.js';

const TZ = 'Asia/Almaty';
let fake: FakeTelegram;
let bot: BotProcess | undefined;

function localTimestamp(date: Date): string {
  const p = localParts(date, TZ);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('publishing with the real bot process and the real clock', () => {
  it('picks up a file added while running, shows it to editors, publishes it on time, once, across a restart', async () => {
    const editor = fake.createUser({ first_name: 'Editor' });
    const editors = fake.createSupergroup({ title: 'Editors', isForum: false, members: [editor] });
    const channel = fake.createChannel({ title: 'News', username: 'kz_safety_news' });
    const dir = contentFolder({});
    cpSync(join(PROJECT_ROOT, 'content', 'locales'), join(dir, 'locales'), { recursive: true });
    const env = {
      BOT_TOKEN: fake.token,
      BOT_SECRET: 'process-secret-process-secret-process-01',
      TELEGRAM_API_ROOT: fake.apiRoot,
      STAFF_CHAT_ID: String(editors.id),
      CONTENT_DIR: dir,
      DEFAULT_LANGUAGE: 'en', // the editors' texts are read in English below
      CHANNELS: 'news=@kz_safety_news',
      TIMEZONE: TZ,
    };
    bot = await startBot(env);

    // An editor adds a post due in a few seconds while the bot runs.
    const due = new Date(Math.floor(Date.now() / 1000) * 1000 + 6_000); // whole seconds, as written in the file
    mkdirSync(join(dir, 'posts'), { recursive: true });
    writeFileSync(join(dir, 'posts', 'soon.md'), `---\nchannel: news\npublish_at: ${localTimestamp(due)}\n---\nPublished **on time**.\n`);

    // The watcher reloads within about a second; the editors can see and preview the post.
    const next = async (pattern: RegExp) => {
      for (;;) {
        const m = await fake.nextBotMessage(editors.id);
        if (pattern.test(String(m.text ?? ''))) return String(m.text);
      }
    };
    let upcoming = '';
    for (let i = 0; i < 20 && !upcoming.includes('soon'); i++) {
      await new Promise((r) => setTimeout(r, 250));
      fake.sendMessage(editor, { text: '/upcoming' }, { chatId: editors.id });
      upcoming = await next(/Upcoming publications/);
    }
    expect(upcoming).toContain(`${localTimestamp(due).slice(0, 16)} → news: soon`);
    fake.sendMessage(editor, { text: '/preview soon' }, { chatId: editors.id });
    await next(/Preview of/);
    expect(await next(/./)).toBe('Published on time.');

    const published = await fake.nextBotMessage(channel.id, { timeoutMs: 15_000 });
    const lateness = Date.now() - due.getTime();
    expect(published.text).toBe('Published on time.');
    expect(lateness).toBeGreaterThanOrEqual(-100);
    expect(lateness).toBeLessThan(3_000);

    // Restart right after publishing: nothing is sent again.
    expect(await bot.stop()).toBe(0);
    bot = await startBot({ ...env, DATABASE_PATH: bot.databasePath });
    await new Promise((r) => setTimeout(r, 2_500));
    expect(fake.botMessages(channel.id).map((m) => m.text)).toEqual(['Published on time.']);
    expect(fake.failedCalls()).toEqual([]);
  }, 60_000);
});
