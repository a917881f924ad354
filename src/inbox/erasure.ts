import { and, eq, isNotNull } from 'drizzle-orm';
import type { Api } from 'grammy';
import type { Db } from '../db/connection.js';
import { deletionDone, deletionFailed, pendingDeletionList, type PendingDeletion } from '../db/deletions.js';
import { cases } from '../db/schema.js';
import { dropTraces, tracesOf } from '../db/traces.js';
import type { Logger } from '../logger.js';
import type { Privacy } from '../privacy/keys.js';
import { classifyError, deletionOutcome, describeFailure, RIGHT_NAMES } from '../telegram/errors.js';
import { rowIntact } from '../db/row-integrity.js';
import { CHAT_REF_BINDING } from '../privacy/keys.js';

/** Why a team chat's deletion waits: the bot cannot reach the group (removed from it?). */
const TEAM_CHAT_UNREACHABLE = 'team chat unreachable (403)';

export interface ErasureDeps {
  db: Db;
  api: Api;
  privacy: Privacy;
  logger: Logger;
  clock: () => number;
}

/** What "Clear this chat" managed to remove from a client's chat, exactly. */
export interface ChatClearing {
  /** Whole consultation topics deleted (topic mode only: every message in them, at any age). */
  topics: number;
  /** Topics that could not be deleted now. */
  topicsLeft: number;
  /** Messages deleted (Telegram skips, silently, those the client had already deleted). */
  messages: number;
  /** Messages Telegram refused to delete: past its 48 hours (or a dice younger than a day). */
  refused: number;
  /** Messages not tried to the end: Telegram did not answer, or the chat could not be reached. */
  notReached: number;
}

/** What the queued deletions came to. */
export interface DeletionRun {
  done: number;
  /** Still queued, by the administrator right the bot lacks (for the team's notice). */
  missingRights: string[];
  /** Still queued because the bot cannot reach a team chat (403: removed from the group?): retried, never dropped. */
  teamChatUnreachable: number;
  waiting: number;
}

const BATCH = 100; // deleteMessages takes at most 100 ids
/** A 429 while clearing a chat is waited out at most this often, this long, so the client gets an answer soon. */
const MAX_RATE_WAITS = 3;
const MAX_RATE_WAIT_MS = 5_000;

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
    const result: ChatClearing = { topics: 0, topicsLeft: 0, messages: 0, refused: 0, notReached: 0 };
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
        const outcome = deletionOutcome(error, 'topic', chatId);
        if (outcome.kind !== 'gone') {
          logger.warn({ reason: outcome.kind }, 'could not delete a consultation topic in a client chat');
          result.topicsLeft++;
          continue;
        }
      }
      db.update(cases).set({ clientThreadId: null }).where(eq(cases.id, id)).run();
    }
    const traces = tracesOf(db, clientKey, clock());
    // Oldest first: the messages Telegram may refuse (past 48 hours) are then together in few batches.
    const pending = [];
    for (let i = 0; i < traces.ids.length; i += BATCH) pending.push(traces.ids.slice(i, i + BATCH));
    let stopped = false;
    for (const ids of pending) {
      if (stopped) {
        result.notReached += ids.length;
        continue;
      }
      const part = await this.deleteInParts(chatId, ids);
      result.messages += part.deleted;
      result.refused += part.refused;
      result.notReached += part.notReached;
      stopped = part.stop;
    }
    if (result.refused + result.notReached > 0) {
      logger.info({ deleted: result.messages, refused: result.refused, notReached: result.notReached }, 'some messages in a client chat could not be deleted');
    }
    dropTraces(db, clientKey);
    return result;
  }

  /**
   * Telegram refuses a whole deleteMessages batch when one message in it cannot be deleted (past 48
   * hours, a dice younger than a day), and then deletes none: a refused batch is split in halves until
   * every deletable message has gone and each refused one is known. A 429 is waited out (briefly); a 403
   * or no answer stops the clearing (the rest counted as not reached).
   */
  private async deleteInParts(chatId: number, ids: number[]): Promise<{ deleted: number; refused: number; notReached: number; stop: boolean }> {
    const { api, logger } = this.deps;
    const out = { deleted: 0, refused: 0, notReached: 0, stop: false };
    const stack = [ids];
    let waits = 0;
    while (stack.length > 0) {
      const part = stack.pop()!;
      if (out.stop) {
        out.notReached += part.length;
        continue;
      }
      try {
        if (part.length === 1) await api.deleteMessage(chatId, part[0]!);
        else await api.deleteMessages(chatId, part);
        out.deleted += part.length;
      } catch (error) {
        const failure = classifyError(error);
        if (failure.kind === 'rate-limited' && waits < MAX_RATE_WAITS) {
          waits++;
          await new Promise((resolve) => setTimeout(resolve, Math.min(failure.retryAfterMs, MAX_RATE_WAIT_MS)));
          stack.push(part);
        } else if (failure.kind === 'message-missing' || (part.length === 1 && /message to delete not found/i.test(describeFailure(failure)))) {
          out.deleted += part.length; // already gone: nothing of it is left in the chat
        } else if (failure.kind === 'refused' || failure.kind === 'not-modified') {
          if (part.length === 1) out.refused++;
          else stack.push(part.slice(Math.ceil(part.length / 2)), part.slice(0, Math.ceil(part.length / 2)));
        } else {
          logger.warn({ reason: failure.kind, count: part.length }, 'could not delete messages in a client chat');
          out.notReached += part.length;
          out.stop = true;
        }
      }
    }
    return out;
  }

  /** Tries every queued deletion once. */
  async runPending(): Promise<DeletionRun> {
    const run: DeletionRun = { done: 0, missingRights: [], teamChatUnreachable: 0, waiting: 0 };
    const missing = new Set<string>();
    for (const item of pendingDeletionList(this.deps.db)) {
      const outcome = await this.attempt(item);
      if (outcome === 'done') {
        deletionDone(this.deps.db, item.id);
        run.done++;
        continue;
      }
      run.waiting++;
      if (outcome === TEAM_CHAT_UNREACHABLE) run.teamChatUnreachable++;
      if (outcome.startsWith('can_')) missing.add(RIGHT_NAMES[outcome as keyof typeof RIGHT_NAMES]);
    }
    run.missingRights = [...missing];
    return run;
  }

  /** 'done', or why it is still queued (an administrator right's name, or another reason). */
  private async attempt(item: PendingDeletion): Promise<string> {
    const { api, privacy, logger, db } = this.deps;
    if (!rowIntact(db, 'pending_deletions', item)) {
      logger.error({ deletion: item.id }, 'a queued deletion fails its integrity check (was the database written without the bot?); refused and dropped');
      return 'done';
    }
    let chatId: number;
    try {
      chatId = privacy.decryptChatId(item.chatRef, CHAT_REF_BINDING.deletion);
    } catch {
      logger.error({ deletion: item.id }, 'a queued deletion cannot be read with this BOT_SECRET; dropped');
      return 'done';
    }
    const what = item.threadId !== null ? 'topic' : 'message';
    try {
      if (item.threadId !== null) await api.deleteForumTopic(chatId, item.threadId);
      else if (item.messageId !== null) await api.deleteMessage(chatId, item.messageId);
      return 'done';
    } catch (error) {
      const outcome = deletionOutcome(error, what, chatId);
      if (outcome.kind === 'gone') return 'done';
      if (outcome.kind === 'unreachable') {
        // A client who blocked the bot: nothing the bot can reach in that chat any more. (A team chat
        // the bot was removed from is not this: its topics stay queued until the bot is back.)
        logger.info({ what }, 'a queued deletion cannot reach its private chat any more; dropped');
        return 'done';
      }
      const reason = outcome.kind === 'missing-right' ? outcome.right : outcome.kind === 'team-chat-unreachable' ? TEAM_CHAT_UNREACHABLE : outcome.reason;
      deletionFailed(this.deps.db, item.id, reason);
      logger.warn({ what, reason }, 'a queued deletion failed; it will be retried');
      return reason;
    }
  }
}
