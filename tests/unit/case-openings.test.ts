import { describe, expect, it } from 'vitest';
import { CaseOpenings } from '../../src/inbox/case-openings.js';

const MIN = 60_000;

describe('how often one client may open a case', () => {
  it('an urgent case at most once in five minutes, any case at most once in two; other clients are not held', () => {
    const openings = new CaseOpenings(5 * MIN, 2 * MIN);
    expect(openings.waitFor('a', true, 0)).toBe(0);
    openings.opened('a', true, 0);
    expect(openings.waitFor('a', true, 10_000)).toBe(5 * MIN - 10_000); // emergency → /end → emergency: held
    expect(openings.waitFor('a', false, 10_000)).toBe(2 * MIN - 10_000);
    expect(openings.waitFor('b', true, 10_000)).toBe(0);
    expect(openings.waitFor('a', false, 2 * MIN)).toBe(0);
    openings.opened('a', false, 2 * MIN);
    // A case through the intake does not hold back an emergency; only the last urgent one does.
    expect(openings.waitFor('a', true, 5 * MIN)).toBe(0);
  });

  it('forgets a client once nothing limits them any more', () => {
    const openings = new CaseOpenings(5 * MIN, 2 * MIN);
    openings.opened('a', true, 0);
    openings.opened('b', false, 6 * MIN); // pruning happens as others open cases
    expect((openings as unknown as { last: Map<string, unknown> }).last.has('a')).toBe(false);
  });
});

describe('case openings when the wall clock moves back', () => {
  it('never asks a client to wait longer than the limit itself', () => {
    const openings = new CaseOpenings(5 * 60_000, 2 * 60_000);
    openings.opened('k', true, 10 * 3_600_000);
    // The clock is stepped back an hour: the client waits the 5 minutes at most, not an hour and 5 minutes.
    expect(openings.waitFor('k', true, 9 * 3_600_000)).toBe(5 * 60_000);
    expect(openings.waitFor('k', false, 9 * 3_600_000)).toBe(2 * 60_000);
  });
});
