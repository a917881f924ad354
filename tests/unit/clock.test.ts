import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { pino } from 'pino';
import { nextOccurrence } from '../../src/publishing/cron.js';
import { loadPosts, type Post } from '../../src/publishing/posts.js';
import { Scheduler } from '../../src/publishing/scheduler.js';
import { findPublication } from '../../src/publishing/ledger.js';
import { ClockWatch } from '../../src/ops/clock-watch.js';
import { Every } from '../../src/time/every.js';
import { steadyClock } from '../../src/time/steady.js';
import { createI18n } from '../../src/bot/i18n.js';
import { memoryDb } from '../support/db.js';
import { contentFolder } from '../support/content.js';
import { recordingApi } from '../support/recording-api.js';
import { PROJECT_ROOT } from '../support/bot-process.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const english = createI18n(join(PROJECT_ROOT, 'content'), 'en');

/** Every occurrence of `cron` in (from, to], in UTC ISO form. */
function occurrences(cron: string, from: string, to: string, timeZone: string): string[] {
  const result: string[] = [];
  let at = new Date(from);
  for (;;) {
    const next = nextOccurrence(cron, at, timeZone);
    if (!next || next > new Date(to)) return result;
    result.push(next.toISOString().slice(0, 16));
    at = next;
  }
}

describe('cron occurrences across daylight-saving changes (Europe/Berlin)', () => {
  // 2026-10-25: 03:00 CEST becomes 02:00 CET (02:00–02:59 local happens twice).
  // 2027-03-28: 02:00 CET becomes 03:00 CEST (02:00–02:59 local never happens).
  const TZ = 'Europe/Berlin';

  it('a daily time in the repeated autumn hour occurs once', () => {
    expect(occurrences('30 2 * * *', '2026-10-23T12:00Z', '2026-10-26T12:00Z', TZ)).toEqual([
      '2026-10-24T00:30', // 02:30 CEST
      '2026-10-25T00:30', // 02:30 CEST, the first of the two 02:30s; not again at 01:30Z
      '2026-10-26T01:30', // 02:30 CET
    ]);
  });

  it('a daily time in the skipped spring hour occurs at the end of the gap, once', () => {
    expect(occurrences('30 2 * * *', '2027-03-26T12:00Z', '2027-03-29T12:00Z', TZ)).toEqual([
      '2027-03-27T01:30', // 02:30 CET
      '2027-03-28T01:00', // no 02:30 that day: at 03:00 CEST
      '2027-03-29T00:30', // 02:30 CEST
    ]);
  });

  it('times outside the changed hour keep their local time, and nothing is skipped or doubled', () => {
    expect(occurrences('0 9 * * *', '2026-10-24T12:00Z', '2026-10-26T12:00Z', TZ)).toEqual(['2026-10-25T08:00', '2026-10-26T08:00']);
    // Just after midnight on the day after the short spring day (the step to the next day once overshot it).
    expect(occurrences('30 0 * * 1', '2027-03-27T12:00Z', '2027-03-30T12:00Z', TZ)).toEqual(['2027-03-28T22:30']);
  });

  it('an hourly rule follows real hours through both changes', () => {
    const autumn = occurrences('0 * * * *', '2026-10-24T23:30Z', '2026-10-25T03:30Z', TZ);
    expect(autumn).toEqual(['2026-10-25T00:00', '2026-10-25T01:00', '2026-10-25T02:00', '2026-10-25T03:00']);
    const spring = occurrences('0 * * * *', '2027-03-27T23:30Z', '2027-03-28T02:30Z', TZ);
    expect(spring).toEqual(['2027-03-28T00:00', '2027-03-28T01:00', '2027-03-28T02:00']);
  });
});

function postsOf(files: Record<string, string>): Post[] {
  const { posts, problems } = loadPosts(contentFolder(files), { timezone: 'Asia/Almaty', channels: ['news'] });
  expect(problems).toEqual([]);
  return posts;
}

function scheduler(posts: Post[]) {
  const db = memoryDb();
  const { api, calls } = recordingApi();
  const reports: string[] = [];
  let now = new Date('2026-12-01T00:00:00Z');
  const s = new Scheduler({
    db,
    api,
    logger: pino({ level: 'silent' }),
    timezone: 'Asia/Almaty',
    channels: { news: '@news_channel' },
    graceMs: 6 * HOUR,
    posts: () => posts,
    botUsername: () => 'help_bot',
    report: async (html) => void reports.push(html),
    text: (key, vars) => english.t('en', key, vars),
    clock: () => now,
  });
  return {
    db,
    reports,
    scheduler: s,
    sends: () => calls.filter((c) => c.method.startsWith('send')).map((c) => c.payload.text),
    at: async (ms: number) => {
      now = new Date(ms);
      await s.tick();
    },
  };
}

describe('publishing when the wall clock jumps', () => {
  const start = Date.parse('2026-12-01T00:00:00Z');

  it('ahead: a recurring post publishes its latest missed occurrence once, and names the older ones in one line', async () => {
    const t = scheduler(postsOf({ 'posts/hourly.md': '---\nchannel: news\nschedule: "0 * * * *"\n---\nHourly.\n', 'posts/every-minute.md': '---\nchannel: news\nschedule: "* * * * *"\n---\nMinute.\n' }));
    await t.at(start + 30_000);
    expect(t.sends().sort()).toEqual(['Hourly.', 'Minute.']); // 00:00 UTC, within grace at the first start
    await t.at(start + 2 * DAY + 30 * 60_000); // two days and a half hour on
    expect(t.sends().sort()).toEqual(['Hourly.', 'Hourly.', 'Minute.', 'Minute.']);
    // Latest: the hourly one at 00:00 UTC (05:00 local) of the third day; the minute one a second ago.
    expect(findPublication(t.db, { postSlug: 'hourly', occurrence: start + 2 * DAY, channel: 'news' })?.status).toBe('sent');
    expect(findPublication(t.db, { postSlug: 'hourly', occurrence: start + 2 * DAY - HOUR, channel: 'news' })?.status).toBe('skipped');
    expect(t.reports).toHaveLength(1);
    expect(t.reports[0]).toContain('posts/hourly.md');
    expect(t.reports[0]).toMatch(/\(and \d+ earlier\)/);
    await t.at(start + 2 * DAY + 30 * 60_000 + 1_000);
    expect(t.sends()).toHaveLength(4);
  });

  it('ahead by 40 days: one pass stays quick', async () => {
    const t = scheduler(postsOf({ 'posts/every-minute.md': '---\nchannel: news\nschedule: "* * * * *"\n---\nMinute.\n' }));
    await t.at(start);
    const began = performance.now();
    await t.at(start + 40 * DAY);
    expect(performance.now() - began).toBeLessThan(2_000);
    expect(t.sends()).toEqual(['Minute.', 'Minute.']);
  });

  it('back: nothing published again, and retries keep their wait', async () => {
    const t = scheduler(postsOf({ 'posts/hourly.md': '---\nchannel: news\nschedule: "0 * * * *"\n---\nHourly.\n' }));
    await t.at(start + 30_000);
    expect(t.sends()).toEqual(['Hourly.']); // 00:00 UTC, published late within grace at first start
    await t.at(start + HOUR + 1_000);
    expect(t.sends()).toHaveLength(2);
    await t.at(start + 1_000); // an hour back
    await t.at(start + 30 * 60_000);
    await t.at(start + HOUR + 2_000); // 01:00 again
    expect(t.sends()).toHaveLength(2);
    await t.at(start + 2 * HOUR);
    expect(t.sends()).toHaveLength(3);
    // A failed send due to be tried again in 2 hours by the clock before the jump: still in 2 hours after it.
    t.db.$client.prepare("UPDATE publications SET status = 'failed', next_attempt_at = ? WHERE occurrence = ?").run(start + 4 * HOUR, start + 2 * HOUR);
    await t.scheduler.replan(-HOUR);
    const row = t.db.$client.prepare('SELECT status, next_attempt_at AS at FROM publications WHERE occurrence = ?').get(start + 2 * HOUR) as { status: string; at: number };
    expect(row).toEqual({ status: 'failed', at: start + 3 * HOUR });
  });
});

describe('Every', () => {
  it('runs on the monotonic timers, never two at once', async () => {
    let runs = 0;
    let concurrent = 0;
    let most = 0;
    const every = new Every(20, async () => {
      runs++;
      most = Math.max(most, ++concurrent);
      await new Promise((r) => setTimeout(r, 30));
      concurrent--;
    }, () => undefined);
    every.start();
    void every.runNow();
    void every.runNow(); // joins the run under way
    for (let i = 0; i < 200 && runs < 3; i++) await new Promise((r) => setTimeout(r, 10));
    await every.stop();
    const after = runs;
    await new Promise((r) => setTimeout(r, 100));
    expect(runs).toBe(after); // nothing after stop
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(most).toBe(1);
  });
});

describe('ClockWatch', () => {
  it('notices a jump either way beyond the threshold, once, and tells the schedulers', async () => {
    let wall = 1_000_000;
    let mono = 0;
    const jumps: number[] = [];
    const logged: unknown[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    const watch = new ClockWatch({ logger, onJump: (ms) => void jumps.push(ms), wall: () => wall, monotonic: () => mono });
    watch.start();
    watch.stop();
    wall += 2_000;
    mono += 2_000;
    expect(await watch.check()).toBe(0);
    wall += 3_000; // a late timer moves both
    mono += 3_000;
    expect(await watch.check()).toBe(0);
    wall += 2 * DAY + 2_000;
    mono += 2_000;
    expect(await watch.check()).toBe(2 * DAY);
    wall += 2_000;
    mono += 2_000;
    expect(await watch.check()).toBe(0); // logged once, not at every look
    wall -= HOUR - 2_000;
    mono += 2_000;
    expect(await watch.check()).toBe(-HOUR);
    expect(jumps).toEqual([2 * DAY, -HOUR]);
    expect(watch.state).toMatchObject({ lastJumpMs: -HOUR, jumps: 2 });
    expect(logged.filter((l) => (l as { msg: string }).msg.includes('clock jumped'))).toHaveLength(2);
  });

  it('a steady clock reads like the wall clock but follows the monotonic one', () => {
    const clock = steadyClock(5_000);
    const a = clock();
    expect(a).toBeGreaterThanOrEqual(5_000);
    expect(a).toBeLessThan(5_100);
    expect(clock()).toBeGreaterThanOrEqual(a);
  });
});
