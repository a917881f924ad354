import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { showScreen } from '../screens.js';

/** /privacy: exactly what is stored, and for how long. */
export function createPrivacyFeature({ config }: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  async function showPrivacy(ctx: BotContext): Promise<void> {
    const keyboard = new InlineKeyboard()
      .text(ctx.t('button-forget'), 'forget:ask')
      .row()
      .text(ctx.t('button-menu'), 'menu:main');
    await showScreen(ctx, `${ctx.t('privacy', { retention: config.retentionDays })}\n\n${ctx.t('privacy-bans', { days: config.banDays })}`, keyboard);
  }

  feature.command('privacy', showPrivacy);
  feature.callbackQuery(/^(?:n:)?menu:privacy$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showPrivacy(ctx);
  });
  return feature;
}
