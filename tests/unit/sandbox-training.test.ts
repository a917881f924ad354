import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { debrief, type ClientRecord } from '../../src/sandbox/training/debrief.js';
import { loadScenarios, parseScenario } from '../../src/sandbox/training/scenario.js';

describe('training scenarios', () => {
  it('the scenarios shipped in content/training are all valid', () => {
    const { scenarios, problems } = loadScenarios(join(import.meta.dirname, '../../content'));
    expect(problems).toEqual([]);
    expect(scenarios.map((s) => s.id)).toEqual(['first-contact', 'goes-silent', 'legal-after-arrest', 'overdose-at-night', 'two-on-shift']);
    expect(scenarios.find((s) => s.id === 'overdose-at-night')).toMatchObject({ entry: 'urgent', language: 'en' });
    expect(scenarios.every((s) => s.brief.length > 0)).toBe(true);
  });

  it('reports a broken file by field, never evaluates it, and fills defaults', () => {
    expect(parseScenario('x', '---\ntitle: T\nlanguage: de\nentry: urgent\nscript:\n  - client: hi\n---\n').problems[0]).toMatch(/language must be ru, kk or en/);
    expect(parseScenario('x', '---\ntitle: T\nlanguage: en\nentry: urgent\nscript:\n  - within: 5\n---\n').problems[0]).toMatch(/a step needs client/);
    expect(parseScenario('x', '---js\nmodule.exports = {}\n---\n').scenario).toBeUndefined();
    const ok = parseScenario('x', '---\ntitle: T\nlanguage: kk\nentry: legal\nscript:\n  - client: сәлем\n    expect: reply\n---\nA persona\nover two lines.\n\nA second paragraph.\n');
    expect(ok.scenario).toMatchObject({ id: 'x', brief: 'A persona over two lines.\n\nA second paragraph.', script: [{ client: 'сәлем', expect: 'reply', within: 120 }] });
  });
});

describe('training debrief', () => {
  const t0 = 1_000_000;
  const urgent: ClientRecord = {
    title: 'Overdose', entry: 'urgent', queuedAt: t0, takenAt: t0 + 20_000, takenBy: 'Aigerim',
    expectations: [
      { expect: 'reply', within: 60, startedAt: t0 + 20_000, metAt: t0 + 30_000 },
      { expect: 'note', within: 60, startedAt: t0 + 30_000 },
      { expect: 'close', within: 10, startedAt: t0 + 40_000, metAt: t0 + 65_000 },
    ],
  };
  const calm: ClientRecord = { title: 'Calm', entry: 'other', queuedAt: t0 - 5_000, takenAt: t0 + 5_000, expectations: [{ expect: 'reply', within: 60, startedAt: t0 + 5_000, metAt: t0 + 25_000 }] };

  it('gives waiting and response times, and says what was missed or late', () => {
    const lines = debrief([urgent]);
    expect(lines[0]).toBe('Overdose (urgent): taken after 20 s in the queue by Aigerim.');
    expect(lines).toContain('  ✓ a message to the client: after 10 s.');
    expect(lines).toContain('  ✗ an internal note: expected, not done.');
    expect(lines).toContain('  ⚠ closing the case: after 25 s, later than 10 s.');
  });

  it('says whether the urgent case was taken first', () => {
    expect(debrief([urgent, calm])).toContain('✗ The urgent case was not taken first: in the queue, 🆘 comes before everything else.');
    expect(debrief([{ ...urgent, takenAt: t0 + 1_000 }, calm])).toContain('✓ The urgent case was taken first.');
    expect(debrief([{ ...urgent, takenAt: undefined }, calm]).join('\n')).toMatch(/Overdose \(urgent\): never taken[\s\S]*not taken first/);
    expect(debrief([urgent, calm]).at(-1)).toBe('Average time to answer a client: 15 s (2 answers).');
  });
});
