import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { GrammyError, HttpError } from 'grammy';
import type { RunnerHandle } from '@grammyjs/runner';
import { runJournaled } from './ops/journaled-runner.js';
import { sealLegacyRows } from './ops/seal-legacy-rows.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger, redactSecrets, scrubProcessOutput } from './logger.js';
import { closeDatabase, openDatabase } from './db/connection.js';
import { createPrivacy } from './privacy/keys.js';
import { ContentStore } from './content/store.js';
import { discoverLanguages } from './content/languages.js';
import { loadSettings } from './content/settings.js';
import { splitMessage } from './content/split.js';
import { createBot } from './bot/index.js';
import { registerCommands, registerPartnerCommands, registerStaffCommands } from './bot/commands.js';
import { PostStore } from './publishing/store.js';
import { watchFolder } from './content/watch.js';
import { webhookCallback } from 'grammy';
import { Metrics } from './ops/metrics.js';
import { startOpsServer } from './ops/http.js';
import { healthReport } from './ops/health.js';
import { Inboxes } from './inbox/inboxes.js';
import { adoptUnconfiguredInboxes } from './inbox/cases.js';

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
  const db = openDatabase(config.databasePath, { logger });
  sealLegacyRows(db, createPrivacy(config.botSecret), logger);
  const content = new ContentStore(config.contentDir, config.defaultLanguage, languages);
  const posts = new PostStore(config.contentDir, { timezone: config.timezone, channels: Object.keys(config.channels) });
  const problems = [...content.problems, ...posts.problems];
  for (const problem of problems) logger.warn({ problem }, 'content file skipped');
  // Cases stored under an inbox name no longer configured (rows from before INBOXES say "main") belong
  // to STAFF_CHAT_ID's inbox, or the default one; INBOX_ROUTES may name topics or regions settings.yml does not list (yet).
  const inboxes = Inboxes.fromConfig(config);
  const adopted = adoptUnconfiguredInboxes(db, inboxes.names, config.legacyInbox);
  if (adopted.moved > 0) logger.info({ cases: adopted.moved, inbox: config.legacyInbox }, 'cases of an inbox no longer configured now belong to the inbox of STAFF_CHAT_ID (or the default)');
  if (adopted.left > 0) logger.warn({ cases: adopted.left }, 'cases of an inbox no longer configured could not move to the default inbox (their topic ids are taken there)');
  const { intake_topics: topics, regions } = content.settings;
  for (const warning of inboxes.unknownIds({ topics, regions })) logger.warn({ warning }, 'INBOX_ROUTES names an id settings.yml does not list; the rule never matches');

  const metrics = new Metrics();
  const { bot, i18n, scheduler, relay, inboxJobs, erasure, reload, reportToEditors, contentReport } = createBot({
    config,
    db,
    privacy: createPrivacy(config.botSecret),
    content,
    posts,
    logger,
    metrics,
  });
  try {
    await bot.init();
    await registerCommands(bot.api, i18n, config.defaultLanguage, content.languages);
    await registerStaffCommands(bot.api, inboxes.chatIds, config.editorsChatId, i18n, config.defaultLanguage).catch((error: unknown) =>
      logger.warn({ err: error }, 'could not set the staff commands: is the bot a member of every inbox (INBOXES or STAFF_CHAT_ID) and of EDITORS_CHAT_ID?'),
    );
    if (config.partnersChatId !== undefined) {
      await registerPartnerCommands(bot.api, config.partnersChatId).catch((error: unknown) =>
        logger.warn({ err: error }, 'could not set the partners commands: is the bot a member of PARTNERS_CHAT_ID?'),
      );
    }
  } catch (error) {
    logger.fatal(describeStartupError(error));
    closeDatabase(db);
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
    health: () => healthReport(db, scheduler, metrics, Date.now(), inboxes.names),
    webhook: webhookPath
      ? { path: webhookPath, handle: webhookCallback(bot, 'http', { secretToken: config.webhook!.secret, onTimeout: 'return' }) }
      : undefined,
  }).catch((error: unknown) => {
    logger.fatal(`Cannot listen on HTTP_HOST ${config.httpHost} PORT ${config.port}: ${(error as Error).message}`);
    closeDatabase(db);
    process.exit(1);
  });
  if (config.webhook) {
    await bot.api.setWebhook(config.webhook.url, { secret_token: config.webhook.secret, allowed_updates: [...allowedUpdates] });
  } else {
    await bot.api.deleteWebhook(); // pending updates are kept
    runner = runJournaled(bot, db, createPrivacy(config.botSecret).journal, logger, allowedUpdates);
  }
  // Skipped files, and what a reviewer should look at (no sources, old reviews, missing translations).
  const warnings = content.warnings;
  if (warnings.length > 0) logger.warn({ count: warnings.length }, 'content to review: npm run content:check lists it');
  // One message when it fits (two at most: each report stays within Telegram's limit).
  for (const report of splitMessage(contentReport(problems, warnings))) await reportToEditors(report);
  await scheduler.start();
  relay.start();
  inboxJobs.start();
  // Deletions queued before the last stop (a topic of an erased case, say) are tried again now.
  void erasure.runPending().catch((error: unknown) => logger.warn({ err: error }, 'queued deletions not retried'));
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
      await scheduler.stop();
      await inboxJobs.stop();
      await relay.stop();
    } finally {
      closeDatabase(db);
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
