import { localParts, zonedTimeToUtc } from '../time/zoned.js';

/** What reporting needs to know about a case: no client, no consultant, no text. */
export interface CaseFacts {
  topic: string;
  urgent: boolean;
  openedAt: number;
  /** First time a consultant took it. */
  takenAt?: number;
  /** First consultant message that reached the client. */
  firstResponseAt?: number;
  closedAt?: number;
  referrals: string[];
  rating?: number;
  /** The inbox it opened in (unknown for cases from before it was recorded). */
  inbox?: string;
  /** How long the client waited for each answer after the first (ms). */
  nextResponses?: number[];
}

/** Median and 90th percentile of some durations, and from how many cases they come. */
export interface Timing {
  median: number | null;
  p90: number | null;
  count: number;
}

/** First and next response times of the cases one inbox opened in one week (Monday, local date). */
export interface ResponseTimes {
  inbox: string;
  week: string;
  first: Timing;
  next: Timing;
}

export interface Period {
  from: number;
  to: number;
  label: string;
}

const DAY = 86_400_000;

/**
 * Reads `/stats [period]`: empty (last 30 days), `7d`/`30d`, `today`, `month` (this month), `2026-11`
 * (a month), or `2026-11-01..2026-11-15` (inclusive days). Dates are in `timeZone`.
 */
export function parsePeriod(text: string | undefined, now: Date, timeZone: string): Period | { error: string } {
  const value = (text ?? '').trim().toLowerCase();
  const startOfDay = (date: Date) => {
    const p = localParts(date, timeZone);
    return zonedTimeToUtc({ year: p.year, month: p.month, day: p.day, hour: 0, minute: 0, second: 0 }, timeZone).getTime();
  };
  const day = (y: number, m: number, d: number) => zonedTimeToUtc({ year: y, month: m, day: d, hour: 0, minute: 0, second: 0 }, timeZone).getTime();
  if (value === '' || /^\d{1,3}d$/.test(value)) {
    const days = value === '' ? 30 : Number(value.slice(0, -1));
    if (days < 1) return { error: 'the number of days must be 1 or more, e.g. 7d' };
    return { from: now.getTime() - days * DAY, to: now.getTime(), label: `last ${days} days` };
  }
  if (value === 'today') return { from: startOfDay(now), to: now.getTime(), label: 'today' };
  if (value === 'month') {
    const p = localParts(now, timeZone);
    return { from: day(p.year, p.month, 1), to: now.getTime(), label: `${p.year}-${String(p.month).padStart(2, '0')}` };
  }
  const month = /^(\d{4})-(\d{2})$/.exec(value);
  if (month) {
    const y = Number(month[1]);
    const m = Number(month[2]);
    if (m < 1 || m > 12) return { error: `"${text}" is not a month like 2026-11` };
    return { from: day(y, m, 1), to: m === 12 ? day(y + 1, 1, 1) : day(y, m + 1, 1), label: value };
  }
  const range = /^(\d{4})-(\d{2})-(\d{2})\.\.(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (range) {
    const [y1, m1, d1, y2, m2, d2] = range.slice(1).map(Number) as [number, number, number, number, number, number];
    const from = day(y1, m1, d1);
    const to = day(y2, m2, d2) + DAY;
    if (!(from < to)) return { error: 'the period must end after it starts' };
    return { from, to, label: value };
  }
  return { error: `"${text}" is not a period: use 7d, 30d, today, month, 2026-11 or 2026-11-01..2026-11-15` };
}

/** Nearest-rank percentile (p in 0..100) of the values, or null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

export interface Summary {
  period: Period;
  opened: number;
  closed: number;
  urgent: number;
  byTopic: Record<string, { opened: number; closed: number }>;
  wait: { median: number | null; p90: number | null; count: number };
  firstResponse: { median: number | null; p90: number | null; count: number };
  referrals: Record<string, number>;
  ratings: { count: number; average: number | null; distribution: Record<1 | 2 | 3 | 4 | 5, number> };
  /** Per inbox and week the cases opened in, in that order. */
  responseTimes: ResponseTimes[];
}

/** The Monday (YYYY-MM-DD, in `timeZone`) of the week `at` falls in. */
export function weekOf(at: number, timeZone: string): string {
  const p = localParts(new Date(at), timeZone);
  const day = new Date(Date.UTC(p.year, p.month - 1, p.day));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/** `count` is the number of cases with at least one duration (the small-cell rule counts people, not answers). */
function timing(perCase: readonly number[][]): Timing {
  const values = perCase.flat();
  return { median: percentile(values, 50), p90: percentile(values, 90), count: perCase.filter((v) => v.length > 0).length };
}

function responseTimes(opened: readonly CaseFacts[], timeZone: string): ResponseTimes[] {
  const groups = new Map<string, { inbox: string; week: string; cases: CaseFacts[] }>();
  for (const c of opened) {
    const inbox = c.inbox ?? '?';
    const week = weekOf(c.openedAt, timeZone);
    const key = `${inbox}\u0000${week}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { inbox, week, cases: [] }));
    group.cases.push(c);
  }
  return [...groups.values()]
    .sort((a, b) => a.inbox.localeCompare(b.inbox) || a.week.localeCompare(b.week))
    .map(({ inbox, week, cases }) => ({
      inbox,
      week,
      first: timing(cases.map((c) => (c.firstResponseAt !== undefined ? [c.firstResponseAt - c.openedAt] : []))),
      next: timing(cases.map((c) => c.nextResponses ?? [])),
    }));
}

/** Aggregates cases opened (and closed) within the period; weeks for response times are in `timeZone`. */
export function summarize(cases: readonly CaseFacts[], period: Period, timeZone = 'UTC'): Summary {
  const inPeriod = (t: number | undefined) => t !== undefined && t >= period.from && t < period.to;
  const opened = cases.filter((c) => inPeriod(c.openedAt));
  const closed = cases.filter((c) => inPeriod(c.closedAt));
  const byTopic: Summary['byTopic'] = {};
  for (const c of opened) (byTopic[c.topic] ??= { opened: 0, closed: 0 }).opened++;
  for (const c of closed) (byTopic[c.topic] ??= { opened: 0, closed: 0 }).closed++;
  const waits = opened.flatMap((c) => (c.takenAt !== undefined ? [c.takenAt - c.openedAt] : []));
  const responses = opened.flatMap((c) => (c.firstResponseAt !== undefined ? [c.firstResponseAt - c.openedAt] : []));
  const referrals: Record<string, number> = {};
  for (const c of opened) for (const r of c.referrals) referrals[r] = (referrals[r] ?? 0) + 1;
  const rated = closed.flatMap((c) => (c.rating !== undefined ? [c.rating] : []));
  const distribution = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } as Summary['ratings']['distribution'];
  for (const r of rated) if (r >= 1 && r <= 5) distribution[r as 1 | 2 | 3 | 4 | 5]++;
  return {
    period,
    opened: opened.length,
    closed: closed.length,
    urgent: opened.filter((c) => c.urgent).length,
    byTopic,
    wait: { median: percentile(waits, 50), p90: percentile(waits, 90), count: waits.length },
    firstResponse: { median: percentile(responses, 50), p90: percentile(responses, 90), count: responses.length },
    referrals,
    ratings: { count: rated.length, average: rated.length ? rated.reduce((a, b) => a + b, 0) / rated.length : null, distribution },
    responseTimes: responseTimes(opened, timeZone),
  };
}

/** Figures drawn from fewer cases than this are not shown ("<5"): with few cases, a cell is one person. */
export const SMALL_CELL = 5;
export type Cell = number | '<5';

/** A count as shown: 0 and SMALL_CELL or more as they are, anything between as "<5". */
export function cell(n: number): Cell {
  return n > 0 && n < SMALL_CELL ? '<5' : n;
}

/** A Summary as it may be shown (in /stats and /export): small counts hidden, no statistic from fewer than SMALL_CELL cases. */
export interface ShownSummary {
  period: Period;
  opened: Cell;
  closed: Cell;
  urgent: Cell;
  byTopic: Record<string, { opened: Cell; closed: Cell }>;
  wait: { median: number | null; p90: number | null; count: Cell };
  firstResponse: { median: number | null; p90: number | null; count: Cell };
  referrals: Record<string, Cell>;
  /** Average and distribution only from SMALL_CELL ratings or more (else one client's rating could be read off). */
  ratings: { count: Cell; average: number | null; distribution: Record<1 | 2 | 3 | 4 | 5, Cell> | null };
  responseTimes: { inbox: string; week: string; first: ShownTiming; next: ShownTiming }[];
}

export type ShownTiming = { median: number | null; p90: number | null; count: Cell };

/**
 * Suppresses small cells: a one-day period with two cases would otherwise show the rating one client
 * gave, or how long one person waited.
 */
export function protectSmallCells(s: Summary): ShownSummary {
  const timing = (t: Summary['wait']) => (t.count >= SMALL_CELL ? { ...t, count: t.count } : { median: null, p90: null, count: cell(t.count) });
  const enough = s.ratings.count >= SMALL_CELL;
  const distribution = Object.fromEntries(Object.entries(s.ratings.distribution).map(([k, n]) => [k, cell(n)])) as Record<1 | 2 | 3 | 4 | 5, Cell>;
  return {
    period: s.period,
    opened: cell(s.opened),
    closed: cell(s.closed),
    urgent: cell(s.urgent),
    byTopic: Object.fromEntries(Object.entries(s.byTopic).map(([t, n]) => [t, { opened: cell(n.opened), closed: cell(n.closed) }])),
    wait: timing(s.wait),
    firstResponse: timing(s.firstResponse),
    referrals: Object.fromEntries(Object.entries(s.referrals).map(([r, n]) => [r, cell(n)])),
    ratings: { count: cell(s.ratings.count), average: enough ? s.ratings.average : null, distribution: enough ? distribution : null },
    responseTimes: s.responseTimes.map((r) => ({ inbox: r.inbox, week: r.week, first: timing(r.first), next: timing(r.next) })),
  };
}

/** "1 h 05 min", "4 min 10 s", "—" for none. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The same figures as a CSV table (metric, key, value) for donor reports, small cells suppressed. */
export function summaryCsv(full: Summary): string {
  const summary = protectSmallCells(full);
  const rows: (string | number | null)[][] = [['metric', 'key', 'value']];
  rows.push(['period', 'from', new Date(summary.period.from).toISOString()], ['period', 'to', new Date(summary.period.to).toISOString()]);
  rows.push(['cases', 'opened', summary.opened], ['cases', 'closed', summary.closed], ['cases', 'urgent', summary.urgent]);
  for (const [topic, n] of Object.entries(summary.byTopic)) rows.push(['opened_by_topic', topic, n.opened], ['closed_by_topic', topic, n.closed]);
  rows.push(['wait_seconds', 'median', summary.wait.median === null ? null : Math.round(summary.wait.median / 1000)]);
  rows.push(['wait_seconds', 'p90', summary.wait.p90 === null ? null : Math.round(summary.wait.p90 / 1000)]);
  rows.push(['first_response_seconds', 'median', summary.firstResponse.median === null ? null : Math.round(summary.firstResponse.median / 1000)]);
  rows.push(['first_response_seconds', 'p90', summary.firstResponse.p90 === null ? null : Math.round(summary.firstResponse.p90 / 1000)]);
  for (const [type, n] of Object.entries(summary.referrals)) rows.push(['referrals', type, n]);
  rows.push(['ratings', 'count', summary.ratings.count], ['ratings', 'average', summary.ratings.average === null ? null : summary.ratings.average.toFixed(2)]);
  for (const [stars, n] of Object.entries(summary.ratings.distribution ?? {})) rows.push(['ratings', `${stars}_stars`, n]);
  const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000));
  for (const r of summary.responseTimes) {
    for (const [metric, t] of [['first_response_seconds', r.first], ['next_response_seconds', r.next]] as const) {
      const key = `${r.inbox} ${r.week}`;
      rows.push([metric, `${key} cases`, t.count], [metric, `${key} median`, seconds(t.median)], [metric, `${key} p90`, seconds(t.p90)]);
    }
  }
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}
