import type { Api } from 'grammy';
import type { Db } from '../db/connection.js';
import type { CaseRow, OutboxRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Privacy } from '../privacy/keys.js';
import type { Pacer } from './pacing.js';
import type { PostExecutor } from './posts.js';
import type { TextVault } from './texts.js';

/** The team chats: which chat an inbox name stands for. */
export interface InboxDirectory {
  /** Every inbox's chat id (one scheduler each). */
  readonly chatIds: number[];
  /** The chat of an inbox by name; an unknown name is the default inbox. */
  chatOf(name: string | null | undefined): number;
  /** The inbox a team chat is, if it is one. */
  byChat(chatId: number | undefined): string | undefined;
}

/** What the relay counts (src/ops/metrics.ts provides it): the relay does not depend on the ops layer above it. */
export interface RelayMetrics {
  relayed: { inc(labels: { direction: 'to_client' | 'to_inbox' }, value?: number): void };
}

/** How the relay finds a case's current state (its topic, chat, client): given by whoever owns cases. */
export interface CaseDirectory {
  find(caseId: number): CaseRow | undefined;
}

export interface RelayDeps {
  db: Db;
  /** An API client of its own, without auto-retry: the relay paces itself and waits out 429s in the outbox. */
  api: Api;
  logger: Logger;
  privacy: Privacy;
  pacer: Pacer;
  inboxes: InboxDirectory;
  cases: CaseDirectory;
  executor: PostExecutor;
  clock?: () => number;
  metrics?: RelayMetrics;
  /** The client blocked the bot: close the case (queues what the team is told). */
  onClientGone: (row: CaseRow) => void;
  /** The case's topic in the team's chat is gone: queue a new one (nothing, if the case is closed or erased). */
  onTopicMissing: (row: CaseRow) => void;
  /**
   * The inbox is locked down: into team chats, posts about cases wait; into a client's chat, the rows it
   * says (the head of the case's lane, `row`) wait, and the lane behind them. The unlock wakes the relay.
   */
  paused?: (toClient: boolean, row?: OutboxRow) => boolean;
  /** Requests into one team chat at the same time: 1 under Telegram's limits (one repeat at most per crash). */
  teamConcurrency?: number;
}

/** What the lanes and the schedulers share. */
export type RelayCore = RelayDeps & { clock: () => number; vault: TextVault };

/** Give up on a row after this many failed attempts (each waits longer: 2, 4, … 60 s). */
export const MAX_ATTEMPTS = 8;
/** An album's parts arrive as separate updates: give them a moment to all be queued, then copy together. */
export const ALBUM_SETTLE_MS = 1_500;
/** While paused, how often a lane looks again anyway (the unlock does not wait for it). */
export const PAUSED_RECHECK_MS = 30_000;

export function backoff(attempts: number): number {
  return Math.min(60_000, 1_000 * 2 ** attempts);
}

export function laneKey(row: Pick<OutboxRow, 'caseId' | 'toClient'>): string {
  return `${row.caseId}:${row.toClient}`;
}

