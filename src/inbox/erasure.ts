import { and, eq, isNotNull } from 'drizzle-orm';
import type { Api } from 'grammy';
import type { Db } from '../db/connection.js';
import { deletionDone, deletionFailed, pendingDeletionList, type PendingDeletion } from '../db/deletions.js';
import { cases } from '../db/schema.js';
import { dropTraces, tracesOf } from '../db/traces.js';
import type { Logger } from '../logger.js';
import type { Privacy } from '../privacy/keys.js';
import { deletionOutcome, RIGHT_NAMES } from '../telegram/errors.js';

export interface ErasureDeps {
  db: Db;
  api: Api;
  privacy: Privacy;
  logger: Logger;
  clock: () => number;
}

/** What "Clear this chat" managed to remove from a client's chat. */
export interface ChatClearing {
  /** Whole consultation topics deleted (topic mode only: every message in them, at any age). */
  topics: number;
  /** Messages the bot asked Telegram to delete (it does not say which it could not). */
  messages: number;
  /** Of those, how many may be past Telegram's 48 hours and so may still be there. */
  maybeLeft: number;
}

/** What the queued deletions came to. */
export interface DeletionRun {
  done: number;
  /** Still queued, by the administrator right the bot lacks (for the team's notice). */
  missingRights: string[];
  waiting: number;
}

const BATCH = 100; // deleteMessages takes at most 100 ids

/**
 * Deleting in Telegram what the bot no longer keeps: a client's consultation in their own chat (on
 * request), and queued topics and messages of erased or expired cases in the team's chat (and the
 * client's, at expiry). Never throws; what cannot be deleted now stays queued with the reason.
 */
export class Erasure {
  constructor(private readonly deps: ErasureDeps) {}

  /**
   * Deletes the consultation from the client's own chat: each case topic whole where the bot has topic
   * mode, then every message id remembered from the last 48 hours (theirs and the bot's).
   */
  async clearClientChat(clientKey: string, chatId: number): Promise<ChatClearing> {
    const { db, api, logger, clock } = this.deps;
    const result: ChatClearing = { topics: 0, messages: 0, maybeLeft: 0 };
    const withTopics = db
      .select({ id: cases.id, threadId: cases.clientThreadId })
      .from(cases)
      .where(and(eq(cases.clientKey, clientKey), isNotNull(cases.clientThreadId)))
      .all();
    for (const { id, threadId } of withTopics) {
      try {
        await api.deleteForumTopic(chatId, threadId!);
        result.topics++;
      } catch (error) {
        const outcome = deletionOutcome(error, 'topic');
        if (outcome.kind !== 'gone') {
          logger.warn({ reason: outcome.kind }, 'could not delete a consultation topic in a client chat');
          continue;
        }
      }
      db.update(cases).set({ clientThreadId: null }).where(eq(cases.id, id)).run();
    }
    const traces = tracesOf(db, clientKey, clock());
    for (let i = 0; i < traces.ids.length; i += BATCH) {
      const ids = traces.ids.slice(i, i + BATCH);
      try {
        await api.deleteMessages(chatId, ids);
        result.messages += ids.length;
      } catch (error) {
        logger.warn({ reason: deletionOutcome(error, 'message').kind, count: ids.length }, 'could not delete messages in a client chat');
      }
    }
    result.maybeLeft = traces.maybeTooOld;
    dropTraces(db, clientKey);
    return result;
  }

  /** Tries every queued deletion once. */
  async runPending(): Promise<DeletionRun> {
    const run: DeletionRun = { done: 0, missingRights: [], waiting: 0 };
    const missing = new Set<string>();
    for (const item of pendingDeletionList(this.deps.db)) {
      const outcome = await this.attempt(item);
      if (outcome === 'done') {
        deletionDone(this.deps.db, item.id);
        run.done++;
        continue;
      }
      run.waiting++;
      if (outcome.startsWith('can_')) missing.add(RIGHT_NAMES[outcome as keyof typeof RIGHT_NAMES]);
    }
    run.missingRights = [...missing];
    return run;
  }

  /** 'done', or why it is still queued (an administrator right's name, or another reason). */
  private async attempt(item: PendingDeletion): Promise<string> {
    const { api, privacy, logger } = this.deps;
    let chatId: number;
    try {
      chatId = privacy.decryptChatId(item.chatRef);
    } catch {
      logger.error('a queued deletion cannot be read with this BOT_SECRET; dropped');
      return 'done';
    }
    const what = item.threadId !== null ? 'topic' : 'message';
    try {
      if (item.threadId !== null) await api.deleteForumTopic(chatId, item.threadId);
      else if (item.messageId !== null) await api.deleteMessage(chatId, item.messageId);
      return 'done';
    } catch (error) {
      const outcome = deletionOutcome(error, what);
      if (outcome.kind === 'gone') return 'done';
      if (outcome.kind === 'unreachable') {
        // A client who blocked the bot (or a group the bot left): nothing the bot can reach any more.
        logger.info({ what }, 'a queued deletion cannot reach its chat any more; dropped');
        return 'done';
      }
      const reason = outcome.kind === 'missing-right' ? outcome.right : outcome.reason;
      deletionFailed(this.deps.db, item.id, reason);
      logger.warn({ what, reason }, 'a queued deletion failed; it will be retried');
      return reason;
    }
  }
}
