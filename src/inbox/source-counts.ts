import { and, eq, gte, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { findClient } from '../db/clients.js';
import { sourceCounts, sourceMarkers } from '../db/schema.js';
import type { Privacy } from '../privacy/keys.js';
import { localParts, zonedTimeToUtc } from '../time/zoned.js';
import { cell, type Cell } from './stats.js';

/**
 * Outreach counts (content/sources.yml): a start through a source's link is counted for the day and
 * the source, and nothing else. To count what followed (a consultation opened, a code redeemed) the
 * client's source is kept as a marker under a keyed hash of its own subkey (Privacy.sourceMarkerKey):
 * the marker holds only the source's code and an expiry (the end of the month after the start), is
 * deleted by /forget, and matches no client row in a copy of the database without BOT_SECRET.
 */
export type SourceMetric = 'start' | 'consultation' | 'redeemed';
export const SOURCE_METRICS: readonly SourceMetric[] = ['start', 'consultation', 'redeemed'];

/** More starts than this per source and day are not counted: a flood of fake accounts cannot make a source look big. */
export const DAILY_START_CAP = 500;

const pad = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD of `at` in `timeZone`. */
export function localDay(at: number, timeZone: string): string {
  const p = localParts(new Date(at), timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** The last millisecond of the month after the one `at` is in (in `timeZone`): when a marker expires. */
export function endOfNextMonth(at: number, timeZone: string): number {
  const p = localParts(new Date(at), timeZone);
  const month = p.month + 2; // the first of the month after next
  const year = p.year + Math.floor((month - 1) / 12);
  return zonedTimeToUtc({ year, month: ((month - 1) % 12) + 1, day: 1, hour: 0, minute: 0, second: 0 }, timeZone).getTime() - 1;
}

function bump(db: Db, day: string, source: string, metric: SourceMetric): void {
  db.insert(sourceCounts)
    .values({ day, source, metric, count: 1 })
    .onConflictDoUpdate({ target: [sourceCounts.day, sourceCounts.source, sourceCounts.metric], set: { count: sql`${sourceCounts.count} + 1` } })
    .run();
}

export type StartOutcome = 'counted' | 'known' | 'already' | 'capped';

/**
 * A /start with a source's code. Counted only for someone new: no client row and no marker yet (a
 * client who comes back through another poster is not a new start). The count and the marker are
 * written in one transaction.
 */
export function recordStart(db: Db, privacy: Privacy, input: { clientKey: string; source: string; now: number; timeZone: string }): StartOutcome {
  if (findClient(db, input.clientKey)) return 'known';
  const markerKey = privacy.sourceMarkerKey(input.clientKey);
  const day = localDay(input.now, input.timeZone);
  return db.$client.transaction((): StartOutcome => {
    const marker = db.select().from(sourceMarkers).where(eq(sourceMarkers.markerKey, markerKey)).get();
    if (marker && marker.expiresAt > input.now) return 'already';
    const today = db
      .select({ n: sourceCounts.count })
      .from(sourceCounts)
      .where(and(eq(sourceCounts.day, day), eq(sourceCounts.source, input.source), eq(sourceCounts.metric, 'start')))
      .get();
    if ((today?.n ?? 0) >= DAILY_START_CAP) return 'capped';
    db.insert(sourceMarkers)
      .values({ markerKey, source: input.source, expiresAt: endOfNextMonth(input.now, input.timeZone) })
      .onConflictDoUpdate({ target: sourceMarkers.markerKey, set: { source: input.source, expiresAt: endOfNextMonth(input.now, input.timeZone) } })
      .run();
    bump(db, day, input.source, 'start');
    return 'counted';
  })();
}

/** A consultation opened or a code redeemed: counted for the client's source, if they came through one not long ago. */
export function countForSource(db: Db, privacy: Privacy, input: { clientKey: string; metric: Exclude<SourceMetric, 'start'>; now: number; timeZone: string }): string | undefined {
  const marker = db.select().from(sourceMarkers).where(eq(sourceMarkers.markerKey, privacy.sourceMarkerKey(input.clientKey))).get();
  if (!marker || marker.expiresAt <= input.now) return undefined;
  bump(db, localDay(input.now, input.timeZone), marker.source, input.metric);
  return marker.source;
}

/** /forget: the marker goes (the counts stay: they name nobody). */
export function forgetSourceMarker(db: Db, privacy: Privacy, clientKey: string): number {
  return db.delete(sourceMarkers).where(eq(sourceMarkers.markerKey, privacy.sourceMarkerKey(clientKey))).run().changes;
}

export function purgeSourceMarkers(db: Db, now: number): number {
  return db.delete(sourceMarkers).where(lte(sourceMarkers.expiresAt, now)).run().changes;
}

/** Months for `/stats sources [months]`: empty (this month and the two before), `2026-11`, or `2026-09..2026-11`. */
export function parseMonths(text: string | undefined, now: number, timeZone: string): { from: string; to: string } | { error: string } {
  const value = (text ?? '').trim();
  const month = (y: number, m: number) => `${y}-${pad(m)}`;
  if (value === '') {
    const p = localParts(new Date(now), timeZone);
    const back = p.month - 2;
    return { from: back >= 1 ? month(p.year, back) : month(p.year - 1, back + 12), to: month(p.year, p.month) };
  }
  const valid = (m: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(m);
  const [from = '', to = from] = value.split('..');
  if (!valid(from) || !valid(to)) return { error: `"${value}" is not a month like 2026-11 or months like 2026-09..2026-11` };
  if (to < from) return { error: 'the months must end after they start' };
  return { from, to };
}

export interface SourceMonth {
  month: string;
  source: string;
  start: number;
  consultation: number;
  redeemed: number;
}

/** The counts per month and source in the months given (inclusive), months in order, sources by code. */
export function sourceMonths(db: Db, months: { from: string; to: string }): SourceMonth[] {
  const rows = db
    .select({ month: sql<string>`substr(${sourceCounts.day}, 1, 7)`, source: sourceCounts.source, metric: sourceCounts.metric, n: sql<number>`sum(${sourceCounts.count})` })
    .from(sourceCounts)
    .where(and(gte(sourceCounts.day, `${months.from}-01`), lt(sourceCounts.day, `${months.to}-99`)))
    .groupBy(sql`1`, sourceCounts.source, sourceCounts.metric)
    .all();
  const byKey = new Map<string, SourceMonth>();
  for (const r of rows) {
    const key = `${r.month}\u0000${r.source}`;
    let row = byKey.get(key);
    if (!row) byKey.set(key, (row = { month: r.month, source: r.source, start: 0, consultation: 0, redeemed: 0 }));
    if ((SOURCE_METRICS as readonly string[]).includes(r.metric)) row[r.metric as SourceMetric] += Number(r.n);
  }
  return [...byKey.values()].sort((a, b) => a.month.localeCompare(b.month) || a.source.localeCompare(b.source));
}

export interface ShownSourceMonth {
  month: string;
  source: string;
  start: Cell;
  consultation: Cell;
  redeemed: Cell;
}

/** Small cells hidden: with one or two people a month, a count would say when someone came. */
export function protectSourceCells(rows: readonly SourceMonth[]): ShownSourceMonth[] {
  return rows.map((r) => ({ month: r.month, source: r.source, start: cell(r.start), consultation: cell(r.consultation), redeemed: cell(r.redeemed) }));
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** month, source, label, region, starts, consultations, redeemed: small cells as "<5". */
export function sourcesCsv(rows: readonly SourceMonth[], describe: (code: string) => { label: string; region: string } | undefined): string {
  const lines = [['month', 'source', 'label', 'region', 'starts', 'consultations', 'codes_redeemed']];
  for (const r of protectSourceCells(rows)) {
    const known = describe(r.source);
    lines.push([r.month, r.source, known?.label ?? '', known?.region ?? '', String(r.start), String(r.consultation), String(r.redeemed)]);
  }
  return `${lines.map((l) => l.map(csvCell).join(',')).join('\n')}\n`;
}
