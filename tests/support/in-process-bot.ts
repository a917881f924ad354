import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pino } from 'pino';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { loadConfig, type Config } from '../../src/config.js';
import { createBot } from '../../src/bot/index.js';
import { ContentStore } from '../../src/content/store.js';
import { closeDatabase, openDatabase, type Db } from '../../src/db/connection.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { PostStore } from '../../src/publishing/store.js';

export interface InProcessBot {
  config: Config;
  db: Db;
  created: ReturnType<typeof createBot>;
  /** Moves the scheduler's clock and runs one publishing pass. */
  tickAt(iso: string | Date): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real bot (createBot with real stores and database), polling the fake Bot API over HTTP, but in
 * this process and with a clock the test controls, so schedules can be tested without waiting.
 */
export async function startInProcessBot(env: Record<string, string>, options: { databasePath?: string } = {}): Promise<InProcessBot> {
  const config = loadConfig({
    BOT_SECRET: 'in-process-secret-in-process-secret-0001',
    DATABASE_PATH: options.databasePath ?? join(mkdtempSync(join(tmpdir(), 'bot-db-')), 'bot.db'),
    LOG_LEVEL: 'silent',
    OUTGOING_PACING: 'off',
    ...env,
  });
  const db = openDatabase(config.databasePath);
  const content = new ContentStore(config.contentDir, config.defaultLanguage);
  const posts = new PostStore(config.contentDir, { timezone: config.timezone, channels: Object.keys(config.channels) });
  let now = new Date();
  const created = createBot({
    config,
    db,
    privacy: createPrivacy(config.botSecret),
    content,
    posts,
    logger: pino({ level: 'silent' }),
    clock: () => now,
  });
  await created.bot.init();
  const runner: RunnerHandle = run(created.bot, { runner: { fetch: { timeout: 1 } } });
  await created.scheduler.recoverInterrupted();
  created.relay.start();
  return {
    config,
    db,
    created,
    async tickAt(at) {
      now = new Date(at);
      await created.scheduler.tick();
    },
    async stop() {
      if (runner.isRunning()) await runner.stop();
      await created.scheduler.stop();
      await created.relay.stop();
      closeDatabase(db);
    },
  };
}
