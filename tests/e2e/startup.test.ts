import { describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { join } from 'node:path';
import { PROJECT_ROOT, runMain } from '../support/bot-process.js';

describe('npm start', () => {
  it('refuses to start without a token, naming BOT_TOKEN, with no stack trace and exit code 1', async () => {
    const { code, stdout, stderr } = await runMain({ BOT_SECRET: 'x'.repeat(40), STAFF_CHAT_ID: '-100123' });
    expect(code).toBe(1);
    expect(stderr).toContain('BOT_TOKEN is required');
    expect(stderr).toContain('npm run sandbox'); // a newcomer learns how to try it without Telegram
    expect(`${stdout}${stderr}`).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('lists every bad variable, one line each', async () => {
    const { code, stderr } = await runMain({ BOT_TOKEN: 'nope', BOT_SECRET: 'short', STAFF_CHAT_ID: 'staff', RETENTION_DAYS: 'forever' });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe('Cannot start: the configuration has problems.');
    expect(lines.slice(1)).toEqual([
      'BOT_TOKEN must look like 123456789:AA… (the token from @BotFather)',
      'BOT_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)',
      'STAFF_CHAT_ID must be a numeric Telegram chat id, like -1001234567890',
      'RETENTION_DAYS must be a whole number of days, 0 or more (0: closed cases go at the next purge)',
    ]);
  });

  it('names a content folder without the UI texts', async () => {
    const { code, stderr } = await runMain({ BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', BOT_SECRET: 'x'.repeat(40), STAFF_CHAT_ID: '-100123', CONTENT_DIR: '/nonexistent' });
    expect(code).toBe(1);
    expect(stderr).toContain('CONTENT_DIR /nonexistent has no locales/ru.ftl');
  });

  it('refuses a DEFAULT_LANGUAGE the content folder has no texts for, naming the languages it has', async () => {
    const { code, stderr } = await runMain({
      BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
      BOT_SECRET: 'x'.repeat(40),
      STAFF_CHAT_ID: '-100123',
      CONTENT_DIR: join(PROJECT_ROOT, 'content'),
      DEFAULT_LANGUAGE: 'de',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('DEFAULT_LANGUAGE is de, but CONTENT_DIR');
    expect(stderr).toContain('has no locales/de.ftl (it has ru.ftl, kk.ftl, en.ftl); set DEFAULT_LANGUAGE to one of those');
  });

  it('explains a token that Telegram refuses', async () => {
    const fake = await FakeTelegram.start();
    try {
      const { code, stdout } = await runMain({
        BOT_TOKEN: '123456789:AAwrongwrongwrongwrongwrongwrong',
        BOT_SECRET: 'x'.repeat(40),
        STAFF_CHAT_ID: '-100123',
        TELEGRAM_API_ROOT: fake.apiRoot,
        CONTENT_DIR: join(PROJECT_ROOT, 'content'),
      });
      expect(code).toBe(1);
      expect(stdout).toContain('Telegram refused BOT_TOKEN (401 Unauthorized): check the token from @BotFather.');
    } finally {
      await fake.stop();
    }
  });
});
