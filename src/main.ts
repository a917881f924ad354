import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { GrammyError, HttpError } from 'grammy';
import type { RunnerHandle } from '@grammyjs/runner';
import { runJournaled } from './ops/journaled-runner.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger, redactSecrets, scrubProcessOutput } from './logger.js';
import { discoverLanguages } from './content/languages.js';
import { loadSettings } from './content/settings.js';
import { splitMessage } from './content/split.js';
import { openApp } from './app.js';
import { watchFolder } from './content/watch.js';
import { webhookCallback } from 'grammy';
import { Metrics } from './ops/metrics.js';
import { startOpsServer } from './ops/http.js';
import { healthReport } from './ops/health.js';

/** Explains why Telegram refused to start, without a stack trace. */
function describeStartupError(error: unknown): string {
  if (error instanceof GrammyError && error.error_code === 401) {
    return 'Telegram refused BOT_TOKEN (401 Unauthorized): check the token from @BotFather.';
  }
  if (error instanceof GrammyError && error.error_code === 404) {
    return 'Telegram answered 404 Not Found: BOT_TOKEN is wrong or TELEGRAM_API_ROOT is not a Bot API server.';
  }
  if (error instanceof HttpError) {
    return `Cannot reach the Bot API at TELEGRAM_API_ROOT: ${String((error.error as Error)?.message ?? error.message)}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Writes a line to stderr, with the token (and anything token-shaped) removed. */
function writeError(text: string): void {
  process.stderr.write(redactSecrets(text, [process.env.BOT_TOKEN]));
}

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  // Node's own report of a crash prints the error with its cause, which may quote a request URL.
  process.on('uncaughtException', (error) => {
    writeError(`Fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
  process.on('unhandledRejection', (error) => {
    writeError(`Fatal (unhandled rejection): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    writeError(`Cannot start: the configuration has problems.\n${error.problems.join('\n')}\n`);
    // A newcomer who ran `npm start` on a fresh clone: point at what works without any setup.
    if (!process.env.BOT_TOKEN) writeError('To try the bot first without Telegram, run `npm run sandbox` in a clone of the repository.\n');
    process.exit(1);
  }

  // The languages are the locales/<code>.ftl files of the content folder; the default must be one of them.
  const languages = discoverLanguages(config.contentDir, loadSettings(config.contentDir).settings.languages);
  if (!languages.includes(config.defaultLanguage)) {
    const present = languages.length > 0 ? `it has ${languages.map((l) => `${l}.ftl`).join(', ')}` : 'it has none';
    writeError(
      `Cannot start: DEFAULT_LANGUAGE is ${config.defaultLanguage}, but CONTENT_DIR ${resolve(config.contentDir)} has no locales/${config.defaultLanguage}.ftl (${present}); set DEFAULT_LANGUAGE to one of those, or point CONTENT_DIR at the content folder (it needs locales/ with the UI texts).\n`,
    );
    process.exit(1);
  }

  scrubProcessOutput([config.botToken]);
  const logger = createLogger(config.logLevel, { secrets: [config.botToken] });
  const metrics = new Metrics();
  const app = openApp(config, { logger, languages, metrics });
  const { bot, db, scheduler, inboxes, content, posts, problems, reload, reportToEditors, contentReport } = app;
  try {
    // Asks Telegram who the bot is (a wrong token stops here), registers the commands, starts the relay.
    await app.start({ background: false });
  } catch (error) {
    logger.fatal(describeStartupError(error));
    await app.stop().catch(() => undefined);
    process.exit(1);
  }

  // chat_member: membership changes in the staff chat are announced (the bot is an admin there).
  const allowedUpdates = ['message', 'edited_message', 'callback_query', 'my_chat_member', 'chat_member'] as const;
  let runner: RunnerHandle | undefined;
  const webhookPath = config.webhook ? new URL(config.webhook.url).pathname : undefined;
  const server = await startOpsServer({
    port: config.port,
    host: config.httpHost,
    metricsToken: config.metricsToken,
    logger,
    metrics,
    health: () => healthReport(db, scheduler, metrics, Date.now(), inboxes.names, () => app.groupSettings.report()),
    webhook: webhookPath
      ? { path: webhookPath, handle: webhookCallback(bot, 'http', { secretToken: config.webhook!.secret, onTimeout: 'return' }) }
      : undefined,
  }).catch(async (error: unknown) => {
    logger.fatal(`Cannot listen on HTTP_HOST ${config.httpHost} PORT ${config.port}: ${(error as Error).message}`);
    await app.stop().catch(() => undefined);
    return process.exit(1);
  });
  if (config.webhook) {
    await bot.api.setWebhook(config.webhook.url, { secret_token: config.webhook.secret, allowed_updates: [...allowedUpdates] });
  } else {
    await bot.api.deleteWebhook(); // pending updates are kept
    runner = runJournaled(bot, db, app.privacy.journal, logger, allowedUpdates);
  }
  // Skipped files, and what a reviewer should look at (no sources, old reviews, missing translations).
  const warnings = content.warnings;
  if (warnings.length > 0) logger.warn({ count: warnings.length }, 'content to review: npm run content:check lists it');
  // One message when it fits (two at most: each report stays within Telegram's limit).
  for (const report of splitMessage(contentReport(problems, warnings))) await reportToEditors(report);
  // Then publishing, the queue board and reminders, and the deletions left from the last run.
  await app.startBackground();
  const stopWatching = watchFolder(config.contentDir, () => void reload(), logger);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    timer.unref();
    try {
      stopWatching();
      if (runner?.isRunning()) await runner.stop();
      server.close();
      await app.stop(); // the background work, then the database
    } finally {
      logger.info('stopped');
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  // Only now: whoever waits for this line (a supervisor, a test) may send SIGTERM at once, and before
  // the handlers above exist the signal would kill the process without a clean shutdown.
  logger.info(
    { bot: bot.botInfo.username, posts: posts.posts.length, host: config.httpHost, port: (server.address() as AddressInfo).port, mode: config.webhook ? 'webhook' : 'long polling' },
    `bot started (${config.webhook ? 'webhook' : 'long polling'})`,
  );
  runner?.task()?.catch((error: unknown) => {
    logger.fatal({ err: error }, 'polling stopped');
    void shutdown('polling-error');
  });
}

main().catch((error: unknown) => {
  writeError(`Fatal: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
