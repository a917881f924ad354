import { Composer, InlineKeyboard } from 'grammy';
import type { Erasure } from '../../inbox/erasure.js';
import type { BotContext } from '../context.js';
import { mainMenu } from '../keyboards.js';
import { showScreen } from '../screens.js';
import { clearingReport } from './forget.js';

/**
 * "🧹 Clear this chat" (in /privacy and under the end of a consultation): deletes the consultation from
 * the client's own chat, for when someone else may look at their phone. The records stay (that is /forget).
 */
export function createClearChatFeature(erasure: Erasure): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.callbackQuery(/^(?:n:)?chat:clear$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const keyboard = new InlineKeyboard().text(ctx.t('clear-yes'), 'chat:clear:yes').row().text(ctx.t('clear-no'), 'chat:clear:no');
    await ctx.reply(ctx.t('clear-confirm'), { parse_mode: 'HTML', reply_markup: keyboard });
  });

  feature.callbackQuery('chat:clear:no', async (ctx) => {
    await ctx.answerCallbackQuery();
    await showScreen(ctx, ctx.t('menu-title'), mainMenu(ctx));
  });

  feature.callbackQuery('chat:clear:yes', async (ctx) => {
    await ctx.answerCallbackQuery();
    if (!ctx.client || !ctx.chat) return;
    const clearing = await erasure.clearClientChat(ctx.client.key, ctx.chat.id);
    // Sent into the chat itself, not a topic: the topic may just have been deleted.
    await ctx.api.sendMessage(ctx.chat.id, clearingReport(ctx, clearing), { parse_mode: 'HTML', reply_markup: mainMenu(ctx) });
  });

  return feature;
}
