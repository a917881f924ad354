import { unansweredCases } from './answer-due.js';
import { and, eq, isNull, or } from 'drizzle-orm';
import { InlineKeyboard, type Api } from 'grammy';
import { escapeHtml, escapeHtmlValues } from '../content/markdown.js';
import type { Db } from '../db/connection.js';
import { cases, type CaseRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { I18n } from '@grammyjs/i18n';
import { getJobState, setJobState } from '../db/job-state.js';
import { formatLocal } from '../time/zoned.js';
import type { ClientPost, PostExecutor, PostTarget, TeamPost } from '../relay/index.js';
import { classifyError } from '../telegram/errors.js';
import { attachTopic, findCase, topicIn, waitingQueue } from './cases.js';
import { queueDeletions } from '../db/deletions.js';
import { CHAT_REF_BINDING, type Privacy } from '../privacy/keys.js';
import type { JoinableText } from '../relay/index.js';
import { readLockdown } from './lockdown.js';
import { orderQueue } from './queue.js';
import type { InboxService } from './service.js';
import { prefixed } from '../relay/texts.js';

const HTML = { parse_mode: 'HTML' } as const;

export interface InboxPostsDeps {
  db: Db;
  api: Api;
  logger: Logger;
  i18n: I18n<never>;
  timezone: string;
  clock: () => number;
  /** Seals a team chat's id for a queued deletion (a topic made for a case that moved meanwhile). */
  privacy: Pick<Privacy, 'encryptChatId'>;
}

/** Where the queue board of an inbox is, and what it last showed (the default inbox keeps the keys it always had). */
function boardKeys(inbox: string): { message: string; text: string } {
  const suffix = inbox === '' || inbox === 'main' ? '' : `:${inbox}`;
  return { message: `inbox.queue_board_message${suffix}`, text: `inbox.queue_board_text${suffix}` };
}

/**
 * Carries out the inbox's posts when the relay gives them their turn, rendering what they show at that
 * moment (a card or a topic name shows the case as it is then, not as it was when queued).
 */
export class InboxPosts implements PostExecutor {
  constructor(
    private readonly deps: InboxPostsDeps,
    private readonly inbox: InboxService,
  ) {}

  async team(post: TeamPost, target: PostTarget & { inboxName: string }): Promise<number | undefined> {
    const { api } = this.deps;
    const { chatId, row } = target;
    // A topic id (and a message id) means something only in its own chat: one of another chat is never used here.
    const thread = row ? topicIn(row, chatId) : undefined;
    const here = (messageChat: number | undefined) => messageChat === chatId;
    // Ids grow within a chat and a topic's id is its first message's: an older message is in an earlier topic.
    const inTopic = (messageChat: number | undefined, messageId: number | undefined) => here(messageChat) && thread !== undefined && messageId !== undefined && messageId > thread;
    switch (post.kind) {
      case 'topic':
        return void (row && (await this.createTopic(row, chatId, post.recreated ? 'deleted' : post.regrouped ? 'regrouped' : undefined)));
      case 'reopen': {
        if (!row) return undefined;
        if (thread === undefined) return void (await this.createTopic(row, chatId));
        try {
          await api.reopenForumTopic(chatId, thread);
        } catch (error) {
          const failure = classifyError(error);
          if (failure.kind === 'topic-missing') return void (await this.createTopic(row, chatId));
          if (failure.kind !== 'not-modified') throw error;
        }
        this.inbox.relay.postToTeam({ kind: 'rename' }, { row });
        return undefined;
      }
      case 'card':
        return row && thread !== undefined ? this.card(row, chatId, thread) : undefined;
      case 'rename':
        if (row && thread !== undefined) await api.editForumTopic(chatId, thread, { name: this.inbox.topicName(row) });
        return undefined;
      case 'close-topic':
        if (row && thread !== undefined) await api.closeForumTopic(chatId, thread);
        return undefined;
      case 'note':
        if (thread === undefined) return undefined;
        return (await api.sendMessage(chatId, post.html, { ...HTML, message_thread_id: thread })).message_id;
      case 'edit':
        // The copy is in a chat the case has left (a /transfer meanwhile): the new wording as a message of its own.
        if (!inTopic(post.chatId, post.messageId)) return this.editedAsNew(post.text, chatId, thread);
        if (post.caption) await api.editMessageCaption(chatId, post.messageId, { caption: post.text.text, caption_entities: post.text.entities });
        else await api.editMessageText(chatId, post.messageId, post.text.text, { entities: post.text.entities });
        return undefined;
      case 'edited-part':
        return this.editedAsNew(post.text, chatId, thread, inTopic(post.chatId, post.replyTo) ? post.replyTo : undefined);
      case 'unbutton':
        if (here(post.chatId)) await api.editMessageReplyMarkup(chatId, post.messageId, { reply_markup: { inline_keyboard: [] } });
        return undefined;
      case 'reply': {
        // An answer in the chat the command came from, or none (its topic and message ids mean nothing elsewhere).
        if (!here(post.chatId)) return undefined;
        const sent = await api.sendMessage(chatId, post.html, {
          ...HTML,
          ...(post.threadId !== undefined ? { message_thread_id: post.threadId } : {}),
          ...(post.replyTo !== undefined ? { reply_parameters: { message_id: post.replyTo, allow_sending_without_reply: true } } : {}),
        });
        return sent.message_id;
      }
      case 'general': {
        const keyboard = post.button ? { reply_markup: new InlineKeyboard().text(post.button.text, post.button.data) } : {};
        return (await api.sendMessage(chatId, post.html, { ...HTML, ...keyboard })).message_id;
      }
      case 'board':
        return void (await this.board(chatId, target.inboxName));
      case 'reminder':
        return row ? this.reminder(row, chatId) : undefined;
      case 'repeat-mark': {
        if (!here(post.chatId)) return undefined;
        const sent = await api.sendMessage(chatId, this.inbox.st('staff-maybe-repeat'), {
          ...HTML,
          ...(thread !== undefined ? { message_thread_id: thread } : {}),
          reply_parameters: { message_id: post.replyTo, allow_sending_without_reply: true },
        });
        return sent.message_id;
      }
    }
  }

  async client(post: ClientPost, target: PostTarget & { threadId?: number }): Promise<number | undefined> {
    const { api, i18n } = this.deps;
    const { chatId, row } = target;
    if (!row) return undefined;
    const lang = this.inbox.languageOf(row);
    const placement = target.threadId !== undefined ? { message_thread_id: target.threadId } : {};
    switch (post.kind) {
      case 'tell': {
        const keyboard = post.keyboard === 'rating' ? this.ratingKeyboard(row) : undefined;
        const text = i18n.t(lang, post.key, escapeHtmlValues(post.vars ?? {}));
        return (await api.sendMessage(chatId, text, { ...HTML, ...placement, ...(keyboard ? { reply_markup: keyboard } : {}) })).message_id;
      }
      case 'html':
        return (await api.sendMessage(chatId, post.html, { ...HTML, ...placement, link_preview_options: { is_disabled: true } })).message_id;
      case 'edited-reply': {
        const shown = prefixed('✏️ ', post.text);
        return (await api.sendMessage(chatId, shown.text, { ...placement, ...(shown.entities ? { entities: shown.entities } : {}), link_preview_options: { is_disabled: true } })).message_id;
      }
      case 'edit':
        if (post.caption) await api.editMessageCaption(chatId, post.messageId, { caption: post.text.text, caption_entities: post.text.entities });
        else await api.editMessageText(chatId, post.messageId, post.text.text, { entities: post.text.entities });
        return undefined;
      case 'repeat-mark':
        return (
          await api.sendMessage(chatId, i18n.t(lang, 'relay-maybe-repeat'), {
            ...HTML,
            ...placement,
            reply_parameters: { message_id: post.replyTo, allow_sending_without_reply: true },
          })
        ).message_id;
    }
  }

  /** A client's edit as a ✏️ message of its own in the case's topic, under `replyTo` (a message of this chat) if given. */
  private async editedAsNew(text: JoinableText, chatId: number, thread: number | undefined, replyTo?: number): Promise<number | undefined> {
    if (thread === undefined) return undefined;
    const prefix = '✏️ ';
    const entities = text.entities?.map((e) => ({ ...e, offset: e.offset + prefix.length }));
    const sent = await this.deps.api.sendMessage(chatId, prefix + text.text, {
      message_thread_id: thread,
      protect_content: true,
      ...(entities?.length ? { entities } : {}),
      ...(replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
    });
    return sent.message_id;
  }

  private ratingKeyboard(row: CaseRow): InlineKeyboard {
    const rating = new InlineKeyboard();
    for (let n = 1; n <= 5; n++) rating.text(`${n} ⭐`, `rate:${row.id}:${n}`);
    return rating.row().text(this.deps.i18n.t(this.inbox.languageOf(row), 'button-clear-chat'), 'chat:clear');
  }

  /** The case's topic in `chatId` with its card (and, if it replaces one, a note saying why). */
  private async createTopic(row: CaseRow, chatId: number, replaces?: 'deleted' | 'regrouped'): Promise<void> {
    if (topicIn(row, chatId) !== undefined && !replaces) return; // made already (a replay, or a second request)
    const { db } = this.deps;
    const topic = await this.deps.api.createForumTopic(chatId, this.inbox.topicName(row), { icon_color: row.urgent ? 0xff93b2 : 0x6fb9f0 });
    db.$client.transaction(() => {
      const now = findCase(db, row.id);
      if (!now || this.inbox.chatOf(now) !== chatId) {
        // The case moved to another group (or went) while its topic was being made here: the topic goes.
        queueDeletions(db, [{ chatRef: this.deps.privacy.encryptChatId(chatId, CHAT_REF_BINDING.deletion), threadId: topic.message_thread_id }]);
        return;
      }
      db.update(cases).set({ cardMessageId: null }).where(eq(cases.id, row.id)).run();
      attachTopic(db, row.id, chatId, topic.message_thread_id);
      const fresh = { ...now, teamChatId: chatId, threadId: topic.message_thread_id, cardMessageId: null };
      // The card before the words that waited for the topic: it says who the case is and has the Take button.
      this.inbox.relay.postToTeam({ kind: 'card' }, { row: fresh, priority: row.urgent ? 0 : 1 });
      // Why there is a new topic, before the words that follow into it.
      if (replaces) {
        const why = replaces === 'deleted' ? 'staff-topic-recreated' : 'staff-topic-regrouped';
        this.inbox.relay.postToTeam({ kind: 'note', html: this.inbox.st(why) }, { row: fresh, priority: row.urgent ? 0 : 1 });
      }
      if (now.status === 'closed') this.inbox.relay.postToTeam({ kind: 'close-topic' }, { row: fresh });
    })();
  }

  /** The card, edited in place; posted (again) if it has none or it is gone. */
  private async card(row: CaseRow, chatId: number, thread: number): Promise<number | undefined> {
    const { api, db } = this.deps;
    const text = this.inbox.cardText(row);
    const keyboard = this.inbox.cardKeyboard(row);
    if (row.cardMessageId !== null) {
      try {
        await api.editMessageText(chatId, row.cardMessageId, text, { ...HTML, reply_markup: keyboard ?? { inline_keyboard: [] } });
        return undefined;
      } catch (error) {
        if (classifyError(error).kind !== 'message-missing') throw error;
      }
    }
    const sent = await api.sendMessage(chatId, text, { ...HTML, message_thread_id: thread, reply_markup: keyboard });
    // Only while the topic is still the one the card went into (a /transfer may have moved the case meanwhile).
    db.update(cases)
      .set({ cardMessageId: sent.message_id })
      .where(and(eq(cases.id, row.id), eq(cases.teamChatId, chatId), eq(cases.threadId, thread)))
      .run();
    return undefined; // a card is never marked as a repeat: it is the one kept up to date
  }

  /** The waiting cases of an inbox, urgent first, then oldest. */
  boardText(inbox: string, isDefault: boolean): string {
    const { db, clock, timezone } = this.deps;
    const queue = orderQueue(waitingQueue(db)).filter(({ row }) => this.inbox.inboxOf(row) === inbox || (isDefault && !this.inbox.knowsInbox(this.inbox.inboxOf(row))));
    const lines = queue.map(({ row }) => {
      const minutes = Math.round((clock() - row.queuedAt) / 60_000);
      const client = escapeHtml(this.inbox.st('staff-client', { pseudonym: this.inbox.pseudonymOf(row) }));
      return `${row.urgent ? '🆘' : '•'} ${client} · ${escapeHtml(this.inbox.topicLabel(row.topic))} · ${minutes} min${row.specialty ? ` · ${escapeHtml(row.specialty)}` : ''}`;
    });
    // Locked down: the board says so, and lists no cases (the General topic is where an intruder would look).
    const locked = readLockdown(db);
    return locked
      ? `${this.inbox.st('staff-queue-locked', { when: formatLocal(new Date(locked.since), timezone) })}\n${this.inbox.st('staff-queue', { count: queue.length })}`
      : `${this.inbox.st('staff-queue', { count: queue.length })}\n${lines.join('\n') || this.inbox.st('staff-queue-empty')}${this.unansweredLines(inbox, isDefault)}`;
  }

  /** Taken cases whose holder was nudged and has still not answered, longest wait first (none: nothing). */
  private unansweredLines(inbox: string, isDefault: boolean): string {
    const { db, clock } = this.deps;
    const rows = unansweredCases(db)
      .filter((row) => row.nudgedAt !== null && (this.inbox.inboxOf(row) === inbox || (isDefault && !this.inbox.knowsInbox(this.inbox.inboxOf(row)))))
      .sort((a, b) => Number(b.urgent) - Number(a.urgent) || a.clientWroteAt! - b.clientWroteAt! || a.id - b.id);
    if (rows.length === 0) return '';
    const lines = rows.map((row) => {
      const minutes = Math.max(0, Math.round((clock() - row.clientWroteAt!) / 60_000));
      const client = escapeHtml(this.inbox.st('staff-client', { pseudonym: this.inbox.pseudonymOf(row) }));
      return `${row.urgent ? '🆘' : '⏰'} ${client} · ${escapeHtml(this.inbox.topicLabel(row.topic))} · ${minutes} min · ${escapeHtml(this.inbox.aliasOf(row.consultantId))}`;
    });
    return `\n\n${this.inbox.st('staff-queue-unanswered', { count: rows.length })}\n${lines.join('\n')}`;
  }

  /** Whether the board shows something other than what it last showed. */
  boardChanged(inbox: string, isDefault: boolean): boolean {
    const stored = this.boardMessage(inbox);
    if (stored && stored.chatId !== this.inbox.inboxes.chatOf(inbox)) return true; // the inbox is another group now
    return this.boardText(inbox, isDefault) !== (getJobState(this.deps.db, boardKeys(inbox).text) ?? '');
  }

  /**
   * Where the inbox's board is: "chat:message" (a message id means nothing without its chat). A bare id
   * from before is taken to be in the inbox's group as configured now.
   */
  private boardMessage(inbox: string): { chatId: number; messageId: number } | undefined {
    const value = getJobState(this.deps.db, boardKeys(inbox).message) ?? '';
    const [first = '', second] = value.split(':');
    if (second === undefined) return Number(first) ? { chatId: this.inbox.inboxes.chatOf(inbox), messageId: Number(first) } : undefined;
    return Number(first) && Number(second) ? { chatId: Number(first), messageId: Number(second) } : undefined;
  }

  private async board(chatId: number, inbox: string): Promise<void> {
    const { api, db } = this.deps;
    const keys = boardKeys(inbox);
    const text = this.boardText(inbox, this.inbox.isDefaultInbox(inbox));
    const stored = this.boardMessage(inbox);
    const elsewhere = stored !== undefined && stored.chatId !== chatId;
    if (!elsewhere && text === (getJobState(db, keys.text) ?? '')) return;
    const messageId = elsewhere ? undefined : stored?.messageId;
    if (messageId) {
      try {
        await api.editMessageText(chatId, messageId, text, HTML);
        setJobState(db, keys.text, text);
        return;
      } catch (error) {
        const failure = classifyError(error);
        if (failure.kind === 'not-modified') return void setJobState(db, keys.text, text);
        if (failure.kind !== 'message-missing') throw error;
      }
    }
    const sent = await api.sendMessage(chatId, text, { ...HTML, disable_notification: true });
    db.$client.transaction(() => {
      // A board left in a group the inbox no longer is (it names waiting clients) goes.
      if (elsewhere) queueDeletions(db, [{ chatRef: this.deps.privacy.encryptChatId(stored.chatId, CHAT_REF_BINDING.deletion), messageId: stored.messageId }]);
      setJobState(db, keys.message, `${chatId}:${sent.message_id}`);
      setJobState(db, keys.text, text);
    })();
  }

  /** One reminder per waiting spell, in the General topic; the previous one goes (it names the client). */
  private async reminder(row: CaseRow, chatId: number): Promise<number | undefined> {
    const { api, db, clock } = this.deps;
    if (row.status !== 'waiting') return undefined; // taken (or closed) meanwhile
    const minutes = Math.round((clock() - row.queuedAt) / 60_000);
    const text = this.inbox.st('staff-reminder', {
      urgent: row.urgent ? this.inbox.st('staff-reminder-urgent') : '',
      client: escapeHtml(this.inbox.st('staff-client', { pseudonym: this.inbox.pseudonymOf(row) })),
      topic: escapeHtml(this.inbox.topicLabel(row.topic)),
      minutes,
    }) + this.inbox.onDutyLine(this.inbox.inboxOf(row)); // where duty is used, those on duty are called
    const sent = await api.sendMessage(chatId, text, HTML);
    // Remembered so that it goes with the case (/forget, retention). Only the latest is remembered, with its chat.
    if (row.reminderMessageId !== null && row.teamChatId === chatId) await api.deleteMessage(chatId, row.reminderMessageId).catch(() => undefined);
    const kept = db
      .update(cases)
      .set({ reminderMessageId: sent.message_id, teamChatId: chatId })
      .where(and(eq(cases.id, row.id), or(isNull(cases.teamChatId), eq(cases.teamChatId, chatId))))
      .run().changes;
    if (kept === 0) await api.deleteMessage(chatId, sent.message_id).catch(() => undefined); // the case moved meanwhile
    return sent.message_id;
  }
}
