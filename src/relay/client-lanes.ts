import { eq } from 'drizzle-orm';
import { cases, type CaseRow, type OutboxRow } from '../db/schema.js';
import { clientChatId, findClient } from '../db/clients.js';
import { classifyError, describeFailure } from '../telegram/errors.js';
import { makeCopies } from './copier.js';
import { SoonestTimer } from './soonest-timer.js';
import { joinableRun, type JoinableText } from './texts.js';
import { ALBUM_SETTLE_MS, MAX_ATTEMPTS, PAUSED_RECHECK_MS, backoff, type RelayCore } from './context.js';
import { completeCopies, enqueuePost, laneHeads, laneRows, LANE_HEAD, markSending, postpone, removeRows } from './outbox-store.js';
import { createsMessage, decodePost, encodePost, PRIORITY, type ClientPost } from './posts.js';

/** Lanes looked at per pass, by their heads. */
const PASS_LANES = 2_000;
/** Lanes (cases) delivered at the same time: each to its own private chat, with its own budget. */
const LANES_AT_ONCE = 64;

/**
 * Everything for clients: per case, in order (copies of the consultants' replies and the bot's notices
 * alike), several cases at once, each within its private chat's pace. Nothing here waits for a team
 * chat's budget.
 */
export class ClientLanes {
  private readonly timer = new SoonestTimer(() => void this.pass());
  private running?: Promise<void>;
  private again = false;
  private stopped = true;
  private readonly busy = new Set<number>();
  private readonly dirty = new Set<number>();
  private readonly working = new Set<Promise<unknown>>();

  constructor(private readonly core: RelayCore) {}

  start(): void {
    this.stopped = false;
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer.cancel();
    await this.running;
    await Promise.all([...this.working]);
  }

  get idle(): boolean {
    return this.busy.size === 0 && this.running === undefined;
  }

  /** Something was queued for this case's client: it goes now unless the lane is already on its way. */
  queued(caseId: number): void {
    if (this.stopped) return;
    if (this.busy.has(caseId)) {
      this.dirty.add(caseId);
      return;
    }
    void this.runLane(caseId);
  }

  /** Runs a pass in `delay` ms, unless one is already due sooner. */
  kick(delay = 0): void {
    if (!this.stopped) this.timer.schedule(delay);
  }

  pass(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.deliverDue()
      .catch((error: unknown) => this.core.logger.error({ err: error }, 'client delivery pass failed'))
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

  private async deliverDue(): Promise<number | undefined> {
    const heads = laneHeads(this.core.db, true, PASS_LANES);
    const more = heads.length >= PASS_LANES;
    if (heads.length === 0) return undefined;
    const queue = heads.filter((head) => {
      if (!this.busy.has(head.caseId)) return true;
      this.dirty.add(head.caseId);
      return false;
    });
    let next = Number.POSITIVE_INFINITY;
    const worker = async () => {
      for (let head = queue.shift(); head; head = queue.shift()) {
        const wait = await this.runLane(head.caseId);
        next = Math.min(next, wait);
      }
    };
    await Promise.all(Array.from({ length: Math.min(LANES_AT_ONCE, queue.length) }, worker));
    if (more) return Number.isFinite(next) ? Math.min(Math.max(next, 50), 100) : 0;
    return Number.isFinite(next) ? Math.max(next, 50) : undefined;
  }

  /** Delivers a lane until it has nothing due; schedules a pass for what has to wait. Never throws. */
  private runLane(caseId: number): Promise<number> {
    this.busy.add(caseId);
    const work = (async () => {
      let wait = Number.POSITIVE_INFINITY;
      try {
        let full = false;
        do {
          this.dirty.delete(caseId);
          const rows = laneRows(this.core.db, caseId, true);
          full = rows.length >= LANE_HEAD;
          wait = await this.deliverLane(rows);
        } while ((this.dirty.has(caseId) || full) && !this.stopped && wait === Number.POSITIVE_INFINITY);
      } catch (error) {
        this.core.logger.error({ err: error }, 'client delivery failed');
        wait = 1_000;
      } finally {
        this.busy.delete(caseId);
        this.dirty.delete(caseId);
      }
      if (Number.isFinite(wait)) this.kick(Math.max(wait, 50));
      return wait;
    })();
    this.working.add(work);
    void work.finally(() => this.working.delete(work));
    return work;
  }

  /** One lane's rows in order. Returns in how many ms it needs another look (Infinity: done). */
  private async deliverLane(rows: OutboxRow[]): Promise<number> {
    let pending = rows;
    while (pending.length > 0 && !this.stopped) {
      const head = pending[0]!;
      const now = this.core.clock();
      if (head.notBefore > now) return head.notBefore - now;
      let batch = [head];
      let texts: JoinableText[] | undefined;
      if (head.kind === 'copy' && head.mediaGroupId) {
        if (now - head.createdAt < ALBUM_SETTLE_MS) return ALBUM_SETTLE_MS - (now - head.createdAt);
        batch = pending.filter((r) => r.kind === 'copy' && r.mediaGroupId === head.mediaGroupId).slice(0, 10);
      } else if (head.kind === 'copy') {
        // Replies that piled up behind the private chat's pace go out as one message.
        const run = joinableRun(pending, now, this.core.vault);
        if (run.rows.length > 1 || run.texts[0]?.rewritten) {
          batch = run.rows;
          texts = run.texts;
        }
      }
      const wait = await this.deliver(batch, now, texts);
      if (wait > 0) return wait;
      const done = new Set(batch.map((b) => b.id));
      pending = pending.filter((r) => !done.has(r.id));
    }
    return pending.length > 0 ? 50 : Number.POSITIVE_INFINITY;
  }

  /** Sends one batch. Returns 0 when done with it, or ms to wait before it is tried again. */
  private async deliver(batch: OutboxRow[], now: number, texts?: JoinableText[]): Promise<number> {
    const { db, privacy, pacer } = this.core;
    const first = batch[0]!;
    const isCopy = first.kind === 'copy';
    if (this.core.paused?.(true, first)) return PAUSED_RECHECK_MS;
    if (isCopy && batch.some((b) => b.sourceChatId === null)) {
      // Without the chat it was written in, its id could name anyone's message: never copied.
      this.core.logger.error({ case: first.caseId }, 'a copy to a client without its source chat; dropped');
      removeRows(db, batch.map((b) => b.id));
      return 0;
    }
    const row = this.core.cases.find(first.caseId!);
    const client = row && findClient(db, row.clientKey);
    if (!row || !client) {
      removeRows(db, batch.map((b) => b.id));
      return 0;
    }
    const to = clientChatId(privacy, client);
    const wait = pacer.delay(to, now);
    if (wait > 0) return wait; // a private chat's pace: a second or so, not worth writing down
    pacer.record(to, now, texts ? 1 : batch.length);
    const ids = batch.map((b) => b.id);
    markSending(db, ids, now);
    const thread = row.clientThreadId ?? undefined;
    try {
      if (isCopy) {
        // Copied from the team chat it was written in (the case may have moved since); joined texts may come from two.
        const copies = await makeCopies(this.core.api, db, { rows: batch, row, to, from: first.sourceChatId!, thread, texts });
        this.core.metrics?.relayed.inc({ direction: 'to_client' }, batch.length);
        const pairs = batch.map((b, i) => ({ caseId: row.id, clientMessageId: copies[i]!, inboxMessageId: b.sourceMessageId!, teamChatId: b.sourceChatId!, fromClient: false }));
        completeCopies(db, batch, pairs.filter((p) => p.clientMessageId !== undefined), () => {
          if (first.maybeRepeat && copies[0] !== undefined) this.markRepeat(row.id, copies[0], now);
        });
      } else {
        const post = decodePost<ClientPost>(first, this.core.vault.open(first));
        const created = await this.core.executor.client(post, { chatId: to, row, maybeRepeat: first.maybeRepeat, threadId: thread });
        db.$client.transaction(() => {
          removeRows(db, ids);
          if (first.maybeRepeat && created !== undefined && createsMessage(first.kind)) this.markRepeat(row.id, created, now);
        })();
      }
      return 0;
    } catch (error) {
      return this.failed(error, batch, row, to, now);
    }
  }

  /** The message `replyTo` may be a repeat (a crash while it was on its way): the client is told so, under it. */
  private markRepeat(caseId: number, replyTo: number, now: number): void {
    const { kind, payload } = encodePost({ kind: 'repeat-mark', replyTo });
    enqueuePost(this.core.db, { kind, payload, toClient: true, caseId, priority: PRIORITY.words }, now);
    this.dirty.add(caseId); // the lane reads again once this batch is done
  }

  private failed(error: unknown, batch: OutboxRow[], row: CaseRow, to: number, now: number): number {
    const { db, logger, pacer } = this.core;
    const ids = batch.map((b) => b.id);
    const failure = classifyError(error);
    switch (failure.kind) {
      case 'not-modified':
        removeRows(db, ids);
        return 0;
      case 'rate-limited':
        pacer.block(to, now + failure.retryAfterMs);
        postpone(db, ids, now + failure.retryAfterMs);
        return failure.retryAfterMs;
      case 'blocked':
        removeRows(db, ids);
        this.core.onClientGone(row);
        return 0;
      case 'topic-missing':
        if (row.clientThreadId !== null) {
          // The client deleted their case topic: the conversation carries on in the chat itself.
          db.update(cases).set({ clientThreadId: null }).where(eq(cases.id, row.id)).run();
          postpone(db, ids, now);
          return 1;
        }
        break;
      case 'message-missing':
        removeRows(db, ids); // deleted by its author before it could be copied (or the edited message is gone)
        return 0;
      default:
        break;
    }
    const attempts = batch[0]!.attempts + 1;
    const reason = describeFailure(failure);
    if (attempts >= MAX_ATTEMPTS) {
      logger.error({ case: row.id, attempts, reason }, 'delivery to a client failed for good; dropped');
      removeRows(db, ids);
      return 0;
    }
    logger.warn({ case: row.id, attempts, reason }, 'delivery to a client failed; will retry');
    postpone(db, ids, now + backoff(attempts), attempts);
    return backoff(attempts);
  }
}
