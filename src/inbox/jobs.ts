import cron, { type ScheduledTask } from 'node-cron';
import { and, eq, isNull, lt } from 'drizzle-orm';
import { GrammyError } from 'grammy';
import { escapeHtml } from '../content/markdown.js';
import { cases } from '../db/schema.js';
import { getJobState, setJobState } from '../publishing/ledger.js';
import { purgeClosedCases, waitingQueue } from './cases.js';
import { purgeExpiredBans } from './bans.js';
import { purgeAbandonedConversations } from '../db/conversations.js';
import { orderQueue } from './queue.js';
import type { InboxService } from './service.js';
import type { InboxDeps } from './service.js';

const BOARD = 'inbox.queue_board_message';
const BOARD_TEXT = 'inbox.queue_board_text';
const LAST_PURGE = 'inbox.last_purge';

/**
 * Background work of the inbox, once a minute: the queue board in the General topic (edited in
 * place), reminders for cases waiting too long, and the daily retention purge. Each step catches its
 * own failures.
 */
export class InboxJobs {
  private task?: ScheduledTask;
  private lastBoard = '';

  constructor(
    private readonly deps: InboxDeps,
    private readonly inbox: InboxService,
  ) {}

  start(): void {
    this.task = cron.schedule('*/20 * * * * *', () => this.run(), { name: 'inbox-jobs', noOverlap: true });
    void this.run();
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
  }

  async run(): Promise<void> {
    for (const job of [() => this.updateBoard(), () => this.remind(), () => this.purge(), async () => void purgeAbandonedConversations(this.deps.db, this.deps.clock())]) {
      await job().catch((error: unknown) => this.deps.logger.error({ err: error }, 'inbox job failed'));
    }
  }

  /** The waiting cases, urgent first, then oldest; edited in place, re-posted only if it vanished. */
  async updateBoard(): Promise<void> {
    const { db, api, config, clock } = this.deps;
    const queue = orderQueue(waitingQueue(db));
    const lines = queue.map(({ row }) => {
      const minutes = Math.round((clock() - row.queuedAt) / 60_000);
      const client = escapeHtml(this.inbox.st('staff-client', { pseudonym: this.inbox.pseudonymOf(row) }));
      return `${row.urgent ? '🆘' : '•'} ${client} · ${escapeHtml(this.inbox.topicLabel(row.topic))} · ${minutes} min${row.specialty ? ` · ${escapeHtml(row.specialty)}` : ''}`;
    });
    const text = `${this.inbox.st('staff-queue', { count: queue.length })}\n${lines.join('\n') || this.inbox.st('staff-queue-empty')}`;
    // Edits count towards Telegram's limits too: only when the board really changed (also across restarts).
    if (!this.lastBoard) this.lastBoard = getJobState(db, BOARD_TEXT) ?? '';
    if (text === this.lastBoard) return;
    const messageId = Number(getJobState(db, BOARD) ?? 0);
    if (messageId) {
      try {
        await api.editMessageText(config.staffChatId, messageId, text, { parse_mode: 'HTML' });
        this.remember(text);
        return;
      } catch (error) {
        if (error instanceof GrammyError && error.description.includes('not modified')) {
          this.remember(text);
          return;
        }
      }
    }
    const sent = await api.sendMessage(config.staffChatId, text, { parse_mode: 'HTML', disable_notification: true });
    setJobState(db, BOARD, String(sent.message_id));
    this.remember(text);
  }

  private remember(text: string): void {
    this.lastBoard = text;
    setJobState(this.deps.db, BOARD_TEXT, text);
  }

  /** One reminder per waiting spell, in the General topic, for cases waiting longer than REMINDER_MINUTES. */
  async remind(): Promise<void> {
    const { db, api, config, clock } = this.deps;
    const due = db
      .select()
      .from(cases)
      .where(and(eq(cases.status, 'waiting'), isNull(cases.remindedAt), lt(cases.queuedAt, clock() - config.reminderMs)))
      .all();
    for (const row of due) {
      db.update(cases).set({ remindedAt: clock() }).where(eq(cases.id, row.id)).run();
      const minutes = Math.round((clock() - row.queuedAt) / 60_000);
      const text = this.inbox.st('staff-reminder', {
        urgent: row.urgent ? this.inbox.st('staff-reminder-urgent') : '',
        client: escapeHtml(this.inbox.st('staff-client', { pseudonym: this.inbox.pseudonymOf(row) })),
        topic: escapeHtml(this.inbox.topicLabel(row.topic)),
        minutes,
      });
      await api.sendMessage(config.staffChatId, text, { parse_mode: 'HTML' });
    }
  }

  /** Closed cases older than RETENTION_DAYS go, with their relay mappings; at most once a day. */
  async purge(): Promise<void> {
    const { db, config, clock, logger } = this.deps;
    const last = Number(getJobState(db, LAST_PURGE) ?? 0);
    if (clock() - last < 24 * 3_600_000) return;
    const removed = purgeClosedCases(db, clock(), config.retentionDays);
    const bansLifted = purgeExpiredBans(db, clock(), config.banDays);
    setJobState(db, LAST_PURGE, String(clock()));
    logger.info({ removed, bansLifted }, 'retention purge done');
  }
}
