import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pino } from 'pino';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { loadConfig, type Config } from '../../src/config.js';
import { openApp, type App } from '../../src/app.js';
import type { Db } from '../../src/db/connection.js';

export interface InProcessBot {
  config: Config;
  db: Db;
  created: App;
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
  let now = new Date();
  // The bot as main.ts builds it (the composition root), with a clock the test moves; no command
  // registration, and publishing and the inbox jobs run only when the test says so.
  const app = openApp(config, { logger: pino({ level: 'silent' }), clock: () => now });
  const { db } = app;
  const created = app;
  await app.start({ commands: false, background: false });
  const runner: RunnerHandle = run(created.bot, { runner: { fetch: { timeout: 1, allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member', 'chat_member'] } } }) // as main.ts asks;
  await created.scheduler.recoverInterrupted();
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
      await app.stop();
    },
  };
}
