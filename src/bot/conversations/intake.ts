import { InlineKeyboard, type Context } from 'grammy';
import type { Conversation } from '@grammyjs/conversations';
import type { I18n } from '@grammyjs/i18n';
import type { Language } from '../../config.js';
import type { CaseTopic } from '../../inbox/cases.js';
import { DEFAULT_SETTINGS } from '../../content/settings.js';
import { optionalText } from '../i18n.js';
import type { BotContext } from '../context.js';

/**
 * The conversations plugin stores every update an intake waits for (and replays them all on each new
 * one), so what does not fit is limited: after this many, the intake ends and offers to start again.
 */
export const MAX_UNEXPECTED = 5;
/** Characters of the description (a first message; the rest can be told to the consultant). */
export const MAX_DESCRIPTION = 1_000;

export interface IntakeArgs {
  lang: Language;
  pseudonym: string;
  /** The intake topics of settings.yml when the intake began (kept with it, so a replay sees the same). */
  topics?: string[];
  /** The regions of settings.yml likewise; none (or an intake begun before regions existed): no region step. */
  regions?: string[];
}

export interface IntakeResult {
  topic: CaseTopic;
  /** The client's own description message, to be copied into the case topic (its text is never stored). */
  descriptionMessageId?: number;
  /** A coarse region the client chose (settings.yml `regions`), if they wanted to say. */
  region?: string;
  /** Risk categories (content/risk/) seen in the description: the case opens urgent. Only the categories. */
  risk?: string[];
}

/**
 * The intake: topic, an optional description, a region if the organisation lists any (optional: "I'd
 * rather not say" comes first), and a reminder of what staff will and will not see.
 * Nothing is opened until the client confirms, so no empty topics reach the inbox. The golden rule
 * of the conversations plugin holds: the database and the clock are touched only in `openCase`,
 * which runs through `conversation.external`. Button presses are answered by the bot's safety net
 * (answerCallbackQueries) once the update is handled.
 */
export function createIntake(
  i18n: I18n<BotContext>,
  openCase: (ctx: BotContext, result: IntakeResult) => Promise<void>,
  /** The risk categories of a text (pure: it reads the content's lists, nothing that a replay could see differ in effect). */
  riskOf: (text: string) => string[] = () => [],
) {
  return async function intake(conversation: Conversation<BotContext, Context>, ctx: Context, args: IntakeArgs): Promise<void> {
    const t = (key: string, vars?: Record<string, string>) => i18n.t(args.lang, key, vars);
    const cancelButton = new InlineKeyboard().text(t('intake-cancel'), 'intake:cancel');
    const topicIds = args.topics ?? DEFAULT_SETTINGS.intake_topics;
    const topicLabel = (topic: string) => optionalText(i18n, args.lang, `topic-${topic}`) ?? topic;
    const topics = new InlineKeyboard();
    topicIds.forEach((topic, i) => {
      topics.text(topicLabel(topic), `intake:topic:${topic}`);
      if (i % 2 === 1) topics.row();
    });
    topics.row().text(t('intake-cancel'), 'intake:cancel');
    let unexpected = 0;
    /** Counts an input that did not fit; false (after saying so) once there were too many. */
    const bearWith = async (update: Context): Promise<boolean> => {
      if (++unexpected < MAX_UNEXPECTED) return true;
      await update.reply(t('intake-too-many'), { parse_mode: 'HTML', reply_markup: new InlineKeyboard().text(t('menu-consult'), 'menu:consult') });
      return false;
    };
    /**
     * Next update that `accept`s; a command leaves the intake and is handled as usual. Undefined when
     * the client sent too many that did not fit: the intake ends.
     */
    const ask = async (accept: (update: Context) => boolean): Promise<Context | undefined> => {
      for (;;) {
        const next = await conversation.wait();
        if (next.message?.text?.startsWith('/')) await conversation.halt({ next: true });
        if (accept(next)) return next;
        if (!(await bearWith(next))) return undefined;
        await next.reply(t('intake-use-buttons'), { parse_mode: 'HTML', reply_markup: cancelButton });
      }
    };
    const pressed = (pattern: RegExp) => (update: Context) => pattern.test(update.callbackQuery?.data ?? '');

    await ctx.reply(t('intake-topic'), { parse_mode: 'HTML', reply_markup: topics });
    const picked = await ask(pressed(/^intake:(topic:[a-z][a-z0-9-]*|cancel)$/));
    if (!picked) return;

    const topic = /^intake:topic:([a-z][a-z0-9-]*)$/.exec(picked.callbackQuery?.data ?? '')?.[1] as CaseTopic | undefined;
    if (!topic || !topicIds.includes(topic)) {
      await picked.editMessageText(t('intake-cancelled'));
      return;
    }
    await picked.editMessageText(`${topicLabel(topic)}\n\n${t('intake-describe')}`, {
      reply_markup: new InlineKeyboard().text(t('intake-skip'), 'intake:skip').text(t('intake-cancel'), 'intake:cancel'),
    });

    let descriptionMessageId: number | undefined;
    let risk: string[] = [];
    for (;;) {
      const answer = await ask((u) => pressed(/^intake:(skip|cancel)$/)(u) || (!!u.message && !u.message.text?.startsWith('/')));
      if (!answer) return;
      if (answer.callbackQuery) {

        if (answer.callbackQuery.data === 'intake:cancel') {
          await answer.reply(t('intake-cancelled'));
          return;
        }
        break; // skipped
      }
      if (answer.message?.location || answer.message?.venue || answer.message?.contact) {
        if (!(await bearWith(answer))) return;
        await answer.reply(t('intake-no-location'));
        continue;
      }
      if ((answer.message?.text ?? answer.message?.caption ?? '').length > MAX_DESCRIPTION) {
        if (!(await bearWith(answer))) return;
        await answer.reply(t('intake-too-long', { max: String(MAX_DESCRIPTION) }));
        continue;
      }
      descriptionMessageId = answer.message?.message_id;
      risk = riskOf(answer.message?.text ?? answer.message?.caption ?? '');
      break;
    }

    let region: string | undefined;
    const regionIds = args.regions ?? [];
    if (regionIds.length > 0) {
      // Only to reach the team for the client's area: not saying is as good an answer as any.
      const regionLabel = (id: string) => optionalText(i18n, args.lang, `region-${id}`) ?? id;
      const regions = new InlineKeyboard().text(t('intake-region-skip'), 'intake:noregion').row();
      regionIds.forEach((id, i) => {
        regions.text(regionLabel(id), `intake:region:${id}`);
        if (i % 2 === 1) regions.row();
      });
      regions.row().text(t('intake-cancel'), 'intake:cancel');
      await ctx.reply(t('intake-region'), { parse_mode: 'HTML', reply_markup: regions });
      const answer = await ask(pressed(/^intake:(region:[a-z][a-z0-9-]*|noregion|cancel)$/));
      if (!answer) return;
      if (answer.callbackQuery?.data === 'intake:cancel') {
        await answer.editMessageText(t('intake-cancelled'));
        return;
      }
      const chosen = /^intake:region:([a-z][a-z0-9-]*)$/.exec(answer.callbackQuery?.data ?? '')?.[1];
      region = chosen !== undefined && regionIds.includes(chosen) ? chosen : undefined;
      await answer.editMessageText(region !== undefined ? regionLabel(region) : t('intake-region-skip'));
    }

    await ctx.reply(t('intake-reminder', { pseudonym: args.pseudonym }), {
      parse_mode: 'HTML',
      reply_markup: new InlineKeyboard().text(t('intake-confirm'), 'intake:go').row().text(t('intake-cancel'), 'intake:cancel'),
    });
    const confirmed = await ask(pressed(/^intake:(go|cancel)$/));
    if (!confirmed) return;

    if (confirmed.callbackQuery?.data !== 'intake:go') {
      await confirmed.editMessageText(t('intake-cancelled'));
      return;
    }
    await confirmed.editMessageReplyMarkup();
    await conversation.external((outside) => openCase(outside, { topic, descriptionMessageId, region, ...(risk.length > 0 ? { risk } : {}) }));
  };
}
