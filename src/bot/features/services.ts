import { Composer, InlineKeyboard } from 'grammy';
import { escapeHtml } from '../../content/markdown.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { NEW, mainMenu } from '../keyboards.js';
import { sendContent, showScreen } from '../screens.js';
import { pickupButton } from './codes.js';

/** Services and referrals: a directory by city or region, from content/services/<lang>/*.md. */
export function createServicesFeature({ content, config }: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  async function showRegions(ctx: BotContext, notice?: string): Promise<void> {
    const { services } = content.for(ctx.lang);
    if (services.length === 0) return showScreen(ctx, ctx.t('services-empty'), mainMenu(ctx));
    const keyboard = new InlineKeyboard();
    services.forEach((region, index) => {
      keyboard.text(region.region, `svc:r:${region.slug}`);
      if (index % 2 === 1) keyboard.row();
    });
    keyboard.row().text(ctx.t('button-menu'), 'menu:main');
    const text = ctx.t('services-regions');
    await showScreen(ctx, notice ? `${notice}\n\n${text}` : text, keyboard);
  }

  feature.command('services', (ctx) => showRegions(ctx));
  feature.callbackQuery(/^(?:n:)?menu:services$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showRegions(ctx);
  });

  feature.callbackQuery(/^(?:n:)?svc:r:([a-z0-9-]{1,40})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const region = content.for(ctx.lang).services.find((r) => r.slug === ctx.match[1]);
    if (!region) return showRegions(ctx, ctx.t('services-missing'));
    const keyboard = new InlineKeyboard();
    // No pick-up codes for a place whose contacts are placeholders (unless samples are shown on purpose).
    const pickup = !region.sample || config.showSampleServices ? pickupButton(ctx, config, region.slug) : undefined;
    if (pickup) keyboard.text(...pickup).row();
    keyboard
      .text(ctx.t('button-talk'), `${NEW}menu:consult`)
      .row()
      .text(ctx.t('button-back'), `${NEW}menu:services`)
      .text(ctx.t('button-menu'), `${NEW}menu:main`);
    // A sample entry holds placeholder contacts: a client sees it only when the operator asked for
    // samples (SHOW_SAMPLE_SERVICES=true, for a demo); otherwise the region says plainly it has none yet.
    if (region.sample && !config.showSampleServices) {
      return sendContent(ctx, [ctx.t('services-not-verified', { region: escapeHtml(region.region) })], keyboard);
    }
    const blocks = [`📍 <b>${escapeHtml(region.region)}</b>`, ...(region.sample ? [ctx.t('services-sample-note')] : []), ...region.blocks];
    await sendContent(ctx, blocks, keyboard);
  });

  return feature;
}
