import { Composer, InlineKeyboard } from 'grammy';
import { foldWal, forgetClient } from '../../db/clients.js';
import { dropTraces } from '../../db/traces.js';
import { forgetRsvps } from '../../inbox/event-reminders.js';
import { forgetSourceMarker } from '../../inbox/source-counts.js';
import { findOpenCase } from '../../inbox/cases.js';
import type { ChatClearing, Erasure } from '../../inbox/erasure.js';
import type { InboxService } from '../../inbox/service.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { mainMenu } from '../keyboards.js';
import { showScreen } from '../screens.js';

export interface ForgetTools {
  inbox: InboxService;
  erasure: Erasure;
  /** The sealed id of the team chat a case's topic is in, for queued deletions. */
  teamChatRef: (teamChatId: number) => string;
  /** Rewrites the queue board at once (it names waiting clients by pseudonym). */
  refreshBoard: () => void;
  /** Deletes the client's drug alert subscription (and its delivery rows); whether there was one. */
  forgetSubscription?: (clientKey: string) => boolean;
  /** The numbers of the client's stories waiting for editors (they go with the client's row). */
  openStories?: (clientKey: string) => string[];
  /** Tells the editors those stories were withdrawn. */
  storiesForgotten?: (numbers: string[]) => Promise<void>;
  /** Before the rows go: links the client's rows do not hold (a check-in buddy's pairings) end, and the other side is told. */
  beforeErase?: (ctx: BotContext, clientKey: string) => Promise<void>;
}

/** The lines telling a client exactly what "Clear this chat" deleted, what it could not, and what is left for them to do. */
export function clearingReport(ctx: BotContext, clearing: ChatClearing): string {
  const lines = [ctx.t('clear-done', { messages: clearing.messages, topics: clearing.topics })];
  if (clearing.refused > 0) lines.push(ctx.t('clear-refused', { count: clearing.refused }));
  if (clearing.notReached > 0) lines.push(ctx.t('clear-not-reached', { count: clearing.notReached }));
  if (clearing.topicsLeft > 0) lines.push(ctx.t('clear-topics-left', { count: clearing.topicsLeft }));
  if (!ctx.me.has_topics_enabled) lines.push(ctx.t('clear-rest-yourself'));
  return lines.join('\n\n');
}

/**
 * /forget: after a confirmation, erases every row about the client, deletes their consultation from
 * their own chat and its topics from the team's chat, and says what went and what could not.
 */
export function createForgetFeature({ db, logger, privacy }: BotDeps, tools: ForgetTools): Composer<BotContext> {
  const { inbox, erasure } = tools;
  const feature = new Composer<BotContext>();

  async function askToConfirm(ctx: BotContext): Promise<void> {
    const keyboard = new InlineKeyboard().text(ctx.t('forget-yes'), 'forget:yes').row().text(ctx.t('forget-no'), 'forget:no');
    await showScreen(ctx, ctx.t('forget-confirm'), keyboard);
  }

  feature.command('forget', askToConfirm);
  feature.callbackQuery(/^(?:n:)?forget:ask$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await askToConfirm(ctx);
  });

  feature.callbackQuery('forget:no', async (ctx) => {
    await ctx.answerCallbackQuery();
    await showScreen(ctx, `${ctx.t('forget-cancelled')}\n\n${ctx.t('menu-title')}`, mainMenu(ctx));
  });

  feature.callbackQuery('forget:yes', async (ctx) => {
    await ctx.answerCallbackQuery();
    if (!ctx.client) return;
    const key = ctx.client.key;
    const open = findOpenCase(db, key);
    const stories = tools.openStories?.(key) ?? [];
    // Their own chat first, while the message ids and topics are still known.
    const clearing = await erasure.clearClientChat(key, ctx.chat!.id);
    await tools.beforeErase?.(ctx, key);
    const erased = forgetClient(db, key, tools.teamChatRef);
    // Kept under keys of their own (not the client key): the outreach marker and event reminders go too.
    const reminders = forgetRsvps(db, privacy, key);
    if (forgetSourceMarker(db, privacy, key) + reminders > 0) foldWal(db);
    const unsubscribed = tools.forgetSubscription?.(key) ?? false;
    ctx.client.row = undefined;
    // Drafts and stories not yet decided went with the row (ON DELETE CASCADE): their editors are told.
    if (erased && stories.length > 0) await tools.storiesForgotten?.(stories);
    // Then the team's chat: the topics of every case (with every copy in them) and reminders naming them.
    // Their open reports' cards and photos in the moderation chat go too (queued with the rows).
    if (erased?.rows.reports || erased?.rows.stories) await erasure.runPending();
    if (erased && erased.caseIds.length > 0) {
      const run = await erasure.runPending();
      // Each team that had one of the cases is told (in its General topic).
      for (const [name, count] of Object.entries(erased.inboxes)) {
        inbox.noteInGeneral(inbox.st(open?.inbox === name ? 'staff-client-forgot-open' : 'staff-client-forgot', { count }), name);
      }
      if (run.missingRights.length > 0) inbox.noteInGeneral(inbox.st('staff-deletions-pending', { count: run.waiting, rights: run.missingRights.join(', ') }));
      tools.refreshBoard();
    }
    const cleared = clearingReport(ctx, clearing);
    // Without a client row, what was kept under keys of its own (a survey begun, alerts, reminders) is named.
    const loose = [
      ...(erased?.rows.survey_progress ? [ctx.t('forget-item-survey', { count: erased.rows.survey_progress })] : []),
      ...(unsubscribed ? [ctx.t('forget-item-alerts')] : []),
      ...(reminders > 0 ? [ctx.t('forget-item-reminders', { count: reminders })] : []),
    ];
    let text = loose.length > 0 ? `${ctx.t('forget-done', { what: loose.join(', ') })}\n\n${cleared}` : `${ctx.t('forget-nothing')}\n\n${cleared}`;
    if (erased && erased.pseudonym !== '') {
      logger.info({ rows: erased.rows }, 'client data erased on request');
      const items = [ctx.t('forget-item-client', { pseudonym: erased.pseudonym }), ctx.t('forget-item-chat')];
      if (erased.hadLanguage) items.push(ctx.t('forget-item-language'));
      if (erased.caseIds.length > 0) items.push(ctx.t('forget-item-cases', { count: erased.caseIds.length }));
      // Codes are unlinked, not deleted: they still work at the partner and count, for nobody.
      if (erased.rows.referral_codes) items.push(ctx.t('forget-item-codes', { count: erased.rows.referral_codes }));
      if (reminders > 0) items.push(ctx.t('forget-item-reminders', { count: reminders }));
      if (unsubscribed) items.push(ctx.t('forget-item-alerts'));
      if (erased.rows.stories) items.push(ctx.t('forget-item-stories', { count: erased.rows.stories }));
      if (erased.rows.checkins) items.push(ctx.t('forget-item-checkin'));
      if (erased.rows.buddies) items.push(ctx.t('forget-item-buddy'));
      if (erased.rows.reports) items.push(ctx.t('forget-item-reports', { count: erased.rows.reports }));
      if (erased.rows.survey_progress) items.push(ctx.t('forget-item-survey', { count: erased.rows.survey_progress }));
      if (erased.rows.survey_opt_ins) items.push(ctx.t('forget-item-survey-invitations'));
      text = `${ctx.t('forget-done', { what: items.join(', ') })}\n\n${cleared}`;
    }
    // A new message in the chat itself: the screen the button was on (and any topic) has just been deleted.
    await ctx.api.sendMessage(ctx.chat!.id, text, { parse_mode: 'HTML', reply_markup: mainMenu(ctx) });
    dropTraces(db, key); // the id of that last message would otherwise be the one thing kept under their key
  });

  return feature;
}
