import { InlineKeyboard } from 'grammy';
import type { BotContext } from './context.js';

/**
 * Callback data. Buttons under content (cards, pages) start with "n:" so that pressing them sends a new
 * message instead of editing the content away.
 */
export const NEW = 'n:';

export function mainMenu(ctx: BotContext, prefix = ''): InlineKeyboard {
  const keyboard = new InlineKeyboard()
    .text(ctx.t('menu-info'), `${prefix}menu:info`)
    .text(ctx.t('menu-emergency'), `${prefix}menu:emergency`)
    .row()
    .text(ctx.t('menu-consult'), `${prefix}menu:consult`)
    .text(ctx.t('menu-services'), `${prefix}menu:services`)
    .row()
    .text(ctx.t('menu-report'), `${prefix}menu:report`)
    .text(ctx.t('menu-share'), `${prefix}menu:share`)
    .row()
    .text(ctx.t('menu-alerts'), `${prefix}menu:alerts`)
    .row()
    .text(ctx.t('menu-language'), `${prefix}menu:language`)
    .text(ctx.t('menu-privacy'), `${prefix}menu:privacy`);
  if (ctx.surveysOpen) keyboard.row().text(ctx.t('menu-surveys'), `${prefix}menu:surveys`);
  return keyboard;
}

export function backToMenu(ctx: BotContext): InlineKeyboard {
  return new InlineKeyboard().text(ctx.t('button-menu'), `${NEW}menu:main`);
}
