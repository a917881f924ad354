import type { CaseRow, OutboxRow } from '../db/schema.js';
import { findClient } from '../db/clients.js';
import { findCase } from '../inbox/cases.js';
import { FairShare } from '../inbox/fair-share.js';
import { GROUP_WINDOW_MS } from '../inbox/pacing.js';
import { getJobState, setJobState } from '../publishing/ledger.js';
import { classifyError, describeFailure } from '../telegram/errors.js';
import { makeCopies } from './copier.js';
import { SoonestTimer } from './soonest-timer.js';
import { ALBUM_SETTLE_MS, MAX_ATTEMPTS, PAUSED_RECHECK_MS, backoff, type RelayCore } from './context.js';
import {
  completeCopies,
  dueTeamPosts,
  enqueuePost,
  hasPending,
  laneHeads,
  laneRows,
  markSending,
  nextTeamPostAt,
  postpone,
  removeRows,
  type LaneHead,
  type TeamPostRow,
} from './outbox-store.js';
import { coalesceKeyOf, createsMessage, decodePost, effectiveRank, encodePost, priorityOf, PRIORITY, type TeamPost } from './posts.js';
import { joinableRun } from './texts.js';

/** Slots of the window a backlog (and the bot's own housekeeping) leaves for other cases' first messages. */
const FIRST_MESSAGE_RESERVE = 3;
/** Posts that go into the case's topic: they wait for it. */
const IN_TOPIC = new Set(['card', 'rename', 'close-topic', 'note', 'edit', 'edited-part', 'repeat-mark']);
/** Lanes and posts looked at per choice. */
const LOOK_LANES = 2_000;
const LOOK_POSTS = 200;

/** A lane of copies into the team's chat, or one post, competing for the chat's next slot. */
type Candidate =
  | { type: 'copies'; key: string; rank: number; head: LaneHead; newcomer: boolean }
  | { type: 'post'; key: string; rank: number; post: TeamPostRow };

/**
 * The one sender into a team chat. Telegram takes about 20 messages a minute there, for every case
 * together, so each free slot goes to what matters most: an urgent case's topic, then cases' topics,
 * then clients' words (urgent cases first, round-robin, a case's first message before any backlog) and
 * answers to consultants, then notes, then cards and topic changes, the queue board and reminders last.
 * Words that wait are joined into one message. Update handlers never wait for any of this: they queue
 * and return.
 */
export class TeamScheduler {
  private readonly fair = new FairShare(GROUP_WINDOW_MS, FIRST_MESSAGE_RESERVE);
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly timer = new SoonestTimer(() => this.pump());
  private stopped = true;
  private pumping = false;
  private again = false;

  constructor(
    private readonly core: RelayCore,
    readonly chatId: number,
    private readonly concurrency: number,
  ) {}

  start(): void {
    // What went into this chat within the last minute before a restart still counts for Telegram.
    const now = this.core.clock();
    for (const at of this.sentRecently(now)) this.core.pacer.record(this.chatId, at);
    this.stopped = false;
    this.wake();
  }

  private get sentKey(): string {
    return `relay.sent:${this.chatId}`;
  }

  private sentRecently(now: number): number[] {
    try {
      const list = JSON.parse(getJobState(this.core.db, this.sentKey) ?? '[]') as unknown;
      return Array.isArray(list) ? list.filter((t): t is number => typeof t === 'number' && t > now - GROUP_WINDOW_MS && t <= now) : [];
    } catch {
      return [];
    }
  }

  /** Counts sends into this chat in the pacer, and keeps the last minute's on disk for a restart. */
  private spend(now: number, count = 1): void {
    this.core.pacer.record(this.chatId, now, count);
    if (!this.core.pacer.active) return;
    setJobState(this.core.db, this.sentKey, JSON.stringify([...this.sentRecently(now), ...Array.from({ length: count }, () => now)]));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer.cancel();
    await Promise.all([...this.inFlight.values()]);
  }

  get idle(): boolean {
    return this.inFlight.size === 0;
  }

  /** Look now (or in `delay` ms) whether something can go. */
  wake(delay = 0): void {
    if (!this.stopped) this.timer.schedule(delay);
  }

  forget(caseId: number): void {
    this.fair.forget(`${caseId}:false`);
  }

  /** Starts as many sends as the chat's budget and the concurrency allow; sets the timer for the rest. */
  private pump(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        if (this.inFlight.size >= this.concurrency) return;
        const now = this.core.clock();
        const { ready, wait } = this.choose(now);
        for (const pick of ready) {
          if (this.inFlight.size >= this.concurrency) break;
          const work = this.run(pick, now)
            .catch((error: unknown) => this.core.logger.error({ err: error }, 'team chat delivery failed'))
            .finally(() => {
              this.inFlight.delete(pick.key);
              this.wake();
            });
          this.inFlight.set(pick.key, work);
        }
        if (ready.length === 0 && Number.isFinite(wait)) this.wake(Math.max(wait, 20));
      } while (this.again);
    } finally {
      this.pumping = false;
    }
  }

  /**
   * What may go now, best first (as many as may go at once), or how long until something may. Each
   * pick takes its slot of the budget here, before any request is made, so picks cannot overdraw it.
   */
  private choose(now: number): { ready: Candidate[]; wait: number } {
    const { db, inboxes, pacer } = this.core;
    const mine = (inbox: string | null | undefined) => inboxes.chatOf(inbox) === this.chatId;
    const paused = this.core.paused?.(false) ?? false;
    let wait = Number.POSITIVE_INFINITY;
    const candidates: Candidate[] = [];
    if (!paused) {
      for (const head of laneHeads(db, false, LOOK_LANES)) {
        const key = `copies:${head.caseId}`;
        if (!mine(head.inbox) || this.inFlight.has(key)) continue;
        if (head.notBefore > now) {
          wait = Math.min(wait, head.notBefore - now);
          continue;
        }
        if (head.mediaGroupId && now - head.createdAt < ALBUM_SETTLE_MS) {
          wait = Math.min(wait, ALBUM_SETTLE_MS - (now - head.createdAt));
          continue;
        }
        if (head.threadId === null || head.teamChatId !== this.chatId) {
          this.ensureTopic(head.caseId, head.urgent, now); // its words wait for their topic (in this chat: a topic id means nothing in another)
          continue;
        }
        candidates.push({ type: 'copies', key, rank: PRIORITY.words, head, newcomer: this.fair.isNewcomer(`${head.caseId}:false`, now) });
      }
    } else {
      wait = PAUSED_RECHECK_MS;
    }
    for (const post of dueTeamPosts(db, now, LOOK_POSTS)) {
      const key = `post:${post.id}`;
      if (!mine(post.caseId !== null ? post.caseInbox : post.inbox) || this.inFlight.has(key)) continue;
      if (paused && post.caseId !== null) continue; // locked down: nothing about a case moves
      if (post.caseId !== null && (post.caseThreadId === null || post.caseTeamChatId !== this.chatId) && IN_TOPIC.has(post.kind)) {
        this.ensureTopic(post.caseId, post.urgent, now); // it goes into the case's topic, made first
        continue;
      }
      candidates.push({ type: 'post', key, rank: effectiveRank(post, now), post });
    }
    const next = nextTeamPostAt(db);
    if (next !== undefined && next > now) wait = Math.min(wait, next - now);
    candidates.sort((a, b) => this.compare(a, b, now));
    const ready: Candidate[] = [];
    const slots = Math.max(0, this.concurrency - this.inFlight.size);
    for (const candidate of candidates) {
      if (ready.length >= slots) break;
      // Topics and a case's first words may use the whole budget; the rest leave a few slots free.
      const reserve = candidate.rank < PRIORITY.words || (candidate.type === 'copies' && candidate.newcomer) ? 0 : FIRST_MESSAGE_RESERVE;
      const delay = pacer.delay(this.chatId, now, reserve);
      if (delay > 0) {
        wait = Math.min(wait, delay);
        continue;
      }
      this.spend(now);
      if (candidate.type === 'copies') this.fair.served(`${candidate.head.caseId}:false`, now);
      ready.push(candidate);
    }
    return { ready, wait };
  }

  /** Negative when `a` goes first. */
  private compare(a: Candidate, b: Candidate, now: number): number {
    if (a.rank !== b.rank) return a.rank - b.rank;
    if (a.type === 'copies' && b.type === 'copies') {
      return this.fair.compare(
        { lane: `${a.head.caseId}:false`, urgent: a.head.urgent, since: a.head.id },
        { lane: `${b.head.caseId}:false`, urgent: b.head.urgent, since: b.head.id },
        now,
      );
    }
    const urgentA = a.type === 'copies' ? a.head.urgent : a.post.urgent;
    const urgentB = b.type === 'copies' ? b.head.urgent : b.post.urgent;
    if (urgentA !== urgentB) return urgentA ? -1 : 1;
    return (a.type === 'copies' ? a.head.id : a.post.id) - (b.type === 'copies' ? b.head.id : b.post.id);
  }

  /** A case with words waiting but no topic (say, after a lockdown): its topic is queued. */
  private ensureTopic(caseId: number, urgent: boolean, now: number): void {
    if (hasPending(this.core.db, caseId, 'topic')) return;
    const post: TeamPost = { kind: 'topic' };
    enqueuePost(this.core.db, { kind: 'topic', toClient: false, caseId, priority: priorityOf(post, urgent), coalesceKey: coalesceKeyOf(post, caseId, undefined) }, now);
    this.again = true;
  }

  private run(pick: Candidate, now: number): Promise<void> {
    return pick.type === 'copies' ? this.copyLane(pick.head, now) : this.post(pick.post, now);
  }

  /** The head of a case's lane into the team's chat: an album, a run of texts joined into one, or one message. */
  private async copyLane(head: LaneHead, now: number): Promise<void> {
    const { db, privacy, vault } = this.core;
    const lane = laneRows(db, head.caseId, false).filter((r) => r.kind === 'copy');
    if (lane.length === 0) return;
    const row = findCase(db, head.caseId);
    const client = row && findClient(db, row.clientKey);
    if (!row || !client || row.threadId === null || row.teamChatId !== this.chatId) {
      if (!row || !client) removeRows(db, lane.map((r) => r.id));
      return;
    }
    const first = lane[0]!;
    let batch = [first];
    let texts: ReturnType<typeof joinableRun>['texts'] | undefined;
    if (first.mediaGroupId) {
      batch = lane.filter((r) => r.mediaGroupId === first.mediaGroupId).slice(0, 10);
      if (batch.length > 1) this.spend(now, batch.length - 1); // an album is a message per part
    } else {
      const run = joinableRun(lane, now, vault);
      batch = run.rows;
      texts = run.texts;
    }
    const repeat = batch.some((b) => b.maybeRepeat);
    markSending(db, batch.map((b) => b.id), now);
    try {
      const copies = await makeCopies(this.core.api, db, {
        rows: batch,
        row,
        to: this.chatId,
        from: privacy.decryptChatId(client.chatRef),
        thread: row.threadId,
        texts: texts && texts.length > 1 ? texts : undefined,
      });
      this.core.metrics?.relayed.inc({ direction: 'to_inbox' }, batch.length);
      const pairs = batch.map((b, i) => ({ caseId: row.id, clientMessageId: b.sourceMessageId!, inboxMessageId: copies[i]!, teamChatId: this.chatId, fromClient: true }));
      completeCopies(db, batch, pairs.filter((p) => p.inboxMessageId !== undefined), () => {
        if (repeat && copies[0] !== undefined) this.markRepeat(row.id, copies[copies.length - 1]!, now);
      });
    } catch (error) {
      this.failed(error, batch, row.id, now, row);
    }
  }

  private async post(post: TeamPostRow, now: number): Promise<void> {
    const { db, vault } = this.core;
    const row = post.caseId !== null ? findCase(db, post.caseId) : undefined;
    if (post.caseId !== null && !row) {
      removeRows(db, [post.id]);
      return;
    }
    markSending(db, [post.id], now);
    try {
      const created = await this.core.executor.team(decodePost<TeamPost>(post, vault.open(post)), {
        chatId: this.chatId,
        row,
        inboxName: (row ? row.inbox : post.inbox) ?? '',
        maybeRepeat: post.maybeRepeat,
      });
      db.$client.transaction(() => {
        removeRows(db, [post.id]);
        if (post.maybeRepeat && created !== undefined && createsMessage(post.kind)) this.markRepeat(post.caseId, created, now);
      })();
    } catch (error) {
      this.failed(error, [post], post.caseId, now, row);
    }
  }

  /** The message `replyTo` may be a repeat (a crash while it was on its way): marked for the team, under it. */
  private markRepeat(caseId: number | null, replyTo: number, now: number): void {
    const { kind, payload } = encodePost({ kind: 'repeat-mark', replyTo, chatId: this.chatId });
    const inbox = caseId === null ? this.core.inboxes.byChat(this.chatId) : undefined;
    enqueuePost(this.core.db, { kind, payload, toClient: false, caseId: caseId ?? undefined, inbox, priority: PRIORITY.words }, now);
  }

  /** `used`: the case as it was when the request went (its topic then). */
  private failed(error: unknown, rows: OutboxRow[], caseId: number | null, now: number, used?: CaseRow): void {
    const { db, logger, pacer } = this.core;
    const ids = rows.map((r) => r.id);
    const failure = classifyError(error);
    const first = rows[0]!;
    switch (failure.kind) {
      case 'not-modified':
        removeRows(db, ids);
        return;
      case 'rate-limited':
        pacer.block(this.chatId, now + failure.retryAfterMs);
        postpone(db, ids, now + failure.retryAfterMs);
        logger.warn({ retry_after_ms: failure.retryAfterMs }, 'the team chat answered 429: waiting');
        return;
      case 'topic-missing': {
        const row = caseId !== null ? findCase(db, caseId) : undefined;
        if (row && used && row.status !== 'closed' && first.kind !== 'topic') {
          this.core.onTopicMissing(used); // a new topic is queued first (once: `used` names the topic that failed); these rows follow it
          postpone(db, ids, now);
        } else {
          removeRows(db, ids); // a closed or erased case's topic is not made again
        }
        return;
      }
      case 'message-missing':
        removeRows(db, ids); // deleted by its author before it could be copied, or the message to edit is gone
        return;
      default:
        break;
    }
    const attempts = first.attempts + 1;
    const reason = describeFailure(failure);
    if (attempts >= MAX_ATTEMPTS) {
      logger.error({ case: caseId, kind: first.kind, attempts, reason }, 'delivery to the team chat failed for good; dropped');
      removeRows(db, ids);
      return;
    }
    logger.warn({ case: caseId, kind: first.kind, attempts, reason }, 'delivery to the team chat failed; will retry');
    postpone(db, ids, now + backoff(attempts), attempts);
  }
}
