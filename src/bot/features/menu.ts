import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { mainMenu } from '../keyboards.js';
import { showScreen } from '../screens.js';

export const menuFeature = new Composer<BotContext>();

menuFeature.command('start', async (ctx, next) => {
  // t.me/<bot>?start=consult (from channel posts) goes straight to the consultation path.
  if (ctx.match === 'consult' || ctx.match.startsWith('bd_')) return next(); // bd_…: a check-in buddy's invitation (checkin.ts)
  await ctx.reply(ctx.t('welcome'), { parse_mode: 'HTML', reply_markup: mainMenu(ctx) });
});

menuFeature.callbackQuery(/^(?:n:)?menu:main$/, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showScreen(ctx, ctx.t('menu-title'), mainMenu(ctx));
});
