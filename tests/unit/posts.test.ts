import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/content/front-matter.js';
import { loadPosts } from '../../src/publishing/posts.js';
import { contentFolder } from '../support/content.js';

const options = { timezone: 'Asia/Almaty', channels: ['news', 'news_en'] };

function post(frontMatter: string, body = 'Hello, **world**.'): string {
  return `---\n${frontMatter.trim()}\n---\n${body}\n`;
}

function problemsFor(files: Record<string, string>): string[] {
  const root = contentFolder(files);
  return loadPosts(root, options).problems.map(formatProblem);
}

describe('post files', () => {
  it('puts the emergency numbers of settings.yml into a post, and names an unknown one', () => {
    const root = contentFolder({
      'settings.yml': 'emergency_numbers:\n  ambulance: "103"\n  general: "112"\n  trust_line: "150"\n',
      'posts/2026-12/tip.md': post('channel: news\npublish_at: 2026-12-07 12:00\nsources: ["ERC 2021"]', 'Call **{{ambulance}}** or {{general}}; to talk: {{trust_line}}.'),
      'posts/2026-12/bad.md': post('channel: news\npublish_at: 2026-12-07 12:00', 'Call {{ambulence}} now.'),
    });
    const { posts, problems } = loadPosts(root, options);
    expect(posts.map((p) => p.slug)).toEqual(['2026-12/tip']);
    expect(posts[0]!.parts.join('')).toBe('Call <b>103</b> or 112; to talk: 150.');
    expect(problems.map(formatProblem)).toEqual([expect.stringMatching(/posts\/2026-12\/bad\.md.*\{\{ambulence\}\} is not a number in settings\.yml emergency_numbers \(known: ambulance, general, trust_line\)/)]);
  });

  it('loads a valid one-time post with buttons', () => {
    const root = contentFolder({
      'posts/2026-12/tip.md': post(`
channel: news
publish_at: 2026-12-07 12:00
buttons:
  - text: Talk to a consultant
    consult: true
  - text: WHO
    url: https://www.who.int
silent: true`),
    });
    const { posts, problems } = loadPosts(root, options);
    expect(problems).toEqual([]);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({
      slug: '2026-12/tip',
      file: 'posts/2026-12/tip.md',
      channels: ['news'],
      timing: { kind: 'once', at: new Date('2026-12-07T07:00:00Z') },
      silent: true,
      pin: false,
      linkPreview: false,
      parts: ['Hello, <b>world</b>.'],
    });
    expect(posts[0]?.buttons).toHaveLength(2);
  });

  it('loads a recurring post with an end date, an album and a poll', () => {
    const root = contentFolder({
      'posts/weekly.md': post('channel: [news, news_en]\nschedule: "0 18 * * 5"\nuntil: 2027-02-28'),
      'posts/album/a.png': 'png',
      'posts/album/b.jpg': 'jpg',
      'posts/album/album.md': post('channel: news\npublish_at: 2026-12-01 10:00\nmedia: [a.png, b.jpg]'),
      'posts/poll.md': post('channel: news\npublish_at: 2026-12-17 15:00\npoll:\n  question: What next?\n  options: [A, B]\n  multiple: true'),
    });
    const { posts, problems } = loadPosts(root, options);
    expect(problems).toEqual([]);
    const bySlug = Object.fromEntries(posts.map((p) => [p.slug, p]));
    expect(bySlug.weekly?.timing).toEqual({ kind: 'recurring', cron: '0 18 * * 5', until: new Date('2027-02-28T18:59:59Z') });
    expect(bySlug['album/album']?.media.map((m) => m.type)).toEqual(['photo', 'photo']);
    expect(bySlug.poll?.poll).toEqual({ question: 'What next?', options: ['A', 'B'], multiple: true });
  });

  it('names the file, line and field of each mistake', () => {
    const problems = problemsFor({
      'posts/no-channel.md': post('publish_at: 2026-12-01 10:00'),
      'posts/unknown-channel.md': post('channel: radio\npublish_at: 2026-12-01 10:00'),
      'posts/bad-date.md': post('channel: news\npublish_at: 1 December'),
      'posts/bad-cron.md': post('channel: news\nschedule: "0 25 * * 1"'),
      'posts/both.md': post('channel: news\npublish_at: 2026-12-01 10:00\nschedule: "0 12 * * 1"'),
      'posts/neither.md': post('channel: news'),
      'posts/typo.md': post('channel: news\npublsh_at: 2026-12-01 10:00'),
      'posts/missing-media.md': post('channel: news\npublish_at: 2026-12-01 10:00\nmedia: [nope.jpg]'),
      'posts/bad-button.md': post('channel: news\npublish_at: 2026-12-01 10:00\nbuttons:\n  - text: Go\n    url: ftp://x'),
      'posts/poll-one-option.md': post('channel: news\npublish_at: 2026-12-01 10:00\npoll:\n  question: Q?\n  options: [only]'),
    });
    expect(problems).toContain('posts/no-channel.md: channel: channel is required: an alias from CHANNELS (or a list of them)');
    expect(problems).toContain('posts/unknown-channel.md:2: channel: "radio" is not a channel alias in CHANNELS (known: news, news_en)');
    expect(problems.find((p) => p.startsWith('posts/bad-date.md:3: publish_at:'))).toMatch(/not a date and time like 2026-12-01 10:00/);
    expect(problems.find((p) => p.startsWith('posts/bad-cron.md:3: schedule:'))).toMatch(/not a valid cron expression/);
    expect(problems).toContain('posts/both.md:4: schedule: use either publish_at (one time) or schedule (recurring), not both');
    expect(problems).toContain('posts/neither.md: needs publish_at (a date and time) or schedule (a cron expression)');
    expect(problems.find((p) => p.startsWith('posts/typo.md'))).toMatch(/publsh_at/);
    expect(problems).toContain('posts/missing-media.md:4: media: file "nope.jpg" not found next to the post (posts/nope.jpg)');
    expect(problems.find((p) => p.startsWith('posts/bad-button.md'))).toMatch(/button/);
    expect(problems.find((p) => p.startsWith('posts/poll-one-option.md'))).toMatch(/at least 2 options/);
  });

  it('refuses what Telegram would refuse: long captions, buttons on albums, media with polls', () => {
    const root = contentFolder({
      'posts/a.png': 'png',
      'posts/b.png': 'png',
      'posts/long-caption.md': post('channel: news\npublish_at: 2026-12-01 10:00\nmedia: [a.png]', 'x '.repeat(600)),
      'posts/album-buttons.md': post('channel: news\npublish_at: 2026-12-01 10:00\nmedia: [a.png, b.png]\nbuttons:\n  - text: Go\n    url: https://example.org'),
      'posts/poll-media.md': post('channel: news\npublish_at: 2026-12-01 10:00\nmedia: [a.png]\npoll:\n  question: Q?\n  options: [a, b]'),
    });
    const problems = loadPosts(root, options).problems.map(formatProblem);
    expect(problems.find((p) => p.startsWith('posts/long-caption.md'))).toMatch(/caption .* at most 1024/);
    expect(problems.find((p) => p.startsWith('posts/album-buttons.md'))).toMatch(/cannot attach buttons to an album/);
    expect(problems.find((p) => p.startsWith('posts/poll-media.md'))).toMatch(/a poll or media, not both/);
  });

  it('splits a long text post into several messages at paragraph boundaries', () => {
    const paragraphs = Array.from({ length: 10 }, (_, i) => `Paragraph ${i}: ${'слово '.repeat(100)}`).join('\n\n');
    const root = contentFolder({ 'posts/long.md': post('channel: news\npublish_at: 2026-12-01 10:00', paragraphs) });
    const { posts } = loadPosts(root, options);
    expect(posts[0]?.parts.length).toBe(2);
    expect(posts[0]?.parts[1]).toMatch(/^Paragraph \d+:/);
  });

  it('lets a draft name channels that are not configured yet', () => {
    expect(problemsFor({ 'posts/draft.md': post('draft: true\nchannel: radio\npublish_at: 2026-12-01 10:00') })).toEqual([]);
  });

  it('keeps loading the others when one file is broken', () => {
    const root = contentFolder({ 'posts/good.md': post('channel: news\npublish_at: 2026-12-01 10:00') });
    writeFileSync(join(root, 'posts', 'broken.md'), '---\nchannel: [news\n---\ntext');
    const { posts, problems } = loadPosts(root, options);
    expect(posts.map((p) => p.slug)).toEqual(['good']);
    expect(problems.map(formatProblem)[0]).toMatch(/^posts\/broken\.md(:\d+)?: front matter is not valid YAML/);
  });
});
