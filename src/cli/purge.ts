import { existsSync } from 'node:fs';
import { Api } from 'grammy';
import { autoRetry } from '@grammyjs/auto-retry';
import { ConfigError, loadConfig } from '../config.js';
import { closeDatabase, openDatabase } from '../db/connection.js';
import { Erasure } from '../inbox/erasure.js';
import { Inboxes } from '../inbox/inboxes.js';
import { purgeExpired } from '../inbox/retention.js';
import { createLogger } from '../logger.js';
import { createI18n } from '../bot/i18n.js';
import { createPrivacy } from '../privacy/keys.js';
import { sealLegacyRows } from '../ops/seal-legacy-rows.js';

/**
 * npm run purge: the retention purge now (the bot also runs it daily). Closed cases older than
 * RETENTION_DAYS go with their relay mappings, and their topics are deleted from the team's chat (and
 * the client's); idle clients and abandoned intakes go; anonymous figures stay. It talks to Telegram,
 * so it needs the bot's configuration (.env), like the bot itself.
 */
if (existsSync('.env')) process.loadEnvFile('.env');
let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`Cannot purge: the configuration has problems.\n${error.problems.join('\n')}\n`);
  process.exit(1);
}
if (!existsSync(config.databasePath)) {
  process.stderr.write(`DATABASE_PATH ${config.databasePath} does not exist: nothing to purge\n`);
  process.exit(1);
}
const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
const db = openDatabase(config.databasePath);
const privacy = createPrivacy(config.botSecret);
sealLegacyRows(db, privacy, logger); // row integrity on this connection too: the deletions it queues carry their MAC
const api = new Api(config.botToken, { apiRoot: config.apiRoot });
api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
const erasure = new Erasure({ db, api, privacy, logger, clock: Date.now });
try {
  const report = await purgeExpired({ db, erasure, privacy, inboxes: Inboxes.fromConfig(config), retentionDays: config.retentionDays, banDays: config.banDays, pickupPeriodDays: config.codes.pickupPeriodDays }, Date.now());
  const { deletions } = report;
  process.stdout.write(
    `Purged ${report.cases} closed case(s) older than ${config.retentionDays} days, ${report.clients} idle client(s), ` +
      `${report.conversations} abandoned intake(s) and ${report.bans} ban(s) older than ${config.banDays} days; deleted ${deletions.done} topic(s)/message(s) in Telegram.\n`,
  );
  if (deletions.missingRights.length > 0) {
    const line =
      `${deletions.waiting} topic(s)/message(s) could not be deleted in Telegram: the bot lacks the administrator right ` +
      `${deletions.missingRights.join(', ')} in a staff chat (INBOXES / STAFF_CHAT_ID). They stay queued and are tried again at the next purge.`;
    process.stderr.write(`${line}\n`);
    const notice = createI18n(config.contentDir, config.defaultLanguage).t(config.defaultLanguage, 'staff-deletions-pending', {
      count: deletions.waiting,
      rights: deletions.missingRights.join(', '),
    });
    await api.sendMessage(config.staffChatId, notice, { parse_mode: 'HTML' }).catch(() => undefined);
    process.exitCode = 2;
  } else if (deletions.teamChatUnreachable > 0) {
    process.stderr.write(
      `${deletions.teamChatUnreachable} topic(s)/message(s) of erased or expired cases wait in a staff chat the bot cannot reach (403: was it removed from the group?). ` +
        'Add the bot back as an administrator (INBOXES / STAFF_CHAT_ID); they stay queued and are tried again at the next purge.\n',
    );
    process.exitCode = 2;
  } else if (deletions.waiting > 0) {
    process.stderr.write(`${deletions.waiting} deletion(s) in Telegram failed (network?); they are tried again at the next purge.\n`);
    process.exitCode = 2;
  }
} finally {
  db.$client.exec('VACUUM'); // rewrite the file so erased pages do not linger
  closeDatabase(db);
}
