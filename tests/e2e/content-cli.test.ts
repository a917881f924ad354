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

  it('fails on a bad risk word list naming the file, the field and what was expected; warns that a list is not signed off', () => {
    const root = contentFolder({
      'locales/en.ftl': 'welcome = Hi\n',
      'info/en/good.md': card('Good', 'Section', 1),
      'risk/en.yml': 'topic: medical\ncategories:\n  overdose: ["overdose", "od*"]\n  weather: ["rain"]\n',
    });
    const { code, out } = run('content-check.ts', { CONTENT_DIR: root });
    expect(code).toBe(1);
    const lines = out.trim().split('\n');
    expect(lines).toContain(`${root}/risk/en.yml: categories.overdose.1: "od*": a word ending in * needs at least 4 letters before it, or it matches ordinary words`);
    expect(lines.find((l) => l.startsWith(`${root}/risk/en.yml: categories.weather:`))).toMatch(/not a risk category; expected one of overdose, not-breathing, suicide/);
    expect(lines.find((l) => l.startsWith(`${root}/risk/en.yml: categories:`))).toMatch(/lacks phrases for not-breathing/);
    expect(lines).toContain(`warning: ${root}/risk/en.yml: review: lacks a current clinician's sign-off (unsigned): a clinician or crisis-line supervisor should review the phrases before the team relies on them`);
  }, 30_000);

  it('fails on a bad duty roster naming the file and the field; names the inboxes it may use', () => {
    const root = contentFolder({
      'locales/en.ftl': 'welcome = Hi\n',
      'info/en/good.md': card('Good', 'Section', 1),
      'roster.yml': 'shifts:\n  - alias: Aigerim\n    when: Mon-Fri 9-15\n  - alias: Dmitry\n    when: Sat 10:00-14:00\n    inbox: night\n  - alias: Sam\n    when: Sun 10:00-14:00\n',
    });
    const { code, out } = run('content-check.ts', { CONTENT_DIR: root, INBOXES: 'main=-1001,lawyers=-1002' });
    expect(code).toBe(1);
    const lines = out.trim().split('\n');
    expect(lines).toContain(`${root}/roster.yml: shifts.0.when: part "Mon-Fri 9-15" must look like "Mon-Fri 10:00-20:00"`);
    expect(lines).toContain(`${root}/roster.yml: shifts.1.inbox: "night" is not an inbox; expected one of main, lawyers`);
    expect(lines).toContain('note: roster.yml: 2 shift(s) of 2 consultant(s); aliases are matched to /alias names when the bot runs');
  }, 30_000);

  it('warns, without failing, about cards without sources or a sign-off and about what a language lacks', () => {
    const front = (extra: string) => `---\ntitle: Naloxone\nsection: Overdose\norder: 1\n${extra}---\nText.\n`;
    const root = contentFolder({
      'locales/ru.ftl': 'welcome = Привет\nmenu-title = Что нужно?\n',
      'locales/kk.ftl': 'welcome = Сәлем\n',
      'info/ru/naloxone.md': front('sources: [WHO 2014, ERC 2021]\nreviewed: 2020-01-15\n'),
      'info/ru/ghb.md': front(''),
      'info/kk/naloxone.md': front('sources: [WHO 2014]\ntopic: medical\nreview: { clinician: { by: "A.K.", on: 2020-01-01 } }\n'),
    });
    const { code, out } = run('content-check.ts', { CONTENT_DIR: root, DEFAULT_LANGUAGE: 'ru' });
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toContain(`warning: ${root}/info/ru/naloxone.md: reviewed: "2020-01-15" is not a sign-off: use review: { clinician: { by: "initials", on: YYYY-MM-DD } } (or lawyer, peer) once someone has actually signed`);
    expect(lines).toContain(`warning: ${root}/info/ru/ghb.md: topic: has no topic, so nobody knows who must sign: add topic: medical, mental, legal, social or digital (or needs: [...])`);
    expect(lines).toContain(`warning: ${root}/info/kk/naloxone.md: review: sign-off older than a year (clinician 2020-01-01): needs a new one`);
    expect(lines).toContain(`warning: ${root}/info/ru/ghb.md: sources: names no sources: add a list of the guidance this card follows`);
    expect(lines).toContain(`warning: ${root}/info/kk/ghb.md: is missing: kk lacks this card that other languages have`);
    expect(lines).toContain(`warning: ${root}/locales/kk.ftl: lacks 1 text(s) of ru.ftl (shown in ru meanwhile): menu-title`);
    expect(lines).toContain(`warning: ${root}/settings.yml: is missing: the built-in emergency numbers (103, 112), topics, referrals and specialties are used`);
    expect(lines).toContain('   ru: 0 of 2 text(s) have the sign-off they need, 2 unsigned, 0 expired');
    expect(lines).toContain('   kk: 0 of 1 text(s) have the sign-off they need, 0 unsigned, 1 expired');
    expect(lines.at(-2)).toBe('go-live: --strict would fail: 3 text(s) without a current sign-off, 0 placeholder(s), 0 emergency number(s) written out');
    expect(lines.at(-1)).toMatch(/^OK: 3 info card\(s\), 0 valid post\(s\) \(0 draft\(s\)\) in .*; languages: kk, ru; \d+ warning\(s\)$/);
  }, 30_000);

  describe('--strict, the go-live gate', () => {
    const today = new Date().toISOString().slice(0, 10);
    const lastWeek = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const signed = (role: string) => `review:\n  ${role}: { by: "A.K.", on: ${lastWeek} }\n`;
    const folder = (overrides: Record<string, string> = {}) =>
      contentFolder({
        'settings.yml': 'emergency_numbers: { ambulance: "103", general: "112" }\nintake_topics: [other]\nreferrals: [lawyer]\nspecialties: [peer]\n',
        'locales/en.ftl': 'topic-other = Other\nstaff-topic-other = Other\nreview-org-pending = Ask a consultant about this.\n',
        'emergency/en.md': `---\ntitle: Emergency\n${signed('clinician')}---\nCall {{ambulance}} now, or {{general}} from any phone.\n`,
        'info/en/naloxone.md': `---\ntitle: Naloxone\nsection: Overdose\norder: 1\nsources: [WHO 2014]\ntopic: medical\n${signed('clinician')}---\nGive 0.4 mg. Call {{ambulance}}.\n`,
        'info/en/police.md': `---\ntitle: Police\nsection: Rights\norder: 2\nsources: [CPC]\ntopic: legal\n${signed('lawyer')}verify:\n  - "Check the 3-hour protocol rule"\n---\nStay calm.\n`,
        ...overrides,
      });

    it('passes on a folder where every text has the sign-off its topic needs', () => {
      const root = folder();
      const { code, out } = run('content-check.ts', { CONTENT_DIR: root }, ['--strict']);
      expect(out).toContain('   en: 3 of 3 text(s) have the sign-off they need, 0 unsigned, 0 expired');
      expect(out).toContain(`note: ${root}/info/en/police.md: verify: Check the 3-hour protocol rule`);
      expect(out).toContain('go-live: ready (nothing --strict fails on)');
      expect(code).toBe(0);
    }, 30_000);

    it('fails on an unsigned medical card, naming the card and who must sign', () => {
      const root = folder({ 'info/en/ghb.md': '---\ntitle: G\nsection: Overdose\norder: 3\nsources: [EUDA]\ntopic: medical\nreview: { lawyer: { by: "B.S.", on: 2026-01-05 } }\n---\nText.\n' });
      const { code, out } = run('content-check.ts', { CONTENT_DIR: root }, ['--strict']);
      expect(out).toContain(`error: ${root}/info/en/ghb.md: review: not signed: needs clinician (topic medical)`);
      expect(out).toContain('go-live: NOT READY: 1 text(s) without a current sign-off, 0 placeholder(s), 0 emergency number(s) written out');
      expect(code).toBe(1);
      // The same folder without --strict: a warning, and the check passes as before.
      expect(run('content-check.ts', { CONTENT_DIR: root }).code).toBe(0);
    }, 30_000);

    it('fails on an organisation placeholder and on an emergency number written out, with file and line', () => {
      const root = folder({
        'info/en/pep.md': `---\ntitle: PEP\nsection: Health\norder: 4\nsources: [WHO]\ntopic: medical\n${signed('clinician')}---\nStart within 72 hours.\nAt night: [[ORG: the 24/7 PEP place in Almaty]].\nOr call 103.\n`,
        'locales/en.ftl': 'topic-other = Other\nstaff-topic-other = Other\nreview-org-pending = Ask a consultant about this.\nhelp = Call 112 from any phone.\n',
      });
      const { code, out } = run('content-check.ts', { CONTENT_DIR: root }, ['--strict']);
      expect(out).toContain(`error: ${root}/info/en/pep.md:11: the 24/7 PEP place in Almaty`);
      expect(out).toContain(`error: ${root}/info/en/pep.md:12: "103" written out: use {{ambulance}} (emergency_numbers of settings.yml)`);
      expect(out).toContain(`error: ${root}/locales/en.ftl:4: "112" written out: use { $general } (emergency_numbers of settings.yml)`);
      expect(out).toContain('go-live: NOT READY: 0 text(s) without a current sign-off, 1 placeholder(s), 2 emergency number(s) written out');
      expect(code).toBe(1);
    }, 30_000);

    it('always fails on a malformed sign-off and on a Fluent line that would be dropped', () => {
      const root = folder({
        'info/en/bad.md': `---\ntitle: Bad\nsection: S\norder: 5\nsources: [X]\ntopic: medical\nreview:\n  doctor: { by: "A.K.", on: ${today} }\n---\nText.\n`,
        'locales/en.ftl': 'topic-other = Other\nstaff-topic-other = Other\nreview-org-pending = Ask.\nforget = { $n ->\n   *[other] all\n}\n} (stray)\n',
      });
      const { code, out } = run('content-check.ts', { CONTENT_DIR: root });
      expect(out).toContain(`${root}/info/en/bad.md:8: review.doctor: "doctor" is not a role: use clinician, lawyer, peer`);
      expect(out).toContain(`${root}/locales/en.ftl:7: Fluent drops this line (after forget), so no client ever sees it: "} (stray)"`);
      expect(code).toBe(1);
    }, 30_000);
  });

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
