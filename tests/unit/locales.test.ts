import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FluentBundle, FluentResource } from '@fluent/bundle';
import { describe, expect, it } from 'vitest';
import { discoverLanguages } from '../../src/content/languages.js';
import { CLIENT_COMMANDS } from '../../src/bot/commands.js';
import { PROJECT_ROOT } from '../support/bot-process.js';

function load(lang: string) {
  const resource = new FluentResource(readFileSync(join(PROJECT_ROOT, 'content', 'locales', `${lang}.ftl`), 'utf8'));
  const bundle = new FluentBundle(lang, { useIsolating: false });
  const errors = bundle.addResource(resource);
  return { resource, bundle, errors };
}

const LANGUAGES = discoverLanguages(join(PROJECT_ROOT, 'content'));
/** The emergency numbers every text may use, as content/settings.yml defines them. */
const NUMBERS = { ambulance: '103', general: '112', trust_line: '150', contact_centre: '111' };

describe('UI translations', () => {
  it('finds the shipped languages in content/locales', () => {
    expect(LANGUAGES).toEqual(['en', 'kk', 'ru']); // alphabetical without an order from settings.yml
  });

  const english = load('en');
  // Messages only: terms (-days…) are helpers used inside them.
  const ids = english.resource.body.map((m) => m.id).filter((id) => !id.startsWith('-')).sort();

  it.each(LANGUAGES)('%s.ftl parses cleanly and has exactly the message ids of en.ftl', (lang) => {
    const { resource, errors } = load(lang);
    expect(errors).toEqual([]);
    // A message Fluent cannot parse is dropped silently (as junk): every `id =` line must come back as a message.
    const source = readFileSync(join(PROJECT_ROOT, 'content', 'locales', `${lang}.ftl`), 'utf8');
    const written = [...source.matchAll(/^(-?[a-z][a-z0-9-]*) =/gm)].map((m) => m[1]!.replace(/^-/, '')).sort();
    expect(resource.body.map((m) => m.id).sort()).toEqual(written);
    expect(resource.body.map((m) => m.id).filter((id) => !id.startsWith('-')).sort()).toEqual(ids);
  });

  it.each(LANGUAGES)('%s.ftl formats every message without errors and within Telegram limits', (lang) => {
    const { bundle } = load(lang);
    const args = { ...NUMBERS, region: 'R', inbox: 'lawyers', from: 'main', to: 'lawyers', command: 'preview', force: '', query: 'q', file: 'f', slug: 's', timezone: 'Asia/Almaty', cron: '0 9 * * 1', until: 'u', post: 'p', hours: 6, attempts: 5, channel: 'news', now: 2, before: 1, section: 'S', retention: 30, what: 'x', pseudonym: 'ABCD', alias: 'Aigerim', place: 2, when: '2026-12-01 10:00', count: 2, id: 1, topic: 'T', urgent: '', opened: 'x', waited: 1, earlier: 0, status: 's', specialty: 'lawyer', active: 2, types: 't', unknown: 'u', list: 'l', name: 'n', minutes: 3, client: 'C', error: 'e', period: 'p', closed: 1, topics: 't', waitMedian: '1', waitP90: '2', waitCount: 3, respMedian: '1', respP90: '2', respCount: 3, referrals: 'r', ratings: 'r', messages: 3, rights: 'Delete messages', days: 90, max: 1000, ambulance: '103', code: 'K7Q-M4X', type: 'naloxone', on: '2026-12-02', limit: 2, places: 'almaty', remind: '2026-12-13', ask: '2026-12-16', issued: 4, redeemed: 3, percent: 75, median: 1, outcomes: 'tested 2', answers: 'ok 1', date: '15.01.2027', first: 'Alcohol', second: 'G (GHB/GBL)', text: 'Why it matters.', sources: 'TripSit; EUDA', week: '2026-11-30', firstMedian: '1 min', firstP90: '2 min', firstCount: 5, nextMedian: '1 min', nextP90: '2 min', nextCount: 5, number: 'R-7KQ4F', kind: 'bad batch', soldAs: 'x', received: '2026-12-01 10:00', photo: 'p', needed: 2, substances: 'Mephedrone', lang: 'ru', approvals: 1, room: 10, length: 100, reason: 'r', question: 'q', answer: 'a', plan: 'Flat 3', hasPlan: 'yes', buddy: 'on', team: 'on', who: 'both', alerted: 'yes', time: '10:15', link: 'https://t.me/bot?start=bd_x', bot: 'peer_help_bot', word: 'naloxone', total: 7, breakdown: '', ok: 5, soSo: 0, notOk: '<5', stars: '★★★★', title: 'Evening', confirmed: 5, cancelled: '<5', waiting: 5, times: '2027-08-30 19:00', label: 'Pharmacy', languages: 'ru, kk, en', month: '2027-08', starts: 6, consultations: '<5', codes: 'apteka-abay' };
    Object.assign(args, { by: 'Dana', note: 'n', supervisors: 'S', mark: '⏰', holder: ' · Dana', wait: 'waits 3 min', last: '2 min ago', cases: 2, extra: '', time: '14:30', min: 1 }); // shifts
    Object.assign(args, { title: 'Survey', state: 'open', responses: '<5' }); // surveys
    Object.assign(args, { substance: 'nitazene', regions: 'north', severity: 'high', need: 2, have: 1, subscribers: 3, files: 'alerts/en.md', language: 'en', approvals: 2, channels: 'news', sent: 3, failed: 0, blocked: 1, uncertain: 0, unsent: 0, queued: 0, duration: 'Time: 4 s.', seconds: 4 }); // alerts
    for (const id of ids) {
      const message = bundle.getMessage(id);
      const errors: Error[] = [];
      const text = bundle.formatPattern(message!.value!, args, errors);
      expect(errors, `${lang}:${id}`).toEqual([]);
      expect(text.trim().length, `${lang}:${id}`).toBeGreaterThan(0);
      if (id.startsWith('menu-') || id.startsWith('button-') || id === 'forget-yes' || id === 'forget-no') {
        expect(text.length, `${lang}:${id} is a button label`).toBeLessThanOrEqual(64);
      }
    }
    for (const command of CLIENT_COMMANDS) {
      const text = bundle.formatPattern(bundle.getMessage(`command-${command}`)!.value!);
      expect(text.length).toBeLessThanOrEqual(256);
      expect(text).not.toMatch(/[<>]/);
    }
  });

  // Whoever gets "I don't understand" or "we are offline" may be in danger right now.
  const offlineOrConfused = ['unknown-command', 'unsupported-message', 'free-text', 'error-generic', 'consult-off-duty', 'consult-banned', 'lockdown-client-waiting', 'intake-too-many', 'info-empty', 'services-empty', 'services-not-verified', 'emergency-fallback', 'consult-urgent', 'intake-use-buttons', 'consult-unsupported'];
  it.each(LANGUAGES)('%s: every offline or "I don\'t understand" answer carries the emergency numbers', (lang) => {
    const { bundle } = load(lang);
    for (const id of offlineOrConfused) {
      const text = bundle.formatPattern(bundle.getMessage(id)!.value!, { ...NUMBERS, when: 'Mon 10:00', region: 'R', max: 1000 });
      expect(text, `${lang}:${id}`).toContain('<b>103</b>');
      expect(text, `${lang}:${id}`).toContain('<b>112</b>');
    }
    const crisis = bundle.formatPattern(bundle.getMessage('emergency-numbers')!.value!, NUMBERS);
    expect(crisis).toContain('<b>150</b>');
    expect(crisis).toContain('<b>111</b>');
  });

  it.each(LANGUAGES)('%s: no UI text hard-codes an emergency number (they come from settings.yml)', (lang) => {
    const source = readFileSync(join(PROJECT_ROOT, 'content', 'locales', `${lang}.ftl`), 'utf8');
    const lines = source.split('\n').filter((line) => !line.startsWith('#'));
    expect(lines.filter((line) => /(^|[^\d])(103|112|111|150)([^\d]|$)/.test(line))).toEqual([]);
  });

  it('Russian UI texts keep one gender-inclusive style: neutral wording, no "(а)" forms', () => {
    const source = readFileSync(join(PROJECT_ROOT, 'content', 'locales', 'ru.ftl'), 'utf8');
    expect(source.match(/[а-яё]\((а|ась|ла|на|ен|ён)\)/gi) ?? []).toEqual([]);
  });
});
