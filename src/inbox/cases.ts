import { and, count, desc, eq, gte, inArray, isNotNull, isNull, lte, ne, notInArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { coarsenStats } from '../db/case-stats.js';
import { caseTraces, queueDeletions } from '../db/deletions.js';
import { prepared } from '../db/prepared.js';
import { caseStats, cases, clients, type CaseRow } from '../db/schema.js';
import type { QueueEntry } from './queue.js';

/** The case lifecycle, independent of Telegram: every change is one statement or one transaction. */

/**
 * An intake topic id and a referral type: their lists live in content/settings.yml, so an id stored
 * with an old case may no longer be listed (it still renders, as its id if it has no text).
 */
export type CaseTopic = string;
export type Referral = string;

export function findOpenCase(db: Db, clientKey: string): CaseRow | undefined {
  return prepared(db, 'findOpenCase', (d) =>
    d.select().from(cases).where(and(eq(cases.clientKey, sql.placeholder('clientKey')), ne(cases.status, 'closed'))).prepare(),
  ).get({ clientKey });
}

export function findCase(db: Db, id: number): CaseRow | undefined {
  return prepared(db, 'findCase', (d) => d.select().from(cases).where(eq(cases.id, sql.placeholder('id'))).prepare()).get({ id });
}

/**
 * The case whose topic this is, in this team chat. Topic ids are numbered per chat, so the chat is half
 * the key: the same topic id in another group is another case, or none.
 */
export function findCaseByThread(db: Db, teamChatId: number, threadId: number): CaseRow | undefined {
  return prepared(db, 'findCaseByThread', (d) =>
    d
      .select()
      .from(cases)
      .where(and(eq(cases.teamChatId, sql.placeholder('teamChatId')), eq(cases.threadId, sql.placeholder('threadId'))))
      .prepare(),
  ).get({ teamChatId, threadId });
}

/** The case's topic in `teamChatId`, if it has one there: a topic id is never read in another chat. */
export function topicIn(row: Pick<CaseRow, 'teamChatId' | 'threadId'>, teamChatId: number): number | undefined {
  return row.teamChatId === teamChatId && row.threadId !== null ? row.threadId : undefined;
}

/**
 * Cases whose inbox name is no longer configured (rows from before INBOXES say "main"; an inbox may be
 * renamed or removed) move to `to`. Their topics stay where they are: if that is not `to`'s group, the
 * start moves them (see casesInAnotherChat). Returns how many moved.
 */
export function adoptUnconfiguredInboxes(db: Db, configured: readonly string[], to: string): number {
  return db.update(cases).set({ inbox: to }).where(notInArray(cases.inbox, [...configured])).run().changes;
}

/**
 * Upgrade: rows from before a case recorded its team chat get the chat their inbox has now (`chatOf`
 * returns undefined for a name whose group is not known: then their topic ids are dropped at start).
 */
export function recordLegacyTeamChats(db: Db, chatOf: (inbox: string) => number | undefined): number {
  const legacy = db
    .select({ id: cases.id, inbox: cases.inbox })
    .from(cases)
    .where(and(isNull(cases.teamChatId), or(isNotNull(cases.threadId), isNotNull(cases.cardMessageId), isNotNull(cases.reminderMessageId))))
    .all();
  let filled = 0;
  for (const { id, inbox } of legacy) {
    const chat = chatOf(inbox);
    if (chat === undefined) continue;
    try {
      filled += db.update(cases).set({ teamChatId: chat }).where(eq(cases.id, id)).run().changes;
    } catch {
      // (team_chat_id, thread_id) is unique: another case has that topic id there (a "main" case the old
      // adoption could not move). Its group is not known, so its topic ids are dropped at start.
    }
  }
  return filled;
}

/**
 * Cases whose topic (card, reminder) is in a chat other than the one their inbox names now: INBOXES
 * changed (two ids swapped, an inbox pointed at a new group, renamed, or removed and its cases adopted).
 */
export function casesInAnotherChat(db: Db, chatOf: (inbox: string) => number): CaseRow[] {
  return db
    .select()
    .from(cases)
    .where(or(isNotNull(cases.threadId), isNotNull(cases.cardMessageId), isNotNull(cases.reminderMessageId)))
    .all()
    .filter((row) => row.teamChatId !== chatOf(row.inbox));
}

/** The case keeps nothing of its topic, card or reminder (they are in a chat it has left). */
export function detachTopic(db: Db, caseId: number): CaseRow | undefined {
  return db
    .update(cases)
    .set({ teamChatId: null, threadId: null, cardMessageId: null, reminderMessageId: null })
    .where(eq(cases.id, caseId))
    .returning()
    .get();
}

export type OpenResult = { opened: true; reopened?: true; case: CaseRow } | { opened: false; case: CaseRow };

/**
 * Opens a case unless the client already has one open (then returns that one). An urgent case closed
 * at or after `reuseUrgentSince` is reopened instead of a new one (`reopened`): pressing emergency,
 * /end, emergency again brings the same case and topic back rather than a new topic each time.
 */
export function openCase(
  db: Db,
  input: { clientKey: string; topic: CaseTopic; urgent: boolean; inbox: string; region?: string | null; now: number; reuseUrgentSince?: number },
): OpenResult {
  return db.$client.transaction((): OpenResult => {
    const existing = findOpenCase(db, input.clientKey);
    if (existing) return { opened: false, case: existing };
    const { reuseUrgentSince, ...values } = input;
    if (input.urgent && reuseUrgentSince !== undefined) {
      const recent = recentUrgentCase(db, input.clientKey, reuseUrgentSince);
      const reopened = recent && reopenUrgentCase(db, recent.id, input.now);
      if (reopened) return { opened: true, reopened: true, case: reopened };
    }
    const stats = db.insert(caseStats).values({ topic: input.topic, urgent: input.urgent, openedAt: input.now, inbox: input.inbox }).returning().get();
    const row = db
      .insert(cases)
      // A new case is a client waiting for an answer: whoever takes it has a period to give one (answer-due.ts).
      .values({ ...values, region: values.region ?? null, statsId: stats.id, status: 'waiting', openedAt: input.now, queuedAt: input.now, clientWroteAt: input.now })
      .returning()
      .get();
    return { opened: true, case: row };
  })();
}

/** The client's latest urgent case closed at or after `since`, if any. */
function recentUrgentCase(db: Db, clientKey: string, since: number): CaseRow | undefined {
  return db
    .select()
    .from(cases)
    .where(and(eq(cases.clientKey, clientKey), eq(cases.urgent, true), eq(cases.status, 'closed'), gte(cases.closedAt, since)))
    .orderBy(desc(cases.closedAt))
    .get();
}

/** A closed urgent case back at the head of the queue, waiting for anyone, as if just opened. */
function reopenUrgentCase(db: Db, caseId: number, now: number): CaseRow | undefined {
  const row = db
    .update(cases)
    .set({ status: 'waiting', consultantId: null, specialty: null, queuedAt: now, closedAt: null, remindedAt: null, feedbackUntil: null, clientWroteAt: now, nudgedAt: null })
    .where(and(eq(cases.id, caseId), eq(cases.status, 'closed')))
    .returning()
    .get();
  if (row?.statsId != null) db.update(caseStats).set({ closedAt: null }).where(eq(caseStats.id, row.statsId)).run();
  return row;
}

/** The case's topic is `threadId` in `teamChatId` (its card and reminder, if any, are in that chat too). */
export function attachTopic(db: Db, caseId: number, teamChatId: number, threadId: number, cardMessageId?: number): void {
  db.update(cases).set({ teamChatId, threadId, ...(cardMessageId !== undefined ? { cardMessageId } : {}) }).where(eq(cases.id, caseId)).run();
}

export type ClaimResult =
  | { ok: true; case: CaseRow }
  | { ok: false; reason: 'taken'; consultantId: number }
  | { ok: false; reason: 'closed' | 'missing' }
  | { ok: false; reason: 'overloaded'; active: number };

export function activeCaseCount(db: Db, consultantId: number): number {
  return db.select({ n: count() }).from(cases).where(and(eq(cases.consultantId, consultantId), eq(cases.status, 'active'))).get()?.n ?? 0;
}

/**
 * Assigns a waiting case to a consultant. A single conditional UPDATE, so when two consultants take
 * at once exactly one wins; the other learns who has it. `maxActive` protects from overload.
 */
export function claimCase(db: Db, caseId: number, consultantId: number, now: number, maxActive?: number): ClaimResult {
  return db.$client.transaction((): ClaimResult => {
    if (maxActive !== undefined) {
      const active = activeCaseCount(db, consultantId);
      if (active >= maxActive) return { ok: false, reason: 'overloaded', active };
    }
    const row = db
      .update(cases)
      // A client still waiting for an answer gives the new holder a full period from now.
      .set({ status: 'active', consultantId, specialty: null, nudgedAt: null, clientWroteAt: sql`CASE WHEN ${cases.clientWroteAt} IS NULL THEN NULL ELSE ${now} END` })
      .where(and(eq(cases.id, caseId), eq(cases.status, 'waiting')))
      .returning()
      .get();
    if (row) {
      if (row.statsId !== null) {
        db.update(caseStats).set({ takenAt: now }).where(and(eq(caseStats.id, row.statsId), sql`${caseStats.takenAt} IS NULL`)).run();
      }
      return { ok: true, case: row };
    }
    const current = findCase(db, caseId);
    if (!current) return { ok: false, reason: 'missing' };
    if (current.status === 'closed') return { ok: false, reason: 'closed' };
    return { ok: false, reason: 'taken', consultantId: current.consultantId ?? 0 };
  })();
}

/** Back to the queue (keeps its place by the time it re-enters), optionally asking for a specialty. */
export function releaseCase(db: Db, caseId: number, now: number, specialty?: string): CaseRow | undefined {
  return db
    .update(cases)
    .set({ status: 'waiting', consultantId: null, queuedAt: now, specialty: specialty ?? null, remindedAt: null, nudgedAt: null })
    .where(and(eq(cases.id, caseId), eq(cases.status, 'active')))
    .returning()
    .get();
}

/**
 * The case moves to another inbox: it waits there for anyone (as a new arrival), with no topic yet (a
 * new one is made in that group). Its message-id pairs stay, with their chat: an edit or a reply that
 * refers to a message of the old group is never taken as one of the new group.
 */
export function moveCase(db: Db, caseId: number, inbox: string): CaseRow | undefined {
  return db
    .update(cases)
    .set({ inbox, status: 'waiting', consultantId: null, specialty: null, teamChatId: null, threadId: null, cardMessageId: null, reminderMessageId: null, remindedAt: null, nudgedAt: null })
    .where(and(eq(cases.id, caseId), ne(cases.status, 'closed')))
    .returning()
    .get();
}

/** Hands an active case straight to another consultant. */
export function transferCase(db: Db, caseId: number, consultantId: number, now?: number): CaseRow | undefined {
  // The colleague has a full period to answer a client still waiting (answer-due.ts).
  const wrote = now === undefined ? {} : { clientWroteAt: sql`CASE WHEN ${cases.clientWroteAt} IS NULL THEN NULL ELSE ${now} END` };
  return db.update(cases).set({ consultantId, nudgedAt: null, ...wrote }).where(and(eq(cases.id, caseId), ne(cases.status, 'closed'))).returning().get();
}

export function recordFirstResponse(db: Db, row: CaseRow, now: number): void {
  if (row.statsId === null) return;
  db.update(caseStats).set({ firstResponseAt: now }).where(and(eq(caseStats.id, row.statsId), sql`${caseStats.firstResponseAt} IS NULL`)).run();
}

export function closeCase(db: Db, caseId: number, now: number): CaseRow | undefined {
  return db.$client.transaction(() => {
    const row = db.update(cases).set({ status: 'closed', closedAt: now }).where(and(eq(cases.id, caseId), ne(cases.status, 'closed'))).returning().get();
    if (row?.statsId != null) db.update(caseStats).set({ closedAt: now }).where(eq(caseStats.id, row.statsId)).run();
    return row;
  })();
}

const FEEDBACK_WINDOW_MS = 30 * 60_000;

/** The client's recently closed case still open for a comment, if any. */
export function caseAwaitingComment(db: Db, clientKey: string, now: number): CaseRow | undefined {
  return db
    .select()
    .from(cases)
    .where(and(eq(cases.clientKey, clientKey), eq(cases.status, 'closed'), isNotNull(cases.feedbackUntil), sql`${cases.feedbackUntil} > ${now}`))
    .get();
}

export function inviteComment(db: Db, caseId: number, now: number): void {
  db.update(cases).set({ feedbackUntil: now + FEEDBACK_WINDOW_MS }).where(eq(cases.id, caseId)).run();
}

export function commentReceived(db: Db, caseId: number): void {
  db.update(cases).set({ feedbackUntil: null }).where(eq(cases.id, caseId)).run();
}

export function addReferrals(db: Db, row: CaseRow, referrals: Referral[]): Referral[] {
  if (row.statsId === null) return [];
  return db.$client.transaction(() => {
    const stats = db.select().from(caseStats).where(eq(caseStats.id, row.statsId!)).get();
    const current = new Set<string>(JSON.parse(stats?.referrals ?? '[]') as string[]);
    for (const r of referrals) current.add(r);
    db.update(caseStats).set({ referrals: JSON.stringify([...current]) }).where(eq(caseStats.id, row.statsId!)).run();
    return [...current] as Referral[];
  })();
}

export function rateCase(db: Db, row: CaseRow, rating: number): boolean {
  if (row.statsId === null || !Number.isInteger(rating) || rating < 1 || rating > 5) return false;
  return db.update(caseStats).set({ rating }).where(eq(caseStats.id, row.statsId)).run().changes > 0;
}

export function waitingQueue(db: Db): (QueueEntry & { row: CaseRow })[] {
  return db
    .select()
    .from(cases)
    .where(eq(cases.status, 'waiting'))
    .all()
    .map((row) => ({ caseId: row.id, urgent: row.urgent, queuedAt: row.queuedAt, row }));
}

/** How many earlier (closed) cases this client had, for the case card. */
export function earlierCaseCount(db: Db, clientKey: string): number {
  return db.select({ n: count() }).from(cases).where(and(eq(cases.clientKey, clientKey), eq(cases.status, 'closed'))).get()?.n ?? 0;
}

/**
 * Retention: closed cases older than the limit go, with their relay mappings and pending copies
 * (foreign keys cascade). Their topics in the team's chat (and in the client's chat), and the reminders
 * that named them, are queued for deletion in the same transaction (`teamChatRef`: the sealed id of the
 * chat a case's topic is in). Their anonymous figures in
 * case_stats stay for reporting. RETENTION_DAYS=0 purges every closed case.
 */
export function purgeClosedCases(db: Db, now: number, retentionDays: number, teamChatRef: (teamChatId: number) => string): number {
  const cutoff = now - retentionDays * 86_400_000;
  return db.$client.transaction(() => {
    const old = db
      .select({ row: cases, chatRef: clients.chatRef })
      .from(cases)
      .innerJoin(clients, eq(clients.key, cases.clientKey))
      .where(and(eq(cases.status, 'closed'), isNotNull(cases.closedAt), lte(cases.closedAt, cutoff)))
      .all();
    if (old.length === 0) return 0;
    queueDeletions(db, old.flatMap(({ row, chatRef }) => caseTraces(row, row.teamChatId === null ? undefined : teamChatRef(row.teamChatId), chatRef)));
    coarsenStats(db, old.flatMap(({ row }) => (row.statsId === null ? [] : [row.statsId])));
    return db.delete(cases).where(inArray(cases.id, old.map(({ row }) => row.id))).run().changes;
  })();
}
