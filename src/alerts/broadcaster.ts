import { HttpError, type Api } from 'grammy';
import type { Db } from '../db/connection.js';
import type { AlertRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Pacer } from '../relay/pacing.js';
import { SoonestTimer } from '../relay/soonest-timer.js';
import { classifyError, describeFailure } from '../telegram/errors.js';
import {
  claimChannel,
  dropBlocked,
  expireDue,
  findAlert,
  finishDone,
  isLive,
  markEdited,
  markFailed,
  markNoticeDone,
  markSending,
  markSent,
  nextDue,
  nextExpiry,
  nextWork,
  postpone,
  recoverInFlight,
  setChannel,
  workKey,
  type DeliveryWork,
} from './store.js';
import type { Subscriptions } from './subscriptions.js';

/** What an alert says, rendered by whoever knows the languages (the bot layer). HTML, ready to send. */
export interface AlertTexts {
  alert(alert: AlertRow, language: string): string;
  withdrawn(alert: AlertRow, language: string): string;
  /** The channel's copy, in DEFAULT_LANGUAGE. */
  channel(alert: AlertRow): string;
}

export interface BroadcasterDeps {
  db: Db;
  /** An API client without auto-retry and without the pacing transformer: the broadcaster paces itself. */
  api: Api;
  pacer: Pacer;
  logger: Logger;
  subscriptions: Subscriptions;
  texts: AlertTexts;
  /** CHANNELS: alias → chat. */
  channels: Record<string, string | number>;
  /** Wall clock (ms): expiry and the figures. */
  clock: () => number;
  /** Steady clock (ms) for the pacer, as the relay's. */
  steady: () => number;
  /** Slots of Telegram's overall second the broadcast leaves free for consultations and emergencies. */
  headroom: number;
  /** Requests on their way at once (each may be lost, never doubled, at a crash). */
  concurrency: number;
  /** Every subscriber of the alert is settled: its figures go to the chat it was drafted in. */
  onFinished?: (alert: AlertRow) => void;
  /** The alert ended by its time. */
  onExpired?: (alert: AlertRow) => void;
}

/** A retry of a request that never left (connection refused) or an edit: at most this many. */
const MAX_ATTEMPTS = 6;
const backoff = (attempts: number) => Math.min(60_000, 1_000 * 2 ** attempts);
/** Expiry is looked at this often besides its own timer (a wall clock that jumps). */
const EXPIRY_CHECK_MS = 30_000;
const BUFFER = 256;

/** Whether a failed request certainly never reached Telegram (so sending it again cannot double it). */
function neverLeft(error: unknown): boolean {
  if (!(error instanceof HttpError)) return false;
  for (let cause: unknown = error.error; cause; cause = (cause as { cause?: unknown }).cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|UND_ERR_CONNECT_TIMEOUT)$/.test(code)) return true;
  }
  return false;
}

/**
 * Sends approved alerts to their subscribers: each (alert, subscriber) once, across crashes (see
 * store.ts), within Telegram's overall limit shared with everything else the bot sends, and always
 * leaving `headroom` of each second to consultations and the emergency screen, which never wait behind
 * a broadcast. Withdrawal notices go first, then new alerts (most severe first), then edits after an update.
 */
export class Broadcaster {
  private readonly timer = new SoonestTimer(() => this.pump());
  private readonly inFlight = new Map<string, Promise<void>>();
  private buffer: DeliveryWork[] = [];
  private stopped = true;
  private pumping = false;
  private again = false;
  private expiryTimer?: NodeJS.Timeout;
  /** After a 429 (with one message per chat, Telegram's overall limit): no new request before this. */
  private pausedUntil = 0;

  constructor(private readonly deps: BroadcasterDeps) {}

  start(): void {
    const recovered = recoverInFlight(this.deps.db);
    if (recovered > 0) this.deps.logger.warn({ deliveries: recovered }, 'alert deliveries on their way at the last stop are counted as uncertain and not sent again (never twice)');
    this.stopped = false;
    this.expiryTimer = setInterval(() => this.checkExpiry(), EXPIRY_CHECK_MS);
    this.expiryTimer.unref?.();
    this.checkExpiry();
    // After a restart Telegram still counts the last second's sends of the process before: the pacer,
    // in memory, does not know them, so the first look waits that second out.
    if (this.deps.pacer.active) this.timer.schedule(1_000);
    else this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer.cancel();
    clearInterval(this.expiryTimer);
    await Promise.all([...this.inFlight.values()]);
  }

  get idle(): boolean {
    return this.inFlight.size === 0 && this.buffer.length === 0;
  }

  /** Something changed (an approval, a withdrawal, an update): read the queue afresh. */
  wake(): void {
    this.buffer = [];
    if (!this.stopped) this.timer.schedule(0);
  }

  /** Ends alerts past their time (also run by a timer); returns those that ended. */
  checkExpiry(): AlertRow[] {
    try {
      const ended = expireDue(this.deps.db, this.deps.clock());
      for (const alert of ended) this.deps.onExpired?.(alert);
      const next = nextExpiry(this.deps.db);
      if (next !== undefined && !this.stopped) {
        const delay = Math.max(0, next - this.deps.clock());
        if (delay < EXPIRY_CHECK_MS) setTimeout(() => this.checkExpiry(), delay + 5).unref?.();
      }
      if (ended.length > 0) this.wake();
      return ended;
    } catch (error) {
      this.deps.logger.error({ err: error }, 'alert expiry failed');
      return [];
    }
  }

  /** Resolves when nothing is due or on its way (tests, benchmarks), or after `timeoutMs`. */
  async drain(timeoutMs = 30_000): Promise<boolean> {
    const until = performance.now() + timeoutMs;
    while (performance.now() < until) {
      const due = nextDue(this.deps.db);
      if (this.inFlight.size === 0 && due === undefined) {
        this.finish();
        return true;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

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
        this.step();
      } while (this.again && !this.stopped);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'alert broadcast failed');
      this.timer.schedule(1_000);
    } finally {
      this.pumping = false;
    }
  }

  /** Alerts every subscriber of which is settled: marked sent, their figures reported. */
  private finish(): void {
    for (const alert of finishDone(this.deps.db, this.deps.clock())) this.deps.onFinished?.(alert);
  }

  /** Starts what may go now; sets the timer for the rest. */
  private step(): void {
    const { db, pacer } = this.deps;
    const now = this.deps.steady();
    if (now < this.pausedUntil) {
      this.timer.schedule(this.pausedUntil - now);
      return;
    }
    this.channelWork(now);
    while (this.inFlight.size < this.deps.concurrency) {
      if (this.buffer.length === 0) this.buffer = nextWork(db, now, BUFFER, new Set(this.inFlight.keys()));
      const work = this.buffer[0];
      if (!work) {
        this.finish();
        const due = nextDue(db);
        if (due !== undefined && this.inFlight.size === 0) this.timer.schedule(Math.max(50, due - now));
        return;
      }
      let chatId: number;
      try {
        chatId = this.deps.subscriptions.chatOf({ key: work.subscriptionKey, chatRef: work.chatRef });
      } catch {
        this.buffer.shift();
        this.deps.logger.error('an alert subscription cannot be read with this BOT_SECRET; dropped');
        dropBlocked(db, work);
        continue;
      }
      const wait = pacer.delay(chatId, now, 0, this.deps.headroom);
      if (wait > 0) {
        this.timer.schedule(wait);
        return;
      }
      this.buffer.shift();
      pacer.record(chatId, now);
      const key = workKey(work);
      const run = this.run(work, chatId, now)
        .catch((error: unknown) => this.deps.logger.error({ err: error }, 'alert delivery failed'))
        .finally(() => {
          this.inFlight.delete(key);
          this.timer.schedule(0);
        });
      this.inFlight.set(key, run);
    }
  }

  private async run(work: DeliveryWork, chatId: number, now: number): Promise<void> {
    const { db, api, texts } = this.deps;
    const alert = findAlert(db, work.alertId);
    if (!alert) return;
    const options = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };
    if (work.kind === 'edit') {
      try {
        await api.editMessageText(chatId, work.messageId!, texts.alert(alert, work.language), options);
        markEdited(db, work, alert.version);
      } catch (error) {
        this.failed(error, work, chatId, now, true);
      }
      return;
    }
    if (work.kind === 'send' && !isLive(alert)) return;
    if (!markSending(db, work)) return; // settled meanwhile (withdrawn, unsubscribed)
    try {
      if (work.kind === 'send') {
        const sent = await api.sendMessage(chatId, texts.alert(alert, work.language), options);
        markSent(db, work, sent.message_id, alert.version);
      } else {
        await api.sendMessage(chatId, texts.withdrawn(alert, work.language), { ...options, reply_parameters: { message_id: work.messageId!, allow_sending_without_reply: true } });
        markNoticeDone(db, work);
      }
    } catch (error) {
      this.failed(error, work, chatId, now, neverLeft(error));
    }
  }

  /** `retryable`: sending it again cannot double it (an edit, or a request that never left). */
  private failed(error: unknown, work: DeliveryWork, chatId: number, now: number, retryable: boolean): void {
    const { db, pacer, logger } = this.deps;
    const failure = classifyError(error);
    const attempts = work.attempts + 1;
    switch (failure.kind) {
      case 'rate-limited':
        // A 429 means it was not sent: queued again once the wait is over. The whole broadcast waits too
        // (a subscriber gets one message at a time: it is the overall limit), rather than collect more 429s.
        pacer.block(chatId, now + failure.retryAfterMs);
        this.pausedUntil = Math.max(this.pausedUntil, now + failure.retryAfterMs);
        postpone(db, work, now + failure.retryAfterMs, work.attempts);
        return;
      case 'blocked':
        dropBlocked(db, work);
        return;
      case 'not-modified':
        markEdited(db, work, findAlert(db, work.alertId)?.version ?? work.version);
        return;
      case 'message-missing':
        // The message to edit or answer is gone (the client deleted it): nothing to do for them.
        if (work.kind === 'send') markFailed(db, work);
        else markFailed(db, { ...work, kind: work.kind });
        return;
      case 'network':
        if (retryable && attempts < MAX_ATTEMPTS) {
          postpone(db, work, now + backoff(attempts), attempts);
          return;
        }
        logger.warn({ reason: describeFailure(failure), kind: work.kind }, 'an alert delivery may or may not have arrived; not sent again');
        markFailed(db, work, !retryable);
        return;
      default:
        logger.warn({ reason: describeFailure(failure), kind: work.kind }, 'an alert delivery was refused');
        markFailed(db, work);
    }
  }

  /** The channel copy of alerts: posted once (claimed before it goes), edited after an update, answered when withdrawn. */
  private channelWork(now: number): void {
    const { db, api, texts, channels, logger, pacer } = this.deps;
    const due = db.$client.prepare<[], { id: number; state: string }>("SELECT id, channel_state AS state FROM alerts WHERE channel_state IN ('queued', 'edit', 'withdraw')").all();
    for (const { id, state } of due) {
      const alert = findAlert(db, id)!;
      // A copy already posted is edited or answered where it is, whatever CHANNELS names now.
      const chat = state !== 'queued' && alert.channelChatId !== null ? alert.channelChatId : alert.channel ? channels[alert.channel] : undefined;
      if (chat === undefined) {
        setChannel(db, id, 'failed');
        continue;
      }
      const paceId = typeof chat === 'number' ? chat : -1;
      if (pacer.delay(paceId, now, 0, this.deps.headroom) > 0) {
        this.timer.schedule(1_000);
        return;
      }
      const next = { queued: 'sending', edit: 'editing', withdraw: 'withdrawing' }[state]!;
      if (!claimChannel(db, id, state, next)) continue;
      pacer.record(paceId, now);
      const options = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };
      const work = (async () => {
        if (state === 'queued') {
          const posted = await api.sendMessage(chat, texts.channel(alert), options);
          return void setChannel(db, id, 'sent', { chatId: posted.chat.id, messageId: posted.message_id });
        }
        if (state === 'edit') {
          await api.editMessageText(chat, alert.channelMessageId!, texts.channel(alert), options).catch((error: unknown) => {
            if (classifyError(error).kind !== 'not-modified') throw error;
          });
          return void setChannel(db, id, 'sent');
        }
        await api.sendMessage(chat, texts.withdrawn(alert, ''), { ...options, reply_parameters: { message_id: alert.channelMessageId!, allow_sending_without_reply: true } });
        setChannel(db, id, 'withdrawn', null);
      })().catch((error: unknown) => {
        logger.warn({ reason: describeFailure(classifyError(error)), alert: id }, 'the channel copy of an alert failed');
        setChannel(db, id, state === 'queued' ? (neverLeft(error) ? 'queued' : 'failed') : state === 'edit' ? 'sent' : 'withdrawn', state === 'withdraw' ? null : undefined);
      });
      const key = `channel:${id}`;
      this.inFlight.set(key, work.finally(() => {
        this.inFlight.delete(key);
        this.timer.schedule(0);
      }));
    }
  }
}
