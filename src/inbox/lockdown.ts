import { and, asc, isNull, ne } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { cases, type CaseRow } from '../db/schema.js';
import { getJobState, setJobState } from '../publishing/ledger.js';

const KEY = 'inbox.lockdown';

export interface LockdownState {
  /** When the inbox was locked (ms since the epoch). */
  since: number;
  /** Cases whose client has been told, during this lockdown, that their messages wait. */
  told: number[];
}

/** The lockdown as stored (job_state), so it survives a restart; undefined when the inbox is open. */
export function readLockdown(db: Db): LockdownState | undefined {
  const raw = getJobState(db, KEY);
  if (!raw) return undefined;
  const parsed = JSON.parse(raw) as Partial<LockdownState>;
  return typeof parsed.since === 'number' ? { since: parsed.since, told: Array.isArray(parsed.told) ? parsed.told : [] } : undefined;
}

/**
 * The inbox's lockdown: while it holds, nothing is relayed in either direction (the outbox keeps it
 * all) and new cases get no topic. Kept in memory for the relay's hot path, written through to the
 * database. Who locked or unlocked is not stored: the announcements in the staff chat say it.
 */
export class Lockdown {
  private state: LockdownState | undefined;

  constructor(private readonly db: Db) {
    this.state = readLockdown(db);
  }

  get isLocked(): boolean {
    return this.state !== undefined;
  }

  get since(): number | undefined {
    return this.state?.since;
  }

  /** Returns false if it was locked already. */
  lock(now: number): boolean {
    if (this.state) return false;
    this.save({ since: now, told: [] });
    return true;
  }

  /** Returns false if it was not locked. */
  unlock(): boolean {
    if (!this.state) return false;
    this.save(undefined);
    return true;
  }

  /** Whether this case's client is yet to be told, in this lockdown, that their messages wait (then counts them as told). */
  shouldTell(caseId: number): boolean {
    if (!this.state || this.state.told.includes(caseId)) return false;
    this.save({ ...this.state, told: [...this.state.told, caseId] });
    return true;
  }

  private save(state: LockdownState | undefined): void {
    this.state = state;
    setJobState(this.db, KEY, state ? JSON.stringify(state) : '');
  }
}

/** Open cases that have no topic yet (opened during a lockdown), oldest first. */
export function casesAwaitingTopic(db: Db): CaseRow[] {
  return db
    .select()
    .from(cases)
    .where(and(ne(cases.status, 'closed'), isNull(cases.threadId)))
    .orderBy(asc(cases.id))
    .all();
}
