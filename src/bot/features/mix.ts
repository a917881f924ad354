import { Composer, InlineKeyboard } from 'grammy';
import { escapeHtml } from '../../content/markdown.js';
import { lookupMix, mixText, type MixAnswer } from '../../content/mix.js';
import { displayDay } from '../../content/signoff.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { NEW, mainMenu } from '../keyboards.js';
import { showScreen } from '../screens.js';

/** Cards about substances that are often mixed: they offer the mixing checker under the text. */
export const MIX_CARDS = new Set(['mixing-depressants', 'ghb-gbl', 'tramadol', 'pregabalin', 'benzodiazepines', 'sex-and-chems', 'cathinones', 'alpha-pvp', 'synthetic-cannabinoids']);

const ID = '[a-z][a-z0-9-]{0,19}';

/** The risk lines that call for the emergency numbers: dangerous, and anything not known. */
const needsEmergency = (answer: MixAnswer) => answer.risk === 'dangerous' || answer.risk === 'unknown';

/**
 * /mix: the client picks two substances with buttons and reads the risk of the mix, why, and what to
 * do (content/mix/). Never "safe"; an unsigned pair says it is general guidance, a pair the table lacks
 * is "unknown: ask a consultant", and dangerous or unknown ones always show the emergency numbers.
 */
export function createMixFeature({ content, clock }: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const now = () => (clock ?? (() => new Date()))();

  function picker(ctx: BotContext, data: (id: string) => string, skip?: string): InlineKeyboard {
    const table = content.mix!;
    const names = mixText(table, ctx.lang, content.defaultLanguage);
    const keyboard = new InlineKeyboard();
    table.substances
      .filter((id) => id !== skip)
      .forEach((id, index) => {
        keyboard.text(names.substance(id), data(id));
        if (index % 2 === 1) keyboard.row();
      });
    return keyboard.row();
  }

  async function showFirst(ctx: BotContext): Promise<void> {
    if (!content.mix) return showScreen(ctx, ctx.t('mix-empty'), mainMenu(ctx));
    const keyboard = picker(ctx, (id) => `mix:a:${id}`).text(ctx.t('button-menu'), 'menu:main');
    await showScreen(ctx, ctx.t('mix-choose-first'), keyboard);
  }

  feature.command('mix', showFirst);
  feature.callbackQuery(/^(?:n:)?mix:start$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showFirst(ctx);
  });

  feature.callbackQuery(new RegExp(`^mix:a:(${ID})$`), async (ctx) => {
    await ctx.answerCallbackQuery();
    const table = content.mix;
    const first = ctx.match[1]!;
    if (!table?.substances.includes(first)) return showFirst(ctx);
    const name = mixText(table, ctx.lang, content.defaultLanguage).substance(first);
    const keyboard = picker(ctx, (id) => `mix:b:${first}:${id}`, first).text(ctx.t('button-back'), 'mix:start').text(ctx.t('button-menu'), 'menu:main');
    await showScreen(ctx, ctx.t('mix-choose-second', { first: escapeHtml(name) }), keyboard);
  });

  feature.callbackQuery(new RegExp(`^mix:b:(${ID}):(${ID})$`), async (ctx) => {
    await ctx.answerCallbackQuery();
    const table = content.mix;
    const [a, b] = [ctx.match[1]!, ctx.match[2]!];
    if (!table || a === b || !table.substances.includes(a) || !table.substances.includes(b)) return showFirst(ctx);
    const answer = lookupMix(table, a, b, now());
    const texts = mixText(table, ctx.lang, content.defaultLanguage);
    const reason = answer.reason ? texts.reason(answer.reason) : undefined;
    const lines = [
      ctx.t('mix-result-title', { first: escapeHtml(texts.substance(a)), second: escapeHtml(texts.substance(b)) }),
      ctx.t(`mix-level-${answer.risk}`),
      '',
      ...(reason ? [ctx.t('mix-why', { text: escapeHtml(reason.why) }), ctx.t('mix-do', { text: escapeHtml(reason.do) })] : [ctx.t('mix-missing')]),
      ...(needsEmergency(answer) ? ['', ctx.t('mix-emergency')] : []),
      '',
      answer.signed
        ? ctx.t('mix-signed', { date: displayDay(answer.signed.on), sources: escapeHtml(answer.sources.join('; ')) })
        : ctx.t('mix-general', { sources: escapeHtml(answer.sources.join('; ') || '—') }),
    ];
    const keyboard = new InlineKeyboard().text(ctx.t('button-talk'), `${NEW}menu:consult`).row();
    if (needsEmergency(answer)) keyboard.text(ctx.t('menu-emergency'), `${NEW}menu:emergency`).row();
    keyboard.text(ctx.t('button-mix-again'), `${NEW}mix:start`).text(ctx.t('button-menu'), `${NEW}menu:main`);
    await showScreen(ctx, lines.join('\n'), keyboard);
  });

  return feature;
}
