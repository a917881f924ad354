import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { showScreen } from '../screens.js';

/** /privacy: exactly what is stored, and for how long. */
export function createPrivacyFeature({ config }: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  async function showPrivacy(ctx: BotContext): Promise<void> {
    const keyboard = new InlineKeyboard()
      .text(ctx.t('button-clear-chat'), 'chat:clear')
      .row()
      .text(ctx.t('button-forget'), 'forget:ask')
      .row()
      .text(ctx.t('button-menu'), 'menu:main');
    const text = ctx.t('privacy', { retention: config.retentionDays, topics: ctx.me.has_topics_enabled ? 'yes' : 'no' });
    const pickups = config.codes.pickupLimit > 0 && config.codes.pickupTypes.length > 0 ? `\n\n${ctx.t('privacy-pickups', { days: config.codes.pickupPeriodDays })}` : '';
    await showScreen(ctx, `${text}\n\n${ctx.t('privacy-bans', { days: config.banDays })}\n\n${ctx.t('privacy-codes')}${pickups}\n\n${ctx.t('privacy-alerts')}`, keyboard);
  }

  feature.command('privacy', showPrivacy);
  feature.callbackQuery(/^(?:n:)?menu:privacy$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showPrivacy(ctx);
  });
  return feature;
}
