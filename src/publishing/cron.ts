import cron from 'node-cron';
import { localParts, type LocalParts } from '../time/zoned.js';

/**
 * Recurring posts use standard 5-field cron expressions (minute hour day-of-month month day-of-week),
 * read in TIMEZONE. node-cron validates and expands them; the next occurrence after any given moment
 * is computed here, so the scheduler can catch up after downtime and tests can use their own clock.
 */

export function validateCron(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `schedule must have 5 fields (minute hour day-of-month month day-of-week), e.g. "0 12 * * 1"; got ${fields.length}`;
  }
  const result = cron.validateDetailed(expression);
  if (!result.valid) return `schedule is not a valid cron expression: ${result.errors.map((e) => e.message).join('; ')}`;
  return null;
}

interface Matcher {
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>;
  days: (number | string)[];
  weekdays: Set<number>;
  anyDay: boolean;
  anyWeekday: boolean;
  anyHour: boolean;
}

const matchers = new Map<string, Matcher>();

function matcher(expression: string): Matcher {
  let m = matchers.get(expression);
  if (!m) {
    const fields = cron.parse(expression);
    const raw = expression.trim().split(/\s+/);
    m = {
      minutes: new Set(fields.minute),
      hours: new Set(fields.hour),
      months: new Set(fields.month),
      days: fields.dayOfMonth,
      weekdays: new Set(fields.dayOfWeek.map((d) => (Number(d) === 7 ? 0 : Number(d)))),
      anyDay: raw[2] === '*' || raw[2] === '?',
      anyWeekday: raw[4] === '*' || raw[4] === '?',
      anyHour: raw[1] === '*',
    };
    matchers.set(expression, m);
  }
  return m;
}

function dayMatches(m: Matcher, year: number, month: number, day: number, weekday: number): boolean {
  if (!m.months.has(month)) return false;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const dom = m.days.some((d) => d === day || (d === 'L' && day === lastDay));
  const dow = m.weekdays.has(weekday);
  if (m.anyDay && m.anyWeekday) return true;
  if (m.anyDay) return dow;
  if (m.anyWeekday) return dom;
  return dom || dow; // both restricted: cron's "either" rule
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The first occurrence strictly after `after` (minute precision), or null within `horizonDays`.
 * Daylight saving in `timeZone`, as cron has always done it: a time the spring change skips (02:30 when
 * the clocks go from 02:00 to 03:00) occurs at the end of the gap (03:00), once; a time the autumn
 * change repeats occurs once, the first time; a rule for every hour (hour field `*`) follows real hours.
 */
export function nextOccurrence(expression: string, after: Date, timeZone: string, horizonDays = 400): Date | null {
  const m = matcher(expression);
  let t = Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE;
  const end = after.getTime() + horizonDays * 24 * HOUR;
  while (t <= end) {
    const p = localParts(new Date(t), timeZone);
    if (!dayMatches(m, p.year, p.month, p.day, p.weekday)) {
      // Towards the next local midnight, stopping an hour short of it: a day of 23 hours (spring) would
      // otherwise carry us past the next day's first hour. The hour steps below cover the rest.
      const toMidnight = 24 * 60 - (p.hour * 60 + p.minute);
      t += (toMidnight > 60 ? toMidnight - 60 : toMidnight) * MINUTE;
    } else if (p.minute === 0 && skippedHourMatches(m, t, p, timeZone)) {
      return new Date(t);
    } else if (!m.hours.has(p.hour)) {
      t += (60 - p.minute) * MINUTE;
    } else if (!m.minutes.has(p.minute)) {
      t += MINUTE;
    } else if (!m.anyHour && isRepeatedHour(t, p, timeZone)) {
      t += MINUTE; // the autumn change shows this local time a second time: it has occurred already
    } else {
      return new Date(t);
    }
  }
  return null;
}

/** At the first minute after a spring gap (03:00 after 01:59): whether the rule wanted an hour in the gap. */
function skippedHourMatches(m: Matcher, t: number, p: LocalParts, timeZone: string): boolean {
  const before = localParts(new Date(t - MINUTE), timeZone);
  if (before.day !== p.day) return false;
  for (let hour = before.hour + 1; hour < p.hour; hour++) if (m.hours.has(hour)) return true;
  return false;
}

/** Whether the local time at `t` was shown an hour earlier as well (the hour the autumn change repeats). */
function isRepeatedHour(t: number, p: LocalParts, timeZone: string): boolean {
  const before = localParts(new Date(t - HOUR), timeZone);
  return before.day === p.day && before.hour === p.hour && before.minute === p.minute;
}
