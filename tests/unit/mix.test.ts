import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/content/front-matter.js';
import { loadMixTable, lookupMix, mixText, pairKey } from '../../src/content/mix.js';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { contentFolder } from '../support/content.js';

const ROOT = join(PROJECT_ROOT, 'content');
const LANGUAGES = ['ru', 'kk', 'en'];
const NOW = new Date('2027-02-01T00:00:00Z');

describe('the shipped mixing table (content/mix)', () => {
  const { table, problems, signOffProblems } = loadMixTable(ROOT, LANGUAGES, NOW);

  it('loads without problems: every pair once, known risks, every reason and name in every language', () => {
    expect(problems.map(formatProblem)).toEqual([]);
    expect(signOffProblems).toEqual([]);
    expect(table!.substances).toHaveLength(16);
    expect(table!.pairs.size).toBe((16 * 15) / 2);
  });

  const risk = (a: string, b: string) => lookupMix(table!, a, b, NOW).risk;
  const DEPRESSANTS = ['tramadol', 'methadone', 'opioids', 'pregabalin', 'benzos', 'ghb', 'alcohol'];
  const STIMULANTS = ['cathinones', 'alpha-pvp', 'amphetamine', 'mdma', 'cocaine'];

  it('is conservative: two depressants (ketamine with any) are dangerous, tramadol with a stimulant too, two stimulants high risk', () => {
    for (const a of [...DEPRESSANTS, 'ketamine']) for (const b of [...DEPRESSANTS, 'ketamine']) if (a !== b) expect(risk(a, b), `${a} + ${b}`).toBe('dangerous');
    for (const s of STIMULANTS) expect(risk('tramadol', s), `tramadol + ${s}`).toBe('dangerous');
    for (const a of STIMULANTS) for (const b of STIMULANTS) if (a !== b) expect(risk(a, b), `${a} + ${b}`).toBe('high');
    for (const other of table!.substances.filter((s) => s !== 'unknown')) expect(risk('unknown', other)).toBe('unknown');
  });

  it('answers the same whichever substance comes first, and a pair it lacks as unknown (never a guess)', () => {
    const { a: _a, b: _b, ...forward } = lookupMix(table!, 'alcohol', 'ghb', NOW);
    const { a: _c, b: _d, ...backward } = lookupMix(table!, 'ghb', 'alcohol', NOW);
    expect(forward).toEqual(backward);
    expect(lookupMix(table!, 'alcohol', 'ghb', NOW)).toMatchObject({ risk: 'dangerous', reason: 'ghb-depressants', missing: false, signed: undefined });
    expect(lookupMix(table!, 'alcohol', 'nutmeg', NOW)).toEqual({ a: 'alcohol', b: 'nutmeg', risk: 'unknown', missing: true, sources: [], signed: undefined });
  });

  it('names its sources for every pair, and never calls a mix safe', () => {
    for (const pair of table!.pairs.values()) expect(pair.sources.length).toBeGreaterThan(0);
    for (const lang of LANGUAGES) {
      const texts = mixText(table!, lang, 'ru');
      for (const pair of table!.pairs.values()) {
        const reason = texts.reason(pair.reason)!;
        expect(`${reason.why} ${reason.do}`).not.toMatch(/\bsafe\b|безопасн|қауіпсіз/i);
      }
      const source = readFileSync(join(ROOT, 'mix', `${lang}.yml`), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');
      expect(source).not.toMatch(/\bsafe\b|безопасн|қауіпсіз/i);
    }
  });
});

describe('mixing table validation', () => {
  const pairs = (entries: string, top = '') =>
    `substances: [alcohol, benzos, unknown]\nsources: { tripsit: "TripSit chart" }\n${top}pairs:\n${entries}`;
  const texts = 'substances: { alcohol: Alcohol, benzos: Benzos, unknown: Unknown }\nreasons:\n  depressants: { why: "Breathing slows.", do: "Not together." }\n  unknown: { why: "Nobody knows.", do: "Ask." }\n';

  it('names the file and field of a missing pair, a bad risk, an unknown reason, source or substance', () => {
    const root = contentFolder({
      'mix/pairs.yml': pairs(
        '  alcohol + benzos: { risk: deadly, reason: depressants, sources: [tripsit] }\n  benzos + unknown: { risk: unknown, reason: mystery, sources: [nhs] }\n  alcohol + ghb: { risk: dangerous, reason: depressants, sources: [tripsit] }\n',
      ),
      'mix/en.yml': texts,
      'mix/ru.yml': 'substances: { alcohol: Алкоголь }\nreasons: {}\n',
    });
    const { problems } = loadMixTable(root, ['en', 'ru', 'kk'], NOW);
    // A bad entry is left out on its own (that pair is answered as unknown); the rest of the table stays.
    expect(problems.map(formatProblem).slice(0, 2)).toEqual([
      'mix/pairs.yml: pairs.alcohol + benzos.risk: risk must be one of dangerous, high, caution, unknown (there is no "safe")',
      'mix/pairs.yml: pairs.benzos + unknown.sources: "nhs" is not a key of sources: at the top of the file',
    ]);
    const fixed = contentFolder({
      'mix/pairs.yml': pairs('  benzos + unknown: { risk: unknown, reason: mystery, sources: [nhs] }\n  alcohol + ghb: { risk: dangerous, reason: depressants, sources: [tripsit] }\n  unknown + benzos: { risk: unknown, reason: unknown, sources: [tripsit] }\n'),
      'mix/en.yml': texts,
      'mix/ru.yml': 'substances: { alcohol: Алкоголь }\nreasons: { depressants: { why: "Это безопасно.", do: "Ок." } }\n',
    });
    expect(loadMixTable(fixed, ['en', 'ru', 'kk'], NOW).problems.map(formatProblem)).toEqual([
      'mix/pairs.yml: pairs.benzos + unknown.sources: "nhs" is not a key of sources: at the top of the file',
      'mix/pairs.yml: pairs.alcohol + ghb: must be two different substances of substances: joined by " + ", e.g. "alcohol + benzos"',
      'mix/pairs.yml: pairs.unknown + benzos: is the same pair as another entry (benzos + unknown): keep one',
      'mix/pairs.yml: pairs: lacks 2 pair(s), shown to clients as unknown until added: alcohol + benzos, alcohol + unknown',
      'mix/en.yml: reasons: lacks mystery (used in pairs.yml)',
      'mix/ru.yml: substances: lacks the name of benzos, unknown',
      'mix/ru.yml: reasons: lacks mystery (used in pairs.yml)',
      'mix/ru.yml: reasons.depressants.why: calls something safe: no mix is without risk; say what lowers the risk instead',
    ]);
  });

  it('counts a pair as signed by the table\'s clinician sign-off, or its own; a bad sign-off names the pair', () => {
    const root = contentFolder({
      'mix/pairs.yml': pairs(
        '  alcohol + benzos: { risk: dangerous, reason: depressants, sources: [tripsit], review: { clinician: { by: "", on: 2027-01-20 } } }\n  alcohol + unknown: { risk: unknown, reason: unknown, sources: [tripsit] }\n  benzos + unknown: { risk: unknown, reason: unknown, sources: [tripsit] }\n',
        'review:\n  clinician: { by: "A.K.", on: 2027-01-15 }\n',
      ),
      'mix/en.yml': texts,
    });
    const { table, signOffProblems } = loadMixTable(root, ['en'], NOW);
    expect(signOffProblems.map(formatProblem)).toEqual(['mix/pairs.yml: pairs.alcohol + benzos.review.clinician.by: is missing: who signed (name or initials), e.g. by: "A.K."']);
    expect(lookupMix(table!, 'unknown', 'alcohol', NOW).signed).toEqual({ on: '2027-01-15' });
    expect(lookupMix(table!, 'benzos', 'alcohol', NOW).signed).toBeUndefined();
    expect(pairKey('b', 'a')).toBe('a + b');
  });
});
