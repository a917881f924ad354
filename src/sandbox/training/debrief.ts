import type { Entry, Expectation } from './scenario.js';

/** What happened to one scripted client in a practice run (times in ms since the epoch). */
export interface ClientRecord {
  title: string;
  entry: Entry;
  /** When the client was in the queue. */
  queuedAt?: number;
  takenAt?: number;
  takenBy?: string;
  expectations: { expect: Expectation; hint?: string; within: number; startedAt?: number; metAt?: number }[];
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
const LABEL: Record<Expectation, string> = { reply: 'a message to the client', note: 'an internal note', close: 'closing the case' };

/**
 * The short debrief at the end of a practice run: per client, how long they waited, how fast and
 * whether each expected reaction came; for the run, whether an urgent case was taken first.
 */
export function debrief(records: readonly ClientRecord[]): string[] {
  const lines: string[] = [];
  for (const r of records) {
    const waited = r.queuedAt !== undefined && r.takenAt !== undefined ? `taken after ${seconds(r.takenAt - r.queuedAt)} in the queue${r.takenBy ? ` by ${r.takenBy}` : ''}` : 'never taken';
    lines.push(`${r.title}${r.entry === 'urgent' ? ' (urgent)' : ''}: ${waited}.`);
    for (const e of r.expectations) {
      const what = `${LABEL[e.expect]}${e.hint ? ` (${e.hint})` : ''}`;
      if (e.metAt !== undefined && e.startedAt !== undefined) {
        const took = e.metAt - e.startedAt;
        lines.push(`  ${took <= e.within * 1000 ? '✓' : '⚠'} ${what}: after ${seconds(took)}${took > e.within * 1000 ? `, later than ${e.within} s` : ''}.`);
      } else {
        lines.push(`  ✗ ${what}: expected, not done.`);
      }
    }
  }
  const urgent = records.filter((r) => r.entry === 'urgent');
  const others = records.filter((r) => r.entry !== 'urgent');
  if (urgent.length > 0 && others.length > 0) {
    const firstOther = Math.min(...others.map((r) => r.takenAt ?? Infinity));
    const urgentFirst = urgent.every((r) => r.takenAt !== undefined && r.takenAt <= firstOther);
    lines.push(urgentFirst ? '✓ The urgent case was taken first.' : '✗ The urgent case was not taken first: in the queue, 🆘 comes before everything else.');
  }
  const replies = records.flatMap((r) => r.expectations.filter((e) => e.expect === 'reply' && e.metAt !== undefined && e.startedAt !== undefined));
  if (replies.length > 0) {
    const mean = replies.reduce((sum, e) => sum + (e.metAt! - e.startedAt!), 0) / replies.length;
    lines.push(`Average time to answer a client: ${seconds(mean)} (${replies.length} answer${replies.length === 1 ? '' : 's'}).`);
  }
  return lines;
}
