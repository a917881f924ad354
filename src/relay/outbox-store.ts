import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { prepared } from '../db/prepared.js';
import { cases, outbox, relayMessages, type OutboxRow } from '../db/schema.js';

/**
 * The outbox's SQL, and nothing else: what waits to be put into a chat (copies and the bot's own
 * posts), in order per case and direction. Every change that follows from an update is written in the
 * update's own transaction, so a replayed update finds its effects already queued (or already done).
 */

export interface CopyItem {
  caseId: number;
  toClient: boolean;
  sourceMessageId: number;
  mediaGroupId?: string;
  replyToSourceId?: number;
  /** The text, sealed (see TextVault): kept only until the copy is made, for joining. */
  sealedText?: string;
  /** Copies to a client: the team chat the consultant wrote in (where the source and the message it replies to are). */
  sourceChatId?: number;
}

export interface PostItem {
  kind: string;
  toClient: boolean;
  caseId?: number;
  /** For caseless posts into a team chat: which inbox. */
  inbox?: string;
  payload?: unknown;
  sealedText?: string;
  priority: number;
  coalesceKey?: string;
  notBefore?: number;
}

/** Queues a message accepted into a case for copying across. Idempotent per source message, also once it was copied. Returns whether it was queued. */
export function enqueueCopy(db: Db, item: CopyItem, now: number): boolean {
  // An update replayed after a crash (handled, but not yet out of the journal) must not copy again what
  // was already copied: the pair recorded with the copy says so.
  const copied = item.toClient
    ? prepared(db, 'copiedToClient', (d) =>
        d
          .select({ id: relayMessages.clientMessageId })
          .from(relayMessages)
          .where(
            and(
              eq(relayMessages.caseId, sql.placeholder('caseId')),
              eq(relayMessages.fromClient, false),
              eq(relayMessages.teamChatId, sql.placeholder('sourceChatId')),
              eq(relayMessages.inboxMessageId, sql.placeholder('sourceMessageId')),
            ),
          )
          .limit(1)
          .prepare(),
      )
    : prepared(db, 'copiedToInbox', (d) =>
        d
          .select({ id: relayMessages.inboxMessageId })
          .from(relayMessages)
          .where(and(eq(relayMessages.caseId, sql.placeholder('caseId')), eq(relayMessages.fromClient, true), eq(relayMessages.clientMessageId, sql.placeholder('sourceMessageId'))))
          .limit(1)
          .prepare(),
      );
  if (item.toClient && item.sourceChatId === undefined) throw new Error(`enqueueCopy: a copy to the client of case ${item.caseId} needs the team chat it is copied from`);
  const key = item.toClient ? { caseId: item.caseId, sourceChatId: item.sourceChatId!, sourceMessageId: item.sourceMessageId } : { caseId: item.caseId, sourceMessageId: item.sourceMessageId };
  if (copied.get(key)) return false;
  return (
    prepared(db, 'enqueueCopy', (d) =>
      d
        .insert(outbox)
        .values({
          caseId: sql.placeholder('caseId'),
          toClient: sql.placeholder('toClient'),
          kind: 'copy',
          sourceMessageId: sql.placeholder('sourceMessageId'),
          sourceChatId: sql.placeholder('sourceChatId'),
          mediaGroupId: sql.placeholder('mediaGroupId'),
          replyToSourceId: sql.placeholder('replyToSourceId'),
          sealedText: sql.placeholder('sealedText'),
          priority: 2,
          notBefore: sql.placeholder('now'),
          createdAt: sql.placeholder('now'),
        })
        .onConflictDoNothing()
        .prepare(),
    ).run({
      caseId: item.caseId,
      toClient: item.toClient ? 1 : 0,
      sourceMessageId: item.sourceMessageId,
      sourceChatId: item.toClient ? item.sourceChatId! : null,
      mediaGroupId: item.mediaGroupId ?? null,
      replyToSourceId: item.replyToSourceId ?? null,
      sealedText: item.sealedText ?? null,
      now,
    }).changes > 0
  );
}

/** Queues one of the bot's own posts. A post with a coalescing key already waiting is not queued again (it shows the latest state when it goes). */
export function enqueuePost(db: Db, item: PostItem, now: number): boolean {
  return (
    db
      .insert(outbox)
      .values({
        caseId: item.caseId ?? null,
        toClient: item.toClient,
        kind: item.kind,
        inbox: item.inbox ?? null,
        payload: item.payload === undefined ? null : JSON.stringify(item.payload),
        sealedText: item.sealedText ?? null,
        priority: item.priority,
        coalesceKey: item.coalesceKey ?? null,
        notBefore: item.notBefore ?? now,
        createdAt: now,
      })
      .onConflictDoNothing()
      .run().changes > 0
  );
}

/** Rows of one lane (case and direction) looked at at a time: enough for an album or a run of texts to join. */
export const LANE_HEAD = 500;

export function laneRows(db: Db, caseId: number, toClient: boolean): OutboxRow[] {
  return prepared(db, 'outboxLane', (d) =>
    d
      .select()
      .from(outbox)
      .where(and(eq(outbox.toClient, sql.placeholder('toClient')), eq(outbox.caseId, sql.placeholder('caseId'))))
      .orderBy(asc(outbox.id))
      .limit(LANE_HEAD)
      .prepare(),
  ).all({ caseId, toClient: toClient ? 1 : 0 });
}

/** The oldest row of a case's lane, with what the scheduler needs to rank it. */
export interface LaneHead {
  id: number;
  caseId: number;
  toClient: boolean;
  kind: string;
  notBefore: number;
  createdAt: number;
  mediaGroupId: string | null;
  urgent: boolean;
  threadId: number | null;
  /** The chat the case's topic is in. */
  teamChatId: number | null;
  inbox: string;
  rows: number;
}

interface RawHead {
  id: number;
  case_id: number;
  to_client: number;
  kind: string;
  not_before: number;
  created_at: number;
  media_group_id: string | null;
  urgent: number;
  thread_id: number | null;
  team_chat_id: number | null;
  inbox: string;
  n: number;
}

/**
 * The heads of the lanes of one direction. Into the team's chat only copies form lanes (the bot's
 * own posts there are ranked one by one); into clients' chats everything of a case is one lane, in
 * order. The grouping reads only the lane index, so this stays cheap with thousands of rows waiting.
 */
const HEADS_SQL = (toClient: boolean) => `
  SELECT o.id, o.case_id, o.to_client, o.kind, o.not_before, o.created_at, o.media_group_id,
         c.urgent, c.thread_id, c.team_chat_id, ${INBOX_COLUMN} AS inbox, h.n
  FROM (SELECT min(id) AS id, count(*) AS n FROM outbox
        WHERE to_client = ${toClient ? 1 : 0} AND case_id IS NOT NULL ${toClient ? '' : "AND kind = 'copy'"}
        GROUP BY case_id) h
  JOIN outbox o ON o.id = h.id
  JOIN cases c ON c.id = o.case_id
  ORDER BY o.id
  LIMIT ?`;

/** Which inbox a case belongs to, in SQL. */
const INBOX_COLUMN = 'c.inbox';

export function laneHeads(db: Db, toClient: boolean, limit: number): LaneHead[] {
  const statement = prepared(db, `outboxHeads:${toClient}`, (d) => d.$client.prepare<[number], RawHead>(HEADS_SQL(toClient)));
  return statement.all(limit).map((r) => ({
    id: r.id,
    caseId: r.case_id,
    toClient: r.to_client === 1,
    kind: r.kind,
    notBefore: r.not_before,
    createdAt: r.created_at,
    mediaGroupId: r.media_group_id,
    urgent: r.urgent === 1,
    threadId: r.thread_id,
    teamChatId: r.team_chat_id,
    inbox: r.inbox,
    rows: r.n,
  }));
}

/** A team post waiting, with its case's inbox (or its own, for a caseless one). */
export type TeamPostRow = OutboxRow & { caseInbox: string | null; urgent: boolean; caseThreadId: number | null; caseTeamChatId: number | null };

const TEAM_POSTS_SQL = `
  SELECT o.*, ${INBOX_COLUMN} AS case_inbox, coalesce(c.urgent, 0) AS urgent, c.thread_id AS case_thread, c.team_chat_id AS case_team_chat FROM outbox o
  LEFT JOIN cases c ON c.id = o.case_id
  WHERE o.to_client = 0 AND o.kind <> 'copy' AND o.not_before <= ?
  ORDER BY o.priority, o.id
  LIMIT ?`;

/** The team posts due now, best first: priority, then age. */
export function dueTeamPosts(db: Db, now: number, limit: number): TeamPostRow[] {
  const statement = prepared(db, 'outboxTeamPosts', (d) => d.$client.prepare<[number, number], Record<string, unknown>>(TEAM_POSTS_SQL));
  return statement.all(now, limit).map((r) => ({
    id: r.id as number,
    caseId: r.case_id as number | null,
    toClient: false,
    kind: r.kind as string,
    sourceMessageId: r.source_message_id as number | null,
    sourceChatId: r.source_chat_id as number | null,
    mediaGroupId: r.media_group_id as string | null,
    replyToSourceId: r.reply_to_source_id as number | null,
    sealedText: r.sealed_text as string | null,
    payload: r.payload as string | null,
    inbox: r.inbox as string | null,
    priority: r.priority as number,
    coalesceKey: r.coalesce_key as string | null,
    attempts: r.attempts as number,
    notBefore: r.not_before as number,
    createdAt: r.created_at as number,
    sendingAt: r.sending_at as number | null,
    maybeRepeat: r.maybe_repeat === 1,
    caseInbox: r.case_inbox as string | null,
    urgent: r.urgent === 1,
    caseThreadId: r.case_thread as number | null,
    caseTeamChatId: r.case_team_chat as number | null,
  }));
}

/** When the next team post falls due (for the scheduler's timer), if any waits. */
export function nextTeamPostAt(db: Db): number | undefined {
  const row = db.$client.prepare<[], { at: number | null }>("SELECT min(not_before) AS at FROM outbox WHERE to_client = 0 AND kind <> 'copy'").get();
  return row?.at ?? undefined;
}

/**
 * Written just before a request goes out. A coalescing key is let go at the same moment: a change made
 * while this one is on its way queues a new post rather than being lost in this one.
 */
export function markSending(db: Db, ids: number[], now: number): void {
  const mark = prepared(db, 'outboxSending', (d) =>
    d.update(outbox).set({ sendingAt: sql.placeholder('now') as never, coalesceKey: null }).where(eq(outbox.id, sql.placeholder('id'))).prepare(),
  );
  if (ids.length === 1) mark.run({ id: ids[0]!, now });
  else db.$client.transaction(() => ids.forEach((id) => mark.run({ id, now })))();
}

/** The copies made, recorded with the rows' removal in one transaction; `after` runs inside it too. */
export function completeCopies(
  db: Db,
  rows: OutboxRow[],
  pairs: { caseId: number; clientMessageId: number; inboxMessageId: number; teamChatId: number; fromClient: boolean }[],
  after?: () => void,
): void {
  const done = prepared(db, 'outboxDone', (d) => d.delete(outbox).where(eq(outbox.id, sql.placeholder('id'))).prepare());
  const pair = prepared(db, 'relayPair', (d) =>
    d
      .insert(relayMessages)
      .values({
        caseId: sql.placeholder('caseId'),
        clientMessageId: sql.placeholder('clientMessageId'),
        inboxMessageId: sql.placeholder('inboxMessageId'),
        teamChatId: sql.placeholder('teamChatId'),
        fromClient: sql.placeholder('fromClient'),
      })
      .onConflictDoNothing()
      .prepare(),
  );
  db.$client.transaction(() => {
    for (const row of rows) done.run({ id: row.id });
    for (const p of pairs) pair.run({ ...p, fromClient: p.fromClient ? 1 : 0 });
    after?.();
  })();
}

/** Rows done with (posted, or dropped): gone. */
export function removeRows(db: Db, ids: number[]): void {
  if (ids.length > 0) db.delete(outbox).where(inArray(outbox.id, ids)).run();
}

/** Not before `until`; the request did not go out (or was refused): no longer on its way. */
export function postpone(db: Db, ids: number[], until: number, attempts?: number): void {
  db.update(outbox)
    .set({ notBefore: until, sendingAt: null, ...(attempts !== undefined ? { attempts } : {}) })
    .where(inArray(outbox.id, ids))
    .run();
}

/**
 * At start: rows that were on their way when the process stopped may have arrived. They are sent again
 * (nothing is lost), and what they create is marked for the reader as possibly repeated.
 */
export function recoverInFlight(db: Db): number {
  return db.update(outbox).set({ sendingAt: null, maybeRepeat: true }).where(isNotNull(outbox.sendingAt)).run().changes;
}

/** How many copies and posts are waiting, per direction (for /healthz and the lockdown notice). */
export function backlog(db: Db): { toInbox: number; toClients: number } {
  const row = db.$client
    .prepare<[], { toInbox: number; toClients: number }>('SELECT coalesce(sum(to_client = 0), 0) AS toInbox, coalesce(sum(to_client = 1), 0) AS toClients FROM outbox')
    .get();
  return row ?? { toInbox: 0, toClients: 0 };
}

/** Whether anything waits for the case in this direction. */
export function hasWaiting(db: Db, caseId: number, toClient: boolean): boolean {
  return db.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.caseId, caseId), eq(outbox.toClient, toClient))).limit(1).get() !== undefined;
}

/**
 * Upgrade: copies to clients queued before a row recorded its source chat named the inbox it was written
 * in; that inbox's group as configured now is taken (the rows are seconds old at most).
 */
export function recordLegacySourceChats(db: Db, chatOf: (inbox: string) => number): number {
  const legacy = db.$client
    .prepare<[], { id: number; inbox: string }>(
      "SELECT o.id, coalesce(o.inbox, c.inbox) AS inbox FROM outbox o JOIN cases c ON c.id = o.case_id WHERE o.to_client = 1 AND o.kind = 'copy' AND o.source_chat_id IS NULL",
    )
    .all();
  for (const { id, inbox } of legacy) db.update(outbox).set({ sourceChatId: chatOf(inbox) }).where(eq(outbox.id, id)).run();
  return legacy.length;
}

/** Whether a client's message is being copied into the team's chat right now (sent, its pair not yet recorded). */
export function clientCopyInFlight(db: Db, caseId: number, sourceMessageId: number): boolean {
  return (
    db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.caseId, caseId), eq(outbox.toClient, false), eq(outbox.kind, 'copy'), eq(outbox.sourceMessageId, sourceMessageId), isNotNull(outbox.sendingAt)))
      .limit(1)
      .get() !== undefined
  );
}

/** Whether a post of this kind waits for the case (say, the creation of its topic). */
export function hasPending(db: Db, caseId: number, kind: string): boolean {
  return db.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.caseId, caseId), eq(outbox.kind, kind))).limit(1).get() !== undefined;
}
