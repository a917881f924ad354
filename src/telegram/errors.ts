import { GrammyError, HttpError } from 'grammy';

/** What a failed deletion means for whoever asked for it. */
export type DeletionOutcome =
  /** The topic or message is not there (any more): nothing left to delete. */
  | { kind: 'gone' }
  /** The bot lacks an administrator right: tell the team which one, and try again later. */
  | { kind: 'missing-right'; right: 'can_delete_messages' | 'can_manage_topics' }
  /** A private chat cannot be reached any more (the client blocked the bot or deleted their account). */
  | { kind: 'unreachable' }
  /**
   * A team chat refused the bot (403, or not found: removed from the group, or a wrong id): the topics
   * are still there, so the deletion waits and is reported, never dropped.
   */
  | { kind: 'team-chat-unreachable' }
  /** Telegram is not reachable or answered 429/5xx: try again later. */
  | { kind: 'retry'; reason: string };

/**
 * Classifies an error of deleteForumTopic / deleteMessage(s) in chat `chatId`: only a private chat
 * (a positive id) can be unreachable for good; a group's refusal is the bot's to fix.
 */
export function deletionOutcome(error: unknown, what: 'topic' | 'message', chatId: number): DeletionOutcome {
  if (error instanceof HttpError) return { kind: 'retry', reason: 'network error' };
  if (!(error instanceof GrammyError)) return { kind: 'retry', reason: error instanceof Error ? error.message : String(error) };
  const description = error.description;
  const unreachable: DeletionOutcome = chatId > 0 ? { kind: 'unreachable' } : { kind: 'team-chat-unreachable' };
  if (error.error_code === 403) return unreachable;
  if (/thread not found|TOPIC_ID_INVALID|TOPIC_DELETED|message to delete not found|MESSAGE_ID_INVALID/i.test(description)) return { kind: 'gone' };
  if (/not enough rights to (delete|manage)|CHAT_ADMIN_REQUIRED|message can't be deleted/i.test(description)) {
    return { kind: 'missing-right', right: what === 'topic' && /manage topics/i.test(description) ? 'can_manage_topics' : 'can_delete_messages' };
  }
  if (/chat not found/i.test(description)) return unreachable;
  return { kind: 'retry', reason: description };
}

/** How the right is called in Telegram's group settings, for the team's notice. */
export const RIGHT_NAMES: Record<'can_delete_messages' | 'can_manage_topics', string> = {
  can_delete_messages: 'Delete messages (can_delete_messages)',
  can_manage_topics: 'Manage topics (can_manage_topics)',
};

/**
 * What a failed call means, for the whole bot: the one place that reads Telegram's error texts.
 * - not-modified: the edit changes nothing (done already).
 * - rate-limited: 429; nothing to that chat for `retryAfterMs`.
 * - blocked: 403, the person blocked the bot (or the bot left the chat).
 * - topic-missing: the forum topic was deleted (or is not one).
 * - message-missing: the message to copy, edit or reply to is gone.
 * - network: Telegram did not answer; try again.
 * - refused: any other refusal (a 400 that trying again will not change).
 */
export type CallFailure =
  | { kind: 'not-modified' }
  | { kind: 'rate-limited'; retryAfterMs: number }
  | { kind: 'blocked'; reason: string }
  | { kind: 'topic-missing' }
  | { kind: 'message-missing' }
  | { kind: 'network'; reason: string }
  | { kind: 'refused'; reason: string };

export function classifyError(error: unknown): CallFailure {
  if (error instanceof HttpError) return { kind: 'network', reason: 'network error' };
  if (!(error instanceof GrammyError)) return { kind: 'network', reason: error instanceof Error ? error.message : String(error) };
  const description = error.description;
  if (error.error_code === 429) return { kind: 'rate-limited', retryAfterMs: (error.parameters.retry_after ?? 5) * 1000 };
  if (error.error_code === 403) return { kind: 'blocked', reason: description };
  if (error.error_code >= 500) return { kind: 'network', reason: description };
  if (/not modified|TOPIC_NOT_MODIFIED/i.test(description)) return { kind: 'not-modified' };
  if (/thread not found|TOPIC_DELETED|TOPIC_ID_INVALID/i.test(description)) return { kind: "topic-missing" };
  if (/message to (copy|edit|forward) not found|MESSAGE_ID_INVALID|message to be replied not found/i.test(description)) return { kind: 'message-missing' };
  return { kind: 'refused', reason: description };
}

/** A short reason for the log: Telegram's description or "network error", never a request. */
export function describeFailure(failure: CallFailure): string {
  return 'reason' in failure ? failure.reason : failure.kind;
}
