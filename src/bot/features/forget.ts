import { Composer, InlineKeyboard } from 'grammy';
import { forgetClient } from '../../db/clients.js';
import { findOpenCase } from '../../inbox/cases.js';
import type { InboxService } from '../../inbox/service.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { mainMenu } from '../keyboards.js';
import { showScreen } from '../screens.js';

/** /forget: after a confirmation, erases every row about the client and says what went. */
export function createForgetFeature({ db, logger }: BotDeps, inbox?: InboxService): Composer<BotContext> {
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
    // An open case ends first, with a note in its topic, so no consultant keeps writing into the void.
    const open = ctx.client && findOpenCase(db, ctx.client.key);
    if (open && inbox) {
      await inbox.noteInTopic(open, inbox.st('staff-client-forgot'));
      if (open.threadId !== null) await inbox.closeTopic(open.threadId);
    }
    const erased = ctx.client ? forgetClient(db, ctx.client.key) : null;
    if (open) inbox?.delivery?.forgetCase(open.id); // texts still held in memory for joining
    if (ctx.client) ctx.client.row = undefined;
    if (!erased) {
      await showScreen(ctx, ctx.t('forget-nothing'), mainMenu(ctx));
      return;
    }
    logger.info({ rows: erased.rows }, 'client data erased on request');
    const items = [ctx.t('forget-item-client', { pseudonym: erased.pseudonym }), ctx.t('forget-item-chat')];
    if (erased.hadLanguage) items.push(ctx.t('forget-item-language'));
    if (erased.rows.cases) items.push(ctx.t('forget-item-cases', { count: erased.rows.cases }));
    await showScreen(ctx, ctx.t('forget-done', { what: items.join(', ') }), mainMenu(ctx));
  });

  return feature;
}
