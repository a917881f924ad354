import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { GrammyError, HttpError, type Api } from 'grammy';
import type { MessageEntity } from 'grammy/types';
import type { Db } from '../db/connection.js';
import { cases, outbox, relayMessages, type CaseRow, type OutboxRow } from '../db/schema.js';
import { prepared } from '../db/prepared.js';
import { findClient } from '../db/clients.js';
import { findCase } from './cases.js';
import type { Logger } from '../logger.js';
import type { Privacy } from '../privacy/keys.js';
import { GROUP_WINDOW_MS, Pacer } from './pacing.js';
import { FairShare, type Contender } from './fair-share.js';
import type { Metrics } from '../ops/metrics.js';

export interface DeliveryDeps {
  db: Db;
  api: Api;
  logger: Logger;
  privacy: Privacy;
  /** The team's chat of a case (its inbox's group). */
  chatOf: (row: CaseRow) => number;
  pacer?: Pacer;
  clock?: () => number;
  metrics?: Metrics;
  /** The client blocked the bot: close the case and say so in its topic. */
  onClientGone: (row: CaseRow) => Promise<void>;
  /** The case's topic is gone: make a new one and return its thread id (or undefined to give up). */
  onTopicMissing: (row: CaseRow) => Promise<number | undefined>;
  /** The inbox is locked down: copies in this direction wait in the outbox (the unlock kicks a pass). */
  paused?: (toClient: boolean) => boolean;
}

/** Queues a message accepted into a case for copying across. Idempotent per source message, also once it was copied. Returns whether it was queued. */
export function enqueueCopy(
  db: Db,
  item: { caseId: number; toClient: boolean; sourceMessageId: number; mediaGroupId?: string; replyToSourceId?: number },
  now: number,
): boolean {
  // An update replayed after a crash (handled, but not yet out of the journal) must not copy again what
  // was already copied: the pair recorded with the copy says so.
  const copied = item.toClient
    ? prepared(db, 'copiedToClient', (d) =>
        d
          .select({ id: relayMessages.clientMessageId })
          .from(relayMessages)
          .where(and(eq(relayMessages.caseId, sql.placeholder('caseId')), eq(relayMessages.fromClient, false), eq(relayMessages.inboxMessageId, sql.placeholder('sourceMessageId'))))
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
  if (copied.get({ caseId: item.caseId, sourceMessageId: item.sourceMessageId })) return false;
  return (
    prepared(db, 'enqueueCopy', (d) =>
      d
        .insert(outbox)
        .values({
          caseId: sql.placeholder('caseId'),
          toClient: sql.placeholder('toClient'),
          sourceMessageId: sql.placeholder('sourceMessageId'),
          mediaGroupId: sql.placeholder('mediaGroupId'),
          replyToSourceId: sql.placeholder('replyToSourceId'),
          notBefore: sql.placeholder('now'),
          createdAt: sql.placeholder('now'),
        })
        .onConflictDoNothing()
        .prepare(),
    ).run({ ...item, toClient: item.toClient ? 1 : 0, mediaGroupId: item.mediaGroupId ?? null, replyToSourceId: item.replyToSourceId ?? null, now }).changes > 0
  );
}

/** How many copies are waiting, per direction (for /healthz and the queue board). */
export function backlog(db: Db): { toInbox: number; toClients: number } {
  const rows = db.select({ toClient: outbox.toClient }).from(outbox).all();
  return { toInbox: rows.filter((r) => !r.toClient).length, toClients: rows.filter((r) => r.toClient).length };
}

/** A client's text kept in memory (never stored) from the moment it is queued until it is copied. */
export interface JoinableText {
  text: string;
  entities?: MessageEntity[];
}

/** Joined parts are separated by an empty line; the whole stays within Telegram's 4,096 characters. */
export const JOIN_SEPARATOR = '\n\n';
const MAX_TEXT_LENGTH = 4_096;

/** One text made of several, with each part's formatting moved to where the part now starts. */
export function joinTexts(parts: JoinableText[]): JoinableText {
  let text = '';
  const entities: MessageEntity[] = [];
  for (const part of parts) {
    if (text.length > 0) text += JOIN_SEPARATOR;
    const offset = text.length; // UTF-16 code units, as Telegram counts entity offsets
    for (const entity of part.entities ?? []) entities.push({ ...entity, offset: entity.offset + offset });
    text += part.text;
  }
  return entities.length > 0 ? { text, entities } : { text };
}

const ALBUM_SETTLE_MS = 1_500;
/** Rows of one lane looked at at a time: enough for an album or for a run of short texts to join. */
const LANE_HEAD = 500;
/** Lanes looked at per pass, by their heads: a long backlog is one lane, so it never hides another case. */
const PASS_LANES = 2_000;
/** Slots of the inbox's window a backlog leaves for other cases' first messages. */
const FIRST_MESSAGE_RESERVE = 3;
/** A lane that had to let a higher-ranked one go first looks again this soon. */
const YIELD_MS = 50;
/** Lanes (case and direction) delivered at the same time. */
const LANES_AT_ONCE = 64;
const MAX_ATTEMPTS = 8;
/** While paused, how often a lane looks again anyway (the unlock does not wait for it). */
const PAUSED_RECHECK_MS = 30_000;

/** The oldest row of a lane, with its case's urgency and how many rows the lane holds. */
type HeadRow = OutboxRow & { urgent: boolean; rows: number };

/**
 * The head of every lane (case and direction). The grouping reads only the outbox_source index (which
 * holds the row id), so this stays cheap with thousands of rows waiting.
 */
const HEADS_SQL = `
  SELECT o.id, o.case_id, o.to_client, o.source_message_id, o.media_group_id, o.reply_to_source_id,
         o.attempts, o.not_before, o.created_at, c.urgent, h.n
  FROM (SELECT min(id) AS id, count(*) AS n FROM outbox GROUP BY case_id, to_client) h
  JOIN outbox o ON o.id = h.id
  JOIN cases c ON c.id = o.case_id
  ORDER BY o.id
  LIMIT ?`;

interface RawHead {
  id: number;
  case_id: number;
  to_client: number;
  source_message_id: number;
  media_group_id: string | null;
  reply_to_source_id: number | null;
  attempts: number;
  not_before: number;
  created_at: number;
  urgent: number;
  n: number;
}

function retryAfter(error: unknown): number | undefined {
  return error instanceof GrammyError && error.error_code === 429 ? (error.parameters.retry_after ?? 5) * 1000 : undefined;
}

function describe(error: unknown): string {
  if (error instanceof GrammyError) return error.description;
  if (error instanceof HttpError) return 'network error';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Copies queued messages across, in order per case and direction, within Telegram's limits. A row
 * leaves the outbox in the same transaction that records the copy's id, so a restart or a 429 only
 * delays a message; nothing is lost. A copy is made twice only if the process dies while its request
 * is on its way (Telegram made the copy, the answer never got back): the Bot API has no idempotency key.
 */
export class Delivery {
  private readonly pacer: Pacer;
  private readonly clock: () => number;
  private timer?: NodeJS.Timeout;
  private timerAt = Number.POSITIVE_INFINITY;
  private running?: Promise<void>;
  /** Lanes being delivered right now, and those that got new rows meanwhile. */
  private readonly busy = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly working = new Set<Promise<unknown>>();
  private again = false;
  private stopped = true;
  /** Texts of queued client messages, by case and source message id: in memory only, for joining. */
  private readonly texts = new Map<number, Map<number, JoinableText>>();
  /** Who gets the inbox's next free slot. */
  private readonly fair = new FairShare(GROUP_WINDOW_MS, FIRST_MESSAGE_RESERVE);
  /** Inbox lanes with a message due that got no slot yet, and from when they can take one. */
  private readonly waiting = new Map<string, Contender & { readyAt: number; chat: number }>();

  constructor(private readonly deps: DeliveryDeps) {
    this.pacer = deps.pacer ?? new Pacer();
    this.clock = deps.clock ?? Date.now;
  }

  start(): void {
    this.stopped = false;
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await Promise.all([...this.working]);
  }

  /**
   * A message was just queued in this case and direction: if nothing of the lane is on its way, it
   * goes now, without waiting for the next pass; otherwise the lane looks again as soon as it is free
   * (and texts that piled up meanwhile go out joined).
   */
  queued(caseId: number, toClient: boolean): void {
    if (this.stopped) return;
    const lane = `${caseId}:${toClient}`;
    if (this.busy.has(lane)) {
      this.dirty.add(lane);
      return;
    }
    void this.runLane(caseId, toClient);
  }

  private laneRows(caseId: number, toClient: boolean): OutboxRow[] {
    return prepared(this.deps.db, 'outboxLane', (d) =>
      d
        .select()
        .from(outbox)
        .where(and(eq(outbox.caseId, sql.placeholder('caseId')), eq(outbox.toClient, sql.placeholder('toClient'))))
        .orderBy(asc(outbox.id))
        .limit(LANE_HEAD)
        .prepare(),
    ).all({ caseId, toClient: toClient ? 1 : 0 });
  }

  private heads(): HeadRow[] {
    const statement = prepared(this.deps.db, 'outboxHeads', (d) => d.$client.prepare<[number], RawHead>(HEADS_SQL));
    return statement.all(PASS_LANES).map((r) => ({
      id: r.id,
      caseId: r.case_id,
      toClient: r.to_client === 1,
      sourceMessageId: r.source_message_id,
      mediaGroupId: r.media_group_id,
      replyToSourceId: r.reply_to_source_id,
      attempts: r.attempts,
      notBefore: r.not_before,
      createdAt: r.created_at,
      urgent: r.urgent === 1,
      rows: r.n,
    }));
  }

  /**
   * Delivers a lane (starting with `rows` if a pass already read them) until it has nothing due, reading
   * it again from the outbox whenever new rows came in meanwhile; schedules a pass for what has to
   * wait. Never throws.
   */
  private runLane(caseId: number, toClient: boolean, rows?: OutboxRow[]): Promise<number> {
    const lane = `${caseId}:${toClient}`;
    this.busy.add(lane);
    const work = (async () => {
      let wait = Number.POSITIVE_INFINITY;
      try {
        let next = rows;
        let full = false; // the lane holds more than was read: read on once this is out
        do {
          this.dirty.delete(lane);
          const read = next ?? this.laneRows(caseId, toClient);
          full = read.length >= LANE_HEAD;
          wait = await this.deliverLane(read);
          next = undefined;
        } while ((this.dirty.has(lane) || full) && !this.stopped && wait === Number.POSITIVE_INFINITY);
      } catch (error) {
        this.deps.logger.error({ err: error }, 'relay delivery failed');
        wait = 1_000;
      } finally {
        this.busy.delete(lane);
        this.dirty.delete(lane);
      }
      if (Number.isFinite(wait)) this.kick(Math.max(wait, 50));
      return wait;
    })();
    this.working.add(work);
    void work.finally(() => this.working.delete(work));
    return work;
  }

  /**
   * Remembers the text of a client message just queued for the inbox, so that if the inbox falls
   * behind, consecutive texts can go out as one message. Kept in memory only until the copy is made:
   * after a restart the waiting messages are copied one by one instead.
   */
  rememberText(caseId: number, sourceMessageId: number, text: JoinableText): void {
    let ofCase = this.texts.get(caseId);
    if (!ofCase) this.texts.set(caseId, (ofCase = new Map()));
    ofCase.set(sourceMessageId, text.entities?.length ? { text: text.text, entities: text.entities } : { text: text.text });
  }

  /** The client erased their data: drop the texts of this case still held for joining. */
  forgetCase(caseId: number): void {
    this.texts.delete(caseId);
  }

  /** Runs a pass in `delay` ms, unless one is already due sooner. */
  kick(delay = 0): void {
    if (this.stopped) return;
    const at = Date.now() + delay;
    if (this.timer !== undefined && this.timerAt <= at) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      void this.pass();
    }, delay);
  }

  /** One pass over what is due. Never throws; schedules the next pass if work remains. */
  pass(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.deliverDue()
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'relay delivery pass failed'))
      .then((nextIn) => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        } else if (typeof nextIn === 'number') {
          this.kick(nextIn);
        }
      });
    return this.running;
  }

  /** Returns in how many ms the next pass is needed, or undefined when the outbox is empty. */
  private async deliverDue(): Promise<number | undefined> {
    if (this.deps.paused?.(false) && this.deps.paused?.(true)) return PAUSED_RECHECK_MS; // nothing may move: no need to read the outbox
    const heads = this.heads();
    const more = heads.length >= PASS_LANES; // the outbox may hold more lanes than this pass sees
    const present = new Set(heads.map((h) => `${h.caseId}:${h.toClient}`));
    if (!more) this.sweepTexts(present);
    // Lanes no longer in the outbox (delivered, dropped, erased) wait for nothing.
    for (const lane of this.waiting.keys()) if (!present.has(lane)) this.waiting.delete(lane);
    if (heads.length === 0) return undefined;
    // One lane per case and direction: in order within a lane, several lanes at once (each to its own
    // chat, or to the inbox within its shared budget), so one slow answer does not hold up everyone.
    // A lane already on its way (just queued) is left to its own worker, which looks again when done.
    const idle = heads.filter((head) => {
      const lane = `${head.caseId}:${head.toClient}`;
      if (!this.busy.has(lane)) return true;
      this.dirty.add(lane);
      return false;
    });
    // Lanes to the inbox are started in the order they are to be served (each takes its slot
    // synchronously, before its first await), so the next free slots go to the right cases.
    const now = this.clock();
    const toInbox = this.fair.order(
      idle.filter((h) => !h.toClient).map((head) => ({ lane: `${head.caseId}:false`, urgent: head.urgent, since: head.id, head })),
      now,
    );
    const queue = [...toInbox.map((c) => c.head), ...idle.filter((h) => h.toClient)];
    let next = Number.POSITIVE_INFINITY;
    const worker = async () => {
      for (let head = queue.shift(); head; head = queue.shift()) {
        // A lane of one row is all here; a longer one reads its first rows itself (for joining, albums).
        const wait = await this.runLane(head.caseId, head.toClient, head.rows === 1 ? [head] : undefined); // (not inside Math.min: `next` must be read after the await)
        next = Math.min(next, wait);
      }
    };
    await Promise.all(Array.from({ length: Math.min(LANES_AT_ONCE, queue.length) }, worker));
    // Lanes beyond this pass's reach: look again soon (at once, unless all it saw is waiting).
    if (more) return Number.isFinite(next) ? Math.min(Math.max(next, 50), 100) : 0;
    return Number.isFinite(next) ? Math.max(next, 50) : undefined;
  }

  /**
   * Whether a lane to the inbox may take a slot of its budget now: wait 0 if so (and it is counted as
   * served), else how many ms to wait. A backlog leaves the last few slots of the window to other
   * cases' first messages, and lets a lane that ranks before it (see FairShare) go first (`yielded`).
   */
  private inboxTurn(me: Contender, now: number, staff: number): { wait: number; yielded?: true } {
    const wait = this.pacer.delay(staff, now, this.fair.reserveFor(me.lane, now));
    if (wait > 0) {
      this.waiting.set(me.lane, { ...me, readyAt: now + wait, chat: staff });
      return { wait };
    }
    for (const other of this.waiting.values()) {
      if (other.chat !== staff || other.lane === me.lane || other.readyAt > now || this.fair.compare(other, me, now) > 0) continue;
      if (this.pacer.delay(staff, now, this.fair.reserveFor(other.lane, now)) > 0) continue; // it could not use this slot
      this.waiting.set(me.lane, { ...me, readyAt: now, chat: staff });
      return { wait: YIELD_MS, yielded: true };
    }
    this.waiting.delete(me.lane);
    this.fair.served(me.lane, now);
    return { wait: 0 };
  }

  /** Delivers one lane's rows in order. Returns in how many ms it needs another look (Infinity: done). */
  private async deliverLane(rows: OutboxRow[]): Promise<number> {
    let pending = rows;
    while (pending.length > 0) {
      const row = pending[0]!;
      const now = this.clock();
      if (row.notBefore > now) return row.notBefore - now;
      let batch = [row];
      if (row.mediaGroupId) {
        // An album's parts arrive as separate updates: give them a moment to all be queued, then copy together.
        if (now - row.createdAt < ALBUM_SETTLE_MS) return ALBUM_SETTLE_MS - (now - row.createdAt);
        batch = pending.filter((r) => r.mediaGroupId === row.mediaGroupId).slice(0, 10);
      } else if (!row.toClient) {
        batch = this.joinable(pending, now);
      }
      const wait = await this.deliver(batch, now);
      if (wait > 0) return wait;
      const done = new Set(batch.map((b) => b.id));
      pending = pending.filter((r) => !done.has(r.id));
    }
    return Number.POSITIVE_INFINITY;
  }

  /**
   * The client texts at the head of a lane that may go to the inbox as one message: consecutive, all
   * due, all still in memory, none part of an album or a reply (a reply may only start a run),
   * together within Telegram's length limit.
   */
  private joinable(lane: OutboxRow[], now: number): OutboxRow[] {
    const first = lane[0]!;
    const texts = this.texts.get(first.caseId);
    let length = texts?.get(first.sourceMessageId)?.text.length;
    if (!texts || length === undefined) return [first];
    const run = [first];
    for (const row of lane.slice(1)) {
      const text = texts.get(row.sourceMessageId);
      if (!text || row.mediaGroupId || row.replyToSourceId !== null || row.notBefore > now) break;
      length += JOIN_SEPARATOR.length + text.text.length;
      if (length > MAX_TEXT_LENGTH) break;
      run.push(row);
    }
    return run;
  }

  private dropTexts(caseId: number, sourceIds: number[]): void {
    const ofCase = this.texts.get(caseId);
    for (const sourceId of sourceIds) ofCase?.delete(sourceId);
    if (ofCase?.size === 0) this.texts.delete(caseId);
  }

  /**
   * Texts are kept only while their message waits in the outbox (and never past a /forget). A copy made
   * or dropped takes its text along; this catches rows erased from outside (the cascade of /forget or
   * the purge), which take a case's whole lane.
   */
  private sweepTexts(lanes: Set<string>): void {
    for (const caseId of this.texts.keys()) if (!lanes.has(`${caseId}:false`)) this.texts.delete(caseId);
  }

  /** Copies one message (or album, or a run of joined texts) across. Returns 0 when done with it, or ms to wait before retrying. */
  private async deliver(batch: OutboxRow[], now: number): Promise<number> {
    const { db, api, privacy } = this.deps;
    const first = batch[0]!;
    if (this.deps.paused?.(first.toClient)) return PAUSED_RECHECK_MS;
    const row = findCase(db, first.caseId);
    const client = row && findClient(db, row.clientKey);
    if (!row || !client) {
      this.drop(batch);
      return 0;
    }
    const clientChat = privacy.decryptChatId(client.chatRef);
    const staffChatId = this.deps.chatOf(row);
    const to = first.toClient ? clientChat : staffChatId;
    const from = first.toClient ? staffChatId : clientChat;
    if (!first.toClient && row.threadId === null) return 1_000; // topic not created yet
    const { wait, yielded } = first.toClient ? { wait: this.pacer.delay(to, now) } : this.inboxTurn({ lane: `${row.id}:false`, urgent: row.urgent, since: first.id }, now, staffChatId);
    if (wait > 0) {
      // A wait for the budget is written down; a lane letting another go first just looks again soon.
      if (!yielded) this.postpone(batch, now + wait);
      return wait;
    }
    // Counted before the call, so that lanes delivering at the same time cannot overdraw the budget.
    const joined = batch.length > 1 && first.mediaGroupId === null;
    this.pacer.record(to, now, joined ? 1 : batch.length);
    const replyTo = first.replyToSourceId === null ? undefined : this.counterpart(row.id, first.toClient, first.replyToSourceId);
    // Into the team's chat: protected, so a client's photo or voice cannot be forwarded or saved out of
    // the inbox. Into the client's chat: their case topic, where the bot has topic mode.
    const thread = first.toClient ? (row.clientThreadId ?? undefined) : row.threadId!;
    const placement = {
      ...(thread !== undefined ? { message_thread_id: thread } : {}),
      ...(first.toClient ? {} : { protect_content: true }),
    };
    const options = {
      ...placement,
      ...(replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
    };
    try {
      const sourceIds = batch.map((b) => b.sourceMessageId);
      let copies: number[];
      if (joined) {
        // Joined texts: one message in the inbox, every part paired with it (replies to it reach the last part).
        const texts = this.texts.get(row.id);
        const whole = joinTexts(batch.map((b) => texts!.get(b.sourceMessageId)!));
        const sent = await api.sendMessage(to, whole.text, { ...options, ...(whole.entities ? { entities: whole.entities } : {}) });
        copies = batch.map(() => sent.message_id);
      } else {
        copies =
          batch.length > 1
            ? (await api.copyMessages(to, from, sourceIds, placement)).map((m) => m.message_id)
            : [(await api.copyMessage(to, from, first.sourceMessageId, options)).message_id];
      }
      if (!first.toClient) this.dropTexts(row.id, sourceIds);
      this.deps.metrics?.relayed.inc({ direction: first.toClient ? 'to_client' : 'to_inbox' }, batch.length);
      const done = prepared(db, 'outboxDone', (d) => d.delete(outbox).where(eq(outbox.id, sql.placeholder('id'))).prepare());
      const pair = prepared(db, 'relayPair', (d) =>
        d
          .insert(relayMessages)
          .values({
            caseId: sql.placeholder('caseId'),
            clientMessageId: sql.placeholder('clientMessageId'),
            inboxMessageId: sql.placeholder('inboxMessageId'),
            fromClient: sql.placeholder('fromClient'),
          })
          .onConflictDoNothing()
          .prepare(),
      );
      db.$client.transaction(() => {
        for (const b of batch) done.run({ id: b.id });
        sourceIds.forEach((sourceId, i) => {
          const copy = copies[i];
          if (copy === undefined) return;
          pair.run({
            caseId: row.id,
            clientMessageId: first.toClient ? copy : sourceId,
            inboxMessageId: first.toClient ? sourceId : copy,
            fromClient: first.toClient ? 0 : 1,
          });
        });
      })();
      return 0;
    } catch (error) {
      return this.handleFailure(error, batch, row, to, now);
    }
  }

  private async handleFailure(error: unknown, batch: OutboxRow[], row: CaseRow, to: number, now: number): Promise<number> {
    const { logger } = this.deps;
    const rateLimited = retryAfter(error);
    if (rateLimited !== undefined) {
      this.pacer.block(to, now + rateLimited);
      this.postpone(batch, now + rateLimited);
      return rateLimited;
    }
    const description = describe(error);
    if (batch[0]!.toClient && error instanceof GrammyError && error.error_code === 403) {
      this.drop(batch);
      await this.deps.onClientGone(row);
      return 0;
    }
    if (batch[0]!.toClient && row.clientThreadId !== null && /thread not found|TOPIC_DELETED|TOPIC_ID_INVALID/i.test(description)) {
      // The client deleted their case topic: the conversation carries on in the chat itself.
      this.deps.db.update(cases).set({ clientThreadId: null }).where(eq(cases.id, row.id)).run();
      return 1;
    }
    if (!batch[0]!.toClient && /thread not found|TOPIC_DELETED|TOPIC_ID_INVALID/i.test(description)) {
      const threadId = await this.deps.onTopicMissing(row);
      if (threadId === undefined) this.drop(batch);
      return threadId === undefined ? 0 : 1;
    }
    if (/message to copy not found|MESSAGE_ID_INVALID/i.test(description)) {
      this.drop(batch); // deleted by its author before it could be copied
      return 0;
    }
    const attempts = batch[0]!.attempts + 1;
    if (attempts >= MAX_ATTEMPTS) {
      logger.error({ case: row.id, attempts, reason: description }, 'relay copy failed for good; dropped');
      this.drop(batch);
      return 0;
    }
    const delay = Math.min(60_000, 1_000 * 2 ** attempts);
    this.waiting.delete(`${row.id}:${batch[0]!.toClient}`); // not ready before its retry
    logger.warn({ case: row.id, attempts, reason: description }, 'relay copy failed; will retry');
    this.deps.db.update(outbox).set({ attempts, notBefore: now + delay }).where(inArray(outbox.id, batch.map((b) => b.id))).run();
    return delay;
  }

  /** The id, on the other side, of the copy (or original) of `sourceId`. */
  private counterpart(caseId: number, toClient: boolean, sourceId: number): number | undefined {
    const pair = this.deps.db
      .select()
      .from(relayMessages)
      .where(and(eq(relayMessages.caseId, caseId), toClient ? eq(relayMessages.inboxMessageId, sourceId) : eq(relayMessages.clientMessageId, sourceId)))
      .orderBy(desc(relayMessages.clientMessageId)) // a reply to joined texts threads to the last of them
      .get();
    return pair ? (toClient ? pair.clientMessageId : pair.inboxMessageId) : undefined;
  }

  private postpone(batch: OutboxRow[], until: number): void {
    this.deps.db.update(outbox).set({ notBefore: until }).where(inArray(outbox.id, batch.map((b) => b.id))).run();
  }

  private drop(batch: OutboxRow[]): void {
    if (!batch[0]!.toClient) this.dropTexts(batch[0]!.caseId, batch.map((b) => b.sourceMessageId));
    this.waiting.delete(`${batch[0]!.caseId}:${batch[0]!.toClient}`);
    this.deps.db.delete(outbox).where(inArray(outbox.id, batch.map((b) => b.id))).run();
  }
}

/** The copy of a message on the other side, for edits and replies: by the source's id. */
export function findCounterpart(db: Db, caseId: number, fromClient: boolean, sourceId: number): number | undefined {
  const pair = db
    .select()
    .from(relayMessages)
    .where(and(eq(relayMessages.caseId, caseId), fromClient ? eq(relayMessages.clientMessageId, sourceId) : eq(relayMessages.inboxMessageId, sourceId)))
    .get();
  return pair ? (fromClient ? pair.inboxMessageId : pair.clientMessageId) : undefined;
}

/** Whether this inbox message holds several joined client texts (so an edit of one part cannot replace it). */
export function isJoinedCopy(db: Db, caseId: number, inboxMessageId: number): boolean {
  const parts = db
    .select({ id: relayMessages.clientMessageId })
    .from(relayMessages)
    .where(and(eq(relayMessages.caseId, caseId), eq(relayMessages.inboxMessageId, inboxMessageId)))
    .limit(2)
    .all();
  return parts.length > 1;
}

/** Which case a message in this inbox belongs to (a reply to a copy), if any: message ids are per chat. */
export function caseOfInboxMessage(db: Db, inbox: string, inboxMessageId: number): number | undefined {
  return db
    .select({ caseId: relayMessages.caseId })
    .from(relayMessages)
    .innerJoin(cases, eq(cases.id, relayMessages.caseId))
    .where(and(eq(cases.inbox, inbox), eq(relayMessages.inboxMessageId, inboxMessageId)))
    .get()?.caseId;
}
