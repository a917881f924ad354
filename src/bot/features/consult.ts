import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { backToMenu } from '../keyboards.js';
import { showScreen } from '../screens.js';

/**
 * Talking to a consultant. Until the handoff to the staff inbox is built, this says that consultations
 * are coming and points to what already works.
 */
export const consultFeature = new Composer<BotContext>();

consultFeature.command('start', (ctx, next) =>
  ctx.match === 'consult' ? showScreen(ctx, ctx.t('consult-soon'), backToMenu(ctx)) : next(),
);
consultFeature.command('consult', (ctx) => showScreen(ctx, ctx.t('consult-soon'), backToMenu(ctx)));
consultFeature.callbackQuery(/^(?:n:)?(menu:consult|consult:urgent)$/, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showScreen(ctx, ctx.t('consult-soon'), backToMenu(ctx));
});
