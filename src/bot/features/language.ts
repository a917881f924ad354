import { Composer, InlineKeyboard } from 'grammy';
import { ensureClient, setClientLanguage } from '../../db/clients.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { mainMenu } from '../keyboards.js';
import { showScreen } from '../screens.js';

/** /language: the choice is the one thing we store for a client who never opened a case. */
export function createLanguageFeature({ db, privacy, content }: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  async function showChoice(ctx: BotContext): Promise<void> {
    const keyboard = new InlineKeyboard();
    // One button per locales/<code>.ftl: adding a language is adding its file.
    for (const lang of content.languages) {
      const mark = lang === ctx.lang ? '✓ ' : '';
      keyboard.text(mark + ctx.i18n.fluent.translate(lang, 'language-name'), `lang:set:${lang}`);
    }
    keyboard.row().text(ctx.t('button-menu'), 'menu:main');
    await showScreen(ctx, ctx.t('language-choose'), keyboard);
  }

  feature.command('language', showChoice);
  feature.callbackQuery(/^(?:n:)?menu:language$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showChoice(ctx);
  });

  feature.callbackQuery(/^(?:n:)?lang:set:([a-z]{2})$/, async (ctx, next) => {
    const lang = ctx.match[1]!;
    if (!content.languages.includes(lang)) return next(); // a button from before a language was removed
    if (ctx.client && ctx.chat) {
      const row = ensureClient(db, privacy, ctx.client.key, ctx.chat.id);
      setClientLanguage(db, row.key, lang);
      ctx.client.row = { ...row, language: lang };
    }
    ctx.lang = lang;
    ctx.i18n.useLocale(lang);
    await ctx.answerCallbackQuery();
    await showScreen(ctx, `${ctx.t('language-changed')}\n\n${ctx.t('menu-title')}`, mainMenu(ctx));
  });

  return feature;
}
