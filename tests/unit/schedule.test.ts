import { describe, expect, it } from 'vitest';
import { nextOccurrence, validateCron } from '../../src/publishing/cron.js';
import { formatLocal, parseDateTime } from '../../src/time/zoned.js';

const TZ = 'Asia/Almaty'; // UTC+5 all year

describe('dates in TIMEZONE', () => {
  it('reads a local date and time in the configured zone', () => {
    expect(parseDateTime('2026-12-01 10:00', TZ)?.toISOString()).toBe('2026-12-01T05:00:00.000Z');
    expect(parseDateTime('2026-12-01T10:00', TZ)?.toISOString()).toBe('2026-12-01T05:00:00.000Z');
    expect(parseDateTime('2026-12-01', TZ)?.toISOString()).toBe('2026-11-30T19:00:00.000Z');
  });

  it('honours an explicit offset', () => {
    expect(parseDateTime('2026-12-01T10:00+03:00', TZ)?.toISOString()).toBe('2026-12-01T07:00:00.000Z');
    expect(parseDateTime('2026-12-01T10:00:00Z', TZ)?.toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });

  it('handles a zone with daylight saving time', () => {
    expect(parseDateTime('2026-07-01 12:00', 'Europe/Berlin')?.toISOString()).toBe('2026-07-01T10:00:00.000Z');
    expect(parseDateTime('2026-01-01 12:00', 'Europe/Berlin')?.toISOString()).toBe('2026-01-01T11:00:00.000Z');
  });

  it('refuses what is not a real date', () => {
    for (const bad of ['2026-02-30 10:00', '2026-12-01 25:00', 'tomorrow', '01.12.2026 10:00', '']) {
      expect(parseDateTime(bad, TZ), bad).toBeNull();
    }
  });

  it('formats local times for editors', () => {
    expect(formatLocal(new Date('2026-12-01T05:00:00Z'), TZ)).toBe('2026-12-01 10:00');
  });
});

describe('cron schedules', () => {
  it('explains invalid expressions', () => {
    expect(validateCron('0 12 * * 1')).toBeNull();
    expect(validateCron('0 12 * *')).toMatch(/5 fields/);
    expect(validateCron('0 0 12 * * 1')).toMatch(/5 fields/);
    expect(validateCron('0 25 * * 1')).toMatch(/25 is a invalid expression for hour/);
  });

  it('finds the next occurrence in local time', () => {
    // Monday 12:00 in Almaty, after Monday 2026-11-23 07:00 UTC (12:00 local) → the next Monday.
    const after = new Date('2026-11-23T07:00:00Z');
    expect(nextOccurrence('0 12 * * 1', after, TZ)?.toISOString()).toBe('2026-11-30T07:00:00.000Z');
    expect(nextOccurrence('0 12 * * 1', new Date('2026-11-23T06:59:00Z'), TZ)?.toISOString()).toBe('2026-11-23T07:00:00.000Z');
  });

  it('supports steps, ranges, lists and the last day of the month', () => {
    expect(nextOccurrence('*/15 9-17 * * 1-5', new Date('2026-11-28T12:00:00Z'), TZ)?.toISOString()).toBe('2026-11-30T04:00:00.000Z');
    expect(nextOccurrence('0 10 L * *', new Date('2027-02-01T00:00:00Z'), TZ)?.toISOString()).toBe('2027-02-28T05:00:00.000Z');
    // Day of month and day of week both restricted: either matches, as in cron.
    expect(nextOccurrence('0 9 1 * 5', new Date('2026-11-23T00:00:00Z'), TZ)?.toISOString()).toBe('2026-11-27T04:00:00.000Z');
  });

  it('finds a yearly occurrence', () => {
    expect(nextOccurrence('0 10 1 12 *', new Date('2026-12-02T00:00:00Z'), TZ)?.toISOString()).toBe('2027-12-01T05:00:00.000Z');
  });
});
