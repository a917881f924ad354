import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { sendContent, showScreen } from '../screens.js';
import { REPORT_EXPIRY_DAYS, REPORT_LIMIT_PER_DAY } from '../../inbox/reports.js';

/** Telegram's limit for one message's text. */
const SCREEN_LIMIT = 4096;

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
    const pickups = config.codes.pickupLimit > 0 && config.codes.pickupTypes.length > 0 ? `\n\n${ctx.t('privacy-pickups', { days: config.codes.pickupPeriodDays })}` : '';
    // One paragraph per thing kept; one screen while it fits in a message, else split at paragraphs.
    const blocks = [
      ctx.t('privacy', { retention: config.retentionDays, topics: ctx.me.has_topics_enabled ? 'yes' : 'no' }),
      ctx.t('privacy-bans', { days: config.banDays }),
      `${ctx.t('privacy-codes')}${pickups}`,
      ctx.t('privacy-reports', { limit: REPORT_LIMIT_PER_DAY, days: REPORT_EXPIRY_DAYS }),
      ctx.t('privacy-stories'),
      ctx.t('privacy-checkin'),
      ctx.t('privacy-surveys'),
      ctx.t('privacy-outreach'),
      ctx.t('privacy-alerts'),
    ];
    const whole = blocks.join('\n\n');
    if (whole.length <= SCREEN_LIMIT) return void (await showScreen(ctx, whole, keyboard));
    await sendContent(ctx, blocks, keyboard);
  }

  feature.command('privacy', showPrivacy);
  feature.callbackQuery(/^(?:n:)?menu:privacy$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showPrivacy(ctx);
  });
  return feature;
}
