import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const valid = {
  BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
  BOT_SECRET: 'x'.repeat(32),
  STAFF_CHAT_ID: '-1001234567890',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('reads the referral code settings, with defaults, naming a bad value', () => {
    expect(loadConfig(valid)).toMatchObject({
      partnersChatId: undefined,
      codes: { validDays: 14, pickupTypes: ['naloxone', 'hiv-self-test', 'condoms'], pickupLimit: 2, pickupPeriodDays: 30 },
    });
    expect(loadConfig({ ...valid, PARTNERS_CHAT_ID: '-1009876543210', PICKUP_TYPES: 'none', CODE_VALID_DAYS: '30' })).toMatchObject({
      partnersChatId: -1009876543210,
      codes: { validDays: 30, pickupTypes: [] },
    });
    const problems = problemsOf({ ...valid, PARTNERS_CHAT_ID: 'partners', CODE_VALID_DAYS: '0', PICKUP_TYPES: 'naloxone,Self Test', PICKUP_LIMIT: '-1' });
    expect(problems.some((p) => p.startsWith('PARTNERS_CHAT_ID must be a numeric Telegram chat id'))).toBe(true);
    expect(problems.some((p) => p.startsWith('CODE_VALID_DAYS must be a whole number of days'))).toBe(true);
    expect(problems.some((p) => p.startsWith('PICKUP_TYPES must be') && p.includes('not: self test'))).toBe(true);
    expect(problems.some((p) => p.startsWith('PICKUP_LIMIT must be a whole number'))).toBe(true);
    expect(problemsOf({ ...valid, PARTNERS_CHAT_ID: valid.STAFF_CHAT_ID })).toEqual([expect.stringMatching(/^PARTNERS_CHAT_ID must be a group of its own/)]);
  });

  it('needs two editors for a story and allows three stories a day unless told otherwise, naming a bad value', () => {
    expect(loadConfig(valid).stories).toEqual({ approvals: 2, perDay: 3 });
    expect(loadConfig({ ...valid, STORY_APPROVALS: '1', STORIES_PER_DAY: '5' }).stories).toEqual({ approvals: 1, perDay: 5 });
    const problems = problemsOf({ ...valid, STORY_APPROVALS: '0', STORIES_PER_DAY: 'many' });
    expect(problems).toEqual([
      expect.stringMatching(/^STORY_APPROVALS must be a whole number from 1 to 5: how many different editors/),
      expect.stringMatching(/^STORIES_PER_DAY must be a whole number from 1 to 20/),
    ]);
  });

  it('applies the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      apiRoot: 'https://api.telegram.org',
      databasePath: './data/bot.db',
      contentDir: './content',
      staffChatId: -1001234567890,
      editorsChatId: -1001234567890,
      channels: {},
      timezone: 'Asia/Almaty',
      workingHours: null,
      defaultLanguage: 'ru',
      retentionDays: 30,
      logLevel: 'info',
    });
  });

  it('keeps bans 90 days and reuses a recent urgent case for 10 minutes unless told otherwise, naming a bad value', () => {
    expect(loadConfig(valid)).toMatchObject({ banDays: 90, emergencyReuseMs: 600_000, urgentCaseIntervalMs: 300_000, caseOpenIntervalMs: 120_000 });
    expect(loadConfig({ ...valid, URGENT_CASE_MINUTES: '0', CASE_OPEN_MINUTES: '3' })).toMatchObject({ urgentCaseIntervalMs: 0, caseOpenIntervalMs: 180_000 });
    expect(problemsOf({ ...valid, CASE_OPEN_MINUTES: 'often' })).toEqual(['CASE_OPEN_MINUTES must be a whole number of minutes, 0 or more']);
    expect(loadConfig({ ...valid, BAN_DAYS: '7', EMERGENCY_REUSE_MINUTES: '0' })).toMatchObject({ banDays: 7, emergencyReuseMs: 0 });
    expect(problemsOf({ ...valid, BAN_DAYS: '0', EMERGENCY_REUSE_MINUTES: 'soon' })).toEqual([
      'BAN_DAYS must be a whole number of days, 1 or more',
      'EMERGENCY_REUSE_MINUTES must be a whole number of minutes, 0 or more',
    ]);
  });

  it('names every missing required variable, one line each', () => {
    expect(problemsOf({})).toEqual([
      expect.stringMatching(/^BOT_TOKEN is required/),
      expect.stringMatching(/^BOT_SECRET is required/),
      expect.stringMatching(/^STAFF_CHAT_ID is required/),
    ]);
  });

  it('treats empty values as missing', () => {
    expect(problemsOf({ ...valid, BOT_TOKEN: '  ' })).toEqual([expect.stringMatching(/^BOT_TOKEN is required/)]);
  });

  it('explains what was expected for each bad value', () => {
    const problems = problemsOf({
      ...valid,
      BOT_SECRET: 'too-short',
      TELEGRAM_API_ROOT: 'not a url',
      STAFF_CHAT_ID: 'staff',
      TIMEZONE: 'Asia/Nowhere',
      DEFAULT_LANGUAGE: 'German',
      RETENTION_DAYS: '-3',
      LOG_LEVEL: 'loud',
      CHANNELS: 'news=@good_channel,broken',
      WORKING_HOURS: 'Mon-Fri 10:00-25:00',
    });
    expect(problems).toContain('BOT_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)');
    expect(problems.find((p) => p.startsWith('TELEGRAM_API_ROOT'))).toMatch(/http\(s\) URL/);
    expect(problems).toContain('STAFF_CHAT_ID must be a numeric Telegram chat id, like -1001234567890');
    expect(problems).toContain('TIMEZONE must be an IANA time zone name, like Asia/Almaty');
    expect(problems).toContain('DEFAULT_LANGUAGE must be a two-letter ISO 639-1 language code, like ru, kk or en (one with a locales/<code>.ftl in CONTENT_DIR)');
    expect(problems).toContain('RETENTION_DAYS must be a whole number of days, 0 or more (0: closed cases go at the next purge)');
    expect(problems).toContain('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent');
    expect(problems).toContain('CHANNELS entry "broken" must look like alias=@channel_username or alias=-1001234567890');
    expect(problems.find((p) => p.startsWith('WORKING_HOURS'))).toMatch(/invalid time "25:00"/);
    expect(problems).toHaveLength(9);
  });

  it('reads SHOW_SAMPLE_SERVICES as a flag, off by default', () => {
    expect(loadConfig(valid).showSampleServices).toBe(false);
    expect(loadConfig({ ...valid, SHOW_SAMPLE_SERVICES: 'true' }).showSampleServices).toBe(true);
    expect(problemsOf({ ...valid, SHOW_SAMPLE_SERVICES: 'yes' })).toEqual(['SHOW_SAMPLE_SERVICES must be true or false']);
  });

  it('needs a secret with a webhook, and an https URL', () => {
    expect(problemsOf({ ...valid, WEBHOOK_URL: 'https://bot.example.org/hook', HTTP_HOST: '127.0.0.1' })).toEqual([
      'WEBHOOK_SECRET is required with WEBHOOK_URL (16–256 characters of A–Z, a–z, 0–9, _ and -)',
    ]);
    expect(problemsOf({ ...valid, WEBHOOK_URL: 'http://bot.example.org/hook', WEBHOOK_SECRET: 'x'.repeat(20), HTTP_HOST: '127.0.0.1' })).toEqual([
      'WEBHOOK_URL must start with https:// (Telegram only calls https webhooks)',
    ]);
    expect(problemsOf({ ...valid, PORT: '70000' })).toEqual(['PORT must be a TCP port number (0–65535)']);
    expect(loadConfig({ ...valid, WEBHOOK_URL: 'https://bot.example.org/hook', WEBHOOK_SECRET: 'abcdefghijklmnop', HTTP_HOST: '0.0.0.0', METRICS_TOKEN: 'm'.repeat(16) }).webhook).toEqual({
      url: 'https://bot.example.org/hook',
      secret: 'abcdefghijklmnop',
    });
  });

  it('listens on loopback unless HTTP_HOST says otherwise; in webhook mode HTTP_HOST must be chosen', () => {
    expect(loadConfig(valid)).toMatchObject({ httpHost: '127.0.0.1', metricsToken: undefined });
    expect(loadConfig({ ...valid, HTTP_HOST: '::', METRICS_TOKEN: 'a'.repeat(16) })).toMatchObject({ httpHost: '::', metricsToken: 'a'.repeat(16) });
    expect(loadConfig({ ...valid, HTTP_HOST: 'localhost' }).httpHost).toBe('localhost');
    const webhookOnly = problemsOf({ ...valid, WEBHOOK_URL: 'https://bot.example.org/hook', WEBHOOK_SECRET: 'abcdefghijklmnop' });
    expect(webhookOnly).toEqual([expect.stringMatching(/^HTTP_HOST is required with WEBHOOK_URL: the address your reverse proxy reaches the bot on/)]);
    expect(problemsOf({ ...valid, HTTP_HOST: 'not a host!' })).toEqual([expect.stringMatching(/^HTTP_HOST must be an IP address or host name/)]);
    expect(problemsOf({ ...valid, METRICS_TOKEN: 'short' })).toEqual([expect.stringMatching(/^METRICS_TOKEN must be 16–256 printable characters/)]);
  });

  it('requires https for TELEGRAM_API_ROOT unless it is this machine, naming the variable', () => {
    expect(loadConfig({ ...valid, TELEGRAM_API_ROOT: 'https://botapi.example.org' }).apiRoot).toBe('https://botapi.example.org');
    for (const local of ['http://127.0.0.1:8081', 'http://localhost:8081', 'http://[::1]:8081', 'http://127.0.0.53']) {
      expect(loadConfig({ ...valid, TELEGRAM_API_ROOT: local }).apiRoot).toBe(local);
    }
    for (const remote of ['http://botapi.example.org', 'http://10.0.0.5:8081', 'http://[2001:db8::1]:8081', 'http://127.0.0.1.example.org']) {
      expect(problemsOf({ ...valid, TELEGRAM_API_ROOT: remote })).toEqual([expect.stringMatching(/^TELEGRAM_API_ROOT must use https:\/\/ unless it points at this machine .*the bot token/)]);
    }
  });

  it('requires METRICS_TOKEN when HTTP_HOST is not a loopback address, naming both', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'bot.internal']) {
      expect(problemsOf({ ...valid, HTTP_HOST: host })).toEqual([expect.stringMatching(new RegExp(`^METRICS_TOKEN is required when HTTP_HOST is not a loopback address \\(HTTP_HOST is ${host.replace(/\./g, '\\.')}\\)`))]);
      expect(loadConfig({ ...valid, HTTP_HOST: host, METRICS_TOKEN: 't'.repeat(24) }).metricsToken).toBe('t'.repeat(24));
    }
    for (const host of ['127.0.0.1', 'localhost', '::1']) expect(loadConfig({ ...valid, HTTP_HOST: host }).httpHost).toBe(host);
  });

  it('parses channels, working hours and the editors chat', () => {
    const config = loadConfig({
      ...valid,
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
      EDITORS_CHAT_ID: '-100555',
      CHANNELS: 'news=@safety_news, KZ=-1009876543210',
      WORKING_HOURS: 'Mon-Fri 10:00-20:00, Sat 12:00-16:00',
    });
    expect(config.apiRoot).toBe('http://127.0.0.1:8081');
    expect(config.editorsChatId).toBe(-100555);
    expect(config.channels).toEqual({ news: '@safety_news', kz: -1009876543210 });
    expect(config.workingHours).toEqual([
      { days: [0, 1, 2, 3, 4], from: 600, to: 1200 },
      { days: [5], from: 720, to: 960 },
    ]);
  });

  describe('several inboxes', () => {
    const base = { BOT_TOKEN: valid.BOT_TOKEN, BOT_SECRET: valid.BOT_SECRET };
    const INBOXES = 'main=-1001000000001, Lawyers=-1001000000002,south=-1001000000003';

    it('makes one inbox named main from STAFF_CHAT_ID alone, as before', () => {
      expect(loadConfig(valid)).toMatchObject({ inboxes: [{ name: 'main', chatId: -1001234567890 }], inboxRoutes: [], staffChatId: -1001234567890 });
    });

    it('reads INBOXES (the first is the default) and INBOX_ROUTES; STAFF_CHAT_ID may stay if it is one of them', () => {
      const config = loadConfig({ ...base, INBOXES, INBOX_ROUTES: 'topic:legal=lawyers, region:south=south,urgent=main' });
      expect(config.inboxes).toEqual([
        { name: 'main', chatId: -1001000000001 },
        { name: 'lawyers', chatId: -1001000000002 },
        { name: 'south', chatId: -1001000000003 },
      ]);
      expect(config.staffChatId).toBe(-1001000000001);
      expect(config.editorsChatId).toBe(-1001000000001);
      expect(config.inboxRoutes.map((r) => [r.match, r.inbox])).toEqual([
        [{ kind: 'topic', id: 'legal' }, 'lawyers'],
        [{ kind: 'region', id: 'south' }, 'south'],
        [{ kind: 'urgent' }, 'main'],
      ]);
      // STAFF_CHAT_ID then only says which inbox the cases from before INBOXES are in.
      expect(loadConfig({ ...base, INBOXES, STAFF_CHAT_ID: '-1001000000002' })).toMatchObject({ staffChatId: -1001000000001, legacyInbox: 'lawyers' });
      expect(loadConfig({ ...base, INBOXES }).legacyInbox).toBe('main');
      expect(loadConfig(valid).legacyInbox).toBe('main');
    });

    it('refuses STAFF_CHAT_ID that is none of INBOXES, and neither of them set', () => {
      expect(problemsOf({ ...base, INBOXES, STAFF_CHAT_ID: '-1009999999999' })).toEqual([
        expect.stringMatching(/^STAFF_CHAT_ID -1009999999999 is not one of the groups in INBOXES/),
      ]);
      expect(problemsOf(base)).toEqual([expect.stringMatching(/^STAFF_CHAT_ID is required: .*\(or INBOXES for several groups\)/)]);
    });

    it('names every bad INBOXES entry', () => {
      const problems = problemsOf({ ...base, INBOXES: 'main=-1001000000001,main=-1001000000002,other=-1001000000001,big team=-1001000000004,basic=-4567,nothing,x=1=2' });
      expect(problems).toEqual([
        'INBOXES names the inbox "main" twice',
        'INBOXES gives the group -1001000000001 twice (as "main" and "other"): each inbox needs a group of its own',
        'INBOXES entry "big team=-1001000000004": the name must be 1–32 lowercase latin letters, digits and dashes, like lawyers',
        'INBOXES entry "basic=-4567": -4567 is not a supergroup id; it must be -100 followed by digits, like -1001234567890',
        'INBOXES entry "nothing" must look like name=-1001234567890 (a name, =, the group\'s id)',
        'INBOXES entry "x=1=2" must look like name=-1001234567890 (a name, =, the group\'s id)',
      ]);
      expect(problemsOf({ ...base, INBOXES: ',,' })).toEqual(['INBOXES must list at least one inbox, like main=-1001234567890']);
    });

    it('names every bad INBOX_ROUTES rule, including one naming an unknown inbox', () => {
      const problems = problemsOf({ ...base, INBOXES, INBOX_ROUTES: 'topic:legal=lawyer,city:almaty=south,urgent,topic:Legal Aid=main,urgent=south,region:south=main' });
      expect(problems).toEqual([
        'INBOX_ROUTES rule "city:almaty=south": "city:almaty" is not a kind of case; use topic:<intake topic id>, region:<region id> or urgent (ids are lowercase latin letters, digits and dashes)',
        'INBOX_ROUTES rule "urgent" must look like topic:legal=lawyers, region:south=south or urgent=main',
        'INBOX_ROUTES rule "topic:Legal Aid=main": "topic:legal aid" is not a kind of case; use topic:<intake topic id>, region:<region id> or urgent (ids are lowercase latin letters, digits and dashes)',
        'INBOX_ROUTES rule "topic:legal=lawyer" names the inbox "lawyer", which is not one of "main", "lawyers", "south" (INBOXES, or "main" for STAFF_CHAT_ID alone)',
      ]);
      // Without INBOXES there is one inbox, main.
      expect(problemsOf({ ...valid, INBOX_ROUTES: 'urgent=lawyers' })).toEqual([
        'INBOX_ROUTES rule "urgent=lawyers" names the inbox "lawyers", which is not one of "main" (INBOXES, or "main" for STAFF_CHAT_ID alone)',
      ]);
      // Reported together with the other problems, not after them.
      expect(problemsOf({ ...base, BOT_SECRET: 'short', INBOXES, INBOX_ROUTES: 'urgent=nobody' })).toHaveLength(2);
    });

    it('keeps partners out of every inbox', () => {
      expect(problemsOf({ ...base, INBOXES, PARTNERS_CHAT_ID: '-1001000000003' })).toEqual([expect.stringMatching(/^PARTNERS_CHAT_ID must be a group of its own/)]);
    });
  });
});
