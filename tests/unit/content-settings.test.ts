import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/content/front-matter.js';
import { loadContent } from '../../src/content/loader.js';
import { reviewContent } from '../../src/content/review.js';
import { DEFAULT_SETTINGS, loadSettings } from '../../src/content/settings.js';
import { discoverLanguages } from '../../src/content/languages.js';
import { contentFolder } from '../support/content.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const cardWith = (front: string, title = 'Card') => `---\ntitle: ${title}\nsection: S\norder: 1\n${front}---\nText.\n`;
const SOURCED = 'sources:\n  - WHO 2014\ntopic: medical\nreview:\n  clinician: { by: "A.K.", on: 2026-06-01 }\n';

describe('content/settings.yml', () => {
  it('is read with its lists and numbers', () => {
    const root = contentFolder({
      'settings.yml': 'emergency_numbers:\n  ambulance: "103"\n  general: 112\n  trust_line: "150"\nintake_topics: [legal, other]\nreferrals: [lawyer]\nspecialties: [lawyer, doctor]\nlanguages: [kk, ru]\n',
    });
    const { settings, problems } = loadSettings(root);
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      emergency_numbers: { ambulance: '103', general: '112', trust_line: '150' },
      intake_topics: ['legal', 'other'],
      referrals: ['lawyer'],
      specialties: ['lawyer', 'doctor'],
      languages: ['kk', 'ru'],
      regions: [], // none listed: the intake does not ask
    });
  });

  it('reads regions, and names a bad one', () => {
    const base = 'emergency_numbers:\n  ambulance: "103"\n  general: "112"\nintake_topics: [legal]\nreferrals: [lawyer]\nspecialties: [lawyer]\n';
    expect(loadSettings(contentFolder({ 'settings.yml': `${base}regions: [almaty, south]\n` })).settings.regions).toEqual(['almaty', 'south']);
    const bad = loadSettings(contentFolder({ 'settings.yml': `${base}regions: [almaty, South Region]\n` }));
    expect(bad.settings.regions).toEqual([]);
    expect(bad.problems.map((p) => p.message).join('\n')).toMatch(/each regions entry must be lowercase latin letters/);
  });

  it('names the file, line and field of each mistake, and keeps the numbers working with the defaults', () => {
    const root = contentFolder({
      'settings.yml': 'emergency_numbers:\n  ambulance: call us\n  general: "112"\nintake_topics: [Legal Help]\nreferrals: [lawyer]\nspecialties: []\ncolour: red\n',
    });
    const { settings, problems } = loadSettings(root);
    const lines = problems.map(formatProblem);
    expect(lines).toContain('settings.yml:2: emergency_numbers.ambulance: must be a phone number of digits (spaces, dashes, brackets and a leading + allowed), e.g. "103" (the built-in default is used)');
    expect(lines.find((l) => l.startsWith('settings.yml:4: intake_topics.0:'))).toMatch(/lowercase latin letters/);
    expect(lines).toContain('settings.yml:6: specialties: specialties needs at least one entry (the built-in default is used)');
    expect(lines.find((l) => l.startsWith('settings.yml:7: colour:'))).toBeDefined();
    // A broken field falls back on its own; the valid ones still apply.
    expect(settings.emergency_numbers).toEqual(DEFAULT_SETTINGS.emergency_numbers);
    expect(settings.intake_topics).toEqual(DEFAULT_SETTINGS.intake_topics);
    expect(settings.referrals).toEqual(['lawyer']);
  });

  it('refuses YAML that is not plain data', () => {
    const { problems } = loadSettings(contentFolder({ 'settings.yml': 'emergency_numbers: !!js/function "x"\n' }));
    expect(problems.map(formatProblem)[0]).toMatch(/^settings\.yml:1: the YAML tag "tag:yaml.org,2002:js\/function" is not allowed/);
  });

  it('puts the numbers into content texts as {{name}}', () => {
    const root = contentFolder({
      'settings.yml': 'emergency_numbers:\n  ambulance: "103"\n  general: "112"\n  trust_line: "150"\nintake_topics: [other]\nreferrals: [lawyer]\nspecialties: [peer]\n',
      'emergency/en.md': '---\ntitle: Emergency\n---\nCall **{{ambulance}}** or {{general}}; to talk: {{trust_line}}. {{unknown}} stays.\n',
    });
    const content = loadContent(root);
    expect(content.languages.en!.emergency?.ambulance).toBe('103');
    expect(content.languages.en!.emergency?.blocks).toEqual(['Call <b>103</b> or 112; to talk: 150. {{unknown}} stays.']);
  });
});

describe('languages', () => {
  it('are the locales/*.ftl files, in the order settings.yml gives, others after', () => {
    const root = contentFolder({ 'locales/en.ftl': 'a = b\n', 'locales/ru.ftl': 'a = b\n', 'locales/uz.ftl': 'a = b\n', 'locales/README.ftl': '' });
    expect(discoverLanguages(root)).toEqual(['en', 'ru', 'uz']);
    expect(discoverLanguages(root, ['uz', 'kk', 'ru'])).toEqual(['uz', 'ru', 'en']);
  });
});

describe('content review (content:check warnings)', () => {
  const review = (files: Record<string, string>, defaultLanguage = 'en') => {
    const root = contentFolder(files);
    return reviewContent(root, loadContent(root), defaultLanguage, NOW).map(formatProblem);
  };

  it('warns about cards without sources, and per language about texts without the current sign-off they need', () => {
    const warnings = review({
      'locales/en.ftl': 'a = b\n',
      'settings.yml': 'emergency_numbers: { ambulance: "103", general: "112" }\nintake_topics: [other]\nreferrals: [lawyer]\nspecialties: [peer]\n',
      'info/en/fine.md': cardWith(SOURCED),
      'info/en/unsourced.md': cardWith('topic: digital\n'),
      'info/en/unsigned.md': cardWith('sources: [EUDA 2023]\ntopic: medical\n'),
      'info/en/stale.md': cardWith('sources: [UNODC]\ntopic: legal\nreview: { lawyer: { by: "B.S.", on: 2025-11-30 } }\n'),
      'info/en/old-date.md': cardWith('sources: [UNODC]\ntopic: medical\nreviewed: 2026-11-01\n'),
    });
    expect(warnings).toEqual([
      'info/en/unsourced.md: sources: names no sources: add a list of the guidance this card follows',
      'info/en: 3 of 5 text(s) (cards, emergency screen) lack the current sign-off their topic needs: clients are not told they were checked; npm run content:check lists them',
      'locales/en.ftl: has no text topic-other for the intake topic "other" of settings.yml (the id is shown instead)',
      'locales/en.ftl: has no text staff-topic-other for the intake topic "other" of settings.yml (the id is shown instead)',
    ]);
  });

  it('warns when the emergency numbers text uses a number settings.yml does not define', () => {
    const warnings = review({
      'locales/en.ftl': 'topic-other = Other\nstaff-topic-other = Other\nemergency-numbers =\n    Call { $ambulance } or { $general }; to talk: { $trust_line }.\nnext = x { $other }\n',
      'settings.yml': 'emergency_numbers: { ambulance: "103", general: "112" }\nintake_topics: [other]\nreferrals: [lawyer]\nspecialties: [peer]\n',
    });
    expect(warnings).toEqual(['locales/en.ftl: emergency-numbers: uses $trust_line, which emergency_numbers in settings.yml does not define']);
  });

  it('warns when an emergency screen names another ambulance number than settings.yml', () => {
    const warnings = review({
      'locales/en.ftl': 'topic-other = Other\nstaff-topic-other = Other\n',
      'settings.yml': 'emergency_numbers: { ambulance: "103", general: "112" }\nintake_topics: [other]\nreferrals: [lawyer]\nspecialties: [peer]\n',
      'emergency/en.md': '---\ntitle: Emergency\nambulance: "03"\n---\nCall {{ambulance}}.\n',
    });
    expect(warnings).toEqual([
      'info/en: 1 of 1 text(s) (cards, emergency screen) lack the current sign-off their topic needs: clients are not told they were checked; npm run content:check lists them',
      'emergency/en.md: ambulance: is "03", but settings.yml says "103": remove the field to use settings.yml',
    ]);
  });

  it('still shows a card that lacks its sources: warnings never skip anything', () => {
    const root = contentFolder({ 'info/en/unsourced.md': cardWith('') });
    expect(loadContent(root).languages.en!.cards.has('unsourced')).toBe(true);
    expect(loadContent(root).problems).toEqual([]);
  });

  it('lists what a language lacks: cards, snippets, the emergency screen, UI texts, and content without a locales file', () => {
    const warnings = review(
      {
        'locales/ru.ftl': 'welcome = Привет\nmenu-title = Что нужно?\ntopic-other = Другое\nstaff-topic-other = Другое\n',
        'locales/kk.ftl': 'welcome = Сәлем\n',
        'settings.yml': 'emergency_numbers: { ambulance: "103", general: "112" }\nintake_topics: [other]\nreferrals: [lawyer]\nspecialties: [peer]\n',
        'info/ru/naloxone.md': cardWith(SOURCED),
        'info/ru/ghb.md': cardWith(SOURCED),
        'info/kk/naloxone.md': cardWith(SOURCED),
        'snippets/kk/lawyer.md': '---\ntitle: Заңгер\n---\nМәтін.\n',
        'emergency/ru.md': '---\ntitle: Помощь\nreview: { clinician: { by: "A.K.", on: 2026-06-01 } }\n---\nЗвони {{ambulance}}.\n',
        'info/de/naloxone.md': cardWith(SOURCED),
      },
      'ru',
    );
    expect(warnings).toEqual([
      'locales/de.ftl: is missing: the content for "de" is not offered until this file with the UI texts exists',
      'info/kk/ghb.md: is missing: kk lacks this card that other languages have',
      'snippets/ru/lawyer.md: is missing: ru lacks this snippet that other languages have',
      'emergency/kk.md: is missing: kk lacks this emergency screen that other languages have',
      'locales/kk.ftl: lacks 3 text(s) of ru.ftl (shown in ru meanwhile): menu-title, topic-other, staff-topic-other',
    ]);
  });
});
