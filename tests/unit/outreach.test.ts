import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { GrammyError, type Api } from 'grammy';
import { Resvg } from '@resvg/resvg-js';
import { loadSources, SOURCES_FILE } from '../../src/content/sources.js';
import { formatProblem } from '../../src/content/front-matter.js';
import { ensureClient } from '../../src/db/clients.js';
import { eventReminders, sourceCounts, sourceMarkers } from '../../src/db/schema.js';
import {
  countForSource,
  DAILY_START_CAP,
  endOfNextMonth,
  forgetSourceMarker,
  parseMonths,
  protectSourceCells,
  purgeSourceMarkers,
  recordStart,
  sourceMonths,
  sourcesCsv,
} from '../../src/inbox/source-counts.js';
import { cancelRsvp, confirmRsvp, eventCountsOf, EventReminders, forgetRsvps, MAX_EVENTS_PER_CLIENT, rsvpTimes } from '../../src/inbox/event-reminders.js';
import { posterSvg } from '../../src/inbox/poster.js';
import { renderPng } from '../../src/inbox/cascade-chart.js';
import { parsePost } from '../../src/publishing/posts.js';
import { postKeyboard } from '../../src/publishing/publisher.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { pino } from 'pino';
import { memoryDb } from '../support/db.js';
import { contentFolder } from '../support/content.js';
import { join } from 'node:path';

const privacy = createPrivacy('outreach-secret-outreach-secret-outreach-1');
const TZ = 'Asia/Almaty';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 20, 6, 0); // 2026-11-20 11:00 in Almaty

const source = (fields: string) => `sources:\n  - code: apteka-abay\n    label: Pharmacy on Abay\n    region: almaty\n    poster:\n      ru: "Анонимно"\n      kk: "Анонимді"\n      en: "Anonymous"\n${fields}`;

describe('sources.yml', () => {
  const load = (text: string, regions: string[] = []) => {
    const root = contentFolder({ [SOURCES_FILE]: text });
    return loadSources(root, ['ru', 'kk', 'en'], regions);
  };

  it('loads codes, labels, regions and poster lines; no file is no sources', () => {
    const { sources, problems } = load(source('    draft: true\n'));
    expect(problems).toEqual([]);
    expect(sources).toEqual([{ code: 'apteka-abay', label: 'Pharmacy on Abay', region: 'almaty', poster: { ru: 'Анонимно', kk: 'Анонимді', en: 'Anonymous' }, draft: true }]);
    expect(loadSources(contentFolder({}), ['en'], [])).toEqual({ sources: [], problems: [] });
  });

  it('names the file, line and field of each mistake', () => {
    const bad = [
      'sources:',
      '  - code: Apteka Abay',
      '    label: ""',
      '    region: mars',
      '    poster:',
      '      ru: "Анонимно"',
      '      de: "Anonym"',
      '  - code: rsvp-trick',
      '    label: x',
      '    region: almaty',
      '    poster: { ru: a, kk: b, en: c }',
      '  - code: consult',
      '    label: x',
      '    region: almaty',
      '    poster: { ru: a, kk: b, en: c }',
    ].join('\n');
    const problems = load(bad, ['almaty', 'south']).problems.map(formatProblem);
    const all = problems.join('\n');
    expect(all).toMatch(/sources\.yml:2: sources\.0\.code: code must be 2 to 32 lowercase latin letters/);
    expect(all).toMatch(/sources\.yml:3: sources\.0\.label: label must not be empty/);
    expect(all).toMatch(/sources\.yml:4: sources\.0\.region: region must be one of settings\.yml regions \(almaty, south\)/);
    expect(all).toMatch(/sources\.0\.poster\.de: "de" is not a language of the bot/);
    expect(load(source('').replace(/    poster:\n(      .*\n){3}/, '    poster: {}\n')).problems.map(formatProblem).join()).toMatch(/poster needs a line for at least one language/);
    expect(all).toMatch(/sources\.yml:8: sources\.1\.code: code must not be "consult" or start with "rsvp-"/);
    expect(all).toMatch(/sources\.2\.code: code must not be "consult"/);
    const twice = load(`${source('')}${source('').replace('sources:\n', '')}`).problems.map(formatProblem).join('\n');
    expect(twice).toMatch(/code "apteka-abay" is used twice/);
    expect(load(source('').replace(/"Anonymous"/, `"${'x'.repeat(91)}"`)).problems.map(formatProblem).join()).toMatch(/poster line must be at most 90 characters/);
  });
});

describe('counting by source', () => {
  it('counts a new person once, links later consultations and codes through the marker until it expires, and forgets it', () => {
    const db = memoryDb();
    const key = privacy.clientKey(101);
    expect(recordStart(db, privacy, { clientKey: key, source: 'apteka-abay', now: NOW, timeZone: TZ })).toBe('counted');
    // The same person again (another poster, or the same twice): not a new start.
    expect(recordStart(db, privacy, { clientKey: key, source: 'club-x', now: NOW + HOUR, timeZone: TZ })).toBe('already');
    // The marker holds the source only, under a key that is not the client key.
    const [marker] = db.select().from(sourceMarkers).all();
    expect(marker).toEqual({ markerKey: privacy.sourceMarkerKey(key), source: 'apteka-abay', expiresAt: Date.UTC(2026, 11, 31, 19, 0) - 1 });
    expect(JSON.stringify(db.select().from(sourceMarkers).all())).not.toContain(key);

    expect(countForSource(db, privacy, { clientKey: key, metric: 'consultation', now: NOW + DAY, timeZone: TZ })).toBe('apteka-abay');
    expect(countForSource(db, privacy, { clientKey: key, metric: 'redeemed', now: Date.UTC(2026, 11, 3, 6), timeZone: TZ })).toBe('apteka-abay');
    // After the end of the next month nothing is linked any more.
    expect(countForSource(db, privacy, { clientKey: key, metric: 'redeemed', now: Date.UTC(2027, 0, 2), timeZone: TZ })).toBeUndefined();
    expect(purgeSourceMarkers(db, Date.UTC(2027, 0, 2))).toBe(1);

    // Someone with a client row already is not new.
    const known = privacy.clientKey(102);
    ensureClient(db, privacy, known, 102);
    expect(recordStart(db, privacy, { clientKey: known, source: 'apteka-abay', now: NOW, timeZone: TZ })).toBe('known');

    // /forget: the marker goes, nothing is counted for them afterwards; the counts stay.
    const other = privacy.clientKey(103);
    recordStart(db, privacy, { clientKey: other, source: 'apteka-abay', now: NOW, timeZone: TZ });
    expect(forgetSourceMarker(db, privacy, other)).toBe(1);
    expect(countForSource(db, privacy, { clientKey: other, metric: 'consultation', now: NOW, timeZone: TZ })).toBeUndefined();

    expect(sourceMonths(db, { from: '2026-11', to: '2026-12' })).toEqual([
      { month: '2026-11', source: 'apteka-abay', start: 2, consultation: 1, redeemed: 0 },
      { month: '2026-12', source: 'apteka-abay', start: 0, consultation: 0, redeemed: 1 },
    ]);
    // Counts per day and source, nothing else.
    expect(Object.keys(db.select().from(sourceCounts).all()[0]!)).toEqual(['day', 'source', 'metric', 'count']);
  });

  it('stops counting a source at its daily cap', () => {
    const db = memoryDb();
    db.insert(sourceCounts).values({ day: '2026-11-20', source: 'club-x', metric: 'start', count: DAILY_START_CAP }).run();
    expect(recordStart(db, privacy, { clientKey: privacy.clientKey(5), source: 'club-x', now: NOW, timeZone: TZ })).toBe('capped');
    expect(recordStart(db, privacy, { clientKey: privacy.clientKey(5), source: 'club-x', now: NOW + DAY, timeZone: TZ })).toBe('counted');
  });

  it('suppresses small cells in the table and the CSV', () => {
    const rows = [
      { month: '2026-11', source: 'apteka-abay', start: 12, consultation: 3, redeemed: 0 },
      { month: '2026-11', source: 'club, "x"', start: 1, consultation: 0, redeemed: 5 },
    ];
    expect(protectSourceCells(rows)).toEqual([
      { month: '2026-11', source: 'apteka-abay', start: 12, consultation: '<5', redeemed: 0 },
      { month: '2026-11', source: 'club, "x"', start: '<5', consultation: 0, redeemed: 5 },
    ]);
    const csv = sourcesCsv(rows, (code) => (code === 'apteka-abay' ? { label: 'Pharmacy', region: 'almaty' } : undefined));
    expect(csv).toBe('month,source,label,region,starts,consultations,codes_redeemed\n2026-11,apteka-abay,Pharmacy,almaty,12,<5,0\n2026-11,"club, ""x""",,,<5,0,5\n');
  });

  it('reads months and knows where a month ends in the time zone', () => {
    expect(parseMonths('', NOW, TZ)).toEqual({ from: '2026-09', to: '2026-11' });
    expect(parseMonths('', Date.UTC(2027, 0, 5), TZ)).toEqual({ from: '2026-11', to: '2027-01' });
    expect(parseMonths('2026-10', NOW, TZ)).toEqual({ from: '2026-10', to: '2026-10' });
    expect(parseMonths('2026-09..2026-11', NOW, TZ)).toEqual({ from: '2026-09', to: '2026-11' });
    expect(parseMonths('2026-13', NOW, TZ)).toHaveProperty('error');
    expect(parseMonths('2026-11..2026-09', NOW, TZ)).toEqual({ error: 'the months must end after they start' });
    expect(new Date(endOfNextMonth(Date.UTC(2026, 11, 31, 20), TZ)).toISOString()).toBe('2027-02-28T18:59:59.999Z'); // 1 Jan local → end of Feb
  });
});

const POST = (event: string, extra = '') => `---\nchannel: news\npublish_at: 2027-08-24 12:00\n${extra}event:\n${event}---\nCome.\n`;

describe('invitation posts', () => {
  const parse = (text: string) => {
    const root = contentFolder({ 'posts/2027-08/iod-en.md': text, 'settings.yml': 'emergency_numbers: { ambulance: "103", general: "112" }\nintake_topics: [other]\nreferrals: [lawyer]\nspecialties: [peer]\n' });
    return parsePost(root, join(root, 'posts/2027-08/iod-en.md'), { timezone: TZ, notice: () => 'ask' });
  };

  it('carry an event whose RSVP button deep-links to the bot', () => {
    const { post, problems } = parse(POST('  id: iod-2027\n  title: Evening\n  at: 2027-08-31 19:00\n  place: Almaty\n  rsvp: "I\'ll come"\n'));
    expect(problems).toEqual([]);
    expect(post!.event).toEqual({ id: 'iod-2027', title: 'Evening', at: new Date('2027-08-31T14:00:00Z'), place: 'Almaty', button: "I'll come", remindBefore: [DAY, HOUR] });
    expect(postKeyboard(post!, 'peer_help_bot')!.inline_keyboard).toEqual([[{ text: "I'll come", url: 'https://t.me/peer_help_bot?start=rsvp-iod-2027' }]]);
  });

  it('say what is wrong with an event', () => {
    const problems = (text: string) => parse(text).problems.map(formatProblem).join('\n');
    expect(problems(POST('  id: IOD 2027\n  title: E\n  at: 2027-08-31 19:00\n  place: A\n  rsvp: R\n'))).toMatch(/event\.id: event id must be 2 to 40 lowercase/);
    expect(problems(POST('  id: iod\n  title: E\n  at: 31.08.2027\n  place: A\n  rsvp: R\n'))).toMatch(/event at "31\.08\.2027" is not a date and time/);
    expect(problems(POST('  id: iod\n  title: E\n  at: 2027-08-31 19:00\n  rsvp: R\n'))).toMatch(/event needs a place or a link/);
    expect(problems(POST('  id: iod\n  title: E\n  at: 2027-08-20 19:00\n  place: A\n  rsvp: R\n'))).toMatch(/the event must be after the post is published/);
    expect(problems(POST('  id: iod\n  title: E\n  at: 2027-08-31 19:00\n  place: A\n  rsvp: R\n  remind_before: [1w]\n'))).toMatch(/remind_before entry must be like 1d, 3h or 30m/);
  });
});

describe('event reminders', () => {
  const EVENT_AT = NOW + 3 * DAY;
  const input = (id: number, eventId = 'iod') => ({ clientKey: privacy.clientKey(id), chatId: id, eventId, eventAt: EVENT_AT, lang: 'en', remindBefore: [DAY, HOUR], now: NOW });

  it('are kept sealed under a key of their own, counted once, cancelled and forgotten', () => {
    const db = memoryDb();
    expect(confirmRsvp(db, privacy, input(7))).toEqual({ status: 'confirmed', times: [EVENT_AT - DAY, EVENT_AT - HOUR] });
    expect(confirmRsvp(db, privacy, input(7)).status).toBe('already');
    const rows = db.select().from(eventReminders).all();
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toMatch(new RegExp(`${privacy.clientKey(7)}|"chatRef":"7"`));
    expect(privacy.decryptChatId(rows[0]!.chatRef, `event_reminders:${rows[0]!.holderKey}`)).toBe(7);
    expect(rsvpTimes(db, privacy, privacy.clientKey(7), 'iod')).toEqual([EVENT_AT - DAY, EVENT_AT - HOUR]);
    expect(cancelRsvp(db, privacy, privacy.clientKey(7), 'iod')).toBe(true);
    expect(cancelRsvp(db, privacy, privacy.clientKey(7), 'iod')).toBe(false);
    expect(eventCountsOf(db).get('iod')).toEqual({ confirmed: 1, cancelled: 1 });
    // Too late for any reminder, or too many events at once.
    expect(confirmRsvp(db, privacy, { ...input(8), eventAt: NOW + 2 * 60_000 }).status).toBe('too-late');
    for (let i = 0; i < MAX_EVENTS_PER_CLIENT; i++) expect(confirmRsvp(db, privacy, input(9, `ev-${i}`)).status).toBe('confirmed');
    expect(confirmRsvp(db, privacy, input(9, 'one-more')).status).toBe('too-many');
    expect(forgetRsvps(db, privacy, privacy.clientKey(9))).toBe(MAX_EVENTS_PER_CLIENT);
    expect(db.select().from(eventReminders).all()).toEqual([]);
  });

  it('go once each, even when a pass is cut short by a crash, and nothing is left after the event', async () => {
    const db = memoryDb();
    confirmRsvp(db, privacy, input(7));
    confirmRsvp(db, privacy, input(8));
    const sent: { chat: number; text: string }[] = [];
    let now = NOW;
    let crash = false;
    const api = {
      sendMessage: async (chat: number, text: string) => {
        if (crash) throw new Error('killed mid-request');
        sent.push({ chat, text });
        return { message_id: sent.length };
      },
    } as unknown as Api;
    const make = () => new EventReminders({ db, api, privacy, logger: pino({ level: 'silent' }), clock: () => now, render: (id, lang) => ({ html: `${id} ${lang}` }) });
    await make().run();
    expect(sent).toEqual([]);
    now = EVENT_AT - DAY;
    await make().run();
    await make().run(); // a second pass (or a restart) sends nothing again
    expect(sent.map((s) => s.chat).sort()).toEqual([7, 8]);
    // A crash while a request was on its way leaves its row claimed: it is never sent again.
    now = EVENT_AT - HOUR;
    const [first] = db.select().from(eventReminders).all();
    db.update(eventReminders).set({ sendingAt: now }).where(eq(eventReminders.id, first!.id)).run();
    await make().run();
    expect(sent).toHaveLength(3);
    // A request that failed (it may have arrived) is not repeated either.
    confirmRsvp(db, privacy, { ...input(9), now: EVENT_AT - 2 * HOUR });
    crash = true;
    await make().run();
    crash = false;
    await make().run();
    expect(sent).toHaveLength(3);
    now = EVENT_AT + 1;
    await make().run();
    expect(db.select().from(eventReminders).all()).toEqual([]);
  });

  it('a 429 puts the reminder back for later instead of losing it', async () => {
    const db = memoryDb();
    confirmRsvp(db, privacy, input(7));
    let calls = 0;
    const api = {
      sendMessage: async () => {
        calls++;
        if (calls === 1) throw new GrammyError('Too Many Requests', { ok: false, error_code: 429, description: 'Too Many Requests: retry after 5', parameters: { retry_after: 5 } }, 'sendMessage', {});
        return { message_id: 1 };
      },
    } as unknown as Api;
    let now = EVENT_AT - DAY;
    const reminders = new EventReminders({ db, api, privacy, logger: pino({ level: 'silent' }), clock: () => now, render: () => ({ html: 'x' }) });
    await reminders.run();
    expect(db.select().from(eventReminders).all()).toHaveLength(2);
    now += 6_000;
    await reminders.run();
    expect(calls).toBe(2);
    expect(db.select().from(eventReminders).all()).toHaveLength(1);
  });
});

describe('the poster', () => {
  it('is an A4 SVG with the bot, the QR code and the line (escaped), and renders to PNG', async () => {
    const svg = await posterSvg({ botUsername: 'peer_help_bot', code: 'apteka-abay', line: 'Anonymous <and> kind', hint: 'Point the camera', sample: 'SAMPLE' });
    expect(svg).toMatch(/^<svg [^>]*width="1240" height="1754"/);
    expect(svg).toContain('@peer_help_bot');
    expect(svg).toMatch(/<path stroke="#000000" d="M[0-9]/);
    expect(svg).toContain('t.me/peer_help_bot?start=apteka-abay');
    expect(svg).toContain('Anonymous &#60;and&#62; kind');
    expect(svg).toContain('SAMPLE');
    const png = renderPng(svg);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(new Resvg(svg).width).toBe(1240);
  });
});
