import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { card, contentFolder } from '../support/content.js';

const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

function run(script: string, env: Record<string, string>, args: string[] = []) {
  const result = spawnSync(TSX, [join(PROJECT_ROOT, 'src', 'cli', script), ...args], {
    cwd: contentFolder({}), // no .env here
    env: { PATH: process.env.PATH ?? '', TIMEZONE: 'Asia/Almaty', ...env },
    encoding: 'utf8',
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

const valid = '---\nchannel: news\npublish_at: 2030-01-06 12:00\n---\nA tip.\n';

describe('npm run content:check', () => {
  it('passes on the shipped content folder', () => {
    const { code, out } = run('content-check.ts', {
      CONTENT_DIR: join(PROJECT_ROOT, 'content'),
      CHANNELS: 'news=@news_ru,news_kk=@news_kk,news_en=@news_en',
    });
    expect(out).toMatch(/^OK: \d+ info card\(s\), \d+ valid post\(s\)/m);
    expect(code).toBe(0);
  });

  it('fails on each kind of bad file with file:line: message', () => {
    const root = contentFolder({
      'info/en/good.md': card('Good', 'Section', 1),
      'info/en/no-title.md': '---\nsection: S\norder: 2\n---\nText\n',
      'posts/ok.md': valid,
      'posts/bad-channel.md': valid.replace('channel: news', 'channel: radio'),
      'posts/bad-date.md': valid.replace('2030-01-06 12:00', '2030-13-06 12:00'),
      'posts/bad-cron.md': '---\nchannel: news\nschedule: "every monday"\n---\nText\n',
      'posts/no-media.md': '---\nchannel: news\npublish_at: 2030-01-06 12:00\nmedia: [missing.jpg]\n---\nText\n',
      'posts/long-caption.md': `---\nchannel: news\npublish_at: 2030-01-06 12:00\nmedia: [../info/en/good.md]\n---\n${'word '.repeat(300)}\n`,
      'posts/broken-yaml.md': '---\nchannel: news\npublish_at: [2030\n---\nText\n',
    });
    const { code, out } = run('content-check.ts', { CONTENT_DIR: root, CHANNELS: 'news=@news_ru' });
    expect(code).toBe(1);
    const lines = out.trim().split('\n');
    expect(lines).toContain(`${root}/info/en/no-title.md: title: title is required (a short text)`);
    expect(lines).toContain(`${root}/posts/bad-channel.md:2: channel: "radio" is not a channel alias in CHANNELS (known: news)`);
    expect(lines.find((l) => l.startsWith(`${root}/posts/bad-date.md:3: publish_at:`))).toBeDefined();
    expect(lines.find((l) => l.startsWith(`${root}/posts/bad-cron.md:3: schedule:`))).toMatch(/5 fields/);
    expect(lines).toContain(`${root}/posts/no-media.md:4: media: file "missing.jpg" not found next to the post (posts/missing.jpg)`);
    expect(lines.find((l) => l.startsWith(`${root}/posts/long-caption.md:`))).toMatch(/at most 1024/);
    expect(lines.find((l) => l.startsWith(`${root}/posts/broken-yaml.md`))).toMatch(/not valid YAML/);
    expect(lines.at(-1)).toMatch(/^7 problem\(s\): 1 info card\(s\), 1 valid post\(s\)/);
  }, 30_000);

  it('warns, without failing, about cards without sources or a recent review and about what a language lacks', () => {
    const front = (extra: string) => `---\ntitle: Naloxone\nsection: Overdose\norder: 1\n${extra}---\nText.\n`;
    const root = contentFolder({
      'locales/ru.ftl': 'welcome = Привет\nmenu-title = Что нужно?\n',
      'locales/kk.ftl': 'welcome = Сәлем\n',
      'info/ru/naloxone.md': front('sources: [WHO 2014, ERC 2021]\nreviewed: 2020-01-15\n'),
      'info/ru/ghb.md': front(''),
      'info/kk/naloxone.md': front('sources: [WHO 2014]\nreviewed: 2099-01-01\n'),
    });
    const { code, out } = run('content-check.ts', { CONTENT_DIR: root, DEFAULT_LANGUAGE: 'ru' });
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toContain(`warning: ${root}/info/ru/naloxone.md: reviewed: is older than a year (2020-01-15): the card needs a new review`);
    expect(lines).toContain(`warning: ${root}/info/ru/ghb.md: sources: names no sources: add a list of the guidance this card follows`);
    expect(lines).toContain(`warning: ${root}/info/ru/ghb.md: reviewed: has no review date: add reviewed: YYYY-MM-DD after an expert review`);
    expect(lines).toContain(`warning: ${root}/info/kk/ghb.md: is missing: kk lacks this card that other languages have`);
    expect(lines).toContain(`warning: ${root}/locales/kk.ftl: lacks 1 text(s) of ru.ftl (shown in ru meanwhile): menu-title`);
    expect(lines).toContain(`warning: ${root}/settings.yml: is missing: the built-in emergency numbers (103, 112), topics, referrals and specialties are used`);
    expect(lines.at(-1)).toMatch(/^OK: 3 info card\(s\), 0 valid post\(s\) \(0 draft\(s\)\) in .*; languages: kk, ru; \d+ warning\(s\)$/);
  }, 30_000);

  it('names a bad TIMEZONE instead of guessing', () => {
    const { code, out } = run('content-check.ts', { CONTENT_DIR: contentFolder({}), TIMEZONE: 'Mars/Olympus' });
    expect(code).toBe(1);
    expect(out).toContain('TIMEZONE must be an IANA time zone name, like Asia/Almaty');
  });
});

describe('npm run content:upcoming', () => {
  it('lists the next publications with local times', () => {
    const root = contentFolder({
      'posts/later.md': valid.replace('2030-01-06 12:00', '2030-02-01 09:30'),
      'posts/sooner.md': valid,
      'posts/yearly.md': '---\nchannel: news\nschedule: "0 18 5 1 *"\nuntil: 2030-01-12\n---\nNew year\n',
      'posts/draft.md': `${valid.replace('---\n', '---\ndraft: true\n')}`,
    });
    const { code, out } = run('content-upcoming.ts', { CONTENT_DIR: root });
    expect(code).toBe(0);
    const lines = out.split('\n').filter((l) => /^\s+\d{4}-/.test(l)).map((l) => l.trim().replace(/\s+/g, ' '));
    expect(lines.slice(-3)).toEqual(['2030-01-05 18:00 news yearly', '2030-01-06 12:00 news sooner', '2030-02-01 09:30 news later']);
    expect(lines.every((l) => / (yearly|sooner|later)$/.test(l))).toBe(true);
    expect(out).toContain('1 draft(s) not scheduled');
  });
});
