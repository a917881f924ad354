import { GrammyError, HttpError, type Api } from 'grammy';
import { escapeHtml } from '../content/markdown.js';
import type { Db } from '../db/connection.js';
import type { Logger } from '../logger.js';
import {
  claimPublication,
  dueRetries,
  markFailed,
  markInterrupted,
  markSent,
  markSkipped,
  markSkippedMany,
  messageIdsOf,
  recordProgress,
} from './ledger.js';
import { getJobState, setJobState } from '../db/job-state.js';
import { nextOccurrenceOf, occurrencesBetween } from './occurrences.js';
import type { Post } from './posts.js';
import { sendPost } from './publisher.js';
import { formatLocal } from '../time/zoned.js';
import { Every } from '../time/every.js';
import { monotonicMs } from '../time/steady.js';

/** What publishing counts (src/ops/metrics.ts provides it): publishing does not depend on the ops layer above it. */
export interface PublishingMetrics {
  publications: { inc(labels: { outcome: 'sent' | 'failed' }): void };
}

export interface SchedulerDeps {
  db: Db;
  api: Api;
  logger: Logger;
  timezone: string;
  channels: Record<string, string | number>;
  /** Occurrences missed by less than this are published late; older ones are skipped and reported. */
  graceMs: number;
  posts: () => Post[];
  botUsername: () => string;
  /** Sends an HTML message to the editors chat. */
  report: (html: string) => Promise<void>;
  /** The editors' texts (locales, in DEFAULT_LANGUAGE); values must already be escaped HTML. */
  text: (key: string, vars: Record<string, string | number>) => string;
  clock?: () => Date;
  metrics?: PublishingMetrics;
}

const LAST_TICK = 'publishing.last_tick';
const MAX_LOOKBACK = 31 * 24 * 60 * 60_000;
const RETRY_DELAYS = [60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000];

function describe(error: unknown): string {
  if (error instanceof GrammyError) return `${error.error_code}: ${error.description}`;
  if (error instanceof HttpError) return `network error: ${String((error.error as Error)?.message ?? error.message)}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Publishes each due occurrence of each post once. The ledger row is claimed before sending and
 * progress is stored after every message, so a restart continues instead of repeating.
 */
export class Scheduler {
  private readonly every: Every;
  private readonly clock: () => Date;

  constructor(private readonly deps: SchedulerDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.every = new Every(1_000, () => this.publishDue(), (error: unknown) => this.deps.logger.error({ err: error }, 'publishing pass failed'));
  }

  /** Flags sends cut short by a crash, then checks for due posts every second. */
  async start(): Promise<void> {
    await this.recoverInterrupted();
    this.every.start();
    await this.tick();
  }

  async stop(): Promise<void> {
    await this.every.stop();
  }

  get isRunning(): boolean {
    return this.every.isRunning;
  }

  async recoverInterrupted(): Promise<void> {
    const rows = markInterrupted(this.deps.db, this.clock().getTime());
    for (const row of rows) {
      await this.deps.report(this.deps.text('publishing-interrupted', { slug: escapeHtml(row.postSlug), channel: escapeHtml(row.channel) }));
    }
  }

  /** One pass: publish what is due, retry what failed, report what was missed. Never throws. */
  tick(): Promise<void> {
    return this.every.runNow();
  }

  /**
   * The wall clock jumped by `jumpMs` (either way): failed sends keep the wait they were given (a retry
   * due in a minute is still due in a minute), and a pass runs at once. Occurrences need nothing: the
   * next pass publishes only the latest one missed, and the ledger refuses one already sent.
   */
  async replan(jumpMs: number): Promise<void> {
    this.deps.db.$client.prepare("UPDATE publications SET next_attempt_at = next_attempt_at + ? WHERE status = 'failed' AND next_attempt_at IS NOT NULL").run(Math.round(jumpMs));
    await this.tick();
  }

  /** When the last publishing pass finished, on the monotonic clock (`performance.now()`), for /healthz. */
  lastPassAt = Number.NEGATIVE_INFINITY;

  private async publishDue(): Promise<void> {
    const { db, timezone, graceMs } = this.deps;
    const now = this.clock();
    this.lastPassAt = monotonicMs();
    const stored = Number(getJobState(db, LAST_TICK) ?? now.getTime() - graceMs);
    // After a jump back the last pass is in the future: nothing is due until the clock passes it again
    // (and the ledger would refuse a second send anyway).
    const last = Math.min(stored, now.getTime());
    const from = Math.max(last, now.getTime() - MAX_LOOKBACK);
    const recentFrom = Math.max(from, now.getTime() - graceMs);
    const missed: string[] = [];
    for (const post of this.deps.posts()) {
      // Beyond the grace period: skipped and reported, the latest of them by name (after a week away,
      // a daily post is one line, not seven).
      const old = from < recentFrom ? occurrencesBetween(post, new Date(from), new Date(recentFrom), timezone) : [];
      // Within it, only the latest is published: a post due every hour publishes once after a day's jump.
      const recent = occurrencesBetween(post, new Date(recentFrom), now, timezone);
      const latest = recent.pop();
      for (const channel of post.channels) {
        markSkippedMany(db, post.slug, channel, recent.map((o) => o.getTime()), 'superseded by a later occurrence', now.getTime());
        const skipped = markSkippedMany(db, post.slug, channel, old.map((o) => o.getTime()), 'missed: the bot was not running (or the clock jumped)', now.getTime());
        if (skipped.length > 0) {
          const earlier = skipped.length > 1 ? ` ${this.deps.text('publishing-missed-earlier', { count: skipped.length - 1 })}` : '';
          missed.push(`${escapeHtml(post.file)} (${formatLocal(new Date(skipped.at(-1)!), timezone)} → ${escapeHtml(channel)})${earlier}`);
        }
        if (latest) await this.deliver(post, latest, channel);
      }
    }
    for (const row of dueRetries(db, now.getTime())) {
      const post = this.deps.posts().find((p) => p.slug === row.postSlug);
      if (!post || now.getTime() - row.occurrence > graceMs) {
        markFailed(db, row.id, `${row.error ?? ''}; gave up`, null, now.getTime());
        await this.deps.report(
          this.deps.text('publishing-gave-up', { slug: escapeHtml(row.postSlug), channel: escapeHtml(row.channel), attempts: row.attempts, error: escapeHtml(row.error ?? '') }),
        );
      } else {
        await this.deliver(post, new Date(row.occurrence), row.channel);
      }
    }
    setJobState(db, LAST_TICK, String(now.getTime()));
    if (missed.length > 0) {
      await this.deps.report(this.deps.text('publishing-missed', { hours: Math.round(graceMs / 3_600_000), list: missed.map((m) => `• ${m}`).join('\n') }));
    }
  }

  /** Sends one occurrence to one channel if the ledger lets us; records the outcome. */
  async deliver(post: Post, occurrence: Date, channel: string): Promise<'sent' | 'failed' | 'not-ours'> {
    const { db, logger } = this.deps;
    const target = this.deps.channels[channel];
    if (target === undefined) {
      if (markSkipped(db, { postSlug: post.slug, occurrence: occurrence.getTime(), channel }, 'unknown channel alias', this.clock().getTime())) {
        await this.deps.report(this.deps.text('publishing-unknown-channel', { file: escapeHtml(post.file), channel: escapeHtml(channel) }));
      }
      return 'failed';
    }
    const key = { postSlug: post.slug, occurrence: occurrence.getTime(), channel };
    const row = claimPublication(db, key, String(target), this.clock().getTime());
    if (!row) return 'not-ours';
    try {
      const ids = await sendPost(this.deps.api, post, target, {
        botUsername: this.deps.botUsername(),
        alreadySent: messageIdsOf(row),
        onProgress: (progress) => recordProgress(db, row.id, progress, this.clock().getTime()),
      });
      markSent(db, row.id, ids, this.clock().getTime());
      this.deps.metrics?.publications.inc({ outcome: 'sent' });
      logger.info({ post: post.slug, channel, messages: ids.length }, 'post published');
      return 'sent';
    } catch (error) {
      const reason = describe(error);
      const delay = RETRY_DELAYS[Math.min(row.attempts - 1, RETRY_DELAYS.length - 1)] ?? 30 * 60_000;
      const now = this.clock().getTime();
      markFailed(db, row.id, reason, now + delay, now);
      this.deps.metrics?.publications.inc({ outcome: 'failed' });
      logger.warn({ post: post.slug, channel, err: error }, 'publishing failed; will retry');
      if (row.attempts === 1) {
        await this.deps.report(
          this.deps.text('publishing-retrying', { file: escapeHtml(post.file), channel: escapeHtml(channel), error: escapeHtml(reason), minutes: Math.round(delay / 60_000) }),
        );
      }
      return 'failed';
    }
  }

  /** /publish: now, to every channel of the post. */
  async publishNow(post: Post): Promise<string[]> {
    const occurrence = this.clock();
    const results: string[] = [];
    for (const channel of post.channels) results.push(`${channel}: ${this.deps.text(`editors-outcome-${await this.deliver(post, occurrence, channel)}`, {})}`);
    return results;
  }

  /** /skip: the next occurrence will not be published. Returns it, or null if there is none. */
  skipNext(post: Post): Date | null {
    let after = this.clock();
    for (let i = 0; i < 100; i++) {
      const next = nextOccurrenceOf(post, after, this.deps.timezone);
      if (!next) return null;
      let skippedNow = false;
      for (const channel of post.channels) {
        const key = { postSlug: post.slug, occurrence: next.getTime(), channel };
        if (markSkipped(this.deps.db, key, 'skipped by an editor', this.clock().getTime())) skippedNow = true;
      }
      if (skippedNow) return next;
      after = next; // already skipped or published: the one after
    }
    return null;
  }
}
