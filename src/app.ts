import type { Config, Language } from './config.js';
import type { Logger } from './logger.js';
import type { Metrics } from './ops/metrics.js';
import { closeDatabase, openDatabase, type Db } from './db/connection.js';
import { createPrivacy, type Privacy } from './privacy/keys.js';
import { sealLegacyRows } from './ops/seal-legacy-rows.js';
import { ContentStore } from './content/store.js';
import { PostStore } from './publishing/store.js';
import { Inboxes } from './inbox/inboxes.js';
import { adoptUnconfiguredInboxes, recordLegacyTeamChats } from './inbox/cases.js';
import { DEFAULT_INBOX_NAME } from './inbox/inbox-config.js';
import { recordLegacySourceChats } from './relay/outbox-store.js';
import { createBot, type CreatedBot } from './bot/index.js';
import { ClockWatch } from './ops/clock-watch.js';
import { registerCommands, registerPartnerCommands, registerStaffCommands } from './bot/commands.js';

export interface AppOptions {
  logger: Logger;
  /** The languages of the content folder (main checks DEFAULT_LANGUAGE is one of them first). */
  languages?: Language[];
  metrics?: Metrics;
  /** A clock the tests control; the system clock otherwise. */
  clock?: () => Date;
}

export interface App extends CreatedBot {
  config: Config;
  db: Db;
  privacy: Privacy;
  content: ContentStore;
  posts: PostStore;
  inboxes: Inboxes;
  /** Content files skipped at load (reported to the editors by main). */
  problems: string[];
  /** The wall clock's watchdog: jumps are logged, shown in /healthz and re-plan the schedules. */
  clockWatch: ClockWatch;
  /**
   * Asks Telegram who the bot is and registers its commands (unless `commands: false`), then starts the
   * relay and the background work: publishing, the inbox jobs, and deletions left from the last run
   * (`background: false` leaves those to a test that runs them by hand).
   * Throws what Telegram answered if it refuses (a wrong token).
   */
  start(options?: { commands?: boolean; background?: boolean }): Promise<void>;
  /** Publishing, the inbox jobs and the deletions left from the last run (when `start` left them out). */
  startBackground(): Promise<void>;
  /** Stops the background work (what waits stays in the database for the next start) and closes the database. */
  stop(): Promise<void>;
}

/**
 * The composition root: builds every part of the bot once, from the configuration, in the order they
 * depend on each other, and knows how to start and stop them. `main.ts` adds the process around it
 * (HTTP, polling or webhook, signals, the content watcher); tests use it in-process.
 */
export function openApp(config: Config, options: AppOptions): App {
  const { logger } = options;
  const db = openDatabase(config.databasePath, { logger });
  const privacy = createPrivacy(config.botSecret);
  sealLegacyRows(db, privacy, logger);
  const content = new ContentStore(config.contentDir, config.defaultLanguage, options.languages);
  const posts = new PostStore(config.contentDir, { timezone: config.timezone, channels: Object.keys(config.channels) });
  const problems = [...content.problems, ...posts.problems];
  for (const problem of problems) logger.warn({ problem }, 'content file skipped');

  // Cases stored under an inbox name no longer configured (rows from before INBOXES say "main") belong
  // to STAFF_CHAT_ID's inbox, or the default one; INBOX_ROUTES may name topics or regions settings.yml does not list (yet).
  const inboxes = Inboxes.fromConfig(config);
  // Upgrade: cases from before a case recorded its team chat are taken to be in their inbox's group as
  // configured now ("main" of a lone STAFF_CHAT_ID: STAFF_CHAT_ID's); an unknown name's group is not known.
  const legacyChat = (name: string) => (inboxes.names.includes(name) ? inboxes.chatOf(name) : name === DEFAULT_INBOX_NAME ? inboxes.chatOf(config.legacyInbox) : undefined);
  const recorded = recordLegacyTeamChats(db, legacyChat);
  if (recorded > 0) logger.info({ cases: recorded }, 'cases from before team chats were recorded: their topics are taken to be in their inbox\'s group as configured now');
  const adopted = adoptUnconfiguredInboxes(db, inboxes.names, config.legacyInbox);
  if (adopted > 0) logger.info({ cases: adopted, inbox: config.legacyInbox }, 'cases of an inbox no longer configured now belong to the inbox of STAFF_CHAT_ID (or the default)');
  // I6: the editors' commands publish to the public channels; in a staff group everyone there (an intruder too) could.
  if (inboxes.chatIds.includes(config.editorsChatId)) {
    logger.warn('EDITORS_CHAT_ID is unset or is a staff inbox: every member of that group can publish posts to the channels (/publish … force); give the editors a group of their own');
  }
  const { intake_topics: topics, regions } = content.settings;
  for (const warning of inboxes.unknownIds({ topics, regions })) logger.warn({ warning }, 'INBOX_ROUTES names an id settings.yml does not list; the rule never matches');

  const created = createBot({ config, db, privacy, content, posts, logger, metrics: options.metrics, clock: options.clock, inboxes });
  const { bot, i18n, scheduler, relay, broadcaster, inboxJobs, surveyInvitations, eventReminders, erasure, inbox, groupSettings } = created;
  // Copies to clients queued before the upgrade name their source by inbox (its group as configured now).
  recordLegacySourceChats(db, (name) => inboxes.chatOf(name));
  // A topic id means something only in its group: cases whose inbox now names another group get new topics there.
  const rehomed = inbox.rehomeCases();
  if (rehomed.moved > 0) {
    logger.warn(
      { cases: rehomed.moved, unknownGroup: rehomed.unknownGroup },
      'cases whose topic is in a group their inbox no longer names (INBOXES changed): open ones get a new topic in the right group, the old topics are queued for deletion',
    );
  }
  let started = false;
  let backgroundStarted = false;
  const clockWatch = new ClockWatch({
    logger,
    // Posts, reminders, follow-ups and the purge are calendar events: they look again at once.
    onJump: async (jumpMs) => {
      if (!backgroundStarted) return;
      await scheduler.replan(jumpMs);
      broadcaster.checkExpiry();
      await inboxJobs.run();
      await eventReminders.run();
    },
  });

  return {
    ...created,
    config,
    db,
    privacy,
    content,
    posts,
    inboxes,
    problems,
    clockWatch,
    async start({ commands = true, background = true } = {}) {
      await bot.init();
      if (commands) {
        await registerCommands(bot.api, i18n, config.defaultLanguage, content.languages);
        await registerStaffCommands(bot.api, inboxes.chatIds, config.editorsChatId, i18n, config.defaultLanguage).catch((error: unknown) =>
          logger.warn({ err: error }, 'could not set the staff commands: is the bot a member of every inbox (INBOXES or STAFF_CHAT_ID) and of EDITORS_CHAT_ID?'),
        );
        if (config.partnersChatId !== undefined) {
          await registerPartnerCommands(bot.api, config.partnersChatId).catch((error: unknown) =>
            logger.warn({ err: error }, 'could not set the partners commands: is the bot a member of PARTNERS_CHAT_ID?'),
          );
        }
      }
      relay.start();
      broadcaster.start();
      clockWatch.start();
      started = true;
      if (background) await this.startBackground();
    },
    async startBackground() {
      await scheduler.start();
      inboxJobs.start();
      eventReminders.start();
      created.checkins.start(); // a round at once: asks and escalations that came due while the bot was down go now
      groupSettings.start(); // at start and every few minutes: is history hidden from new members, is saving restricted?
      surveyInvitations.start(); // a pass a minute, only while nothing waits to reach a client
      backgroundStarted = true;
      // Deletions queued before the last stop (a topic of an erased case, say) are tried again now.
      void erasure.runPending().catch((error: unknown) => logger.warn({ err: error }, 'queued deletions not retried'));
      // Authors of stories decided while they could not be told (a crash in between) are told now.
      void created.tellUntoldStories().catch((error: unknown) => logger.warn({ err: error }, 'story decisions not told'));
    },
    async stop() {
      try {
        if (started) {
          clockWatch.stop();
          await scheduler.stop();
          await inboxJobs.stop();
          await eventReminders.stop();
          await created.checkins.stop();
          await groupSettings.stop();
          await surveyInvitations.stop();
          await broadcaster.stop();
          await relay.stop();
        }
      } finally {
        closeDatabase(db);
      }
    },
  };
}
