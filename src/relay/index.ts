import type { CaseRow } from '../db/schema.js';
import { ClientLanes } from './client-lanes.js';
import type { RelayCore, RelayDeps } from './context.js';
import { backlog, enqueueCopy, enqueuePost, hasWaiting, recoverInFlight } from './outbox-store.js';
import { clientMergeKey, clientPriorityOf, coalesceKeyOf, encodePost, inClientLane, priorityOf, PRIORITY, type ClientPost, type TeamPost } from './posts.js';
import { TeamScheduler } from './team-scheduler.js';
import { TextVault, type JoinableText } from './texts.js';

export type { RelayDeps, InboxDirectory, CaseDirectory } from './context.js';
export type { TeamPost, ClientPost, PostExecutor, PostTarget } from './posts.js';
export type { JoinableText } from './texts.js';
export { joinTexts, JOIN_SEPARATOR } from './texts.js';
export { findCounterpart, isJoinedCopy, isJoinedAtClient, wasCopied } from './pairs.js';
export { backlog, clientCopyInFlight, latestStamp } from './outbox-store.js';

/** A message accepted into a case, to be copied to the other side. */
export type Accepted = {
  caseId: number;
  sourceMessageId: number;
  mediaGroupId?: string;
  replyToSourceId?: number;
  /** A client's plain text (no album): kept sealed until copied, so texts that wait can be joined. */
  text?: JoinableText;
} & (
  | { toClient: false }
  /** A consultant's message: `sourceChatId` is the team chat it was written in, where its id and the id it replies to mean something. */
  | { toClient: true; sourceChatId: number }
);

/**
 * The relay, behind one façade: everything the bot puts into a chat for a case or a team goes through
 * its durable outbox. Callers queue (synchronously, inside their own transaction if they like) and
 * return; the relay sends: each client's chat at its own pace, each team chat through one scheduler
 * that spends the group's budget on what matters most. Nothing is lost across a restart or a 429; a
 * message the process may have sent just before dying is sent again and marked as a possible repeat.
 */
export class Relay {
  private readonly core: RelayCore;
  private readonly clients: ClientLanes;
  private readonly teams = new Map<number, TeamScheduler>();
  private started = false;
  private wakeAll = false;
  private readonly wakeCases = new Set<number>();
  private wakeTimer?: NodeJS.Immediate;

  constructor(deps: RelayDeps) {
    this.core = { ...deps, clock: deps.clock ?? Date.now, vault: new TextVault(deps.privacy.outbox) };
    this.clients = new ClientLanes(this.core);
    const concurrency = deps.teamConcurrency ?? 1;
    for (const chatId of deps.inboxes.chatIds) this.teams.set(chatId, new TeamScheduler(this.core, chatId, concurrency));
  }

  /** Starts sending. What was on its way when the process last stopped may have arrived: it is marked as a possible repeat. */
  start(): void {
    const recovered = recoverInFlight(this.core.db);
    if (recovered > 0) this.core.logger.warn({ rows: recovered }, 'messages that were on their way at the last stop are sent again, marked as possible repeats');
    this.started = true;
    this.clients.start();
    for (const team of this.teams.values()) team.start();
  }

  /** Stops after what is on its way; what waits stays in the outbox for the next start. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.wakeTimer) clearImmediate(this.wakeTimer);
    await Promise.all([this.clients.stop(), ...[...this.teams.values()].map((t) => t.stop())]);
  }

  /** Resolves once nothing is waiting that could go (for tests and benchmarks), or after `timeoutMs`. */
  async drain(timeoutMs = 30_000): Promise<boolean> {
    const until = performance.now() + timeoutMs;
    while (performance.now() < until) {
      const { toInbox, toClients } = backlog(this.core.db);
      if (toInbox + toClients === 0 && this.clients.idle && [...this.teams.values()].every((t) => t.idle)) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  /** Queues a message for copying across. Idempotent per source message (also once copied). */
  accept(message: Accepted): boolean {
    const now = this.core.clock();
    const sealedText =
      message.text && message.mediaGroupId === undefined
        ? this.core.vault.seal(message.text, { kind: 'copy', caseId: message.caseId, toClient: message.toClient, sourceMessageId: message.sourceMessageId, createdAt: now })
        : undefined;
    // A consultant's message is copied from the team chat it was written in, even if the case moves meanwhile.
    const queued = enqueueCopy(this.core.db, { ...message, sealedText }, now);
    if (queued) this.wake(message.toClient ? message.caseId : undefined);
    return queued;
  }

  /** Resolves once nothing waits for the case in this direction (say, before its old topic is deleted), or after `timeoutMs`. */
  async drainCase(caseId: number, toClient: boolean, timeoutMs = 10_000): Promise<boolean> {
    const until = performance.now() + timeoutMs;
    while (performance.now() < until) {
      if (!hasWaiting(this.core.db, caseId, toClient)) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  /** Queues a post into the case's team chat (or, without a case, into `inbox`'s General topic). */
  /**
   * `byClient`: the client caused it (an edit, a note about their ending or coming back, their topic's
   * name): merged to its latest state and counted in their lane, never in the global post queue.
   */
  postToTeam(post: TeamPost, options: { row?: CaseRow; inbox?: string; notBefore?: number; priority?: number; byClient?: boolean } = {}): void {
    const now = this.core.clock();
    const { kind, payload, text } = encodePost(post);
    const caseId = options.row?.id;
    const inbox = options.row ? options.row.inbox : options.inbox;
    const sealedText = text ? this.core.vault.seal(text, { kind, caseId: caseId ?? null, toClient: false, sourceMessageId: null, createdAt: now }) : undefined;
    enqueuePost(
      this.core.db,
      {
        kind,
        payload,
        sealedText,
        toClient: false,
        caseId,
        inbox: caseId === undefined ? inbox : undefined,
        ...(options.byClient && caseId !== undefined && inClientLane(post)
          ? { priority: clientPriorityOf(post), coalesceKey: clientMergeKey(post, caseId) }
          : { priority: options.priority ?? priorityOf(post, options.row?.urgent ?? false), coalesceKey: coalesceKeyOf(post, caseId, inbox) }),
        notBefore: options.notBefore,
      },
      now,
    );
    this.wake();
  }

  /** Queues a post into the client's chat, after whatever their case's lane already holds. */
  tellClient(row: CaseRow, post: ClientPost): void {
    const now = this.core.clock();
    const { kind, payload, text } = encodePost(post);
    const sealedText = text ? this.core.vault.seal(text, { kind, caseId: row.id, toClient: true, sourceMessageId: null, createdAt: now }) : undefined;
    enqueuePost(this.core.db, { kind, payload, sealedText, toClient: true, caseId: row.id, priority: PRIORITY.words }, now);
    this.wake(row.id);
  }

  /** Something may have become possible (an unlock, a topic made): look everywhere. */
  kick(): void {
    this.wake();
  }

  /**
   * Wakes the senders once the current synchronous work is done: a caller queuing inside a transaction
   * is committed by then.
   */
  private wake(clientCase?: number): void {
    if (!this.started) return;
    if (clientCase !== undefined) this.wakeCases.add(clientCase);
    else this.wakeAll = true;
    this.wakeTimer ??= setImmediate(() => {
      this.wakeTimer = undefined;
      const all = this.wakeAll;
      this.wakeAll = false;
      const cases = [...this.wakeCases];
      this.wakeCases.clear();
      for (const caseId of cases) this.clients.queued(caseId);
      if (all) {
        this.clients.kick();
        for (const team of this.teams.values()) team.wake();
      }
    });
  }
}
