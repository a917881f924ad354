import { and, eq, isNull, lt } from 'drizzle-orm';
import { cases } from '../db/schema.js';
import { getJobState, setJobState } from '../db/job-state.js';
import { purgeAbandonedConversations } from '../db/conversations.js';
import { purgeOldTraces } from '../db/traces.js';
import type { Erasure } from './erasure.js';
import { purgeExpired } from './retention.js';
import type { InboxService } from './service.js';
import type { InboxDeps } from './service.js';
import type { InboxPosts } from './posts-executor.js';
import { readLockdown } from './lockdown.js';
import { sendDueFollowUps } from './follow-ups.js';
import { Every } from '../time/every.js';
import { answerDueStep, unansweredCases } from './answer-due.js';
import { availableIn } from './duty.js';
import type { Shifts } from './shifts.js';
import { expireReports, purgeReportCounts } from './reports.js';
import { CHAT_REF_BINDING } from '../privacy/keys.js';

const LAST_PURGE = 'inbox.last_purge';

/**
 * Background work of the inbox, once a minute: the queue board in the General topic (edited in
 * place), reminders for cases waiting too long, nudges and offers back for taken cases left unanswered, the daily retention purge, and the referral codes'
 * follow-ups the clients asked for. Each step catches its
 * own failures.
 */
export class InboxJobs {
  private readonly every: Every;

  constructor(
    private readonly deps: InboxDeps,
    private readonly inbox: InboxService,
    private readonly erasure: Erasure,
    private readonly posts: InboxPosts,
    private readonly shifts?: Shifts,
  ) {
    this.every = new Every(20_000, () => this.runAll(), (error: unknown) => this.deps.logger.error({ err: error }, 'inbox jobs failed'));
  }

  start(): void {
    this.every.start();
    void this.run();
  }

  async stop(): Promise<void> {
    await this.every.stop();
  }

  /** One round now (or the one under way): after the wall clock jumped, reminders, follow-ups and the purge look again at once. */
  run(): Promise<void> {
    return this.every.runNow();
  }

  private async runAll(): Promise<void> {
    const { db, clock } = this.deps;
    const sweep = async () => {
      purgeAbandonedConversations(db, clock());
      purgeOldTraces(db, clock()); // message ids past Telegram's 48 hours cannot be deleted, so are not kept
      purgeReportCounts(db, clock());
      // Reports nobody decided within REPORT_EXPIRY_DAYS: their card and photo go from the moderation chat now.
      if (expireReports(db, clock(), (chatId) => this.deps.privacy.encryptChatId(chatId, CHAT_REF_BINDING.deletion)) > 0) await this.erasure.runPending();
    };
    const followUps = async () => void (await sendDueFollowUps({ ...this.deps, timezone: this.deps.config.timezone }));
    const board = async () => this.updateBoard();
    const remind = async () => this.remind();
    const chase = async () => this.chaseUnanswered();
    const duty = async () => this.shifts?.tick();
    for (const job of [duty, board, remind, chase, () => this.purge(), sweep, followUps]) {
      await job().catch((error: unknown) => this.deps.logger.error({ err: error }, 'inbox job failed'));
    }
  }

  /**
   * The queue board of each inbox, in its General topic: queued only when it would show something new
   * (edits count towards the group's budget too), and only its latest state goes (the board is last in line).
   */
  updateBoard(priority?: number): void {
    for (const name of this.inbox.inboxes.names) {
      if (this.posts.boardChanged(name, this.inbox.isDefaultInbox(name))) this.inbox.relay.postToTeam({ kind: 'board' }, { inbox: name, priority });
    }
  }

  /** One reminder per waiting spell, in the General topic, for cases waiting longer than REMINDER_MINUTES. */
  remind(): void {
    const { db, config, clock } = this.deps;
    if (readLockdown(db)) return; // reminders resume (for cases still waiting) after /unlock
    const due = db
      .select()
      .from(cases)
      .where(and(eq(cases.status, 'waiting'), isNull(cases.remindedAt), lt(cases.queuedAt, clock() - config.reminderMs)))
      .all();
    for (const row of due) {
      db.$client.transaction(() => {
        db.update(cases).set({ remindedAt: clock() }).where(eq(cases.id, row.id)).run();
        this.inbox.relay.postToTeam({ kind: 'reminder' }, { row });
      })();
    }
  }

  /**
   * Taken cases whose client got no answer: the holder is nudged after ANSWER_DUE_MINUTES (urgent:
   * ANSWER_DUE_URGENT_MINUTES), and the case offered back to the queue a period after the nudge. Where
   * duty is used, a holder who is not on duty (a break) is not nudged: the case goes back at once.
   */
  chaseUnanswered(): void {
    const { db, config, clock } = this.deps;
    if (readLockdown(db)) return; // nobody can answer during a lockdown
    let changed = false;
    for (const row of unansweredCases(db)) {
      const step = answerDueStep(row, clock(), config.answerDueMs);
      const away = step !== undefined && !availableIn(db, row.consultantId!, this.inbox.inboxOf(row));
      if (away && this.inbox.handBack(row, 'away')) changed = true;
      if (away) continue;
      if (step === 'nudge' && this.inbox.nudge(row)) changed = true;
      if (step === 'offer-back' && this.inbox.handBack(row, 'unanswered')) changed = true;
    }
    if (changed) this.updateBoard(); // the board lists unanswered cases and the queue
  }

  /**
   * The retention purge, at most once a day: expired cases, their topics (team's chat and client's chat),
   * idle clients, and deletions that failed before. A missing right is named in the General topic and the log.
   */
  async purge(): Promise<void> {
    const { db, config, clock, logger, privacy } = this.deps;
    const last = Number(getJobState(db, LAST_PURGE) ?? 0);
    // A last purge "in the future" is from before the clock jumped back: purge now rather than wait for it.
    if (last <= clock() && clock() - last < 24 * 3_600_000) return;
    setJobState(db, LAST_PURGE, String(clock()));
    const report = await purgeExpired({ db, erasure: this.erasure, privacy, inboxes: this.inbox.inboxes, retentionDays: config.retentionDays, banDays: config.banDays, pickupPeriodDays: config.codes.pickupPeriodDays }, clock());
    const { deletions, ...removed } = report;
    logger.info({ ...removed, deleted: deletions.done, waiting: deletions.waiting }, 'retention purge done');
    if (deletions.teamChatUnreachable > 0) {
      logger.warn({ waiting: deletions.teamChatUnreachable }, 'topics of erased or expired cases wait in a staff chat the bot cannot reach (removed from the group?); they stay queued');
    }
    if (deletions.missingRights.length > 0) {
      logger.warn({ rights: deletions.missingRights, waiting: deletions.waiting }, 'topics of erased or expired cases could not be deleted: the bot lacks a right in the staff chat');
      this.inbox.noteInGeneral(this.inbox.st('staff-deletions-pending', { count: deletions.waiting, rights: deletions.missingRights.join(', ') }));
    }
  }
}
