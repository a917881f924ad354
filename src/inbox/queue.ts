/** The consultants' queue, independent of Telegram: who is next, and where a client stands. */

export interface QueueEntry {
  caseId: number;
  urgent: boolean;
  /** When the case entered the queue (ms since epoch). */
  queuedAt: number;
}

/** Urgent cases first, then the longest-waiting; ties by case id so the order is stable. */
export function orderQueue<T extends QueueEntry>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => Number(b.urgent) - Number(a.urgent) || a.queuedAt - b.queuedAt || a.caseId - b.caseId);
}

/** 1-based place of a case in the queue, or null if it is not waiting. */
export function queuePosition(entries: readonly QueueEntry[], caseId: number): number | null {
  const index = orderQueue(entries).findIndex((e) => e.caseId === caseId);
  return index < 0 ? null : index + 1;
}
