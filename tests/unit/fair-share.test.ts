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

  it('a lane that had its share of the window goes after every other lane, and even alone leaves more of the window free', () => {
    const fair = new FairShare(60_000, 3, 5, 6);
    for (let i = 0; i < 5; i++) fair.served('flood', 1_000 + i);
    fair.served('calm', 500);
    fair.served('flood-urgent', 600);
    const now = 10_000;
    expect(fair.overCap('flood', now)).toBe(true);
    expect(fair.overCap('calm', now)).toBe(false);
    // Even an urgent lane, if it already had its share, waits for the others (and then goes first of the two).
    expect(lanes(fair, [{ lane: 'flood-urgent', urgent: true, since: 2 }, { lane: 'calm', since: 3 }], now)).toEqual(['flood-urgent', 'calm']);
    for (let i = 0; i < 4; i++) fair.served('flood-urgent', 700 + i);
    expect(lanes(fair, [{ lane: 'flood', since: 1 }, { lane: 'flood-urgent', urgent: true, since: 2 }, { lane: 'calm', since: 3 }], now)).toEqual(['calm', 'flood-urgent', 'flood']);
    expect(fair.reserveFor('flood', now)).toBe(6);
    expect(fair.reserveFor('calm', now)).toBe(3);
    // A minute later its slots have left the window: an ordinary lane again.
    expect(fair.overCap('flood', 61_005)).toBe(false);
    expect(fair.slots('flood', 61_003)).toBe(1);
  });

  it('counts an album as a slot per part', () => {
    const fair = new FairShare(60_000, 3, 5, 6);
    fair.served('album', 0, 5);
    expect(fair.overCap('album', 1)).toBe(true);
  });
});
