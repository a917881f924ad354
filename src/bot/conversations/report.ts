import { InlineKeyboard, type Context } from 'grammy';
import type { Conversation } from '@grammyjs/conversations';
import type { I18n } from '@grammyjs/i18n';
import type { Language } from '../../config.js';
import { MAX_SOLD_AS, MAX_WHAT_HAPPENED, REPORT_KINDS, type ReportKind } from '../../inbox/reports.js';
import { optionalText } from '../i18n.js';
import type { BotContext } from '../context.js';
import { NEW } from '../keyboards.js';

/** Inputs that did not fit before the flow gives up (every update of a conversation is kept and replayed). */
export const MAX_UNEXPECTED_REPORT = 5;

export interface ReportArgs {
  lang: Language;
  /** The regions of settings.yml when the flow began; none: no region step. */
  regions: string[];
}

/** What the client told, as the team will see it (plain text: escaped when rendered). */
export interface ReportDraft {
  kind: ReportKind;
  /** Undefined: "I don't know". */
  soldAs?: string;
  whatHappened: string;
  region?: string;
  /** The largest size of the client's compressed photo (Telegram re-encoded it: no EXIF, no location). Never stored. */
  photoFileId?: string;
}

/** The number and the hour the card will carry: drawn outside the conversation (randomness and the clock). */
export interface CardStamp {
  number: string;
  hour: number;
}

export interface ReportFlowTools {
  /** The card as the team will see it (HTML, the team's language). */
  renderCard: (draft: ReportDraft, stamp: CardStamp) => string;
  stamp: () => CardStamp;
  /** Sends the report (checks the daily limit again, posts the card, says so to the client). */
  submit: (ctx: BotContext, draft: ReportDraft, stamp: CardStamp) => Promise<void>;
}

/**
 * A short guided report: kind, what it was sold as, what happened, region (if the organisation lists
 * any), an optional photo, then a preview of exactly the card the team will see, and confirm. Nothing
 * leaves the client's chat before they confirm. The golden rule of the conversations plugin holds: the
 * clock, randomness and the database are touched only through `conversation.external`.
 */
export function createReportFlow(i18n: I18n<BotContext>, tools: ReportFlowTools) {
  return async function report(conversation: Conversation<BotContext, Context>, ctx: Context, args: ReportArgs): Promise<void> {
    const t = (key: string, vars?: Record<string, string>) => i18n.t(args.lang, key, vars);
    const HTML = { parse_mode: 'HTML' } as const;
    const cancelRow = (k: InlineKeyboard) => k.row().text(t('report-cancel'), 'report:cancel');
    let unexpected = 0;

    /**
     * The next update that `accept`s. A command or any other button (the emergency screen, the menu) leaves
     * the flow, unsent, and is handled as usual: nobody in a hurry is held by a half-written report.
     */
    const ask = async (accept: (update: Context) => boolean, hint: (update: Context) => string): Promise<Context | undefined> => {
      for (;;) {
        const next = await conversation.wait();
        const data = next.callbackQuery?.data;
        if (next.message?.text?.startsWith('/') || (data !== undefined && !data.startsWith('report:'))) await conversation.halt({ next: true });
        if (next.callbackQuery?.data === 'report:cancel') {
          await next.reply(t('report-cancelled'), HTML);
          return undefined;
        }
        if (accept(next)) return next;
        if (++unexpected >= MAX_UNEXPECTED_REPORT) {
          await next.reply(t('report-too-many'), HTML);
          return undefined;
        }
        await next.reply(hint(next), { ...HTML, reply_markup: cancelRow(new InlineKeyboard()) });
      }
    };
    const pressed = (pattern: RegExp) => (update: Context) => pattern.test(update.callbackQuery?.data ?? '');
    const wordsHint = () => t('report-use-words');
    /** A short text answer (or a button); too long is said, with the limit. */
    const askText = async (max: number, buttons: RegExp): Promise<{ text?: string; data?: string } | undefined> => {
      for (;;) {
        const answer = await ask((u) => pressed(buttons)(u) || u.message?.text !== undefined, wordsHint);
        if (!answer) return undefined;
        if (answer.callbackQuery) return { data: answer.callbackQuery.data };
        const text = answer.message!.text!.trim();
        if (text.length > 0 && text.length <= max) return { text };
        if (++unexpected >= MAX_UNEXPECTED_REPORT) {
          await answer.reply(t('report-too-many'), HTML);
          return undefined;
        }
        await answer.reply(t('report-too-long', { max: String(max) }), HTML);
      }
    };

    // 1. What kind, with what this is and is not.
    const kinds = new InlineKeyboard();
    for (const kind of REPORT_KINDS) kinds.text(t(`report-kind-${kind}`), `report:kind:${kind}`).row();
    kinds.text(t('menu-emergency'), `${NEW}menu:emergency`);
    await ctx.reply(t('report-intro'), { ...HTML, reply_markup: cancelRow(kinds) });
    const picked = await ask(pressed(/^report:kind:[a-z]+$/), () => t('report-use-buttons'));
    if (!picked) return;
    const kind = picked.callbackQuery!.data!.slice('report:kind:'.length) as ReportKind;
    if (!REPORT_KINDS.includes(kind)) return;
    await picked.editMessageReplyMarkup().catch(() => undefined);

    // 2. Sold as.
    await ctx.reply(t('report-sold-as', { max: String(MAX_SOLD_AS) }), { ...HTML, reply_markup: cancelRow(new InlineKeyboard().text(t('report-dont-know'), 'report:unknown')) });
    const sold = await askText(MAX_SOLD_AS, /^report:unknown$/);
    if (!sold) return;
    const soldAs = sold.text;

    // 3. What happened.
    await ctx.reply(t(`report-what-${kind}`, { max: String(MAX_WHAT_HAPPENED) }), { ...HTML, reply_markup: cancelRow(new InlineKeyboard()) });
    const what = await askText(MAX_WHAT_HAPPENED, /^$/);
    if (!what?.text) return;

    // 4. Region, if the organisation lists any: not saying is as good an answer as any.
    let region: string | undefined;
    if (args.regions.length > 0) {
      const label = (id: string) => optionalText(i18n, args.lang, `region-${id}`) ?? id;
      const regions = new InlineKeyboard().text(t('report-region-skip'), 'report:noregion').row();
      args.regions.forEach((id, i) => {
        regions.text(label(id), `report:region:${id}`);
        if (i % 2 === 1) regions.row();
      });
      await ctx.reply(t('report-region'), { ...HTML, reply_markup: cancelRow(regions) });
      const answer = await ask(pressed(/^report:(region:[a-z][a-z0-9-]*|noregion)$/), () => t('report-use-buttons'));
      if (!answer) return;
      const chosen = /^report:region:([a-z][a-z0-9-]*)$/.exec(answer.callbackQuery!.data!)?.[1];
      region = chosen !== undefined && args.regions.includes(chosen) ? chosen : undefined;
      await answer.editMessageText(region !== undefined ? label(region) : t('report-region-skip')).catch(() => undefined);
    }

    // 5. A photo, if they like: as a photo (Telegram re-encodes it without its metadata), never as a file.
    await ctx.reply(t('report-photo'), { ...HTML, reply_markup: cancelRow(new InlineKeyboard().text(t('report-no-photo'), 'report:nophoto')) });
    let photoFileId: string | undefined;
    for (;;) {
      const answer = await ask(
        (u) => pressed(/^report:nophoto$/)(u) || !!u.message?.photo,
        (u) => (u.message?.document ? t('report-photo-as-file') : t('report-photo-only')),
      );
      if (!answer) return;
      if (answer.message?.photo) photoFileId = answer.message.photo.at(-1)?.file_id;
      break;
    }

    // 6. Exactly what the team will see, then confirm.
    const draft: ReportDraft = { kind, whatHappened: what.text, ...(soldAs !== undefined ? { soldAs } : {}), ...(region !== undefined ? { region } : {}), ...(photoFileId !== undefined ? { photoFileId } : {}) };
    const stamp = await conversation.external(() => tools.stamp());
    const preview = `${t('report-preview')}\n\n${tools.renderCard(draft, stamp)}${photoFileId !== undefined ? `\n\n${t('report-preview-photo')}` : ''}`;
    await ctx.reply(preview, { ...HTML, reply_markup: cancelRow(new InlineKeyboard().text(t('report-send'), 'report:send')) });
    const confirmed = await ask(pressed(/^report:send$/), () => t('report-use-buttons'));
    if (!confirmed) return;
    await confirmed.editMessageReplyMarkup().catch(() => undefined);
    await conversation.external((outside) => tools.submit(outside, draft, stamp));
  };
}
