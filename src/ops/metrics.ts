import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Api } from 'grammy';

/**
 * Prometheus metrics (GET /metrics). Counts and durations only: nothing here can name a client.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly updates = new Counter({ name: 'bot_updates_total', help: 'Updates handled, by type', labelNames: ['type'], registers: [this.registry] });
  readonly relayed = new Counter({ name: 'bot_relayed_messages_total', help: 'Messages copied between clients and the inbox', labelNames: ['direction'], registers: [this.registry] });
  readonly tooManyRequests = new Counter({ name: 'bot_telegram_429_total', help: 'Telegram calls answered 429', registers: [this.registry] });
  readonly apiErrors = new Counter({ name: 'bot_telegram_errors_total', help: 'Telegram calls that failed, by method', labelNames: ['method'], registers: [this.registry] });
  readonly publications = new Counter({ name: 'bot_publications_total', help: 'Channel publications, by outcome', labelNames: ['outcome'], registers: [this.registry] });
  readonly backlog = new Gauge({ name: 'bot_relay_backlog', help: 'Copies waiting in the outbox', labelNames: ['direction'], registers: [this.registry] });
  readonly queueLength = new Gauge({ name: 'bot_queue_length', help: 'Cases waiting for a consultant', registers: [this.registry] });
  readonly queueOldestWait = new Gauge({ name: 'bot_queue_oldest_wait_seconds', help: 'How long the longest-waiting case has waited', registers: [this.registry] });

  /**
   * When Telegram last answered a call successfully, and last failed for a reason other than a refusal:
   * on the monotonic clock, so that a jump of the wall clock does not make an old failure look newer
   * than a later success. The failure's wall time is kept only to show it.
   */
  lastTelegramSuccess = Number.NEGATIVE_INFINITY;
  lastTelegramFailure = Number.NEGATIVE_INFINITY;
  lastTelegramFailureAt = 0;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts every call on this API client: failures, 429s, and whether Telegram is reachable. */
  watch(api: Api): void {
    api.config.use(async (prev, method, payload, signal) => {
      try {
        const result = await prev(method, payload, signal);
        if (result.ok) this.lastTelegramSuccess = performance.now();
        else {
          this.apiErrors.inc({ method });
          if (result.error_code === 429) this.tooManyRequests.inc();
          else if (result.error_code >= 500) this.failed();
          else this.lastTelegramSuccess = performance.now(); // Telegram answered: it is reachable
        }
        return result;
      } catch (error) {
        this.apiErrors.inc({ method });
        this.failed();
        throw error;
      }
    });
  }

  private failed(): void {
    this.lastTelegramFailure = performance.now();
    this.lastTelegramFailureAt = Date.now();
  }
}
