import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { PROJECT_ROOT, startBot, type BotProcess } from '../support/bot-process.js';
import { until } from '../support/wait.js';

/**
 * A FIFO in the content folder (security review L6): a plain open() of it blocks until someone writes,
 * and with it the whole bot. It is reported as skipped and the bot keeps answering, at start and when
 * one appears while it runs (the content watcher reloads by itself).
 */
let fake: FakeTelegram;
let bot: BotProcess | undefined;

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('a FIFO in the content folder', () => {
  it('is skipped and reported, and the bot keeps answering', async () => {
    const editor = fake.createUser({ first_name: 'Editor' });
    const staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [editor] });
    const content = mkdtempSync(join(tmpdir(), 'fifo-content-'));
    cpSync(join(PROJECT_ROOT, 'content'), content, { recursive: true, filter: (src) => !src.startsWith(join(PROJECT_ROOT, 'content', 'posts')) });
    execFileSync('mkfifo', [join(content, 'info', 'en', 'zz-trap.md')]);
    // A FIFO named as a language's UI texts: never opened, never offered as a language.
    execFileSync('mkfifo', [join(content, 'locales', 'de.ftl')]);
    bot = await startBot({
      BOT_TOKEN: fake.token,
      BOT_SECRET: 'fifo-secret-fifo-secret-fifo-secret-0001',
      TELEGRAM_API_ROOT: fake.apiRoot,
      STAFF_CHAT_ID: String(staff.id),
      CONTENT_DIR: content,
      DEFAULT_LANGUAGE: 'en',
    });
    const reports = () => fake.botMessages(staff.id).map((m) => String(m.text ?? '')).join('\n');
    await until(() => /zz-trap\.md.*not a regular file/.test(reports()), 'the report of the skipped file');
    await until(() => /locales\/de\.ftl.*not a regular file/.test(reports()), 'the report of the skipped locales file');
    const client = fake.createUser({ first_name: 'Reader', language_code: 'en' });
    fake.sendText(client, '/start');
    expect(String((await fake.nextBotMessage(client.id)).text)).toMatch(/.+/);
    fake.sendText(client, '/language');
    const languages = await fake.nextBotMessage(client.id);
    const offered = ((languages as { reply_markup?: { inline_keyboard: { callback_data?: string }[][] } }).reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data ?? '');
    expect(offered.filter((d) => d.startsWith('lang:set:')).sort()).toEqual(['lang:set:en', 'lang:set:kk', 'lang:set:ru']);

    // One appears while the bot runs: the watcher reloads, the post is reported, and the bot still answers.
    mkdirSync(join(content, 'posts'), { recursive: true });
    execFileSync('mkfifo', [join(content, 'posts', 'trap.md')]);
    await until(() => /posts\/trap\.md.*not a regular file/.test(reports()), 'the report of the skipped post', 15_000);
    fake.sendText(client, '/start');
    expect(String((await fake.nextBotMessage(client.id)).text)).toMatch(/.+/);
    expect(bot.output()).toMatch(/content file skipped/);
  }, 60_000);
});
