import { describe, expect, it } from 'vitest';
import { orderQueue, queuePosition } from '../../src/inbox/queue.js';
import { cell, formatDuration, parsePeriod, percentile, protectSmallCells, summarize, summaryCsv, type CaseFacts } from '../../src/inbox/stats.js';
import { isOpen, nextOpening, parseWorkingHours } from '../../src/inbox/working-hours.js';

const TZ = 'Asia/Almaty';
const MIN = 60_000;

describe('queue', () => {
  const entries = [
    { caseId: 1, urgent: false, queuedAt: 100 },
    { caseId: 2, urgent: true, queuedAt: 300 },
    { caseId: 3, urgent: false, queuedAt: 50 },
    { caseId: 4, urgent: true, queuedAt: 200 },
  ];
  it('puts urgent cases first, then the longest waiting', () => {
    expect(orderQueue(entries).map((e) => e.caseId)).toEqual([4, 2, 3, 1]);
  });
  it('tells a client their place', () => {
    expect(queuePosition(entries, 1)).toBe(4);
    expect(queuePosition(entries, 4)).toBe(1);
    expect(queuePosition(entries, 99)).toBeNull();
  });
});

describe('working hours', () => {
  const hours = parseWorkingHours('Mon-Fri 10:00-20:00, Sat 12:00-16:00');
  it('knows when the team is on duty in local time', () => {
    expect(isOpen(hours, new Date('2026-11-23T05:00:00Z'), TZ)).toBe(true); // Mon 10:00
    expect(isOpen(hours, new Date('2026-11-23T04:59:00Z'), TZ)).toBe(false); // Mon 09:59
    expect(isOpen(hours, new Date('2026-11-28T10:59:00Z'), TZ)).toBe(true); // Sat 15:59
    expect(isOpen(hours, new Date('2026-11-28T11:00:00Z'), TZ)).toBe(false); // Sat 16:00
    expect(isOpen(hours, new Date('2026-11-29T08:00:00Z'), TZ)).toBe(false); // Sunday
  });
  it('says when the team is back', () => {
    expect(nextOpening(hours, new Date('2026-11-28T12:00:00Z'), TZ)?.toISOString()).toBe('2026-11-30T05:00:00.000Z'); // Sat 17:00 → Mon 10:00
    expect(nextOpening(null, new Date(), TZ)).toBeNull();
  });
  it('explains bad formats', () => {
    expect(() => parseWorkingHours('Mon-Fri 10-20')).toThrow(/must look like "Mon-Fri 10:00-20:00"/);
    expect(() => parseWorkingHours('Mon 20:00-10:00')).toThrow(/must end after it starts/);
  });
});

describe('statistics', () => {
  it('computes nearest-rank percentiles', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
  });

  it('reads periods in local time', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    expect(parsePeriod('2026-11', now, TZ)).toMatchObject({ from: Date.parse('2026-10-31T19:00:00Z'), to: Date.parse('2026-11-30T19:00:00Z') });
    expect(parsePeriod('7d', now, TZ)).toMatchObject({ from: now.getTime() - 7 * 86_400_000, label: 'last 7 days' });
    expect(parsePeriod('2026-11-01..2026-11-02', now, TZ)).toMatchObject({ to: Date.parse('2026-11-02T19:00:00Z') });
    expect(parsePeriod('last year', now, TZ)).toEqual({ error: expect.stringMatching(/use 7d, 30d/) });
  });

  it('summarises cases by topic, urgency, waits, responses, referrals and ratings', () => {
    const t0 = Date.parse('2026-11-10T10:00:00Z');
    const cases: CaseFacts[] = [
      { topic: 'substances', urgent: true, openedAt: t0, takenAt: t0 + 2 * MIN, firstResponseAt: t0 + 3 * MIN, closedAt: t0 + 60 * MIN, referrals: ['hiv-test'], rating: 5 },
      { topic: 'substances', urgent: false, openedAt: t0 + MIN, takenAt: t0 + 11 * MIN, firstResponseAt: t0 + 15 * MIN, closedAt: t0 + 90 * MIN, referrals: ['hiv-test', 'lawyer'], rating: 3 },
      { topic: 'legal', urgent: false, openedAt: t0 + 2 * MIN, referrals: [] },
    ];
    const period = { from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-12-01T00:00:00Z'), label: '2026-11' };
    const summary = summarize(cases, period);
    expect(summary).toMatchObject({
      opened: 3,
      closed: 2,
      urgent: 1,
      byTopic: { substances: { opened: 2, closed: 2 }, legal: { opened: 1, closed: 0 } },
      wait: { median: 2 * MIN, p90: 10 * MIN, count: 2 },
      firstResponse: { median: 3 * MIN, p90: 14 * MIN, count: 2 },
      referrals: { 'hiv-test': 2, lawyer: 1 },
      ratings: { count: 2, average: 4, distribution: { 1: 0, 2: 0, 3: 1, 4: 0, 5: 1 } },
    });
    // Three cases: every figure would describe one or two people, so the export shows none of them.
    const csv = summaryCsv(summary);
    expect(csv.split('\n')[0]).toBe('metric,key,value');
    expect(csv).toContain('cases,opened,<5');
    expect(csv).toContain('wait_seconds,p90,\n');
    expect(csv).toContain('referrals,hiv-test,<5');
    expect(csv).toContain('ratings,count,<5');
    expect(csv).toContain('ratings,average,\n');
    expect(csv).not.toMatch(/_stars/);
    expect(formatDuration(summary.wait.p90)).toBe('10 min 00 s');
    expect(formatDuration(3_725_000)).toBe('1 h 02 min');
  });

  it('suppresses cells drawn from fewer than 5 cases (I7): counts show "<5", no median or rating from so few', () => {
    const t0 = Date.parse('2026-11-10T10:00:00Z');
    const rated = (n: number, rating: number): CaseFacts => ({ topic: 'substances', urgent: false, openedAt: t0 + n * MIN, takenAt: t0 + n * MIN + MIN, closedAt: t0 + 60 * MIN, referrals: [], rating });
    const period = { from: t0 - MIN, to: t0 + 120 * MIN, label: 'today' };
    const few = protectSmallCells(summarize([rated(1, 1), rated(2, 5), rated(3, 5), rated(4, 5)], period));
    expect(few).toMatchObject({ opened: '<5', closed: '<5', urgent: 0, wait: { median: null, p90: null, count: '<5' }, ratings: { count: '<5', average: null, distribution: null } });
    expect(few.byTopic).toEqual({ substances: { opened: '<5', closed: '<5' } });
    const five = protectSmallCells(summarize([rated(1, 1), rated(2, 5), rated(3, 5), rated(4, 5), rated(5, 4)], period));
    expect(five).toMatchObject({ opened: 5, closed: 5, wait: { median: MIN, p90: MIN, count: 5 }, ratings: { count: 5, average: 4, distribution: { 1: '<5', 2: 0, 3: 0, 4: '<5', 5: '<5' } } });
    expect(summaryCsv(summarize([rated(1, 1), rated(2, 5), rated(3, 5), rated(4, 5), rated(5, 4)], period))).toContain('ratings,average,4.00');
    expect([0, 1, 4, 5, 17].map(cell)).toEqual([0, '<5', '<5', 5, 17]);
  });
});
