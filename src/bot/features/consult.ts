import { clientWrote } from '../../inbox/answer-due.js';
import { Composer, InlineKeyboard } from 'grammy';
import { createConversation } from '@grammyjs/conversations';
import type { Context } from 'grammy';
import { ensureClient, setClientLanguage } from '../../db/clients.js';
import { isBanned as isBannedKey } from '../../inbox/bans.js';
import { caseAwaitingComment, commentReceived, findCase, findOpenCase, inviteComment, openCase, rateCase, type CaseTopic } from '../../inbox/cases.js';
import { clientCopyInFlight, findCounterpart, isJoinedCopy, wasCopied } from '../../relay/index.js';
import type { InboxService } from '../../inbox/service.js';
import { createIntake, type IntakeResult } from '../conversations/intake.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import type { I18n } from '@grammyjs/i18n';
import { escapeHtml } from '../../content/markdown.js';
import { backToMenu } from '../keyboards.js';
import type { Lockdown } from '../../inbox/lockdown.js';
import { CaseOpenings } from '../../inbox/case-openings.js';
import { matchRisk } from '../../content/risk.js';
import { raiseForRisk } from '../../inbox/urgency.js';
import type { CaseRow } from '../../db/schema.js';

/**
 * Risk words in a client's message (text or caption), matched when the relay accepts it: the case becomes
 * urgent with the category on its card and a note in its topic. The client is told nothing; the text is
 * not kept. Call inside the transaction that accepts the message: a replay finds the case urgent already.
 */
export function raiseOnRiskWords(deps: BotDeps, inbox: InboxService, row: CaseRow, categories: readonly string[], now: number): void {
  if (categories.length === 0 || row.urgent) return;
  const raised = raiseForRisk(deps.db, row.id, categories, now);
  if (raised) inbox.urgencyChanged(raised.row, inbox.st('staff-risk-raised', { what: inbox.urgencyReason(raised.category) }), true);
}

const HTML = { parse_mode: 'HTML' } as const;

/** The client's side of the handoff: intake, queue, relay of their messages, ending and rating. */
export function createConsultFeature(deps: BotDeps, inbox: InboxService, i18n: I18n<BotContext>, lockdown: Lockdown) {
  const { db, privacy } = deps;
  const clock = () => (deps.clock ?? (() => new Date()))().getTime();
  const feature = new Composer<BotContext>();

  const isBanned = (key: string) => isBannedKey(db, privacy.banKey(key), clock(), deps.config.banDays);
  // Each opening costs the team's chat a topic and a card: one client may not open cases without end.
  const openings = new CaseOpenings(deps.config.urgentCaseIntervalMs, deps.config.caseOpenIntervalMs);
  const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

  /** Whether a new case may be opened now; if not, the client is told when (with the emergency steps, after an emergency press). */
  async function mayOpen(ctx: BotContext, urgent: boolean): Promise<boolean> {
    const existing = findOpenCase(db, ctx.client!.key);
    if (existing) {
      // Pressing emergency again while the urgent case is open changes nothing in the team's chat.
      const text = urgent && existing.urgent ? `${ctx.t('consult-urgent')}\n\n${inbox.dutyNotice(ctx.lang, existing.inbox)}` : ctx.t('consult-already-open');
      await ctx.reply(text, HTML);
      return false;
    }
    const wait = openings.waitFor(ctx.client!.key, urgent, clock());
    if (wait === 0) return true;
    await ctx.reply(ctx.t(urgent ? 'consult-urgent-wait' : 'consult-open-wait', { minutes: minutes(wait) }), HTML);
    return false;
  }

  /** Opens the case, its topic and card, queues the description, tells the client where they stand. */
  async function open(ctx: BotContext, topic: CaseTopic, urgent: boolean, descriptionMessageId?: number, region?: string, risk: readonly string[] = []): Promise<void> {
    if (!ctx.client || !ctx.chat) return;
    if (!(await mayOpen(ctx, urgent))) return;
    const client = ensureClient(db, privacy, ctx.client.key, ctx.chat.id);
    // Messages from the consultant arrive outside any update of the client's: keep the language they read.
    if (client.language === null) setClientLanguage(db, client.key, ctx.lang);
    // Emergency, /end, emergency…: the recent urgent case comes back instead of a new 🆘 topic each time.
    const reuseUrgentSince = deps.config.emergencyReuseMs > 0 ? clock() - deps.config.emergencyReuseMs : undefined;
    // The case, its topic and its description are queued together: a replayed update finds them all.
    const result = db.$client.transaction(() => {
      const opened = openCase(db, { clientKey: ctx.client!.key, topic, urgent, inbox: inbox.inboxes.route({ topic, urgent, region }), region, now: clock(), reuseUrgentSince });
      if (!opened.opened) return opened;
      // During a lockdown the topic waits for /unlock.
      if (!lockdown.isLocked) {
        if (opened.reopened) inbox.reopenTopic(opened.case);
        else inbox.createTopic(opened.case);
      }
      if (descriptionMessageId !== undefined) inbox.relay.accept({ caseId: opened.case.id, toClient: false, sourceMessageId: descriptionMessageId });
      // Risk words in the description: urgent from the start (the topic is named when it is made).
      raiseOnRiskWords(deps, inbox, opened.case, risk, clock());
      return opened;
    })();
    if (!result.opened) {
      await ctx.reply(ctx.t('consult-already-open'), HTML);
      return;
    }
    openings.opened(ctx.client.key, urgent, clock());
    // Where the bot has topic mode in private chats, the conversation gets its own topic on the client's
    // side as well, which "Clear this chat" can delete whole (a reopened case keeps the one it had).
    const clientThread = ctx.me.has_topics_enabled
      ? (result.case.clientThreadId ?? (await inbox.createClientTopic(result.case, ctx.chat.id, ctx.lang)))
      : undefined;
    const duty = inbox.dutyNotice(ctx.lang, result.case.inbox);
    const text = urgent
      ? `${ctx.t('consult-urgent')}\n\n${duty}`
      : `${ctx.t('consult-queued', { place: inbox.queuePlace(result.case.id) ?? 1 })}\n\n${duty}`;
    // Into the case's own topic if it has one (and it is still there), else here.
    const inTopic = clientThread !== undefined && (await ctx.api.sendMessage(ctx.chat.id, text, { ...HTML, message_thread_id: clientThread }).then(() => true, () => false));
    await ctx.reply(inTopic ? ctx.t('consult-topic-opened') : text, HTML);
    if (lockdown.shouldTell(result.case.id)) await ctx.reply(ctx.t('lockdown-client-waiting'), HTML);
  }

  feature.use(
    createConversation<BotContext, Context>(
      createIntake(
        i18n,
        (ctx, result: IntakeResult) => open(ctx, result.topic, false, result.descriptionMessageId, result.region, result.risk),
        (text) => matchRisk(deps.content.risk, text),
      ),
      'intake',
    ),
  );

  async function startIntake(ctx: BotContext): Promise<void> {
    if (!ctx.client || !ctx.chat) return;
    if (isBanned(ctx.client.key)) {
      await ctx.reply(ctx.t('consult-banned'), HTML);
      return;
    }
    if (!(await mayOpen(ctx, false))) return;
    const row = ensureClient(db, privacy, ctx.client.key, ctx.chat.id);
    ctx.client.row = row;
    await ctx.conversation.enter('intake', { lang: ctx.lang, pseudonym: `Client ${row.pseudonym}`, topics: deps.content.settings.intake_topics, regions: deps.content.settings.regions });
  }

  feature.command('consult', startIntake);
  feature.command('start', (ctx, next) => (ctx.match === 'consult' ? startIntake(ctx) : next()));
  feature.callbackQuery(/^(?:n:)?menu:consult$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await startIntake(ctx);
  });

  // The emergency path: an urgent case at once, first in line, without questions.
  feature.callbackQuery(/^(?:n:)?consult:urgent$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    if (!ctx.client) return;
    if (isBanned(ctx.client.key)) return void (await ctx.reply(ctx.t('consult-banned'), HTML));
    await open(ctx, 'substances', true);
  });

  feature.command('status', async (ctx) => {
    const row = ctx.client && findOpenCase(db, ctx.client.key);
    if (!row) return void (await ctx.reply(ctx.t('consult-status-none'), { ...HTML, reply_markup: backToMenu(ctx) }));
    if (row.status === 'waiting') {
      await ctx.reply(`${ctx.t('consult-status-waiting', { place: inbox.queuePlace(row.id) ?? 1 })}\n\n${inbox.dutyNotice(ctx.lang, row.inbox)}`, HTML);
    } else {
      await ctx.reply(ctx.t('consult-status-active', { alias: escapeHtml(inbox.aliasOf(row.consultantId)) }), HTML);
    }
  });

  feature.command('end', async (ctx) => {
    const row = ctx.client && findOpenCase(db, ctx.client.key);
    if (!row) return void (await ctx.reply(ctx.t('consult-status-none'), { ...HTML, reply_markup: backToMenu(ctx) }));
    const keyboard = new InlineKeyboard().text(ctx.t('consult-end-yes'), `end:yes:${row.id}`).text(ctx.t('consult-end-no'), 'end:no');
    await ctx.reply(ctx.t('consult-end-confirm'), { reply_markup: keyboard });
  });

  feature.callbackQuery('end:no', async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
  });

  feature.callbackQuery(/^end:yes:(\d+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    const row = findCase(db, Number(ctx.match[1]));
    if (!row || row.clientKey !== ctx.client?.key || row.status === 'closed') return;
    inbox.close(row.id, 'client');
  });

  feature.callbackQuery(/^rate:(\d+):([1-5])$/, async (ctx) => {
    const row = findCase(db, Number(ctx.match[1]));
    await ctx.answerCallbackQuery();
    if (!row || row.clientKey !== ctx.client?.key) return;
    rateCase(db, row, Number(ctx.match[2]));
    inviteComment(db, row.id, clock());
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    const clear = new InlineKeyboard().text(ctx.t('button-clear-chat'), 'chat:clear');
    await ctx.reply(`${ctx.t('consult-rated')}\n\n${ctx.t('consult-comment-invite')}`, { ...HTML, reply_markup: clear });
  });

  return feature;
}

/**
 * Registered after every other client feature: while a case is open, whatever the client sends
 * (that no command took) is copied into the case's topic; locations and contacts are not.
 */
export function createClientRelay(deps: BotDeps, inbox: InboxService, lockdown: Lockdown) {
  const { db } = deps;
  const clock = () => (deps.clock ?? (() => new Date()))().getTime();
  const relay = new Composer<BotContext>();

  relay.on('message', async (ctx, next) => {
    if (!ctx.client || ctx.msg.text?.startsWith('/')) return next();
    const row = findOpenCase(db, ctx.client.key);
    if (!row) {
      // Just after a rating: one message may go to the team as a comment (copied into the topic, never stored).
      const closed = ctx.msg.text ? caseAwaitingComment(db, ctx.client.key, clock()) : undefined;
      if (!closed) return next();
      db.$client.transaction(() => {
        commentReceived(db, closed.id);
        // Copied into the topic like any message (during a lockdown it waits with the rest), under a note.
        if (!lockdown.isLocked) inbox.noteInTopic(closed, inbox.st('staff-client-comment'), true);
        inbox.relay.accept({ caseId: closed.id, toClient: false, sourceMessageId: ctx.msg.message_id, text: { text: ctx.msg.text!, ...(ctx.msg.entities ? { entities: ctx.msg.entities } : {}) } });
      })();
      await ctx.reply(ctx.t('consult-comment-thanks'), HTML);
      return;
    }
    if (ctx.msg.location || ctx.msg.venue || ctx.msg.contact) {
      await ctx.reply(ctx.t('intake-no-location'), HTML);
      return;
    }
    if (ctx.msg.poll || ctx.msg.dice || ctx.msg.game || ctx.msg.invoice) {
      await ctx.reply(ctx.t('consult-unsupported'), HTML);
      return;
    }
    const text = ctx.msg.text !== undefined && ctx.msg.media_group_id === undefined ? { text: ctx.msg.text, ...(ctx.msg.entities ? { entities: ctx.msg.entities } : {}) } : undefined;
    // Matched now, on the words as they arrive; only a category is kept.
    const risk = matchRisk(deps.content.risk, ctx.msg.text ?? ctx.msg.caption ?? '');
    db.$client.transaction(() => {
      inbox.relay.accept({
        caseId: row.id,
        toClient: false,
        sourceMessageId: ctx.msg.message_id,
        mediaGroupId: ctx.msg.media_group_id,
        replyToSourceId: ctx.msg.reply_to_message?.message_id,
        text,
      });
      raiseOnRiskWords(deps, inbox, row, risk, clock());
      clientWrote(db, row.id, clock()); // the time only: it decides when the holder is nudged (answer-due.ts)
    })();
    if (lockdown.shouldTell(row.id)) await ctx.reply(ctx.t('lockdown-client-waiting'), HTML);
  });

  // An edit by the client is carried over to the copy in the inbox (text and captions). The copy is looked
  // up in the chat the case's topic is in now: after a /transfer, a copy in the old group is not this
  // group's message of that id, and the new wording goes into the case's topic as a message of its own.
  relay.on('edited_message', async (ctx) => {
    const row = ctx.client && findOpenCase(db, ctx.client.key);
    if (!row || lockdown.isLocked) return; // during a lockdown an edit is not carried over
    const edited = ctx.editedMessage.message_id;
    const teamChat = row.teamChatId ?? inbox.chatOf(row);
    const found = findCounterpart(db, row.id, true, teamChat, edited);
    // Message ids grow within a chat, and a topic's id is the id of the message that opened it: a copy
    // older than the case's topic is in an earlier topic of the same group (the case came back, or its topic was made again).
    const copy = found !== undefined && row.threadId !== null && found > row.threadId ? found : undefined;
    if (copy === undefined) {
      // Copied into a group the case has left, or on its way right now (its copy's id not known yet): a ✏️ message.
      if (wasCopied(db, row.id, edited) || clientCopyInFlight(db, row.id, edited)) inbox.noteEditedPart(row, ctx.editedMessage);
      return; // not copied yet: the copy, when it goes, shows the message as it is then
    }
    // A part of joined texts: the joined message stays, and the new wording follows it as a reply.
    if (isJoinedCopy(db, row.id, teamChat, copy)) inbox.noteEditedPart(row, ctx.editedMessage, { chatId: teamChat, messageId: copy });
    else inbox.carryClientEdit(row, ctx.editedMessage, teamChat, copy);
  });

  return relay;
}
