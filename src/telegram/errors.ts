import { GrammyError, HttpError } from 'grammy';

/** What a failed deletion means for whoever asked for it. */
export type DeletionOutcome =
  /** The topic or message is not there (any more): nothing left to delete. */
  | { kind: 'gone' }
  /** The bot lacks an administrator right: tell the team which one, and try again later. */
  | { kind: 'missing-right'; right: 'can_delete_messages' | 'can_manage_topics' }
  /** The chat cannot be reached any more (the client blocked the bot, the bot left the group). */
  | { kind: 'unreachable' }
  /** Telegram is not reachable or answered 429/5xx: try again later. */
  | { kind: 'retry'; reason: string };

/** Classifies an error of deleteForumTopic / deleteMessage(s). */
export function deletionOutcome(error: unknown, what: 'topic' | 'message'): DeletionOutcome {
  if (error instanceof HttpError) return { kind: 'retry', reason: 'network error' };
  if (!(error instanceof GrammyError)) return { kind: 'retry', reason: error instanceof Error ? error.message : String(error) };
  const description = error.description;
  if (error.error_code === 403) return { kind: 'unreachable' };
  if (/thread not found|TOPIC_ID_INVALID|TOPIC_DELETED|message to delete not found|MESSAGE_ID_INVALID/i.test(description)) return { kind: 'gone' };
  if (/not enough rights to (delete|manage)|CHAT_ADMIN_REQUIRED|message can't be deleted/i.test(description)) {
    return { kind: 'missing-right', right: what === 'topic' && /manage topics/i.test(description) ? 'can_manage_topics' : 'can_delete_messages' };
  }
  if (/chat not found/i.test(description)) return { kind: 'unreachable' };
  return { kind: 'retry', reason: description };
}

/** How the right is called in Telegram's group settings, for the team's notice. */
export const RIGHT_NAMES: Record<'can_delete_messages' | 'can_manage_topics', string> = {
  can_delete_messages: 'Delete messages (can_delete_messages)',
  can_manage_topics: 'Manage topics (can_manage_topics)',
};
