import { Composer, InlineKeyboard, type MiddlewareFn } from 'grammy';
import { escapeHtml } from '../../content/markdown.js';
import { surveyLanguage, textIn, type Survey } from '../../content/surveys.js';
import { matchRisk } from '../../content/risk.js';
import { ensureClient } from '../../db/clients.js';
import { isOptedIn, progressOf, setOptIn } from '../../db/surveys.js';
import { applyTap, availability, finishSurvey, loadState, questionIndex, saveState, startSurvey, type SurveyState, type Tap } from '../../inbox/surveys.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { NEW } from '../keyboards.js';
import { showScreen } from '../screens.js';

/** A text question waits this long for the client's words; later, a message is theirs to the team again. */
const TEXT_WAIT_MS = 30 * 60_000;
const ID = '[a-z0-9][a-z0-9-]{0,23}';

/** Marks the update when a survey is open to everyone, so the main menu offers "Surveys". */
export function markOpenSurveys({ content, config, clock }: BotDeps): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    const now = (clock ?? (() => new Date()))().getTime();
    ctx.surveysOpen = content.surveys.some((s) => s.audience === 'everyone' && availability(s, now, config.timezone, config.offerDraftSurveys) === 'open');
    return next();
  };
}

/**
 * Surveys for clients: started from t.me/<bot>?start=survey-<id>, /surveys or the menu. A few taps per
 * question, each one skippable; "Later" keeps the answers so far (sealed) to continue; finished answers
 * are stored unlinked and a second go is refused. The opt-in to invitations is a toggle on /surveys.
 */
export function createSurveysFeature({ db, privacy, content, config, clock }: BotDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const now = () => (clock ?? (() => new Date()))().getTime();
  const store = { db, privacy, timeZone: config.timezone };
  const find = (id: string) => content.surveys.find((s) => s.id === id);
  const isOpen = (survey: Survey) => availability(survey, now(), config.timezone, config.offerDraftSurveys) === 'open';

  /** Surveys this client may take now. */
  const offered = (ctx: BotContext) => {
    const optedIn = !!ctx.client && isOptedIn(db, ctx.client.key);
    return content.surveys.filter((s) => isOpen(s) && (s.audience === 'everyone' || optedIn));
  };

  async function showList(ctx: BotContext): Promise<void> {
    const optedIn = !!ctx.client && isOptedIn(db, ctx.client.key);
    const surveys = offered(ctx);
    const keyboard = new InlineKeyboard();
    for (const s of surveys) keyboard.text(`📋 ${textIn(s.title, ctx.lang, s)}`, `sv:go:${s.id}`).row();
    keyboard.text(ctx.t(optedIn ? 'survey-opt-out' : 'survey-opt-in'), optedIn ? 'sv:opt:off' : 'sv:opt:on').row();
    keyboard.text(ctx.t('button-menu'), 'menu:main');
    const lines = [surveys.length > 0 ? ctx.t('survey-list') : ctx.t('survey-none'), '', ctx.t(optedIn ? 'survey-opted-in' : 'survey-opt-explained')];
    await showScreen(ctx, lines.join('\n'), keyboard);
  }

  function questionScreen(ctx: BotContext, survey: Survey, state: SurveyState): { html: string; keyboard: InlineKeyboard } {
    const lang = surveyLanguage(survey, ctx.lang);
    const at = questionIndex(survey, state.at);
    const question = survey.questions[at]!;
    const keyboard = new InlineKeyboard();
    const lines = [`<b>${escapeHtml(textIn(survey.title, lang, survey))}</b> · ${at + 1}/${survey.questions.length}`, '', escapeHtml(textIn(question.text, lang, survey))];
    const q = `${survey.id}:${at}`;
    if (question.type === 'single') {
      question.options.forEach((o, i) => keyboard.text(textIn(o.text, lang, survey), `sv:c:${q}:${i}`).row());
    } else if (question.type === 'multiple') {
      const picked = new Set(state.picked ?? []);
      question.options.forEach((o, i) => keyboard.text(`${picked.has(i) ? '✅' : '▫️'} ${textIn(o.text, lang, survey)}`, `sv:t:${q}:${i}`).row());
      lines.push('', ctx.t('survey-pick-several'));
      keyboard.text(ctx.t('survey-done'), `sv:d:${q}`).row();
    } else if (question.type === 'scale') {
      for (let v = question.min; v <= question.max; v++) keyboard.text(String(v), `sv:v:${q}:${v}`);
      keyboard.row();
      if (question.minLabel && question.maxLabel) {
        lines.push('', `${question.min} — ${escapeHtml(textIn(question.minLabel, lang, survey))}`, `${question.max} — ${escapeHtml(textIn(question.maxLabel, lang, survey))}`);
      }
    } else {
      lines.push('', ctx.t('survey-type-answer'));
    }
    keyboard.text(ctx.t('survey-skip'), `sv:s:${q}`).text(ctx.t('survey-later'), `sv:x:${survey.id}`);
    return { html: lines.join('\n'), keyboard };
  }

  /** Shows the question on screen: in place of the pressed screen, or as a new message (`fresh`: after the intro). */
  async function showQuestion(ctx: BotContext, survey: Survey, state: SurveyState, fresh = false): Promise<void> {
    const question = survey.questions[questionIndex(survey, state.at)]!;
    // A text question waits for the next message (for a while): remembered with the state.
    const saved = question.type === 'text' ? { ...state, textSince: now() } : { ...state, textSince: undefined };
    saveState(store, survey, ctx.client!.key, saved, now());
    const { html, keyboard } = questionScreen(ctx, survey, saved);
    if (fresh) await ctx.reply(html, { parse_mode: 'HTML', reply_markup: keyboard });
    else await showScreen(ctx, html, keyboard);
  }

  async function begin(ctx: BotContext, id: string): Promise<void> {
    const survey = find(id);
    if (!ctx.client) return;
    if (!survey) return showScreen(ctx, ctx.t('survey-unknown'), new InlineKeyboard().text(ctx.t('button-menu'), `${NEW}menu:main`));
    const state = availability(survey, now(), config.timezone, config.offerDraftSurveys);
    if (state !== 'open') return showScreen(ctx, ctx.t(state === 'not-yet' ? 'survey-not-yet' : 'survey-closed'), new InlineKeyboard().text(ctx.t('button-menu'), `${NEW}menu:main`));
    if (survey.audience === 'opted-in' && !isOptedIn(db, ctx.client.key)) {
      return showScreen(ctx, ctx.t('survey-invited-only'), new InlineKeyboard().text(ctx.t('survey-opt-in'), 'sv:opt:on').row().text(ctx.t('button-menu'), `${NEW}menu:main`));
    }
    const started = startSurvey(store, survey, ctx.client.key, now());
    if (started.kind === 'answered') return showScreen(ctx, ctx.t('survey-already'), new InlineKeyboard().text(ctx.t('button-menu'), `${NEW}menu:main`));
    const lang = surveyLanguage(survey, ctx.lang);
    const intro = started.kind === 'resume' ? ctx.t('survey-resumed') : `${escapeHtml(textIn(survey.intro, lang, survey))}\n\n${ctx.t('survey-anonymous')}`;
    await ctx.reply(`<b>${escapeHtml(textIn(survey.title, lang, survey))}</b>\n\n${intro}`, { parse_mode: 'HTML' });
    await showQuestion(ctx, survey, started.state, true);
  }

  async function tap(ctx: BotContext, id: string, at: number | undefined, action: Tap): Promise<void> {
    const survey = find(id);
    if (!ctx.client || !survey || !isOpen(survey)) return showList(ctx);
    const state = loadState(store, survey, ctx.client.key, now());
    // A button of a question already answered (or of a finished survey): show where the client is.
    if (!state) return begin(ctx, id);
    if (at !== undefined && questionIndex(survey, state.at) !== at) return showQuestion(ctx, survey, state);
    const step = applyTap(survey, state, action);
    if (step.kind === 'invalid') return showQuestion(ctx, survey, state);
    if (step.kind === 'question') return showQuestion(ctx, survey, step.state);
    const stored = finishSurvey(store, survey, ctx.client.key, step.state, now());
    const lang = surveyLanguage(survey, ctx.lang);
    const text = stored ? (survey.thanks ? escapeHtml(textIn(survey.thanks, lang, survey)) : ctx.t('survey-thanks')) : ctx.t('survey-already');
    await showScreen(ctx, text, new InlineKeyboard().text(ctx.t('button-menu'), `${NEW}menu:main`));
  }

  feature.command('start', async (ctx, next) => {
    const match = new RegExp(`^survey-(${ID})$`).exec(String(ctx.match ?? ''));
    if (!match) return next();
    await begin(ctx, match[1]!);
  });
  feature.command('surveys', showList);
  feature.callbackQuery(/^(?:n:)?menu:surveys$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showList(ctx);
  });
  feature.callbackQuery(/^sv:opt:(on|off)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    if (!ctx.client) return;
    const on = ctx.match[1] === 'on';
    // The invitation needs the client's chat: opting in is something to remember, so the client row is made.
    if (on) ctx.client.row = ensureClient(db, privacy, ctx.client.key, ctx.chat!.id);
    setOptIn(db, ctx.client.key, on, ctx.lang);
    await showList(ctx);
  });
  feature.callbackQuery(new RegExp(`^sv:go:(${ID})$`), async (ctx) => {
    await ctx.answerCallbackQuery();
    await begin(ctx, ctx.match[1]!);
  });
  feature.callbackQuery(new RegExp(`^sv:([ctvds]):(${ID}):(\\d+)(?::(\\d+))?$`), async (ctx) => {
    await ctx.answerCallbackQuery();
    const [, kind, id, at, value] = ctx.match as unknown as [string, string, string, string, string | undefined];
    const n = Number(value);
    const action: Tap | undefined =
      kind === 's' ? { kind: 'skip' } : kind === 'd' ? { kind: 'done' } : value === undefined ? undefined : kind === 'c' ? { kind: 'choose', option: n } : kind === 't' ? { kind: 'toggle', option: n } : { kind: 'scale', value: n };
    if (action) await tap(ctx, id, Number(at), action);
  });
  feature.callbackQuery(new RegExp(`^sv:x:(${ID})$`), async (ctx) => {
    await ctx.answerCallbackQuery();
    await showScreen(ctx, ctx.t('survey-stopped'), new InlineKeyboard().text(ctx.t('survey-continue'), `sv:go:${ctx.match[1]!}`).row().text(ctx.t('button-menu'), 'menu:main'));
  });

  // The words of a text question: only while one is on screen (and not for long), never a command.
  feature.on('message:text', async (ctx, next) => {
    if (!ctx.client || ctx.message.text.startsWith('/')) return next();
    for (const id of progressOf(db, ctx.client.key, now())) {
      const survey = find(id);
      if (!survey || !isOpen(survey)) continue;
      const state = loadState(store, survey, ctx.client.key, now());
      if (!state?.textSince || now() - state.textSince > TEXT_WAIT_MS) continue;
      if (survey.questions[questionIndex(survey, state.at)]?.type !== 'text') continue;
      await tap(ctx, id, undefined, { kind: 'text', text: ctx.message.text });
      // Words of danger in a survey answer reach nobody: the client is shown where help is, at once.
      if (matchRisk(content.risk, ctx.message.text).length > 0) {
        const help = new InlineKeyboard().text(ctx.t('menu-emergency'), `${NEW}menu:emergency`).row().text(ctx.t('menu-consult'), `${NEW}menu:consult`);
        await ctx.reply(ctx.t('survey-risk-help'), { parse_mode: 'HTML', reply_markup: help });
      }
      return;
    }
    return next();
  });

  return feature;
}
