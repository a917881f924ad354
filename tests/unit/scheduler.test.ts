import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadPosts, type Post } from '../../src/publishing/posts.js';
import { Scheduler } from '../../src/publishing/scheduler.js';
import { claimPublication, findPublication } from '../../src/publishing/ledger.js';
import type { Db } from '../../src/db/connection.js';
import { memoryDb } from '../support/db.js';
import { contentFolder } from '../support/content.js';
import { recordingApi, type RecordedCall } from '../support/recording-api.js';
import { join } from 'node:path';
import { createI18n } from '../../src/bot/i18n.js';
import { PROJECT_ROOT } from '../support/bot-process.js';

// The reports are the shipped texts of content/locales, in the default language.
const english = createI18n(join(PROJECT_ROOT, 'content'), 'en');
const russian = createI18n(join(PROJECT_ROOT, 'content'), 'ru');

const TZ = 'Asia/Almaty';
const HOUR = 3_600_000;

function postsOf(files: Record<string, string>): Post[] {
  const { posts, problems } = loadPosts(contentFolder(files), { timezone: TZ, channels: ['news', 'news_en'] });
  expect(problems).toEqual([]);
  return posts;
}

function setup(posts: Post[], options: { db?: Db; fail?: (call: RecordedCall) => { error_code: number; description: string } | undefined; lang?: 'en' | 'ru' } = {}) {
  const i18n = options.lang === 'ru' ? russian : english;
  const db = options.db ?? memoryDb();
  const { api, calls } = recordingApi(options.fail);
  const reports: string[] = [];
  let now = new Date('2026-12-01T00:00:00Z');
  const scheduler = new Scheduler({
    db,
    api,
    logger: pino({ level: 'silent' }),
    timezone: TZ,
    channels: { news: '@news_channel', news_en: -1001234 },
    graceMs: 6 * HOUR,
    posts: () => posts,
    botUsername: () => 'help_bot',
    report: async (html) => void reports.push(html),
    text: (key, vars) => i18n.t(options.lang ?? 'en', key, vars),
    clock: () => now,
  });
  return {
    db,
    calls,
    reports,
    scheduler,
    sends: () => calls.filter((c) => c.method.startsWith('send')),
    at: async (iso: string) => {
      now = new Date(iso);
      await scheduler.tick();
    },
  };
}

const once = `---\nchannel: news\npublish_at: 2026-12-01 10:00\nbuttons:\n  - text: Talk\n    consult: true\n---\nTip of the week.\n`;

describe('publishing scheduler', () => {
  it('publishes a post at its time, once', async () => {
    const t = setup(postsOf({ 'posts/tip.md': once }));
    await t.at('2026-12-01T04:59:59Z'); // 09:59:59 local
    expect(t.sends()).toHaveLength(0);
    await t.at('2026-12-01T05:00:00Z');
    expect(t.sends()).toHaveLength(1);
    expect(t.sends()[0]?.payload).toMatchObject({
      chat_id: '@news_channel',
      text: 'Tip of the week.',
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Talk', url: 'https://t.me/help_bot?start=consult' }]] },
    });
    await t.at('2026-12-01T05:00:01Z');
    await t.at('2026-12-01T06:00:00Z');
    expect(t.sends()).toHaveLength(1);
  });

  it('publishes a recurring post at each occurrence until its end date', async () => {
    const t = setup(postsOf({ 'posts/friday.md': '---\nchannel: [news, news_en]\nschedule: "0 18 * * 5"\nuntil: 2026-12-11\n---\nWeekend.\n' }));
    for (let day = 1; day <= 20; day++) {
      for (const hour of [0, 12, 13, 14]) await t.at(`2026-12-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:30Z`);
    }
    // Fridays 4 and 11 December at 18:00 local (13:00 UTC), to two channels; 18 December is after `until`.
    expect(t.sends().map((c) => c.payload.chat_id)).toEqual(['@news_channel', -1001234, '@news_channel', -1001234]);
  });

  it('does not publish again after a restart', async () => {
    const posts = postsOf({ 'posts/tip.md': once });
    const first = setup(posts);
    await first.at('2026-12-01T05:00:02Z');
    expect(first.sends()).toHaveLength(1);
    const second = setup(posts, { db: first.db });
    await second.scheduler.recoverInterrupted();
    await second.at('2026-12-01T05:00:03Z');
    await second.at('2026-12-01T05:30:00Z');
    expect(second.sends()).toHaveLength(0);
  });

  it('publishes late what was missed by less than the grace period, and reports older ones as skipped', async () => {
    const posts = postsOf({
      'posts/early.md': '---\nchannel: news\npublish_at: 2026-12-01 02:00\n---\nEarly.\n',
      'posts/late.md': '---\nchannel: news\npublish_at: 2026-12-01 08:00\n---\nLate.\n',
    });
    const t = setup(posts);
    await t.at('2026-11-30T18:00:00Z'); // 23:00 local: the bot was running, then went down
    await t.at('2026-12-01T05:00:00Z'); // back at 10:00 local: 02:00 is 8 h ago, 08:00 is 2 h ago
    expect(t.sends().map((c) => c.payload.text)).toEqual(['Late.']);
    expect(t.reports.join('\n')).toMatch(/Not published because the bot was down for longer than 6 h/);
    expect(t.reports.join('\n')).toContain('posts/early.md (2026-12-01 02:00 → news)');
    await t.at('2026-12-01T05:01:00Z');
    expect(t.reports).toHaveLength(1);
  });

  it('reports in DEFAULT_LANGUAGE, from the locales', async () => {
    const posts = postsOf({ 'posts/early.md': '---\nchannel: news\npublish_at: 2026-12-01 02:00\n---\nEarly.\n' });
    const t = setup(posts, { lang: 'ru' });
    await t.at('2026-11-30T18:00:00Z');
    await t.at('2026-12-01T05:00:00Z');
    expect(t.reports).toEqual([expect.stringMatching(/^⏭ Не опубликовано, потому что бот не работал дольше 6 ч:\n• posts\/early\.md \(2026-12-01 02:00 → news\)/)]);
  });

  it('never resends a publication that a crash interrupted, and tells the editors', async () => {
    const posts = postsOf({ 'posts/tip.md': once });
    const db = memoryDb();
    claimPublication(db, { postSlug: 'tip', occurrence: new Date('2026-12-01T05:00:00Z').getTime(), channel: 'news' }, '@news_channel', 0);
    const t = setup(posts, { db });
    await t.scheduler.recoverInterrupted();
    await t.at('2026-12-01T05:00:05Z');
    expect(t.sends()).toHaveLength(0);
    expect(t.reports[0]).toMatch(/may or may not have appeared/);
  });

  it('retries a failed publication without repeating the messages that went out', async () => {
    const long = Array.from({ length: 8 }, (_, i) => `Part ${i} ${'слово '.repeat(120)}`).join('\n\n');
    const posts = postsOf({ 'posts/long.md': `---\nchannel: news\npublish_at: 2026-12-01 10:00\n---\n${long}\n` });
    expect(posts[0]?.parts.length).toBe(2);
    let failing = true;
    const t = setup(posts, {
      fail: (call) =>
        failing && call.method === 'sendMessage' && String(call.payload.text).startsWith('Part 5')
          ? { error_code: 403, description: 'Forbidden: bot is not a member of the channel chat' }
          : undefined,
    });
    await t.at('2026-12-01T05:00:00Z');
    expect(t.reports[0]).toMatch(/Could not publish <code>posts\/long\.md<\/code> to news: 403: Forbidden/);
    const row = findPublication(t.db, { postSlug: 'long', occurrence: new Date('2026-12-01T05:00:00Z').getTime(), channel: 'news' });
    expect(row?.status).toBe('failed');
    failing = false;
    await t.at('2026-12-01T05:00:30Z'); // retry not due yet
    await t.at('2026-12-01T05:01:01Z');
    const texts = t.sends().map((c) => String(c.payload.text).slice(0, 6));
    expect(texts).toEqual(['Part 0', 'Part 5', 'Part 5']); // the first part went once; the second failed once, then went
    expect(findPublication(t.db, { postSlug: 'long', occurrence: new Date('2026-12-01T05:00:00Z').getTime(), channel: 'news' })?.status).toBe('sent');
  });

  it('sends albums, single media with captions, polls, and pins', async () => {
    const t = setup(
      postsOf({
        'posts/a.png': 'png',
        'posts/b.png': 'png',
        'posts/album.md': '---\nchannel: news\npublish_at: 2026-12-01 10:00\nmedia: [a.png, b.png]\n---\nAlbum caption.\n',
        'posts/photo.md': '---\nchannel: news\npublish_at: 2026-12-01 10:00\nmedia: [a.png]\npin: true\nbuttons:\n  - text: More\n    url: https://example.org\n---\nPhoto caption.\n',
        'posts/poll.md': '---\nchannel: news\npublish_at: 2026-12-01 10:00\npoll:\n  question: Which?\n  options: [One, Two]\n---\nTell us.\n',
      }),
    );
    await t.at('2026-12-01T05:00:00Z');
    const methods = t.calls.map((c) => c.method);
    expect(methods).toEqual(['sendMediaGroup', 'sendPhoto', 'pinChatMessage', 'sendMessage', 'sendPoll']);
    const poll = t.calls.find((c) => c.method === 'sendPoll')?.payload;
    expect(poll).toMatchObject({ question: 'Which?', options: [{ text: 'One' }, { text: 'Two' }], is_anonymous: true, allows_multiple_answers: false });
  });

  it('skips the next occurrence on request', async () => {
    const t = setup(postsOf({ 'posts/friday.md': '---\nchannel: news\nschedule: "0 18 * * 5"\n---\nWeekend.\n' }));
    await t.at('2026-12-01T00:00:00Z');
    expect(t.scheduler.skipNext(postsOf({ 'posts/friday.md': '---\nchannel: news\nschedule: "0 18 * * 5"\n---\nWeekend.\n' })[0]!)?.toISOString()).toBe(
      '2026-12-04T13:00:00.000Z',
    );
    await t.at('2026-12-04T13:00:00Z');
    expect(t.sends()).toHaveLength(0);
    await t.at('2026-12-11T13:00:00Z');
    expect(t.sends()).toHaveLength(1);
  });
});
