import { eq } from 'drizzle-orm';
import { GrammyError, InlineKeyboard, type Api } from 'grammy';
import type { Message } from 'grammy/types';
import type { I18n } from '@grammyjs/i18n';
import type { Config, Language } from '../config.js';
import { escapeHtml, escapeHtmlValues } from '../content/markdown.js';
import type { Db } from '../db/connection.js';
import { cases, clients, consultants, type CaseRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Privacy } from '../privacy/keys.js';
import { formatLocal } from '../publishing/time.js';
import { codeStatus, codesOfCase } from './referral-codes.js';
import { attachTopic, closeCase, earlierCaseCount, findCase, waitingQueue } from './cases.js';
import type { Delivery } from './delivery.js';
import { queuePosition } from './queue.js';
import { isOpen, nextOpening } from './working-hours.js';
import { Inboxes } from './inboxes.js';

export interface InboxDeps {
  db: Db;
  api: Api;
  config: Config;
  privacy: Privacy;
  logger: Logger;
  i18n: I18n<never>;
  clock: () => number;
  /** The teams' inboxes; built from config when not given. */
  inboxes?: Inboxes;
}

/**
 * What the inbox does in Telegram, shared by the client side, the staff side and background jobs:
 * topics, case cards, messages to clients. Identities never appear: topics and cards carry only the
 * pseudonym and the topic of the case.
 */
export class InboxService {
  delivery?: Delivery;
  readonly inboxes: Inboxes;

  constructor(private readonly deps: InboxDeps) {
    this.inboxes = deps.inboxes ?? Inboxes.fromConfig(deps.config);
  }

  /** The team's chat a case lives in: its inbox's group. */
  chatOf(row: Pick<CaseRow, 'inbox'>): number {
    return this.inboxes.chatOf(row.inbox);
  }

  /** A staff-side text, in DEFAULT_LANGUAGE. */
  st(key: string, vars: Record<string, string | number> = {}): string {
    return this.deps.i18n.t(this.deps.config.defaultLanguage, key, vars);
  }

  /** The topic's staff label; a topic id without a text (say, one removed from settings.yml) shows as itself. */
  topicLabel(topic: string): string {
    return this.labelOr(`staff-topic-${topic}`, topic);
  }

  private labelOr(key: string, id: string): string {
    const label = this.st(key);
    return label === `{${key}}` ? id : label;
  }

  private clientOf(row: CaseRow) {
    return this.deps.db.select().from(clients).where(eq(clients.key, row.clientKey)).get();
  }

  clientChatId(row: CaseRow): number {
    const client = this.clientOf(row);
    if (!client) throw new Error(`case ${row.id} has no client`);
    return this.deps.privacy.decryptChatId(client.chatRef);
  }

  languageOf(row: CaseRow): Language {
    return (this.clientOf(row)?.language as Language | null) ?? this.deps.config.defaultLanguage;
  }

  pseudonymOf(row: CaseRow): string {
    return this.clientOf(row)?.pseudonym ?? '????';
  }

  aliasOf(consultantId: number | null, fallback = this.st('staff-default-alias')): string {
    if (consultantId === null) return fallback;
    return this.deps.db.select().from(consultants).where(eq(consultants.telegramId, consultantId)).get()?.alias ?? fallback;
  }

  topicName(row: CaseRow): string {
    const done = row.status === 'closed' ? '✅ ' : row.urgent ? '🆘 ' : '';
    return `${done}${this.st('staff-client', { pseudonym: this.pseudonymOf(row) })} · ${this.topicLabel(row.topic)}`.slice(0, 128);
  }

  cardText(row: CaseRow): string {
    const { clock, config } = this.deps;
    const status =
      row.status === 'waiting'
        ? row.specialty
          ? this.st('staff-status-waiting-for', { specialty: escapeHtml(row.specialty) })
          : this.st('staff-status-waiting')
        : row.status === 'active'
          ? this.st('staff-status-active', { alias: escapeHtml(this.aliasOf(row.consultantId)) })
          : this.st('staff-status-closed');
    const card = this.st('staff-card', {
      pseudonym: escapeHtml(this.pseudonymOf(row)),
      id: row.id,
      topic: escapeHtml(this.topicLabel(row.topic)),
      urgent: row.urgent ? this.st('staff-card-urgent') : '',
      opened: formatLocal(new Date(row.openedAt), config.timezone),
      waited: Math.max(0, Math.round((clock() - row.openedAt) / 60_000)),
      earlier: earlierCaseCount(this.deps.db, row.clientKey),
      status,
    });
    // The region only if the client chose one (a region id without a text shows as itself).
    const region = row.region !== null ? `\n${this.st('staff-card-region', { region: escapeHtml(this.labelOr(`staff-region-${row.region}`, row.region)) })}` : '';
    return `${card}${region}${this.codeLines(row.id)}`;
  }

  /** Codes issued in the case: type, place and status only, never the code or anything about the client. */
  private codeLines(caseId: number): string {
    const codes = codesOfCase(this.deps.db, caseId);
    if (codes.length === 0) return '';
    const now = this.deps.clock();
    const lines = codes.map((c) =>
      this.st('staff-card-code', { type: escapeHtml(c.type), place: escapeHtml(c.place ?? this.st('staff-code-any-place')), status: this.st(`staff-code-status-${codeStatus(c, now)}`) }),
    );
    return `\n\n${this.st('staff-card-codes')}\n${lines.join('\n')}`;
  }

  cardKeyboard(row: CaseRow): InlineKeyboard | undefined {
    return row.status === 'waiting' ? new InlineKeyboard().text(this.st('staff-take-button'), `case:take:${row.id}`) : undefined;
  }

  /** Creates the case's forum topic with its card (or a new one, if the old topic was deleted). */
  async createTopic(row: CaseRow): Promise<number> {
    const { api, db } = this.deps;
    const topic = await api.createForumTopic(this.chatOf(row), this.topicName(row), { icon_color: row.urgent ? 0xff93b2 : 0x6fb9f0 });
    const card = await api.sendMessage(this.chatOf(row), this.cardText(row), {
      message_thread_id: topic.message_thread_id,
      parse_mode: 'HTML',
      reply_markup: this.cardKeyboard(row),
    });
    attachTopic(db, row.id, topic.message_thread_id, card.message_id);
    return topic.message_thread_id;
  }

  /** Brings the card up to date (status, Take button); a vanished card is not an error. */
  async refreshCard(caseId: number): Promise<void> {
    const row = findCase(this.deps.db, caseId);
    if (!row?.cardMessageId) return;
    await this.deps.api
      .editMessageText(this.chatOf(row), row.cardMessageId, this.cardText(row), {
        parse_mode: 'HTML',
        reply_markup: this.cardKeyboard(row) ?? { inline_keyboard: [] },
      })
      .catch((error: unknown) => {
        if (!(error instanceof GrammyError && error.description.includes('not modified'))) this.deps.logger.debug({ err: error }, 'card not updated');
      });
  }

  /** A notice in the case's topic (internal: the client never sees it). */
  async noteInTopic(row: CaseRow, html: string): Promise<void> {
    if (row.threadId === null) return;
    await this.deps.api
      .sendMessage(this.chatOf(row), html, { message_thread_id: row.threadId, parse_mode: 'HTML' })
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'could not write in the case topic'));
  }

  /** A notice in the General topic of an inbox's chat (the default inbox's unless named). */
  async noteInGeneral(html: string, inbox?: string): Promise<void> {
    await this.deps.api
      .sendMessage(this.inboxes.chatOf(inbox ?? this.inboxes.default), html, { parse_mode: 'HTML' })
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'could not write in the General topic'));
  }

  /** Sends a UI text to the client of a case, in their language; `vars` are plain text, escaped here. */
  async tellClient(row: CaseRow, key: string, vars: Record<string, string | number> = {}, keyboard?: InlineKeyboard): Promise<boolean> {
    const client = this.clientOf(row);
    if (!client) return false;
    const chatId = this.deps.privacy.decryptChatId(client.chatRef);
    try {
      await this.deps.api.sendMessage(chatId, this.deps.i18n.t(this.languageOf(row), key, escapeHtmlValues(vars)), {
        parse_mode: 'HTML',
        reply_markup: keyboard,
        ...(row.clientThreadId !== null ? { message_thread_id: row.clientThreadId } : {}),
      });
      return true;
    } catch (error) {
      if (error instanceof GrammyError && error.error_code === 403) {
        await this.clientGone(row);
        return false;
      }
      throw error;
    }
  }

  queuePlace(caseId: number): number | null {
    return queuePosition(waitingQueue(this.deps.db), caseId);
  }

  /** What the client is told about the team's hours. */
  dutyNotice(lang: Language): string {
    const { config, clock, i18n } = this.deps;
    const now = new Date(clock());
    if (isOpen(config.workingHours, now, config.timezone)) return i18n.t(lang, 'consult-on-duty');
    const back = nextOpening(config.workingHours, now, config.timezone);
    return i18n.t(lang, 'consult-off-duty', { when: back ? formatLocal(back, config.timezone) : '—' });
  }

  /** Ends a case: client thanked and asked for a rating, topic renamed and closed, card updated. */
  async close(caseId: number, by: 'client' | 'consultant'): Promise<CaseRow | undefined> {
    const { db, api, config, clock, logger } = this.deps;
    const row = closeCase(db, caseId, clock());
    if (!row) return undefined;
    const rating = new InlineKeyboard();
    for (let n = 1; n <= 5; n++) rating.text(`${n} ⭐`, `rate:${row.id}:${n}`);
    rating.row().text(this.deps.i18n.t(this.languageOf(row), 'button-clear-chat'), 'chat:clear');
    await this.tellClient(row, 'consult-ended', { retention: config.retentionDays }, rating).catch((error: unknown) => logger.warn({ err: error }, 'could not thank the client'));
    await this.noteInTopic(row, this.st(by === 'client' ? 'staff-closed-by-client' : 'staff-closed'));
    if (row.threadId !== null) {
      await api.editForumTopic(this.chatOf(row), row.threadId, { name: this.topicName(row) }).catch(() => undefined);
      await api.closeForumTopic(this.chatOf(row), row.threadId).catch(() => undefined);
    }
    await this.refreshCard(row.id);
    return row;
  }

  /** Carries an edit over to the copy on the other side (texts and captions; media cannot be swapped). */
  async carryEdit(edited: Message, chatId: number, copyId: number): Promise<void> {
    const { api, logger } = this.deps;
    const ignoreUnchanged = (error: unknown) => {
      if (!(error instanceof GrammyError && error.description.includes('not modified'))) logger.debug({ err: error }, 'edit not carried over');
    };
    if (edited.text !== undefined) {
      await api.editMessageText(chatId, copyId, edited.text, { entities: edited.entities }).catch(ignoreUnchanged);
    } else if (edited.caption !== undefined) {
      await api.editMessageCaption(chatId, copyId, { caption: edited.caption, caption_entities: edited.caption_entities }).catch(ignoreUnchanged);
    }
  }

  /** The client edited one of several texts joined into one inbox message: the new wording goes under it. */
  async noteEditedPart(row: CaseRow, edited: Message, joinedId: number): Promise<void> {
    if (edited.text === undefined || row.threadId === null) return;
    const prefix = '✏️ ';
    const entities = edited.entities?.map((e) => ({ ...e, offset: e.offset + prefix.length }));
    await this.deps.api
      .sendMessage(this.chatOf(row), prefix + edited.text, {
        message_thread_id: row.threadId,
        protect_content: true,
        ...(entities ? { entities } : {}),
        reply_parameters: { message_id: joinedId, allow_sending_without_reply: true },
      })
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'edit of a joined text not carried over'));
  }

  async closeTopic(row: Pick<CaseRow, 'inbox'>, threadId: number): Promise<void> {
    await this.deps.api.closeForumTopic(this.chatOf(row), threadId).catch(() => undefined);
  }

  /** The client blocked the bot: the case closes with a note in its topic. */
  async clientGone(row: CaseRow): Promise<void> {
    const closed = closeCase(this.deps.db, row.id, this.deps.clock());
    if (!closed) return;
    await this.noteInTopic(closed, this.st('staff-client-blocked'));
    if (closed.threadId !== null) {
      await this.deps.api.editForumTopic(this.chatOf(closed), closed.threadId, { name: this.topicName(closed) }).catch(() => undefined);
      await this.deps.api.closeForumTopic(this.chatOf(closed), closed.threadId).catch(() => undefined);
    }
    await this.refreshCard(closed.id);
  }

  /**
   * Where the bot has topic mode in private chats, the case gets its own topic in the client's chat too,
   * so that "Clear this chat" can delete it whole, at any age. Returns its id, or undefined without one.
   */
  async createClientTopic(row: CaseRow, chatId: number, lang: Language): Promise<number | undefined> {
    try {
      const topic = await this.deps.api.createForumTopic(chatId, this.deps.i18n.t(lang, 'consult-topic-name'));
      this.deps.db.update(cases).set({ clientThreadId: topic.message_thread_id }).where(eq(cases.id, row.id)).run();
      return topic.message_thread_id;
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'could not open a topic in the client chat; the conversation stays in the chat itself');
      return undefined;
    }
  }

  /**
   * The client pressed emergency again soon after their urgent case ended, and it was reopened: its
   * topic opens again (a new one if it is gone), marked urgent, with a note and an up-to-date card.
   */
  async reopenTopic(row: CaseRow): Promise<void> {
    const { api } = this.deps;
    let threadId = row.threadId;
    if (threadId !== null) {
      try {
        await api.reopenForumTopic(this.chatOf(row), threadId);
        await api.editForumTopic(this.chatOf(row), threadId, { name: this.topicName(row) }).catch(() => undefined);
      } catch (error) {
        if (!(error instanceof GrammyError && error.description.includes('NOT_MODIFIED'))) threadId = null; // gone
      }
    }
    if (threadId === null) threadId = await this.createTopic(row);
    await this.noteInTopic({ ...row, threadId }, this.st('staff-emergency-again'));
    await this.refreshCard(row.id);
  }

  /** The topic was deleted by someone: a new one, with a fresh card and a note. */
  async topicMissing(stale: CaseRow): Promise<number | undefined> {
    // Read again: a case erased by /forget (or closed) meanwhile must not get a new topic.
    const row = findCase(this.deps.db, stale.id);
    if (!row || row.status === 'closed') return undefined;
    try {
      const threadId = await this.createTopic(row);
      await this.noteInTopic({ ...row, threadId }, this.st('staff-topic-recreated'));
      return threadId;
    } catch (error) {
      this.deps.logger.error({ err: error }, 'could not recreate a case topic');
      return undefined;
    }
  }
}
