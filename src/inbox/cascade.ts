import type { ReferralCodeRow } from '../db/schema.js';
import { localParts } from '../time/zoned.js';
import { cell, percentile, SMALL_CELL, type Cell, type Period } from './stats.js';

const DAY = 86_400_000;

/** One line of the cascade: codes issued in the period, and what became of them. No client, no code. */
export interface CascadeLine {
  type: string;
  /** A services entry slug, or '' for "any place". */
  place: string;
  issued: number;
  redeemed: number;
  /** Median whole days from issue to redemption (hour precision on both ends), or null. */
  medianDays: number | null;
  outcomes: Record<string, number>;
  /** Follow-up answers (ok, not-ok, not-yet), counts only. */
  answers: Record<string, number>;
}

/**
 * A cascade line as it may be shown (in /stats, the chart and the CSV): counts from 1 to 4 as "<5", and
 * no percentage or median drawn from fewer than SMALL_CELL codes. A clinic knows who came with a code in
 * a month; "1 redeemed, follow-up not OK" would tell it what that person answered.
 */
export interface ShownCascadeLine {
  type: string;
  place: string;
  issued: Cell;
  redeemed: Cell;
  percent: number | null;
  medianDays: number | null;
  outcomes: Record<string, Cell>;
  answers: Record<string, Cell>;
}

export function shownCascadeLine(l: CascadeLine): ShownCascadeLine {
  const cells = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, n]) => [k, cell(n)]));
  const redeemedShown = cell(l.redeemed);
  return {
    type: l.type,
    place: l.place,
    issued: cell(l.issued),
    redeemed: redeemedShown,
    percent: l.issued >= SMALL_CELL && redeemedShown !== '<5' ? Math.round((100 * l.redeemed) / l.issued) : null,
    medianDays: l.redeemed >= SMALL_CELL ? l.medianDays : null,
    outcomes: cells(l.outcomes),
    answers: cells(l.answers),
  };
}

type CodeFacts = Pick<ReferralCodeRow, 'type' | 'place' | 'issuedHour' | 'redeemedHour' | 'outcome' | 'followUpAnswer'>;

function line(type: string, place: string, codes: CodeFacts[]): CascadeLine {
  const redeemed = codes.filter((c) => c.redeemedHour !== null);
  const count = (values: (string | null)[]) => {
    const out: Record<string, number> = {};
    for (const v of values) if (v !== null) out[v] = (out[v] ?? 0) + 1;
    return out;
  };
  const median = percentile(redeemed.map((c) => (c.redeemedHour! - c.issuedHour) / DAY), 50);
  return {
    type,
    place,
    issued: codes.length,
    redeemed: redeemed.length,
    medianDays: median === null ? null : Math.round(median * 10) / 10,
    outcomes: count(codes.map((c) => c.outcome)),
    answers: count(codes.map((c) => c.followUpAnswer)),
  };
}

/** Per type (place '*', all places together) and per type and place, for codes issued in the period. */
export function summarizeCascade(codes: readonly CodeFacts[], period: Pick<Period, 'from' | 'to'>): CascadeLine[] {
  const inPeriod = codes.filter((c) => c.issuedHour >= period.from && c.issuedHour < period.to);
  const groups = new Map<string, CodeFacts[]>();
  for (const c of inPeriod) {
    for (const key of [`${c.type}\t*`, `${c.type}\t${c.place ?? ''}`]) groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.entries()]
    .map(([key, group]) => {
      const [type, place] = key.split('\t') as [string, string];
      return line(type, place, group);
    })
    .sort((a, b) => a.type.localeCompare(b.type) || (a.place === '*' ? -1 : b.place === '*' ? 1 : a.place.localeCompare(b.place)));
}

const OUTCOME_COLUMNS = ['tested', 'treatment-started', 'supplies-given', 'counselled', 'referred-on'];
const ANSWER_COLUMNS = ['ok', 'not-ok', 'not-yet'];

function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The cascade by month of issue (local time), type and place, as a donor can read it: counts and a
 * median only, no code, no date finer than the month, nothing about anyone; small cells as "<5".
 */
export function cascadeCsv(codes: readonly CodeFacts[], period: Pick<Period, 'from' | 'to'>, timeZone: string): string {
  const month = (ms: number) => {
    const p = localParts(new Date(ms), timeZone);
    return `${p.year}-${String(p.month).padStart(2, '0')}`;
  };
  const byMonth = new Map<string, CodeFacts[]>();
  for (const c of codes) if (c.issuedHour >= period.from && c.issuedHour < period.to) byMonth.set(month(c.issuedHour), [...(byMonth.get(month(c.issuedHour)) ?? []), c]);
  const header = ['month', 'type', 'place', 'issued', 'redeemed', 'redeemed_percent', 'median_days_to_redeem', ...OUTCOME_COLUMNS.map((o) => `outcome_${o}`), ...ANSWER_COLUMNS.map((a) => `followup_${a}`)];
  const rows: (string | number | null)[][] = [header];
  for (const m of [...byMonth.keys()].sort()) {
    for (const l of summarizeCascade(byMonth.get(m)!, { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY }).map(shownCascadeLine)) {
      rows.push([
        m,
        l.type,
        l.place === '*' ? 'all' : l.place || 'any',
        l.issued,
        l.redeemed,
        l.percent,
        l.medianDays,
        ...OUTCOME_COLUMNS.map((o) => l.outcomes[o] ?? 0),
        ...ANSWER_COLUMNS.map((a) => l.answers[a] ?? 0),
      ]);
    }
  }
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}
