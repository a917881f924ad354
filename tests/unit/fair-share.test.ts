import { describe, expect, it } from 'vitest';
import { FairShare } from '../../src/relay/fair-share.js';

const lanes = (fair: FairShare, list: { lane: string; urgent?: boolean; since: number }[], now: number) =>
  fair.order(list.map((c) => ({ urgent: false, ...c })), now).map((c) => c.lane);

describe('who gets the inbox\'s next slot', () => {
  it('first messages before backlogs, urgent first within each, then the lane served longest ago', () => {
    const fair = new FairShare(60_000, 3);
    fair.served('a', 1_000);
    fair.served('b', 2_000);
    fair.served('u', 3_000);
    const now = 10_000;
    expect(lanes(fair, [{ lane: 'b', since: 1 }, { lane: 'a', since: 2 }, { lane: 'u', urgent: true, since: 3 }, { lane: 'new', since: 9 }, { lane: 'new-urgent', urgent: true, since: 10 }], now)).toEqual([
      'new-urgent',
      'new',
      'u',
      'a',
      'b',
    ]);
    fair.served('a', now); // a had its turn: b is next
    expect(lanes(fair, [{ lane: 'a', since: 2 }, { lane: 'b', since: 1 }], now)).toEqual(['b', 'a']);
  });

  it('keeps slots for first messages only from lanes served within the window', () => {
    const fair = new FairShare(60_000, 3);
    expect(fair.reserveFor('a', 0)).toBe(0);
    fair.served('a', 0);
    expect(fair.reserveFor('a', 59_999)).toBe(3);
    expect(fair.reserveFor('a', 60_000)).toBe(0); // a minute without a slot: its next message counts as a first one
  });
});
