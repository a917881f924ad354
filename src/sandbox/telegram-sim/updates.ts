import { ApiError, TG } from './errors.js';
import type { Update } from './types.js';

/** Update types Telegram sends when allowed_updates is empty or was never set. */
const DEFAULT_EXCLUDED = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

/** How long a superseded long poll may take to show that its client went away, before it gets 409. */
const CONFLICT_GRACE_MS = 50;

interface Poll {
  wake: () => void;
  reject: (error: ApiError) => void;
  closed: () => boolean;
}

export interface GetUpdatesParams {
  offset?: number;
  limit?: number;
  timeout?: number;
  allowed_updates?: string[];
}

/**
 * The bot's update queue with Telegram's getUpdates semantics: updates stay until a getUpdates
 * with a higher offset confirms them; a long poll returns as soon as there is something; a new
 * getUpdates terminates a waiting one with 409 Conflict.
 */
export class UpdateQueue {
  private pending: Update[] = [];
  private nextId = 1;
  private allowed: Set<string> | undefined;
  private poll: Poll | undefined;
  private closed = false;
  /** Updates not queued because allowed_updates excluded their type, as Telegram drops them. */
  readonly dropped: Update[] = [];
  delivered = 0;

  /** The type of an update: its first field other than update_id. */
  static typeOf(update: Update): string {
    return Object.keys(update).find((key) => key !== 'update_id') ?? 'unknown';
  }

  isAllowed(type: string): boolean {
    return this.allowed ? this.allowed.has(type) : !DEFAULT_EXCLUDED.has(type);
  }

  /** Queues an update, giving it the next update_id (unless `keepId`). Returns it, or undefined if dropped. */
  push(update: Omit<Update, 'update_id'> & { update_id?: number }, keepId = false): Update | undefined {
    const id = keepId && typeof update.update_id === 'number' ? update.update_id : this.nextId;
    const { update_id: _given, ...content } = update;
    const ordered = { update_id: id, ...content } as Update;
    this.nextId = Math.max(this.nextId, id + 1);
    if (!this.isAllowed(UpdateQueue.typeOf(ordered))) {
      this.dropped.push(ordered);
      return undefined;
    }
    this.pending.push(ordered);
    // Let updates pushed in the same tick arrive together, as they would from Telegram.
    setImmediate(() => this.poll?.wake());
    return ordered;
  }

  /** Updates not yet confirmed by the bot. */
  unconfirmed(): Update[] {
    return [...this.pending];
  }

  /** Answers getUpdates; `gone` is aborted when the client goes away (then nothing is delivered). */
  async getUpdates(params: GetUpdatesParams, gone: AbortSignal): Promise<Update[]> {
    const closed = () => gone.aborted;
    this.confirm(params.offset);
    if (params.allowed_updates !== undefined) {
      this.allowed = params.allowed_updates.length > 0 ? new Set(params.allowed_updates) : undefined;
    }
    const limit = Math.min(Math.max(params.limit ?? 100, 1), 100);
    const timeoutMs = Math.max(params.timeout ?? 0, 0) * 1000;
    this.supersede();
    if (this.pending.length === 0 && timeoutMs > 0 && !this.closed) await this.wait(timeoutMs, gone);
    if (closed()) return [];
    const batch = this.pending.slice(0, limit);
    this.delivered += batch.length;
    return structuredClone(batch);
  }

  /** Forgets every pending update (deleteWebhook/setWebhook with drop_pending_updates). */
  confirmAll(): void {
    this.pending = [];
  }

  /** Ends every long poll (with no updates): the server is stopping. */
  close(): void {
    this.closed = true;
    this.poll?.wake();
  }

  private confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    if (offset > 0) this.pending = this.pending.filter((u) => u.update_id >= offset);
    else this.pending = this.pending.slice(offset); // -N: keep the last N, forget the rest
  }

  /** A waiting poll gets 409, unless its client turns out to have gone away already. */
  private supersede(): void {
    const previous = this.poll;
    if (!previous) return;
    this.poll = undefined;
    setTimeout(() => {
      if (previous.closed()) previous.wake();
      else previous.reject(new ApiError(409, TG.conflictPolling));
    }, CONFLICT_GRACE_MS);
  }

  private wait(timeoutMs: number, gone: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (error?: ApiError) => {
        clearTimeout(timer);
        gone.removeEventListener('abort', onAbort);
        if (this.poll === poll) this.poll = undefined;
        if (error) reject(error);
        else resolve();
      };
      const poll: Poll = { wake: () => done(), reject: (error) => done(error), closed: () => gone.aborted };
      const onAbort = () => done();
      const timer = setTimeout(() => done(), timeoutMs);
      gone.addEventListener('abort', onAbort, { once: true });
      this.poll = poll;
    });
  }
}
