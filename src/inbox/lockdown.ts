import { and, asc, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { cases, outbox, type CaseRow, type OutboxRow } from '../db/schema.js';
import { getJobState, setJobState } from '../db/job-state.js';

const KEY = 'inbox.lockdown';

export interface LockdownState {
  /** When the inbox was locked (ms since the epoch). */
  since: number;
  /** Cases whose client has been told, during this lockdown, that their messages wait. */
  told: number[];
  /** The inbox it was locked from: only that group's administrators may unlock (absent in older rows). */
  inbox?: string;
}

/** The lockdown as stored (job_state), so it survives a restart; undefined when the inbox is open. */
export function readLockdown(db: Db): LockdownState | undefined {
  const raw = getJobState(db, KEY);
  if (!raw) return undefined;
  const parsed = JSON.parse(raw) as Partial<LockdownState>;
  if (typeof parsed.since !== 'number') return undefined;
  return { since: parsed.since, told: Array.isArray(parsed.told) ? parsed.told : [], ...(typeof parsed.inbox === 'string' ? { inbox: parsed.inbox } : {}) };
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

  /** The inbox it was locked from, if known. */
  get lockedFrom(): string | undefined {
    return this.state?.inbox;
  }

  /** Returns false if it was locked already. */
  lock(now: number, inbox?: string): boolean {
    if (this.state) return false;
    this.save({ since: now, told: [], ...(inbox !== undefined ? { inbox } : {}) });
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

/** The alias of the staff member whose action queued a post to a client, if one did (see ByStaff in src/relay/posts.ts). */
function staffAliasOf(row: Pick<OutboxRow, 'payload'>): string | undefined {
  if (!row.payload) return undefined;
  try {
    const staff = (JSON.parse(row.payload) as { staff?: unknown }).staff;
    return typeof staff === 'string' ? staff : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a lockdown holds this row: anything into a client's chat that comes from staff (a copy of a
 * reply, a snippet, a carried edit, "has joined", a /close or /ban notice), since it may be an intruder's.
 * The bot's own notices that no staff action caused (the rating prompt after a client's /end, "possibly
 * repeated") still go, unless a held post is ahead of them in the case's lane: the order is kept.
 */
export function heldByLockdown(row: Pick<OutboxRow, 'toClient' | 'kind' | 'payload'>): boolean {
  return row.toClient && (row.kind === 'copy' || staffAliasOf(row) !== undefined);
}

/** Staff posts to one case's client that a lockdown holds: how many, and the aliases on the posts (copies name none). */
export interface HeldForCase {
  caseId: number;
  count: number;
  copies: number;
  aliases: string[];
}

function heldRows(db: Db): OutboxRow[] {
  return db.select().from(outbox).where(eq(outbox.toClient, true)).orderBy(asc(outbox.id)).all().filter(heldByLockdown);
}

/** What the lockdown holds, per case, oldest case first. */
export function heldStaffPosts(db: Db): HeldForCase[] {
  const byCase = new Map<number, HeldForCase>();
  for (const row of heldRows(db)) {
    if (row.caseId === null) continue;
    const entry = byCase.get(row.caseId) ?? { caseId: row.caseId, count: 0, copies: 0, aliases: [] };
    entry.count++;
    const alias = staffAliasOf(row);
    if (alias === undefined) entry.copies++;
    else if (!entry.aliases.includes(alias)) entry.aliases.push(alias);
    byCase.set(row.caseId, entry);
  }
  return [...byCase.values()].sort((a, b) => a.caseId - b.caseId);
}

/** Drops every held staff post (an administrator decided they must not go). Returns how many. */
export function dropHeldStaffPosts(db: Db): number {
  const ids = heldRows(db).map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) db.delete(outbox).where(inArray(outbox.id, ids.slice(i, i + 500))).run();
  return ids.length;
}
