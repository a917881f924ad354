import { eq } from 'drizzle-orm';
import { InlineKeyboard, type Api } from 'grammy';
import type { Message } from 'grammy/types';
import type { I18n } from '@grammyjs/i18n';
import type { Config, Language } from '../config.js';
import { escapeHtml } from '../content/markdown.js';
import type { Db } from '../db/connection.js';
import { cases, clients, consultants, type CaseRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { CHAT_REF_BINDING, type Privacy } from '../privacy/keys.js';
import { formatLocal } from '../time/zoned.js';
import { codeStatus, codesOfCase } from './referral-codes.js';
import { casesInAnotherChat, closeCase, detachTopic, earlierCaseCount, findCase, waitingQueue } from './cases.js';
import { caseTraces, queueDeletions } from '../db/deletions.js';
import type { CaseDirectory, Relay } from '../relay/index.js';
import { queuePosition } from './queue.js';
import { isOpen, nextOpening } from './working-hours.js';
import { Inboxes } from './inboxes.js';
import { markNudged, offerBack } from './answer-due.js';
import { oweCheckin } from './care.js';
import { clientChatId } from '../db/clients.js';
import { dutyInUse, dutyRows, teamPresent } from './duty.js';
import { nextShiftStart, type Roster } from './roster.js';
import { escalatedPlanOfCase } from './checkins.js';

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
  readonly inboxes: Inboxes;
  /** How the relay finds cases (it does not read the cases table itself). */
  readonly cases: CaseDirectory = { find: (caseId) => findCase(this.deps.db, caseId) };

  constructor(private readonly deps: InboxDeps) {
    this.inboxes = deps.inboxes ?? Inboxes.fromConfig(deps.config);
  }

  /** The team's chat a case lives in: its inbox's group. */
  chatOf(row: Pick<CaseRow, 'inbox'>): number {
    return this.inboxes.chatOf(row.inbox);
  }

  /** The inbox a case belongs to (the default one for a case of an inbox no longer configured). */
  inboxOf(row: CaseRow): string {
    const name = row.inbox;
    return this.inboxes.names.includes(name) ? name : this.inboxes.default;
  }

  knowsInbox(name: string): boolean {
    return this.inboxes.names.includes(name);
  }

  isDefaultInbox(name: string): boolean {
    return name === this.inboxes.default || !this.knowsInbox(name);
  }

  /**
   * Queues an answer to a consultant, in the chat and topic they wrote in, as a reply to their message
   * (HTML unless `plain`). The handler does not wait for the team chat's budget.
   */
  replyInTeam(ctx: { chat?: { id: number }; msg?: { message_id: number; is_topic_message?: boolean; message_thread_id?: number } }, text: string, plain = false): void {
    const chatId = ctx.chat?.id;
    if (chatId === undefined) return;
    const msg = ctx.msg;
    this.relay.postToTeam(
      {
        kind: 'reply',
        html: plain ? escapeHtml(text) : text,
        chatId,
        ...(msg?.is_topic_message && msg.message_thread_id !== undefined ? { threadId: msg.message_thread_id } : {}),
        ...(msg ? { replyTo: msg.message_id } : {}),
      },
      { inbox: this.inboxes.byChat(chatId) ?? this.inboxes.default },
    );
  }

  /** The team chat of a case. */
  teamChatOf(row: CaseRow): number {
    return this.inboxes.chatOf(this.inboxOf(row));
  }

  /** A client-side text in `lang` (a snippet's {emergency}). */
  ct(lang: Language, key: string, vars: Record<string, string | number> = {}): string {
    return this.deps.i18n.t(lang, key, vars);
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
    return clientChatId(this.deps.privacy, client);
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
        ? row.nudgedAt !== null && !row.specialty
          ? this.st('staff-status-offered-back')
          : row.specialty
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
    const why = row.urgent && row.urgentReason !== null ? `\n${this.st('staff-card-urgent-reason', { what: this.urgencyReason(row.urgentReason) })}` : '';
    return `${card}${why}${region}${this.checkinLines(row.id)}${this.codeLines(row.id)}`;
  }

  /** An escalated check-in's plan (issue 22), only while the check-in lasts: the card is edited when it ends. */
  private checkinLines(caseId: number): string {
    const escalated = escalatedPlanOfCase(this.deps.db, this.deps.privacy, caseId);
    if (!escalated) return '';
    return `\n\n${this.st('staff-card-checkin-plan', { plan: escalated.plan ? escapeHtml(escalated.plan) : this.st('staff-card-checkin-no-plan') })}`;
  }

  /** A risk category's staff label (`staff-risk-<category>`), or a consultant's own reason, escaped. */
  urgencyReason(reason: string): string {
    return escapeHtml(this.labelOr(`staff-risk-${reason}`, reason));
  }

  /**
   * The case became urgent or stopped being urgent (risk words, /urgent, /normal): a note in its topic,
   * the topic's name (🆘) and the card. The queue, the board and the chat's budget read urgency from the
   * case when they rank, so they follow by themselves. Nothing reaches the client.
   */
  urgencyChanged(row: CaseRow, noteHtml: string, byClient: boolean): void {
    this.noteInTopic(row, noteHtml, byClient);
    this.relay.postToTeam({ kind: 'rename' }, { row, byClient });
    this.relay.postToTeam({ kind: 'card' }, { row, byClient });
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

  /** The duty roster in force (content/roster.yml; set by the composition root), if any. */
  roster: () => Roster | undefined = () => undefined;

  /** The relay: everything this service puts into a chat is queued there (set by the composition root). */
  relay!: Relay;

  /** Queues the case's topic in the team's chat (its card follows it). */
  createTopic(row: CaseRow): void {
    this.relay.postToTeam({ kind: 'topic' }, { row });
  }

  /** Queues bringing the card up to date (status, Take button): it shows the case as it is when it goes. */
  refreshCard(caseId: number): void {
    const row = findCase(this.deps.db, caseId);
    if (row) this.relay.postToTeam({ kind: 'card' }, { row });
  }

  /** Queues a notice in the case's topic (internal: the client never sees it); `byClient`: in the client's lane. */
  noteInTopic(row: CaseRow, html: string, byClient = false): void {
    this.relay.postToTeam({ kind: 'note', html }, { row, byClient });
  }

  /** A consultant named so that Telegram notifies them (staff are not anonymous to each other), for HTML. */
  mention(consultantId: number): string {
    return `<a href="tg://user?id=${consultantId}">${escapeHtml(this.aliasOf(consultantId))}</a>`;
  }

  /** Nudges the holder of a case whose client has waited too long for an answer, once per spell, in its topic. */
  nudge(row: CaseRow): boolean {
    const { db, clock } = this.deps;
    return db.$client.transaction(() => {
      if (!markNudged(db, row, clock())) return false;
      const minutes = Math.max(1, Math.round((clock() - row.clientWroteAt!) / 60_000));
      this.noteInTopic(row, this.st('staff-answer-due', { alias: this.mention(row.consultantId!), minutes }));
      return true;
    })();
  }

  /**
   * The case goes back to the queue from its holder (`why`: no answer after the nudge, they left the
   * staff chat, went off duty, were away (a break) when an answer was due, or tapped out with `note`): a
   * note in its topic naming them and who is on duty, the card waiting again with its Take button, and
   * the client told that someone else may answer. Nothing if they no longer hold it.
   */
  handBack(row: CaseRow, why: 'unanswered' | 'left' | 'off-duty' | 'away' | 'tapout', note = ''): CaseRow | undefined {
    const { db, clock } = this.deps;
    return db.$client.transaction(() => {
      const back = offerBack(db, row, clock());
      if (!back) return undefined;
      const key = { unanswered: 'staff-offered-back', left: 'staff-released-left', 'off-duty': 'staff-released-off-duty', away: 'staff-released-away', tapout: 'staff-released-tapout' }[why];
      this.noteInTopic(back, `${this.st(key, { alias: this.mention(row.consultantId!), note: escapeHtml(note) })}${this.onDutyLine(this.inboxOf(back))}`);
      this.relay.postToTeam({ kind: 'card' }, { row: back });
      this.tellClient(back, why === 'off-duty' || why === 'tapout' ? 'consult-handed-back' : 'consult-offered-back');
      return back;
    })();
  }

  /**
   * Where duty is used: a line naming (and so notifying) who is on duty in `inbox`, for notes that offer
   * a case; empty where it is not used (everyone sees the queue, as before).
   */
  onDutyLine(inbox: string): string {
    const { db } = this.deps;
    if (!dutyInUse(db, inbox)) return '';
    const on = dutyRows(db, inbox).filter((d) => d.state === 'on');
    return `\n${on.length ? this.st('staff-on-duty-line', { list: on.map((d) => this.mention(d.consultantId)).join(', ') }) : this.st('staff-nobody-on-duty')}`;
  }

  /** Queues a notice in the General topic of an inbox (the default one unless named). */
  noteInGeneral(html: string, inbox?: string): void {
    this.relay.postToTeam({ kind: 'general', html }, { inbox });
  }

  /** Queues a UI text for the client of a case, in their language; `vars` are plain text, escaped when it goes. */
  tellClient(row: CaseRow, key: string, vars: Record<string, string | number> = {}, keyboard?: 'rating', staff?: string): void {
    this.relay.tellClient(row, { kind: 'tell', key, vars, ...(keyboard ? { keyboard } : {}), ...(staff !== undefined ? { staff } : {}) });
  }

  /** The topic name and the card after a change of status, and the topic closed if the case is. */
  private statusChanged(row: CaseRow, byClient: boolean): void {
    this.relay.postToTeam({ kind: 'rename' }, { row, byClient });
    if (row.status === 'closed') this.relay.postToTeam({ kind: 'close-topic' }, { row, byClient });
    this.relay.postToTeam({ kind: 'card' }, { row, byClient });
  }

  queuePlace(caseId: number): number | null {
    return queuePosition(waitingQueue(this.deps.db), caseId);
  }

  /**
   * Whether the team of `inbox` is there for clients now, and when it is back if not: by duty where duty
   * is used there (someone on duty or on a break; back at the roster's next shift, else WORKING_HOURS'
   * next opening), else by WORKING_HOURS as always.
   */
  teamHours(inbox = this.inboxes.default): { open: boolean; back: Date | null } {
    const { config, clock, db } = this.deps;
    const now = new Date(clock());
    if (dutyInUse(db, inbox)) {
      if (teamPresent(db, inbox)) return { open: true, back: null };
      const roster = this.roster();
      const shift = roster ? nextShiftStart(roster, inbox, this.inboxes.default, now, config.timezone) : null;
      return { open: false, back: shift ?? nextOpening(config.workingHours, now, config.timezone) };
    }
    if (isOpen(config.workingHours, now, config.timezone)) return { open: true, back: null };
    return { open: false, back: nextOpening(config.workingHours, now, config.timezone) };
  }

  /** What the client is told about the team's hours (of the inbox their case is in, or the default one). */
  dutyNotice(lang: Language, inbox?: string): string {
    const { config, i18n } = this.deps;
    const { open, back } = this.teamHours(inbox);
    if (open) return i18n.t(lang, 'consult-on-duty');
    return back ? i18n.t(lang, 'consult-off-duty', { when: formatLocal(back, config.timezone) }) : i18n.t(lang, 'consult-off-duty-unknown');
  }

  /**
   * Ends a case: the client is thanked and asked for a rating first (their chat has its own pace), then
   * the team's chat learns it (note, topic name, closed topic, card) as its budget allows. One
   * transaction: a replayed /close finds the case closed and queues nothing twice.
   */
  close(caseId: number, by: 'client' | 'consultant', staffAlias?: string): CaseRow | undefined {
    const { db, config, clock } = this.deps;
    const closed = db.$client.transaction(() => {
      const row = closeCase(db, caseId, clock());
      if (!row) return undefined;
      this.tellClient(row, 'consult-ended', { retention: config.retentionDays }, 'rating', by === 'consultant' ? (staffAlias ?? this.st('staff-default-alias')) : undefined);
      this.noteInTopic(row, this.st(by === 'client' ? 'staff-closed-by-client' : 'staff-closed'), by === 'client');
      this.statusChanged(row, by === 'client');
      return { row, owed: this.oweCare(row) };
    })();
    if (closed?.owed) this.careDue?.(closed.row);
    return closed?.row;
  }

  /**
   * Set by the composition root: delivers the check-in an urgent case's consultant is owed (care.ts),
   * outside the transaction that closed it; one not delivered now waits until they write to the bot.
   */
  careDue?: (row: CaseRow) => void;

  /** An urgent case that someone held: its consultant is owed a check-in. */
  private oweCare(row: CaseRow): boolean {
    return row.urgent && row.consultantId !== null && oweCheckin(this.deps.db, row.consultantId, this.deps.clock()) !== undefined;
  }

  /** The client edited a message already copied into the team chat `chatId` (the case's): carried over (text and captions). */
  carryClientEdit(row: CaseRow, edited: Message, chatId: number, copyId: number): void {
    const text = edited.text ?? edited.caption;
    if (text === undefined) return; // media cannot be swapped
    const entities = edited.text !== undefined ? edited.entities : edited.caption_entities;
    this.relay.postToTeam({ kind: 'edit', messageId: copyId, chatId, caption: edited.text === undefined, text: { text, ...(entities ? { entities } : {}) } }, { row, byClient: true });
  }

  /** A consultant edited a reply already copied to the client: carried over, after whatever the client's lane holds. */
  carryStaffEdit(row: CaseRow, edited: Message, copyId: number, staff: string): void {
    const text = edited.text ?? edited.caption;
    if (text === undefined) return;
    const entities = edited.text !== undefined ? edited.entities : edited.caption_entities;
    this.relay.tellClient(row, { kind: 'edit', messageId: copyId, caption: edited.text === undefined, text: { text, ...(entities ? { entities } : {}) }, staff });
  }

  /**
   * The client edited a message whose copy cannot be edited: one of several texts joined into one message
   * (`joined`: that message, in its chat), or a copy in a group the case has left (no `joined`). The new
   * wording goes into the case's topic as a ✏️ message (under the joined one, if it is there).
   */
  noteEditedPart(row: CaseRow, edited: Message, joined?: { chatId: number; messageId: number }): void {
    const text = edited.text ?? edited.caption;
    if (text === undefined) return;
    const entities = edited.text !== undefined ? edited.entities : edited.caption_entities;
    this.relay.postToTeam(
      { kind: 'edited-part', ...(joined ? { replyTo: joined.messageId, chatId: joined.chatId } : {}), text: { text, ...(entities ? { entities } : {}) } },
      { row, byClient: true },
    );
  }

  /** The client blocked the bot: the case closes with a note in its topic. */
  clientGone(row: CaseRow): void {
    const { db, clock } = this.deps;
    let owed: CaseRow | undefined;
    db.$client.transaction(() => {
      const closed = closeCase(db, row.id, clock());
      if (!closed) return;
      this.noteInTopic(closed, this.st('staff-client-blocked'), true);
      this.statusChanged(closed, true);
      if (this.oweCare(closed)) owed = closed;
    })();
    if (owed) this.careDue?.(owed);
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
  reopenTopic(row: CaseRow): void {
    this.relay.postToTeam(row.threadId !== null ? { kind: 'reopen' } : { kind: 'topic' }, { row });
    this.noteInTopic(row, this.st('staff-emergency-again'), true);
    this.relay.postToTeam({ kind: 'card' }, { row, byClient: true });
  }

  /** The topic was deleted by someone: a new one is queued (the executor notes why in it). Nothing for a closed or erased case. */
  topicMissing(stale: CaseRow): void {
    const { db } = this.deps;
    db.$client.transaction(() => {
      const row = findCase(db, stale.id);
      if (!row || row.status === 'closed' || row.threadId !== stale.threadId || row.teamChatId !== stale.teamChatId) return; // closed, erased, or already replaced
      if (row.threadId !== null) db.update(cases).set({ threadId: null, cardMessageId: null }).where(eq(cases.id, row.id)).run();
      this.relay.postToTeam({ kind: 'topic', recreated: true }, { row: { ...row, threadId: null } });
    })();
  }

  /**
   * At start: cases whose topic is in a group their inbox no longer names (INBOXES changed: ids swapped,
   * an inbox pointed at a new group, renamed, removed and its cases adopted) keep nothing of it: a topic
   * id is never read in another group. The old topic and reminder are queued for deletion where their
   * group is known; an open case gets a new topic (and card) in its inbox's group, saying why.
   * Returns how many cases were moved, and how many of those had topics in a group no longer known.
   */
  rehomeCases(): { moved: number; unknownGroup: number } {
    const { db, privacy } = this.deps;
    return db.$client.transaction(() => {
      let unknownGroup = 0;
      const stale = casesInAnotherChat(db, (inbox) => this.inboxes.chatOf(inbox));
      for (const row of stale) {
        if (row.teamChatId === null) unknownGroup++;
        queueDeletions(db, caseTraces(row, row.teamChatId === null ? undefined : privacy.encryptChatId(row.teamChatId, CHAT_REF_BINDING.deletion)));
        const detached = detachTopic(db, row.id);
        if (detached && detached.status !== 'closed') this.relay.postToTeam({ kind: 'topic', regrouped: true }, { row: detached });
      }
      return { moved: stale.length, unknownGroup };
    })();
  }
}
