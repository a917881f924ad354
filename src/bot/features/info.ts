import { Composer, InlineKeyboard } from 'grammy';
import { escapeHtml } from '../../content/markdown.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { NEW, mainMenu } from '../keyboards.js';
import { sendContent, showScreen } from '../screens.js';
import { reviewLines } from '../../content/signoff.js';
import { MIX_CARDS } from './mix.js';

/** Safety information: sections → cards, from content/info/<lang>/*.md. */
export function createInfoFeature({ content, clock }: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  async function showSections(ctx: BotContext, notice?: string): Promise<void> {
    const { sections } = content.for(ctx.lang);
    if (sections.length === 0) {
      await showScreen(ctx, ctx.t('info-empty'), mainMenu(ctx));
      return;
    }
    const keyboard = new InlineKeyboard();
    sections.forEach((section, index) => keyboard.text(section.title, `info:s:${index}`).row());
    keyboard.text(ctx.t('button-menu'), 'menu:main');
    const text = ctx.t('info-sections');
    await showScreen(ctx, notice ? `${notice}\n\n${text}` : text, keyboard);
  }

  feature.command('info', (ctx) => showSections(ctx));
  feature.callbackQuery(/^(?:n:)?menu:info$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showSections(ctx);
  });

  feature.callbackQuery(/^(?:n:)?info:s:(\d{1,3})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const section = content.for(ctx.lang).sections[Number(ctx.match[1])];
    if (!section) return showSections(ctx, ctx.t('info-card-missing'));
    const keyboard = new InlineKeyboard();
    for (const card of section.cards) keyboard.text(card.title, `info:c:${card.slug}`).row();
    keyboard.text(ctx.t('button-back'), 'menu:info').text(ctx.t('button-menu'), 'menu:main');
    await showScreen(ctx, ctx.t('info-section', { section: escapeHtml(section.title) }), keyboard);
  });

  feature.callbackQuery(/^(?:n:)?info:c:([a-z0-9-]{1,40})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const { sections, cards, emergency } = content.for(ctx.lang);
    const card = cards.get(ctx.match[1] ?? '');
    if (!card) return showSections(ctx, ctx.t('info-card-missing'));
    const sectionIndex = sections.findIndex((s) => s.title === card.section);
    const keyboard = new InlineKeyboard()
      .text(ctx.t('button-talk'), `${NEW}menu:consult`)
      .row()
      .text(ctx.t('button-back-to-section', { section: card.section }), `${NEW}info:s:${sectionIndex}`)
      .row()
      .text(ctx.t('button-all-topics'), `${NEW}menu:info`)
      .text(ctx.t('button-menu'), `${NEW}menu:main`);
    if (MIX_CARDS.has(card.slug)) keyboard.row().text(ctx.t('button-mix'), `${NEW}mix:start`);
    keyboard.row().text(ctx.t('button-checkin'), `${NEW}checkin:open`);
    const disclaimer = ctx.t('info-disclaimer', { ambulance: escapeHtml(emergency?.ambulance ?? '103') });
    // "Checked by …" only for a current sign-off (content/…/*.md review:); otherwise a neutral line.
    const review = reviewLines(card.signOff, (clock ?? (() => new Date()))()).map((line) => `<i>${ctx.t(line.key, { date: line.date ?? '' })}</i>`);
    await sendContent(ctx, [`<b>${escapeHtml(card.title)}</b>`, ...card.blocks, disclaimer, ...review, ctx.t('info-card-footer')], keyboard);
  });

  return feature;
}
