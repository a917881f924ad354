import { Composer, InputFile } from 'grammy';
import { escapeHtml } from '../../content/markdown.js';
import { splitMessage } from '../../content/split.js';
import { textIn } from '../../content/surveys.js';
import { countResponses } from '../../db/surveys.js';
import { renderPng } from '../../inbox/cascade-chart.js';
import { protectTally, surveyTally, tallyCsv, tallySvg } from '../../inbox/survey-results.js';
import { availability } from '../../inbox/surveys.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

const HTML = { parse_mode: 'HTML' } as const;

/**
 * /survey in the editors chat: the list (state, responses, link), `/survey <id>` the results (text and a
 * PNG chart), `/survey <id> csv` the CSV. Small cells are suppressed everywhere (src/inbox/survey-results.ts).
 */
export function createSurveyResultsFeature({ config, db, privacy, content, clock }: BotDeps, text: (key: string, vars?: Record<string, string | number>) => string): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const editors = feature.filter((ctx) => ctx.chat?.id === config.editorsChatId && !!ctx.from && !ctx.from.is_bot);
  const now = () => (clock ?? (() => new Date()))().getTime();
  const lang = config.defaultLanguage;
  /** A count as HTML: "<5" must be escaped. */
  const h = (n: number | string) => escapeHtml(String(n));

  editors.command('survey', async (ctx) => {
    const [id, format] = String(ctx.match ?? '').trim().split(/\s+/).filter(Boolean);
    if (!id) {
      const lines = content.surveys.map((s) => {
        const state = availability(s, now(), config.timezone);
        const link = `https://t.me/${ctx.me.username}?start=survey-${s.id}`;
        return text('editors-survey-line', { id: escapeHtml(s.id), title: escapeHtml(textIn(s.title, lang, s)), state: text(`editors-survey-${state}`), responses: h(countResponses(db, s.id)), link: escapeHtml(link) });
      });
      await ctx.reply([text('editors-survey-list'), ...(lines.length > 0 ? lines : [text('editors-survey-none')])].join('\n'), { ...HTML, link_preview_options: { is_disabled: true } });
      return;
    }
    const survey = content.surveys.find((s) => s.id === id.toLowerCase());
    if (!survey) return void (await ctx.reply(text('editors-survey-unknown', { id: escapeHtml(id) }), HTML));
    const tally = surveyTally(db, privacy, survey, lang);
    if (format?.toLowerCase() === 'csv') {
      await ctx.replyWithDocument(new InputFile(Buffer.from(tallyCsv(tally), 'utf8'), `survey-${survey.id}.csv`), { caption: text('editors-survey-csv', { id: survey.id }) });
      return;
    }
    const shown = protectTally(tally);
    const title = textIn(survey.title, lang, survey);
    const lines = [text('editors-survey-results', { title: escapeHtml(title), responses: h(shown.responses) })];
    if (shown.questions.length === 0) lines.push(text('editors-survey-too-few'));
    for (const q of shown.questions) {
      const question = survey.questions.find((s) => s.id === q.id)!;
      lines.push('', `<b>${escapeHtml(textIn(question.text, lang, survey))}</b>`);
      if (q.type === 'text') lines.push(text('editors-survey-written', { count: h(q.written) }));
      else for (const c of q.counts) lines.push(`• ${escapeHtml(c.label)}: ${h(c.n)}`);
      lines.push(text('editors-survey-skipped', { count: h(q.skipped) }));
    }
    if (tally.unreadable > 0) lines.push('', text('editors-survey-unreadable', { count: tally.unreadable }));
    const png = renderPng(tallySvg(tally, lang, title, text('editors-survey-too-few')));
    await ctx.replyWithPhoto(new InputFile(png, `survey-${survey.id}.png`), { caption: escapeHtml(title).slice(0, 1000), ...HTML });
    // Within Telegram's 4096 characters: a long survey goes in several messages.
    for (const part of splitMessage([lines.join('\n')])) await ctx.reply(part, HTML);
  });

  return feature;
}
