import { isIP } from 'node:net';
import { z } from 'zod';
import { parseWorkingHours, type WorkingHours } from './inbox/working-hours.js';
import { DEFAULT_INBOX_NAME, parseInboxes, parseRoutes, unknownInboxProblems, type InboxConfig, type InboxRoute } from './inbox/inbox-config.js';

/**
 * A language code, like ru, kk or en. Which languages exist is decided by the content folder
 * (locales/<code>.ftl), not by code: see src/content/languages.ts.
 */
export type Language = string;
// Two letters (ISO 639-1): the codes Telegram uses for users' languages and for localised command menus.
export const LANGUAGE_CODE = /^[a-z]{2}$/;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const chatId = (name: string) =>
  z
    .string({ error: `${name} is required: the numeric id of a Telegram chat, like -1001234567890` })
    .trim()
    .regex(/^-?\d{1,20}$/, `${name} must be a numeric Telegram chat id, like -1001234567890`)
    .transform(Number);

/** A whole number read from the environment, with one message for every way it can be wrong. */
function wholeNumber(message: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** An IP address, or a host name the resolver can look up (e.g. localhost). */
function isHost(value: string): boolean {
  return isIP(value) !== 0 || /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(value);
}

/** Whether a host name or address stays on this machine: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^(0{0,4}:){7}0{0,3}1$/.test(h) || /^::ffff:127\./.test(h);
  return false;
}

/** `alias=@username` or `alias=-100…` pairs, comma-separated. */
function parseChannels(value: string, ctx: z.RefinementCtx): Record<string, string | number> {
  const channels: Record<string, string | number> = {};
  for (const raw of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const match = /^([a-z0-9_-]+)=(@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{5,16})$/i.exec(raw);
    if (!match) {
      ctx.addIssue({
        code: 'custom',
        message: `CHANNELS entry "${raw}" must look like alias=@channel_username or alias=-1001234567890`,
      });
      continue;
    }
    const [, alias, target] = match as unknown as [string, string, string];
    channels[alias.toLowerCase()] = target.startsWith('@') ? target : Number(target);
  }
  return channels;
}

/** INBOXES, else the one inbox STAFF_CHAT_ID makes (the schema makes sure one of them is set). */
function inboxesOf(env: { INBOXES?: InboxConfig[]; STAFF_CHAT_ID?: number }): InboxConfig[] {
  if (env.INBOXES && env.INBOXES.length > 0) return env.INBOXES;
  return env.STAFF_CHAT_ID !== undefined ? [{ name: DEFAULT_INBOX_NAME, chatId: env.STAFF_CHAT_ID }] : [];
}

export const configSchema = z
  .object({
    BOT_TOKEN: z
      .string({ error: 'BOT_TOKEN is required: the token @BotFather gave you, like 123456789:AA…' })
      .trim()
      .regex(/^\d{3,20}:[A-Za-z0-9_-]{20,}$/, 'BOT_TOKEN must look like 123456789:AA… (the token from @BotFather)'),
    BOT_SECRET: z
      .string({ error: 'BOT_SECRET is required: at least 32 random characters (e.g. `openssl rand -hex 32`)' })
      .min(32, 'BOT_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)'),
    TELEGRAM_API_ROOT: z
      .url({ error: 'TELEGRAM_API_ROOT must be an http(s) URL, like https://api.telegram.org' })
      .regex(/^https?:\/\//, 'TELEGRAM_API_ROOT must be an http(s) URL, like https://api.telegram.org')
      .default('https://api.telegram.org')
      .transform((url) => url.replace(/\/+$/, '')),
    DATABASE_PATH: z.string().trim().min(1, 'DATABASE_PATH must not be empty').default('./data/bot.db'),
    CONTENT_DIR: z.string().trim().min(1, 'CONTENT_DIR must not be empty').default('./content'),
    // Required unless INBOXES is set (checked below, with the other inbox rules).
    STAFF_CHAT_ID: chatId('STAFF_CHAT_ID').optional(),
    INBOXES: z
      .string()
      .optional()
      .transform((value, ctx): InboxConfig[] | undefined => {
        if (value === undefined) return undefined;
        const { inboxes, problems } = parseInboxes(value);
        for (const message of problems) ctx.addIssue({ code: 'custom', message });
        return inboxes;
      }),
    INBOX_ROUTES: z
      .string()
      .default('')
      .transform((value, ctx): InboxRoute[] => {
        const { routes, problems } = parseRoutes(value);
        for (const message of problems) ctx.addIssue({ code: 'custom', message });
        return routes;
      }),
    EDITORS_CHAT_ID: chatId('EDITORS_CHAT_ID').optional(),
    CHANNELS: z.string().default('').transform(parseChannels),
    TIMEZONE: z
      .string()
      .trim()
      .default('Asia/Almaty')
      .refine(isTimeZone, 'TIMEZONE must be an IANA time zone name, like Asia/Almaty'),
    WORKING_HOURS: z
      .string()
      .default('')
      .transform((value, ctx): WorkingHours | null => {
        try {
          return parseWorkingHours(value);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: `WORKING_HOURS ${(error as Error).message}` });
          return z.NEVER;
        }
      }),
    DEFAULT_LANGUAGE: z
      .string()
      .trim()
      .toLowerCase()
      .regex(LANGUAGE_CODE, 'DEFAULT_LANGUAGE must be a two-letter ISO 639-1 language code, like ru, kk or en (one with a locales/<code>.ftl in CONTENT_DIR)')
      .default('ru'),
    RETENTION_DAYS: wholeNumber('RETENTION_DAYS must be a whole number of days, 0 or more (0: closed cases go at the next purge)', 0).default(30),
    PUBLISH_GRACE_HOURS: z.coerce
      .number({ error: 'PUBLISH_GRACE_HOURS must be a number of hours, 0 or more' })
      .min(0, 'PUBLISH_GRACE_HOURS must be a number of hours, 0 or more')
      .default(6),
    MAX_ACTIVE_CASES: wholeNumber('MAX_ACTIVE_CASES must be a whole number, 1 or more (or empty for no limit)', 1).optional(),
    REMINDER_MINUTES: wholeNumber('REMINDER_MINUTES must be a whole number of minutes, 1 or more', 1).default(15),
    ANSWER_DUE_MINUTES: wholeNumber('ANSWER_DUE_MINUTES must be a whole number of minutes, 1 or more', 1).default(10),
    ANSWER_DUE_URGENT_MINUTES: wholeNumber('ANSWER_DUE_URGENT_MINUTES must be a whole number of minutes, 1 or more', 1).default(3),
    WEEKLY_HOURS_LIMIT: wholeNumber('WEEKLY_HOURS_LIMIT must be a whole number of hours on duty per week, 1–168 (or empty for no limit)', 1, 168).optional(),
    APPLY_DRAFT_ROSTER: z
      .enum(['true', 'false'], { error: 'APPLY_DRAFT_ROSTER must be true or false (true applies a content/roster.yml marked draft: true, as the sandbox does)' })
      .default('false'),
    BAN_DAYS: wholeNumber('BAN_DAYS must be a whole number of days, 1 or more', 1).default(90),
    EMERGENCY_REUSE_MINUTES: wholeNumber('EMERGENCY_REUSE_MINUTES must be a whole number of minutes, 0 or more', 0).default(10),
    URGENT_CASE_MINUTES: wholeNumber('URGENT_CASE_MINUTES must be a whole number of minutes, 0 or more', 0).default(5),
    CASE_OPEN_MINUTES: wholeNumber('CASE_OPEN_MINUTES must be a whole number of minutes, 0 or more', 0).default(2),
    PORT: wholeNumber('PORT must be a TCP port number (0–65535)', 0, 65535).default(8080),
    HTTP_HOST: z
      .string()
      .trim()
      .refine(isHost, 'HTTP_HOST must be an IP address or host name to listen on, like 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)')
      .optional(),
    METRICS_TOKEN: z
      .string()
      .regex(/^[\x21-\x7e]{16,256}$/, 'METRICS_TOKEN must be 16–256 printable characters without spaces (e.g. `openssl rand -hex 24`)')
      .optional(),
    WEBHOOK_URL: z
      .url({ error: 'WEBHOOK_URL must be the public https URL Telegram should call, like https://bot.example.org/telegram' })
      .regex(/^https:\/\//, 'WEBHOOK_URL must start with https:// (Telegram only calls https webhooks)')
      .optional(),
    WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'WEBHOOK_SECRET must be 16–256 characters of A–Z, a–z, 0–9, _ and -')
      .optional(),
    SHOW_SAMPLE_SERVICES: z
      .enum(['true', 'false'], { error: 'SHOW_SAMPLE_SERVICES must be true or false' })
      .default('false'),
    SURVEY_DRAFTS: z
      .enum(['hidden', 'offered'], { error: 'SURVEY_DRAFTS must be hidden or offered (offered only in the sandbox or a test bot: clients could answer a survey the organisation has not approved)' })
      .default('hidden'),
    PARTNERS_CHAT_ID: chatId('PARTNERS_CHAT_ID').optional(),
    CODE_VALID_DAYS: wholeNumber('CODE_VALID_DAYS must be a whole number of days, 1 or more (how long a referral or pick-up code can be redeemed)', 1, 365).default(14),
    PICKUP_TYPES: z
      .string()
      .default('naloxone,hiv-self-test,condoms')
      .transform((value, ctx): string[] => {
        if (value.trim().toLowerCase() === 'none') return [];
        const types = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
        const bad = types.filter((t) => !/^[a-z0-9-]{1,24}$/.test(t));
        if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `PICKUP_TYPES must be comma-separated types of lowercase latin letters, digits and dashes (e.g. naloxone,hiv-self-test,condoms), or none; not: ${bad.join(', ')}` });
        return [...new Set(types)];
      }),
    PICKUP_LIMIT: wholeNumber('PICKUP_LIMIT must be a whole number, 0 or more (pick-up codes one client may ask for per PICKUP_PERIOD_DAYS; 0 turns pick-up codes off)', 0).default(2),
    PICKUP_PERIOD_DAYS: wholeNumber('PICKUP_PERIOD_DAYS must be a whole number of days, 1 or more', 1).default(30),
    STORY_APPROVALS: wholeNumber('STORY_APPROVALS must be a whole number from 1 to 5: how many different editors must approve a reader\'s story before it is published (2 by default; 1 lets one editor publish alone)', 1, 5).default(2),
    STORIES_PER_DAY: wholeNumber('STORIES_PER_DAY must be a whole number from 1 to 20: how many stories one reader may submit in 24 hours (and have waiting at once)', 1, 20).default(3),
    CHECKIN_ANSWER_MINUTES: wholeNumber('CHECKIN_ANSWER_MINUTES must be a whole number of minutes, 1–60 (how long each "are you OK?" of a check-in waits for an answer)', 1, 60).default(5),
    CHECKIN_MINUTE_MS: wholeNumber('CHECKIN_MINUTE_MS must be a whole number of milliseconds, 10–60000 (tests only: the length of a check-in minute)', 10, 60_000).default(60_000),
    OUTGOING_PACING: z
      .enum(['on', 'off'], { error: 'OUTGOING_PACING must be on or off' })
      .default('on'),
    ALERT_APPROVALS: wholeNumber('ALERT_APPROVALS must be a whole number from 1 to 5: how many different members of the chat must agree to a drug alert, the one who drafted it counting as the first (2: the drafter and one other person)', 1, 5).default(2),
    OUTGOING_GLOBAL_PER_SECOND: wholeNumber('OUTGOING_GLOBAL_PER_SECOND must be a whole number of messages a second, 1 or more (Telegram allows about 30 overall; raise it only for a Bot API server without that limit, like the benchmark\'s simulator)', 1, 100_000).default(30),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  })
  // Runs even when other variables are bad (`when`), so a missing inbox is reported with them.
  .superRefine(
    (env, ctx) => {
      const inboxes = Array.isArray(env.INBOXES) ? env.INBOXES : undefined;
      const staff = typeof env.STAFF_CHAT_ID === 'number' ? env.STAFF_CHAT_ID : undefined;
      if (env.INBOXES === undefined && env.STAFF_CHAT_ID === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['STAFF_CHAT_ID'],
          message: 'STAFF_CHAT_ID is required: the numeric id of the consultants\' supergroup, like -1001234567890 (or INBOXES for several groups)',
        });
      }
      if (inboxes && inboxes.length > 0 && staff !== undefined && !inboxes.some((i) => i.chatId === staff)) {
        ctx.addIssue({
          code: 'custom',
          path: ['STAFF_CHAT_ID'],
          message: `STAFF_CHAT_ID ${staff} is not one of the groups in INBOXES: remove STAFF_CHAT_ID, or make it the id of one of them (with INBOXES it is only kept for compatibility)`,
        });
      }
      const all = inboxes ?? (staff !== undefined ? [{ name: DEFAULT_INBOX_NAME, chatId: staff }] : undefined);
      if (all && all.length > 0 && Array.isArray(env.INBOX_ROUTES)) {
        for (const message of unknownInboxProblems(env.INBOX_ROUTES, all)) ctx.addIssue({ code: 'custom', path: ['INBOX_ROUTES'], message });
      }
    },
    { when: () => true },
  )
  .superRefine((env, ctx) => {
    if (env.WEBHOOK_URL && !env.WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'WEBHOOK_SECRET is required with WEBHOOK_URL (16–256 characters of A–Z, a–z, 0–9, _ and -)' });
    }
    // Partners must never see cases: their chat is a chat of its own.
    const inboxIds = inboxesOf(env).map((i) => i.chatId);
    if (env.PARTNERS_CHAT_ID !== undefined && (inboxIds.includes(env.PARTNERS_CHAT_ID) || env.PARTNERS_CHAT_ID === env.EDITORS_CHAT_ID)) {
      ctx.addIssue({ code: 'custom', path: ['PARTNERS_CHAT_ID'], message: 'PARTNERS_CHAT_ID must be a group of its own, not STAFF_CHAT_ID, one of INBOXES or EDITORS_CHAT_ID: partners must never see cases' });
    }
    // The bot token is part of every Bot API URL: in clear only to this machine (a Bot API server beside it, the tests' fake one).
    if (typeof env.TELEGRAM_API_ROOT === 'string' && URL.canParse(env.TELEGRAM_API_ROOT) && env.TELEGRAM_API_ROOT.startsWith('http://') && !isLoopbackHost(new URL(env.TELEGRAM_API_ROOT).hostname)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_API_ROOT'],
        message: `TELEGRAM_API_ROOT must use https:// unless it points at this machine (localhost, 127.0.0.1 or ::1): the bot token is part of every request URL; got ${env.TELEGRAM_API_ROOT}`,
      });
    }
    // Beyond loopback, the counters would let anyone who reaches the port time client activity.
    if (typeof env.HTTP_HOST === 'string' && isHost(env.HTTP_HOST) && !isLoopbackHost(env.HTTP_HOST) && env.METRICS_TOKEN === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_TOKEN'],
        message: `METRICS_TOKEN is required when HTTP_HOST is not a loopback address (HTTP_HOST is ${env.HTTP_HOST}): /metrics and the figures in /healthz would be open to anyone who reaches the port; set METRICS_TOKEN (e.g. \`openssl rand -hex 24\`) or HTTP_HOST=127.0.0.1`,
      });
    }
    // The default (loopback) would silently cut Telegram off from a bot in a container or behind a
    // proxy on another machine: in webhook mode the operator says where the proxy reaches the bot.
    if (env.WEBHOOK_URL && !env.HTTP_HOST) {
      ctx.addIssue({
        code: 'custom',
        path: ['HTTP_HOST'],
        message:
          'HTTP_HOST is required with WEBHOOK_URL: the address your reverse proxy reaches the bot on — 127.0.0.1 if the proxy runs on the same machine, 0.0.0.0 inside a container whose port is published to the proxy only (e.g. -p 127.0.0.1:8080:8080)',
      });
    }
  })
  .transform((env) => ({
    botToken: env.BOT_TOKEN,
    /** The teams' supergroups; the first is the default inbox (STAFF_CHAT_ID alone makes one, "main"). */
    inboxes: inboxesOf(env),
    /** Which cases go to which inbox; first match wins, the default inbox when none matches. */
    inboxRoutes: env.INBOX_ROUTES,
    /**
     * Where cases stored under an inbox name no longer configured belong (rows from before INBOXES say
     * "main"): the inbox STAFF_CHAT_ID names, which was the one group then, else the default.
     */
    legacyInbox: inboxesOf(env).find((i) => i.chatId === env.STAFF_CHAT_ID)?.name ?? inboxesOf(env)[0]!.name,
    botSecret: env.BOT_SECRET,
    apiRoot: env.TELEGRAM_API_ROOT,
    databasePath: env.DATABASE_PATH,
    contentDir: env.CONTENT_DIR,
    /** The default inbox's group (what STAFF_CHAT_ID always was). */
    staffChatId: inboxesOf(env)[0]!.chatId,
    editorsChatId: env.EDITORS_CHAT_ID ?? inboxesOf(env)[0]!.chatId,
    channels: env.CHANNELS,
    timezone: env.TIMEZONE,
    workingHours: env.WORKING_HOURS,
    defaultLanguage: env.DEFAULT_LANGUAGE,
    retentionDays: env.RETENTION_DAYS,
    publishGraceMs: env.PUBLISH_GRACE_HOURS * 3_600_000,
    maxActiveCases: env.MAX_ACTIVE_CASES,
    reminderMs: env.REMINDER_MINUTES * 60_000,
    answerDueMs: { normal: env.ANSWER_DUE_MINUTES * 60_000, urgent: env.ANSWER_DUE_URGENT_MINUTES * 60_000 },
    banDays: env.BAN_DAYS,
    /** Hours on duty per consultant and week after which they and the supervisors are warned (undefined: no limit). */
    weeklyLimitMs: env.WEEKLY_HOURS_LIMIT === undefined ? undefined : env.WEEKLY_HOURS_LIMIT * 3_600_000,
    applyDraftRoster: env.APPLY_DRAFT_ROSTER === 'true',
    emergencyReuseMs: env.EMERGENCY_REUSE_MINUTES * 60_000,
    urgentCaseIntervalMs: env.URGENT_CASE_MINUTES * 60_000,
    caseOpenIntervalMs: env.CASE_OPEN_MINUTES * 60_000,
    logLevel: env.LOG_LEVEL,
    port: env.PORT,
    httpHost: env.HTTP_HOST ?? '127.0.0.1',
    metricsToken: env.METRICS_TOKEN,
    outgoingPacing: env.OUTGOING_PACING === 'on',
    /** Telegram's overall limit the pacer keeps to (messages a second, all chats together). */
    outgoingGlobalPerSecond: env.OUTGOING_GLOBAL_PER_SECOND,
    /** Drug alerts: how many different people must agree (the drafter first). */
    alertApprovals: env.ALERT_APPROVALS,
    stories: { approvals: env.STORY_APPROVALS, perDay: env.STORIES_PER_DAY },
    checkin: { answerMinutes: env.CHECKIN_ANSWER_MINUTES, minuteMs: env.CHECKIN_MINUTE_MS },
    showSampleServices: env.SHOW_SAMPLE_SERVICES === 'true',
    offerDraftSurveys: env.SURVEY_DRAFTS === 'offered',
    partnersChatId: env.PARTNERS_CHAT_ID,
    codes: { validDays: env.CODE_VALID_DAYS, pickupTypes: env.PICKUP_TYPES, pickupLimit: env.PICKUP_LIMIT, pickupPeriodDays: env.PICKUP_PERIOD_DAYS },
    webhook: env.WEBHOOK_URL ? { url: env.WEBHOOK_URL, secret: env.WEBHOOK_SECRET ?? '' } : undefined,
  }));

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError listing one line per bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty value in .env means "not set", so defaults apply and required ones are reported as missing.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = configSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '');
    return issue.message.startsWith(variable) ? issue.message : `${variable}: ${issue.message}`;
  });
  throw new ConfigError([...new Set(problems)]);
}
