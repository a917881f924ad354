import cron, { type ScheduledTask } from 'node-cron';
import { and, eq, isNull, lt } from 'drizzle-orm';
import { GrammyError } from 'grammy';
import { escapeHtml } from '../content/markdown.js';
import { cases } from '../db/schema.js';
import { getJobState, setJobState } from '../publishing/ledger.js';
import { waitingQueue } from './cases.js';
import { purgeAbandonedConversations } from '../db/conversations.js';
import { purgeOldTraces } from '../db/traces.js';
import type { Erasure } from './erasure.js';
import { purgeExpired } from './retention.js';
import { orderQueue } from './queue.js';
import type { InboxService } from './service.js';
import type { InboxDeps } from './service.js';
import { readLockdown } from './lockdown.js';
import { formatLocal } from '../publishing/time.js';
import { sendDueFollowUps } from './follow-ups.js';

const BOARD = 'inbox.queue_board_message';
const BOARD_TEXT = 'inbox.queue_board_text';
const LAST_PURGE = 'inbox.last_purge';

/**
 * Background work of the inbox, once a minute: the queue board in the General topic (edited in
 * place), reminders for cases waiting too long, the daily retention purge, and the referral codes'
 * follow-ups the clients asked for. Each step catches its
 * own failures.
 */
export class InboxJobs {
  private task?: ScheduledTask;
  private lastBoard = '';

  constructor(
    private readonly deps: InboxDeps,
    private readonly inbox: InboxService,
    private readonly erasure: Erasure,
  ) {}

  start(): void {
    this.task = cron.schedule('*/20 * * * * *', () => this.run(), { name: 'inbox-jobs', noOverlap: true });
    void this.run();
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
  }

  async run(): Promise<void> {
    const { db, clock } = this.deps;
    const sweep = async () => {
      purgeAbandonedConversations(db, clock());
      purgeOldTraces(db, clock()); // message ids past Telegram's 48 hours cannot be deleted, so are not kept
    };
    const followUps = async () => void (await sendDueFollowUps({ ...this.deps, timezone: this.deps.config.timezone }));
    for (const job of [() => this.updateBoard(), () => this.remind(), () => this.purge(), sweep, followUps]) {
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
    // Locked down: the board says so, and lists no cases (the General topic is where an intruder would look).
    const locked = readLockdown(db);
    const text = locked
      ? `${this.inbox.st('staff-queue-locked', { when: formatLocal(new Date(locked.since), config.timezone) })}\n${this.inbox.st('staff-queue', { count: queue.length })}`
      : `${this.inbox.st('staff-queue', { count: queue.length })}\n${lines.join('\n') || this.inbox.st('staff-queue-empty')}`;
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
    if (readLockdown(db)) return; // reminders resume (for cases still waiting) after /unlock
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
      const sent = await api.sendMessage(this.inbox.chatOf(row), text, { parse_mode: 'HTML' });
      // It names the client: remembered so that it goes with the case (/forget, retention). Only the
      // latest is remembered, so an earlier one (from a previous waiting spell) goes now.
      if (row.reminderMessageId !== null) await api.deleteMessage(this.inbox.chatOf(row), row.reminderMessageId).catch(() => undefined);
      db.update(cases).set({ reminderMessageId: sent.message_id }).where(eq(cases.id, row.id)).run();
    }
  }

  /**
   * The retention purge, at most once a day: expired cases, their topics (team's chat and client's chat),
   * idle clients, and deletions that failed before. A missing right is named in the General topic and the log.
   */
  async purge(): Promise<void> {
    const { db, config, clock, logger, privacy } = this.deps;
    const last = Number(getJobState(db, LAST_PURGE) ?? 0);
    if (clock() - last < 24 * 3_600_000) return;
    setJobState(db, LAST_PURGE, String(clock()));
    const report = await purgeExpired({ db, erasure: this.erasure, privacy, inboxes: this.inbox.inboxes, retentionDays: config.retentionDays, banDays: config.banDays }, clock());
    const { deletions, ...removed } = report;
    logger.info({ ...removed, deleted: deletions.done, waiting: deletions.waiting }, 'retention purge done');
    if (deletions.missingRights.length > 0) {
      logger.warn({ rights: deletions.missingRights, waiting: deletions.waiting }, 'topics of erased or expired cases could not be deleted: the bot lacks a right in the staff chat');
      await this.inbox.noteInGeneral(this.inbox.st('staff-deletions-pending', { count: deletions.waiting, rights: deletions.missingRights.join(', ') }));
    }
  }
}
