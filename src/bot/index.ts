import { Api, Bot, BotError, type BotConfig } from 'grammy';
import { sequentialize } from '@grammyjs/runner';
import { autoRetry } from '@grammyjs/auto-retry';
import type { I18n } from '@grammyjs/i18n';
import type { BotContext } from './context.js';
import type { BotDeps } from './deps.js';
import { createI18n } from './i18n.js';
import { answerCallbackQueries, attachLogger, identifyClient, sequenceKey, storageKey } from './middleware.js';
import { menuFeature } from './features/menu.js';
import { createInfoFeature } from './features/info.js';
import { createEmergencyFeature } from './features/emergency.js';
import { createMixFeature } from './features/mix.js';
import { createClientRelay, createConsultFeature } from './features/consult.js';
import { createInboxFeature } from './features/inbox.js';
import { createCareFeature } from './features/care.js';
import { conversations } from '@grammyjs/conversations';
import { conversationStorage } from './conversations/storage.js';
import { InboxService } from '../inbox/service.js';
import { latestStamp, Relay } from '../relay/index.js';
import { steadyClock } from '../time/steady.js';
import { InboxPosts } from '../inbox/posts-executor.js';
import { floodBrake } from './flood.js';
import { pacingTransformer } from '../ops/pacing-transformer.js';
import { NO_LIMITS, Pacer, TELEGRAM_LIMITS } from '../relay/pacing.js';
import { findOpenCase } from '../inbox/cases.js';
import { createServicesFeature } from './features/services.js';
import { createCodesFeature } from './features/codes.js';
import { createRedeemFeature } from './features/redeem.js';
import { createLanguageFeature } from './features/language.js';
import { createPrivacyFeature } from './features/privacy.js';
import { createForgetFeature } from './features/forget.js';
import { unhandledFeature } from './features/unhandled.js';
import { strangersGuard } from './features/strangers.js';
import { createMembershipFeature } from './features/membership.js';
import { createLockdownFeature } from './features/lockdown.js';
import { heldByLockdown, Lockdown } from '../inbox/lockdown.js';
import { Inboxes } from '../inbox/inboxes.js';
import { createEditorsFeature } from './features/editors.js';
import { createSurveysFeature, markOpenSurveys } from './features/surveys.js';
import { createSurveyResultsFeature } from './features/survey-results.js';
import { Scheduler } from '../publishing/scheduler.js';
import { escapeHtml } from '../content/markdown.js';
import { Erasure } from '../inbox/erasure.js';
import { InboxJobs } from '../inbox/jobs.js';
import { createClearChatFeature } from './features/clear-chat.js';
import { traceIncoming, traceOutgoing } from './traces.js';
import { reportNetworkErrors } from '../ops/network-errors.js';
import { StaffMembers } from './staff-members.js';
import { staffGate } from './features/staff-gate.js';
import { GroupSettingsWatch } from '../inbox/group-settings.js';
import { CHAT_REF_BINDING } from '../privacy/keys.js';
import { PRIORITY } from '../relay/posts.js';
import { EventReminders } from '../inbox/event-reminders.js';
import { createInvitationsFeature, reminderMessage } from './features/invitations.js';
import { createOutreachFeature } from './features/outreach.js';
import { Subscriptions } from '../alerts/subscriptions.js';
import { Broadcaster } from '../alerts/broadcaster.js';
import { AlertTemplates, alertNotices, createAlertTexts, createClientAlertsFeature, createStaffAlertsFeature, describeFigures } from './features/alerts.js';
import { Shifts } from '../inbox/shifts.js';
import { createShiftsFeature } from './features/shifts.js';
import { createStoriesFeature } from './features/stories.js';
import { openNumbers } from '../stories/store.js';
import { CheckinService } from '../inbox/checkin-service.js';
import { createCheckinFeature, forgetCheckinLinks } from './features/checkin.js';
import { createReportsFeature } from './features/reports.js';
import { SurveyInvitations } from '../inbox/survey-invitations.js';

export type { BotDeps } from './deps.js';

export interface CreatedBot {
  bot: Bot<BotContext>;
  i18n: I18n<BotContext>;
  scheduler: Scheduler;
  inbox: InboxService;
  /** Everything the bot puts into a chat for a case or a team (copies, notices, cards, the board); started by main. */
  relay: Relay;
  /** Background work of the inbox (queue board, reminders, retention purge); started by main. */
  inboxJobs: InboxJobs;
  /** Duty, breaks, the roster, handovers, the weekly hours (run by the inbox jobs). */
  shifts: Shifts;
  erasure: Erasure;
  /** Reminders before invitation posts' events, for clients who asked (src/inbox/event-reminders.ts); started by main. */
  eventReminders: EventReminders;
  /** "Check on me": due asks and escalations, and their messages (issue 22); started by main. */
  checkins: CheckinService;
  /** Invites opted-in clients to open surveys, after everything else; started by main. */
  surveyInvitations: SurveyInvitations;
  /** Reads each inbox's group settings (visible history, protected content) now and then; started by main. */
  groupSettings: GroupSettingsWatch;
  /** Sends approved drug alerts to their subscribers; started by main. */
  broadcaster: Broadcaster;
  /** Reloads content and posts, reports new problems to the editors chat, returns a summary (HTML blocks). */
  reload: () => string[];
  /** Sends an HTML notice to the editors chat (never throws). */
  reportToEditors: (html: string) => Promise<void>;
  /** The editors' report of skipped files and of content to review, in DEFAULT_LANGUAGE: one block each. */
  contentReport: (problems: string[], warnings: string[]) => string[];
  /** Tells authors of stories decided while they could not be told (run at start). */
  tellUntoldStories: () => Promise<void>;
}

/** Builds the bot with its features in a fixed order. No side effects beyond the objects passed in. */
export function createBot(deps: BotDeps, botConfig?: BotConfig<BotContext>): CreatedBot {
  const { config, logger } = deps;
  const bot = new Bot<BotContext>(config.botToken, {
    ...botConfig,
    client: { apiRoot: config.apiRoot, ...botConfig?.client },
  });
  deps.metrics?.watch(bot.api); // inside auto-retry, so every 429 is counted
  bot.api.config.use(reportNetworkErrors(logger)); // inside auto-retry too, which retries network errors silently
  // One budget per chat for everything the bot sends (the relay included). Private chats may take a
  // burst of a few messages (a long card), then about one a second.
  // OUTGOING_PACING=off turns it all off, the relay's too (only for tests and benchmarks).
  const pacer = new Pacer(config.outgoingPacing ? { ...TELEGRAM_LIMITS, privateBurstSeconds: 3, globalPerSecond: config.outgoingGlobalPerSecond } : NO_LIMITS);
  const nowMs = () => (deps.clock ?? (() => new Date()))().getTime();
  // Pacing and the relay's waits are durations: they run on a steady clock that a jump of the wall
  // clock does not move (see src/time/steady.ts), started no earlier than what the outbox holds.
  const steadyNow = deps.clock ? nowMs : steadyClock(Math.max(Date.now(), latestStamp(deps.db)));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  if (config.outgoingPacing) bot.api.config.use(pacingTransformer(pacer, sleep, steadyNow));
  /** The same pacing for the intake's own API client (the conversations plugin makes one per update). */
  const intakePacing = pacingTransformer(pacer, sleep, steadyNow);
  // Ids of the bot's messages in private chats, for "Clear this chat" (inside auto-retry: only what arrived).
  bot.api.config.use(traceOutgoing(deps.db, deps.privacy, nowMs));
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60, rethrowInternalServerErrors: false }));
  const i18n = createI18n(config.contentDir, config.defaultLanguage, () => deps.content.settings.emergency_numbers);

  /** Editors' and scheduler texts come from the locales, in DEFAULT_LANGUAGE. */
  const editorsText = (key: string, vars: Record<string, string | number> = {}) => i18n.t(config.defaultLanguage, key, vars);
  const contentReport = (problems: string[], warnings: string[]) =>
    [problems.length > 0 ? problemReport(problems, editorsText) : '', warnings.length > 0 ? warningReport(warnings, editorsText) : ''].filter(Boolean);
  const reportToEditors = async (html: string) => {
    await bot.api
      .sendMessage(config.editorsChatId, html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } })
      .catch((error: unknown) => logger.error({ err: error }, 'could not report to the editors chat'));
  };
  const scheduler = new Scheduler({
    db: deps.db,
    api: bot.api,
    logger,
    timezone: config.timezone,
    channels: config.channels,
    graceMs: config.publishGraceMs,
    posts: () => deps.posts.posts,
    botUsername: () => bot.botInfo.username,
    report: reportToEditors,
    text: editorsText,
    clock: deps.clock,
    metrics: deps.metrics,
  });
  const lockdown = new Lockdown(deps.db);
  const inboxes = deps.inboxes ?? Inboxes.fromConfig(config);
  const inbox = new InboxService({
    inboxes,
    db: deps.db,
    api: bot.api,
    config,
    privacy: deps.privacy,
    logger,
    i18n: i18n as never,
    clock: nowMs,
  });
  // Its own API client without auto-retry: the delivery paces itself and waits out 429s in its
  // outbox instead of sleeping inside a call (which would also hold up shutdown).
  const relayApi = new Api(config.botToken, { apiRoot: config.apiRoot });
  deps.metrics?.watch(relayApi);
  relayApi.config.use(reportNetworkErrors(logger));
  relayApi.config.use(traceOutgoing(deps.db, deps.privacy, nowMs));
  const posts = new InboxPosts({ db: deps.db, api: relayApi, logger, i18n: i18n as never, timezone: config.timezone, clock: nowMs, privacy: deps.privacy }, inbox);
  const relay = new Relay({
    db: deps.db,
    api: relayApi,
    pacer,
    metrics: deps.metrics,
    logger,
    privacy: deps.privacy,
    inboxes,
    cases: inbox.cases,
    executor: posts,
    clock: steadyNow,
    onClientGone: (row) => inbox.clientGone(row),
    onTopicMissing: (row) => inbox.topicMissing(row),
    // Locked: nothing about cases into team chats; into clients' chats, what comes from staff (lockdown.ts).
    paused: (toClient, row) => lockdown.isLocked && (!toClient || row === undefined || heldByLockdown(row)),
    // Under Telegram's limits one request at a time per team chat (at most one possible repeat per crash).
    teamConcurrency: config.outgoingPacing ? 1 : 16,
  });
  inbox.relay = relay;
  // Drug alerts: the relay's API client and pacer, below the relay and the emergency screen in priority
  // (it leaves a sixth of Telegram's overall second to them).
  const subscriptions = new Subscriptions(deps.db, deps.privacy);
  const alertTemplates = new AlertTemplates(deps);
  const alertTexts = createAlertTexts(deps, i18n, alertTemplates);
  const broadcaster = new Broadcaster({
    db: deps.db,
    api: relayApi,
    pacer,
    logger,
    subscriptions,
    texts: alertTexts,
    channels: config.channels,
    clock: nowMs,
    steady: steadyNow,
    headroom: Math.max(1, Math.ceil(config.outgoingGlobalPerSecond / 6)),
    // Each request on its way at a crash may be lost (never doubled): few at once, a quarter of the
    // overall second's budget (8 under Telegram's 30), enough for its round trips.
    concurrency: config.outgoingPacing ? Math.max(4, Math.ceil(config.outgoingGlobalPerSecond / 4)) : 32,
    ...alertNotices(bot.api, editorsText, (id) => describeFigures(deps.db, id, editorsText, nowMs())),
  });
  const erasure = new Erasure({ db: deps.db, api: bot.api, privacy: deps.privacy, logger, clock: nowMs });
  const inboxDeps = { db: deps.db, api: bot.api, config, privacy: deps.privacy, logger, i18n: i18n as never, clock: nowMs, inboxes };
  const shifts = new Shifts({ ...inboxDeps, contentDir: config.contentDir, applyDraftRoster: config.applyDraftRoster, weeklyLimitMs: config.weeklyLimitMs }, inbox);
  inbox.roster = () => shifts.roster();
  const inboxJobs = new InboxJobs(inboxDeps, inbox, erasure, posts, shifts);
  const eventReminders = new EventReminders({
    db: deps.db,
    api: bot.api,
    privacy: deps.privacy,
    logger,
    clock: nowMs,
    render: reminderMessage(() => deps.posts.posts, (lang) => (key, vars) => i18n.t(lang, key, vars), config.timezone),
  });
  const checkins = new CheckinService({ db: deps.db, api: bot.api, privacy: deps.privacy, logger, i18n: i18n as never, clock: nowMs, timing: config.checkin }, inbox);
  const groupSettings = new GroupSettingsWatch({
    db: deps.db,
    logger,
    inboxes,
    clock: nowMs,
    getChat: (chatId) => bot.api.getChat(chatId),
    notify: (name, problems) => {
      const html =
        problems.length === 0
          ? inbox.st('staff-group-settings-fixed')
          : inbox.st('staff-group-settings-unsafe', { list: problems.map((p) => inbox.st(`staff-group-${p}`)).join('; ') });
      relay.postToTeam({ kind: 'general', html }, { inbox: name, priority: PRIORITY.words });
    },
  });
  const surveyInvitations = new SurveyInvitations({
    db: deps.db,
    api: bot.api,
    privacy: deps.privacy,
    logger,
    t: (lang, key, vars) => i18n.t(lang, key, vars),
    surveys: () => deps.content.surveys,
    timeZone: config.timezone,
    offerDrafts: config.offerDraftSurveys,
    clock: nowMs,
  });
  const reload = () => {
    const contentProblems = [...deps.content.reload(), ...alertTemplates.reload()];
    const { added, all } = deps.posts.reload();
    for (const problem of [...contentProblems, ...all]) logger.warn({ problem }, 'content file skipped');
    if (added.length > 0) void reportToEditors(problemReport(added, editorsText));
    return [editorsText('editors-reloaded', { count: deps.posts.posts.length }), ...contentReport([...contentProblems, ...all], deps.content.warnings)];
  };

  bot.use(attachLogger(deps));
  const protectedBot = bot.errorBoundary(async (error: BotError<BotContext>) => {
    const ctx = error.ctx;
    // The error only: never the update, which would carry who wrote and what.
    ctx.logger.error({ err: error.error }, 'update handling failed');
    if (ctx.chat?.type === 'private') {
      await ctx.reply(i18n.t(ctx.lang, 'error-generic'), { parse_mode: 'HTML' }).catch(() => undefined);
    }
  });
  protectedBot.use(strangersGuard(config)); // before anything else: nothing happens in chats that are not ours
  // Updates of one client are handled one at a time, in order (under the key their conversation state
  // is stored by); in a team chat, one case topic (or one person outside topics) at a time.
  protectedBot.use(sequentialize((ctx: BotContext) => sequenceKey(deps.privacy, ctx)));
  protectedBot.use(identifyClient(deps));
  protectedBot.use(traceIncoming(deps.db, nowMs));
  protectedBot.use(i18n);
  protectedBot.use(answerCallbackQueries(bot.api));
  // Only current members of an inbox's group act as staff there: checked before any feature sees the update.
  const members = new StaffMembers((chatId, userId) => bot.api.getChatMember(chatId, userId));
  protectedBot.use(staffGate(inbox, members));
  protectedBot.use(floodBrake((key) => findOpenCase(deps.db, key) !== undefined));
  protectedBot.use(
    conversations({
      storage: conversationStorage(deps.db, deps.privacy.conversations, (ctx) => storageKey(deps.privacy, ctx)),
      // A conversation talks through an API client of its own: what it leaves in a client's chat is traced too.
      // It is paced by the same budgets as every other send, and waits out a 429 like them.
      plugins: [
        (ctx, next) => {
          if (config.outgoingPacing) ctx.api.config.use(intakePacing);
          ctx.api.config.use(traceOutgoing(deps.db, deps.privacy, nowMs));
          ctx.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60, rethrowInternalServerErrors: false }));
          return next();
        },
      ],
    }),
  );

  // Before the client features: a partner's bare code in a private chat is redeemed, not relayed.
  protectedBot.use(createRedeemFeature(deps, inbox));
  const codes = createCodesFeature(deps, inbox, i18n);
  protectedBot.use(codes.clientSide);
  // Before the menu's /start: a source's code is counted, an RSVP link shows its event.
  const outreach = createOutreachFeature(deps, inbox, editorsText, (lang) => (key, vars) => i18n.t(lang, key, vars));
  protectedBot.use(outreach.clientSide);
  protectedBot.use(createInvitationsFeature(deps, editorsText));
  const reports = createReportsFeature(deps, { inbox, erasure, i18n, lockdown });

  // Check-ins for consultants after urgent cases: in their private chat, before anything a client sees there.
  const care = createCareFeature(deps, inbox, bot.api, () => (bot.isInited() ? bot.botInfo.username : 'bot'));
  inbox.careDue = (row) => void care.deliver(row.consultantId!, row).catch((error: unknown) => logger.warn({ err: error }, 'a check-in was not delivered'));
  protectedBot.use(care.feature);

  const stories = createStoriesFeature(deps, i18n, members, bot.api, () => erasure.runPending());
  const privateChats = protectedBot.chatType('private');
  // First: while a report is being written, every update reaches its flow, which hands commands and the
  // emergency button on (and ends), instead of staying open behind the screens they show.
  // A button that is not the intake's (the 🆘 screen, the menu, a card) leaves an intake in progress: the
  // client went elsewhere, and what they write next must not be taken for its answers (or refused).
  privateChats.use(async (ctx, next) => {
    const data = ctx.callbackQuery?.data;
    if (data !== undefined && !/^(?:n:)?intake:/.test(data) && (await ctx.conversation.active('intake')) > 0) await ctx.conversation.exit('intake');
    return next();
  });
  privateChats.use(reports.clientSide);
  privateChats.use(markOpenSurveys(deps)); // before the menu: it offers "Surveys" while one is open
  privateChats.use(menuFeature);
  const alertTools = {
    subscriptions,
    broadcaster,
    templates: alertTemplates,
    texts: alertTexts,
    members,
    staffChats: () => [...inboxes.chatIds, config.editorsChatId],
  };
  privateChats.use(createClientAlertsFeature(deps, alertTools));
  privateChats.use(createEmergencyFeature(deps));
  privateChats.use(createCheckinFeature(deps, checkins, i18n)); // before the consultation: an answer to "are you OK?" is seen first
  privateChats.use(createInfoFeature(deps));
  privateChats.use(createMixFeature(deps));
  privateChats.use(createSurveysFeature(deps)); // before the relay: the words of a survey's text question are not a message to the team
  privateChats.use(createConsultFeature(deps, inbox, i18n, lockdown));
  privateChats.use(createServicesFeature(deps));
  privateChats.use(createLanguageFeature(deps));
  privateChats.use(createPrivacyFeature(deps));
  privateChats.use(
    createForgetFeature(deps, {
      inbox,
      erasure,
      teamChatRef: (teamChatId) => deps.privacy.encryptChatId(teamChatId, CHAT_REF_BINDING.deletion),
      refreshBoard: () => inboxJobs.updateBoard(PRIORITY.erasure),
      forgetSubscription: (clientKey) => subscriptions.forget(clientKey),
      openStories: (key) => openNumbers(deps.db, key),
      storiesForgotten: stories.forgotten,
      beforeErase: (ctx, key) => forgetCheckinLinks(deps, i18n, ctx.api, key),
    }),
  );
  privateChats.use(createClearChatFeature(erasure));
  // Before the relay: while a story is being written (or a question answered) the client's messages are the story's.
  privateChats.use(stories.clientSide);
  privateChats.use(createClientRelay(deps, inbox, lockdown)); // after every client command

  protectedBot.use(createMembershipFeature(deps, inbox));
  protectedBot.use(createLockdownFeature(deps, { inbox, lockdown, relay })); // before the inbox: it holds the team back while locked
  protectedBot.use(outreach.teamSide); // /stats sources before the codes' and cases' /stats
  protectedBot.use(codes.staffSide); // after the lockdown: an intruder cannot send codes to clients either
  protectedBot.use(createStaffAlertsFeature(deps, alertTools, editorsText)); // after the lockdown too
  protectedBot.use(reports.teamSide); // the moderation chat's buttons on report cards
  protectedBot.use(createShiftsFeature(deps, inbox, shifts, members)); // before the inbox: /duty, /team… are not replies to a case
  protectedBot.use(createInboxFeature(deps, inbox, erasure, members, shifts));

  protectedBot.use(stories.editorsSide);
  protectedBot.use(createSurveyResultsFeature(deps, editorsText));
  protectedBot.use(createEditorsFeature(deps, { posts: deps.posts, scheduler, reload, text: editorsText }));

  protectedBot.use(unhandledFeature); // must be the last handler

  bot.catch((error) => logger.error({ err: error.error }, 'unhandled error'));
  return { bot, i18n, scheduler, inbox, relay, broadcaster, inboxJobs, eventReminders, shifts, checkins, surveyInvitations, erasure, groupSettings, reload, reportToEditors, contentReport, tellUntoldStories: stories.tellUntold };
}

/** One line of a report, short enough that a whole report stays within Telegram's 4096 characters. */
function shorten(line: string): string {
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** What a reviewer should look at (nothing skipped): the first ones listed, content:check has them all. */
export function warningReport(warnings: string[], text: (key: string, vars?: Record<string, string | number>) => string): string {
  const shown = warnings.slice(0, 10).map((w) => `• <code>${escapeHtml(shorten(w))}</code>`);
  if (warnings.length > shown.length) shown.push(text('editors-problems-more', { count: warnings.length - shown.length }));
  return `${text('editors-warnings', { count: warnings.length })}\n${shown.join('\n')}`;
}

/** A list of content problems for the editors chat: file:line: field: what was expected. */
export function problemReport(problems: string[], text: (key: string, vars?: Record<string, string | number>) => string): string {
  const shown = problems.slice(0, 15).map((p) => `• <code>${escapeHtml(shorten(p))}</code>`);
  if (problems.length > shown.length) shown.push(text('editors-problems-more', { count: problems.length - shown.length }));
  return `${text('editors-problems')}\n${shown.join('\n')}`;
}
