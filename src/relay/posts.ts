import type { CaseRow, OutboxRow } from '../db/schema.js';
import type { JoinableText } from './texts.js';

/**
 * The bot's own messages, queued in the outbox like copies. Into a client's chat they keep the order
 * of the case's lane (a "has joined" notice goes before the reply that follows it). Into the team's
 * chat each is ranked on its own, by priority (lower first): the group's 20 messages a minute go to
 * what matters most.
 */
export const PRIORITY = {
  /** An urgent case's topic: its words cannot go before it. */
  urgentTopic: 0,
  /** A case's topic. */
  topic: 1,
  /** A client's words into their case (copies), and answers to a consultant's command: a person waits for them. */
  words: 2,
  /** Notes in a case's topic (taken, released, closed, a comment). */
  note: 3,
  /** Cards, topic names, closing and reopening topics, notices in the General topic. */
  housekeeping: 4,
  /** The queue board and reminders: last, and the board only in its latest state. */
  board: 5,
} as const;

/** A post waiting this long moves up one step (never above a client's words), so nothing waits for ever. */
export const AGE_STEP_MS = 60_000;

/** The rank a waiting team post competes with: its priority, improved by its age. */
export function effectiveRank(row: Pick<OutboxRow, 'priority' | 'createdAt'>, now: number): number {
  if (row.priority <= PRIORITY.words) return row.priority;
  return Math.max(PRIORITY.words, row.priority - Math.floor((now - row.createdAt) / AGE_STEP_MS));
}

/** What the bot posts into a team chat. */
export type TeamPost =
  /**
   * Create the case's topic (again, if `recreated`: the old one was deleted; or `regrouped`: the old one
   * is in a group the case's inbox no longer names). Its card follows.
   */
  | { kind: 'topic'; recreated?: boolean; regrouped?: boolean }
  /** Reopen the case's closed topic (an urgent case back), or create it again if it is gone. */
  | { kind: 'reopen' }
  /** Bring the case's card up to date (or post it, if it has none yet). */
  | { kind: 'card' }
  /** Bring the case's topic name up to date. */
  | { kind: 'rename' }
  | { kind: 'close-topic' }
  /** A note in the case's topic (HTML, already escaped). */
  | { kind: 'note'; html: string }
  /**
   * The client edited a message already copied to `messageId` in the team chat `chatId`: carried over to
   * the copy (the text travels sealed). If the case's topic is no longer in that chat, a new ✏️ message.
   */
  | { kind: 'edit'; messageId: number; chatId: number; caption: boolean; text: JoinableText }
  /**
   * The client edited a message the copy of which cannot be edited (one of several joined texts, or in
   * a chat the case has left): the new wording as a ✏️ message, replying to `replyTo` if it is in `chatId`.
   */
  | { kind: 'edited-part'; replyTo?: number; chatId?: number; text: JoinableText }
  /** An answer to a consultant's command, where they wrote it (chat, topic, message). */
  | { kind: 'reply'; html: string; chatId: number; threadId?: number; replyTo?: number }
  /** Take the buttons off a message of the team chat `chatId` (a case's old card after /transfer, a stale card pressed). */
  | { kind: 'unbutton'; chatId: number; messageId: number }
  /** A notice in the General topic (with one button, say a lockdown). */
  | { kind: 'general'; html: string; button?: { text: string; data: string } }
  /** The queue board, edited in place. */
  | { kind: 'board' }
  /** A reminder about a case waiting long. */
  | { kind: 'reminder' }
  /** "The message above may be a repeat": after something a crash may have sent twice (`replyTo` in `chatId`). */
  | { kind: 'repeat-mark'; replyTo: number; chatId: number };

/** What the bot posts into a client's chat, in the order of the case's lane. */
export type ClientPost =
  /** A UI text in the client's language; `vars` plain text (escaped when rendered). */
  | ({ kind: 'tell'; key: string; vars?: Record<string, string | number>; keyboard?: 'rating' } & ByStaff)
  /** An HTML text (a snippet a consultant chose), ready to send. */
  | ({ kind: 'html'; html: string } & ByStaff)
  /** A consultant edited a reply already copied: carried over (the text travels sealed). */
  | ({ kind: 'edit'; messageId: number; caption: boolean; text: JoinableText } & ByStaff)
  | { kind: 'repeat-mark'; replyTo: number };

/**
 * A client post that a staff member's action queued (a snippet, an edit, "has joined", a /close or /ban
 * notice) carries the alias of who did it: a lockdown holds such posts, like copies, until an
 * administrator has seen them (see src/inbox/lockdown.ts).
 */
export interface ByStaff {
  staff?: string;
}

/** Where a post goes, resolved when it is its turn (the case's topic may have changed meanwhile). */
export interface PostTarget {
  chatId: number;
  /** The case, read again just before posting; undefined for caseless posts (or when the case is gone). */
  row?: CaseRow;
  /** Whether it may be a repeat of one that reached the chat before a crash. */
  maybeRepeat: boolean;
}

/**
 * Carries out posts (rendering what they show at the moment they go). Returns the id of the message it
 * created, if it created one (a repeat is marked by replying to it). Throws the API's error, which the
 * relay classifies.
 */
export interface PostExecutor {
  team(post: TeamPost, target: PostTarget & { inboxName: string }): Promise<number | undefined>;
  client(post: ClientPost, target: PostTarget & { threadId?: number }): Promise<number | undefined>;
}

/** The post a row holds (its sealed text opened by the caller). */
export function decodePost<T extends TeamPost | ClientPost>(row: OutboxRow, text?: JoinableText): T {
  const payload = row.payload ? (JSON.parse(row.payload) as Record<string, unknown>) : {};
  return { ...payload, kind: row.kind, ...(text ? { text } : {}) } as T;
}

/** The row's fields for a post (the text, if any, is sealed by the caller). */
export function encodePost(post: TeamPost | ClientPost): { kind: string; payload?: Record<string, unknown>; text?: JoinableText } {
  const { kind, ...rest } = post as { kind: string; text?: JoinableText } & Record<string, unknown>;
  const { text, ...payload } = rest;
  return { kind, ...(Object.keys(payload).length > 0 ? { payload } : {}), ...(text ? { text } : {}) };
}

/** The default priority of a team post. */
export function priorityOf(post: TeamPost, urgent: boolean): number {
  switch (post.kind) {
    case 'topic':
    case 'reopen':
      return urgent ? PRIORITY.urgentTopic : PRIORITY.topic;
    case 'edit':
    case 'edited-part':
    case 'reply':
    case 'repeat-mark':
      return PRIORITY.words;
    case 'note':
      return PRIORITY.note;
    case 'card':
    case 'rename':
    case 'close-topic':
    case 'general':
    case 'unbutton':
      return PRIORITY.housekeeping;
    case 'board':
    case 'reminder':
      return PRIORITY.board;
  }
}

/** Posts that only bring something up to date: one waiting per case (or inbox) is enough. */
export function coalesceKeyOf(post: TeamPost, caseId: number | undefined, inbox: string | undefined): string | undefined {
  switch (post.kind) {
    case 'card':
    case 'rename':
    case 'topic':
      return caseId === undefined ? undefined : `${post.kind}:${caseId}`;
    case 'board':
      return `board:${inbox ?? ''}`;
    default:
      return undefined;
  }
}

/** Kinds whose repeat would leave a second message (a repeat of an edit or a rename changes nothing). */
export function createsMessage(kind: string): boolean {
  return !['edit', 'rename', 'close-topic', 'card', 'board', 'reopen', 'topic', 'repeat-mark', 'unbutton'].includes(kind);
}
