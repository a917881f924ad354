import type { CaseRow, OutboxRow } from '../db/schema.js';
import { findClient } from '../db/clients.js';
import { FairShare } from './fair-share.js';
import { GROUP_WINDOW_MS } from './pacing.js';
import { getJobState, setJobState } from '../db/job-state.js';
import { classifyError, describeFailure } from '../telegram/errors.js';
import { makeCopies } from './copier.js';
import { SoonestTimer } from './soonest-timer.js';
import { ALBUM_SETTLE_MS, MAX_ATTEMPTS, PAUSED_RECHECK_MS, backoff, type RelayCore } from './context.js';
import {
  completeCopies,
  dueClientPostHeads,
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
import { clientChatId } from '../db/clients.js';

/** Slots of the window a backlog (and the bot's own housekeeping) leaves for other cases' first messages. */
const FIRST_MESSAGE_RESERVE = 3;
/** Slots of a minute one client's lane may take while others wait (two fifths of a group's 20). */
export const LANE_SLOTS_PER_WINDOW = 8;
/** Slots of the window a lane over its share leaves free even when it is the only one waiting. */
const OVER_SHARE_RESERVE = 6;
/**
 * Slots of the window left free by the topic names, closed topics and cards a client's ending or coming
 * back causes (until they have waited long enough to rank with words): room for everyone's words.
 */
const CLIENT_HOUSEKEEPING_RESERVE = 8;
/** Posts that go into the case's topic: they wait for it. */
const IN_TOPIC = new Set(['card', 'rename', 'close-topic', 'note', 'edit', 'edited-part', 'repeat-mark']);
/** Lanes and posts looked at per choice. */
const LOOK_LANES = 2_000;
const LOOK_POSTS = 200;

/**
 * A case's copies into the team's chat, or one post, competing for the chat's next slot. `lane`: the
 * client whose share it counts against (copies, and every post they caused); `inLane`: ranked by fair
 * share among the clients' lanes.
 */
type Candidate =
  | { type: 'copies'; key: string; rank: number; head: LaneHead; lane: string; inLane: true }
  | { type: 'post'; key: string; rank: number; post: TeamPostRow; lane?: string; inLane: boolean };

const laneOfClient = (clientKey: string) => `client:${clientKey}`;
const idOf = (c: Candidate) => (c.type === 'copies' ? c.head.id : c.post.id);

/**
 * The one sender into a team chat. Telegram takes about 20 messages a minute there, for every case
 * together, so each free slot goes to what matters most: an urgent case's topic, then cases' topics,
 * then clients' lanes (each client's words, edits and the notes they cause: a client's first message in
 * a while first, urgent words next, then round-robin, and a client who had their share of the minute
 * after all others) and answers to consultants, then notes, then cards and topic changes, the queue
 * board and reminders last. Words that wait are joined into one message. Update handlers never wait for
 * any of this: they queue and return.
 */
export class TeamScheduler {
  private readonly fair = new FairShare(GROUP_WINDOW_MS, FIRST_MESSAGE_RESERVE, LANE_SLOTS_PER_WINDOW, OVER_SHARE_RESERVE);
  /** Lanes with something on its way: one thing per lane at a time, in order. */
  private readonly busyLanes = new Map<string, string>();
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
              if (pick.lane !== undefined && this.busyLanes.get(pick.lane) === pick.key) this.busyLanes.delete(pick.lane);
              this.wake();
            });
          this.inFlight.set(pick.key, work);
          if (pick.inLane) this.busyLanes.set(pick.lane!, pick.key);
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
    /** Per client's lane, the item that may go now: best rank, then oldest. */
    const lanes = new Map<string, Candidate>();
    const offer = (candidate: Candidate & { lane: string }) => {
      const held = lanes.get(candidate.lane);
      if (!held || candidate.rank < held.rank || (candidate.rank === held.rank && idOf(candidate) < idOf(held))) lanes.set(candidate.lane, candidate);
    };
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
        offer({ type: 'copies', key, rank: PRIORITY.words, head, lane: laneOfClient(head.clientKey), inLane: true });
      }
      // What clients caused besides their words (edits, notes about their ending or coming back, their
      // topic's name): in their lanes, by rank (a topic name or a card after everyone's words), then in order.
      for (const post of dueClientPostHeads(db, now, LOOK_LANES)) {
        const key = `post:${post.id}`;
        if (!mine(post.caseInbox) || this.inFlight.has(key) || post.clientKey === null) continue;
        if ((post.caseThreadId === null || post.caseTeamChatId !== this.chatId) && IN_TOPIC.has(post.kind)) {
          this.ensureTopic(post.caseId!, post.urgent, now); // in this chat's topic of the case, made first
          continue;
        }
        offer({ type: 'post', key, rank: effectiveRank(post, now), post, lane: laneOfClient(post.clientKey), inLane: true });
      }
      for (const [lane, candidate] of lanes) if (!this.busyLanes.has(lane)) candidates.push(candidate);
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
      candidates.push({ type: 'post', key, rank: effectiveRank(post, now), post, ...(post.clientKey !== null ? { lane: laneOfClient(post.clientKey) } : {}), inLane: false });
    }
    const next = nextTeamPostAt(db);
    if (next !== undefined && next > now) wait = Math.min(wait, next - now);
    candidates.sort((a, b) => this.compare(a, b, now));
    const ready: Candidate[] = [];
    const slots = Math.max(0, this.concurrency - this.inFlight.size);
    for (const candidate of candidates) {
      if (ready.length >= slots) break;
      if (candidate.inLane && ready.some((r) => r.lane === candidate.lane)) continue;
      const delay = pacer.delay(this.chatId, now, this.reserveOf(candidate, now));
      if (delay > 0) {
        wait = Math.min(wait, delay);
        continue;
      }
      this.spend(now);
      // The client's share counts what they caused: their lane, and their case's topic (opening, coming back).
      if (candidate.lane !== undefined && (candidate.inLane || candidate.rank < PRIORITY.words)) this.fair.served(candidate.lane, now);
      ready.push(candidate);
    }
    return { ready, wait };
  }

  /** Slots of the window to leave free: none for topics and a lane's first words; more for a lane over its share. */
  private reserveOf(candidate: Candidate, now: number): number {
    if (candidate.rank < PRIORITY.words) return 0;
    if (candidate.inLane) return candidate.rank === PRIORITY.words ? this.fair.reserveFor(candidate.lane!, now) : Math.max(CLIENT_HOUSEKEEPING_RESERVE, this.fair.reserveFor(candidate.lane!, now));
    return FIRST_MESSAGE_RESERVE;
  }

  /** Negative when `a` goes first. */
  private compare(a: Candidate, b: Candidate, now: number): number {
    if (a.rank !== b.rank) return a.rank - b.rank;
    const urgentA = a.type === 'copies' ? a.head.urgent : a.post.urgent;
    const urgentB = b.type === 'copies' ? b.head.urgent : b.post.urgent;
    if (a.inLane && b.inLane) {
      // Only words make a case urgent; an edit or a note of an urgent case is not.
      return this.fair.compare({ lane: a.lane!, urgent: a.type === 'copies' && urgentA, since: idOf(a) }, { lane: b.lane!, urgent: b.type === 'copies' && urgentB, since: idOf(b) }, now);
    }
    // A lane that had its share waits for everything else of its rank.
    const overA = a.inLane && this.fair.overCap(a.lane!, now);
    const overB = b.inLane && this.fair.overCap(b.lane!, now);
    if (overA !== overB) return overA ? 1 : -1;
    if (urgentA !== urgentB) return urgentA ? -1 : 1;
    // Topics of equal rank: a client not served within the window (a new case) before one who was.
    if (a.rank < PRIORITY.words && a.lane !== undefined && b.lane !== undefined) {
      const newA = this.fair.isNewcomer(a.lane, now);
      const newB = this.fair.isNewcomer(b.lane, now);
      if (newA !== newB) return newA ? -1 : 1;
    }
    return idOf(a) - idOf(b);
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
    const row = this.core.cases.find(head.caseId);
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
      if (batch.length > 1) {
        this.spend(now, batch.length - 1); // an album is a message per part
        this.fair.served(laneOfClient(head.clientKey), now, batch.length - 1);
      }
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
        from: clientChatId(privacy, client),
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
    const row = post.caseId !== null ? this.core.cases.find(post.caseId) : undefined;
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
        const row = caseId !== null ? this.core.cases.find(caseId) : undefined;
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
