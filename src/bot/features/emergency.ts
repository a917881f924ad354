import { Composer, InlineKeyboard } from 'grammy';
import { escapeHtml } from '../../content/markdown.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { NEW } from '../keyboards.js';
import { sendContent } from '../screens.js';
import { reviewLines } from '../../content/signoff.js';

/** Emergency / overdose guidance: one tap from the menu, and /help. Always available, even without content. */
export function createEmergencyFeature({ content, clock }: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  async function showEmergency(ctx: BotContext): Promise<void> {
    const page = content.for(ctx.lang).emergency;
    const keyboard = new InlineKeyboard()
      .text(ctx.t('button-urgent-consult'), `${NEW}consult:urgent`)
      .row()
      .text(ctx.t('button-mix'), `${NEW}mix:start`)
      .row()
      .text(ctx.t('button-checkin'), `${NEW}checkin:open`)
      .row()
      .text(ctx.t('button-menu'), `${NEW}menu:main`);
    // Only a claim when a clinician has signed: no "not yet reviewed" line to read in a crisis.
    const review = page ? reviewLines(page.signOff, (clock ?? (() => new Date()))(), true).map((line) => `<i>${ctx.t(line.key, { date: line.date ?? '' })}</i>`) : [];
    const blocks = page ? [`🆘 <b>${escapeHtml(page.title)}</b>`, ...page.blocks, ...review] : [ctx.t('emergency-fallback')];
    await sendContent(ctx, blocks, keyboard);
  }

  feature.command(['help', 'emergency', 'sos'], showEmergency);
  feature.callbackQuery(/^(?:n:)?menu:emergency$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showEmergency(ctx);
  });
  return feature;
}
