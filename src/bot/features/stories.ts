import { Composer, InlineKeyboard, type Api } from 'grammy';
import type { I18n } from '@grammyjs/i18n';
import { escapeHtml } from '../../content/markdown.js';
import { MESSAGE_LIMIT, splitMessage, visibleLength } from '../../content/split.js';
import { ensureClient } from '../../db/clients.js';
import type { StoryRow } from '../../db/schema.js';
import { scrubIdentifiers } from '../../privacy/scrub.js';
import { framedStory, loadStoryContent, storyLimit, type StoryContent } from '../../stories/content.js';
import { publishStory, resolveInDoubt } from '../../stories/publish.js';
import {
  addEditorMessages,
  answerGiven,
  answeringStory,
  appendToDraft,
  approvalsOf,
  approveStory,
  askQuestion,
  authorChat,
  authorTold,
  claimForPublishing,
  decideStory,
  deleteDraft,
  editStory,
  editorMessagesOf,
  findDraft,
  findStory,
  finishWriting,
  KINDS,
  normalizeStoryNumber,
  openStories,
  openStoriesOf,
  originalText,
  purgeStaleDrafts,
  releasePublishing,
  setKind,
  setStoryChannel,
  startAnswer,
  startDraft,
  storyText,
  submitStory,
  substancesOf,
  toggleSubstance,
  untoldDecisions,
  type StoryKind,
} from '../../stories/store.js';
import { classifyError } from '../../telegram/errors.js';
import { findOpenCase } from '../../inbox/cases.js';
import { queueDeletions } from '../../db/deletions.js';
import { CHAT_REF_BINDING } from '../../privacy/keys.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import type { StaffMembers } from '../staff-members.js';

const HTML = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;
const DAY = 86_400_000;
/** A draft nobody touched for this long is deleted (it holds the author's words). */
const DRAFT_MAX_AGE_MS = DAY;

export interface StoriesFeature {
  /** The author's side, for private chats (before the client relay). */
  clientSide: Composer<BotContext>;
  /** The editors' side, in the editors chat. */
  editorsSide: Composer<BotContext>;
  /** Tells authors of decided stories who were not told yet (a crash in between); then unlinks them. */
  tellUntold: () => Promise<void>;
  /** /forget removed these open stories with the client's row: the editors are told the numbers. */
  forgotten: (numbers: string[]) => Promise<void>;
}

/**
 * Readers' stories (issue 23.1). The client writes in one or more text messages (/share or the menu),
 * chooses a kind and substances, sees the card editors will see and confirms. In the editors chat the
 * story is known by its random number only; current members of that chat approve (STORY_APPROVALS
 * different editors), edit, ask, choose the channel or reject. Publishing goes through the posts'
 * ledger (src/stories/publish.ts); the author is told of the decision, then unlinked.
 */
export function createStoriesFeature(deps: BotDeps, i18n: I18n<BotContext>, members: StaffMembers, api: Api, runDeletions: () => Promise<unknown> = async () => undefined): StoriesFeature {
  const { db, privacy, config } = deps;
  const sealer = privacy.stories;
  const needed = config.stories.approvals;
  const clock = () => (deps.clock ?? (() => new Date()))().getTime();
  const et = (key: string, vars: Record<string, string | number> = {}) => i18n.t(config.defaultLanguage, key, vars);
  const clientSide = new Composer<BotContext>();
  const editorsSide = new Composer<BotContext>();
  /** Submissions per client in the last 24 hours, in memory (like case openings): nothing kept on disk. */
  const submitted = new Map<string, number[]>();
  const recentSubmissions = (key: string) => (submitted.get(key) ?? []).filter((at) => at > clock() - DAY);

  function contentFor(lang: string): StoryContent {
    try {
      return loadStoryContent(config.contentDir, lang);
    } catch (error) {
      if (lang === config.defaultLanguage) throw error;
      return loadStoryContent(config.contentDir, config.defaultLanguage);
    }
  }

  const kindLabel = (lang: string, kind: string | null) => i18n.t(lang, `story-kind-${kind ?? 'other'}`);
  const substanceLabels = (content: StoryContent, row: StoryRow) =>
    substancesOf(row).map((id) => content.substances.find((s) => s.id === id)?.label ?? id);

  /** The card editors see (and the author sees before sending), in `lang`: parts of at most 4096 characters. */
  function card(row: StoryRow, lang: string, withOriginal = false, footer?: string): string[] {
    const content = contentFor(row.lang);
    const substances = substanceLabels(content, row);
    const head = i18n.t(lang, 'story-card', {
      number: row.number ?? '',
      kind: escapeHtml(kindLabel(lang, row.kind)),
      substances: escapeHtml(substances.join(', ') || '—'),
      lang: row.lang,
      channel: escapeHtml(row.channel ?? content.channel),
      approvals: approvalsOf(row).length,
      needed,
    });
    const blocks = [head, escapeHtml(storyText(sealer, row))];
    if (withOriginal && row.sealedEdited) blocks.push(`${et('editors-story-original')}\n${escapeHtml(originalText(sealer, row))}`);
    if (footer) blocks.push(footer);
    return splitMessage(blocks);
  }

  const approveButton = (row: StoryRow) => new InlineKeyboard().text(et('editors-story-approve-button'), `st:ap:${row.number}`);

  async function postCard(row: StoryRow, note?: string): Promise<void> {
    const parts = card(row, config.defaultLanguage, true, et('editors-story-commands', { number: row.number! }));
    if (note) await api.sendMessage(config.editorsChatId, note, HTML);
    for (const [index, part] of parts.entries()) {
      const last = index === parts.length - 1;
      const sent = await api.sendMessage(config.editorsChatId, part, {
        ...HTML,
        ...(last ? { reply_markup: approveButton(row) } : {}),
      });
      addEditorMessages(db, row.id, sent.chat.id, [sent.message_id]);
    }
  }

  /** The author took the story back: what showed its words to the editors goes too. */
  async function deleteEditorMessages(row: StoryRow): Promise<void> {
    queueDeletions(db, editorMessagesOf(row).map(({ chatId, messageId }) => ({ chatRef: privacy.encryptChatId(chatId, CHAT_REF_BINDING.deletion), messageId })));
    await runDeletions();
  }

  const toEditors = (html: string) => api.sendMessage(config.editorsChatId, html, HTML).then(() => undefined);

  /** Tells the author of a decided story, then drops the link; a chat that cannot be reached is dropped too. */
  async function tellAuthor(row: StoryRow, html: string): Promise<void> {
    const chatId = authorChat(privacy, row);
    if (chatId !== undefined) {
      try {
        await api.sendMessage(chatId, html, HTML);
      } catch (error) {
        const kind = classifyError(error).kind;
        deps.logger.warn({ reason: kind }, 'could not tell a story\'s author the decision');
        // No answer from Telegram: kept, and tried again at the next decision or start.
        if (kind === 'network' || kind === 'rate-limited') return;
      }
    }
    authorTold(db, row.id);
  }

  function decisionText(row: StoryRow): string {
    if (row.status === 'published') return i18n.t(row.lang, 'story-published', { number: row.number! });
    if (row.status === 'rejected') return i18n.t(row.lang, 'story-rejected', { number: row.number!, reason: escapeHtml(row.reason ?? '') });
    return i18n.t(row.lang, 'story-withdrawn', { number: row.number! });
  }

  async function tellUntold(): Promise<void> {
    purgeStaleDrafts(db, clock(), DRAFT_MAX_AGE_MS);
    for (const row of untoldDecisions(db)) await tellAuthor(row, decisionText(row));
  }

  // ——— the client ———

  const writingKeyboard = (ctx: BotContext) => new InlineKeyboard().text(ctx.t('story-done-button'), 'st:done').text(ctx.t('story-cancel-button'), 'st:cancel');

  async function start(ctx: BotContext): Promise<void> {
    if (!ctx.client || !ctx.chat) return;
    purgeStaleDrafts(db, clock(), DRAFT_MAX_AGE_MS);
    // A client talking to a consultant: their messages are for the consultant, never swallowed by a draft.
    if (findOpenCase(db, ctx.client.key)) return void (await ctx.reply(ctx.t('story-case-open'), HTML));
    const open = openStoriesOf(db, ctx.client.key);
    const limit = config.stories.perDay;
    if (open.length >= limit || recentSubmissions(ctx.client.key).length >= limit) {
      const keyboard = new InlineKeyboard();
      for (const row of open) keyboard.text(ctx.t('story-withdraw-button', { number: row.number! }), `st:wd:${row.number}`).row();
      await ctx.reply(ctx.t('story-limit', { count: limit }), { ...HTML, reply_markup: keyboard });
      return;
    }
    let content: StoryContent;
    try {
      content = contentFor(ctx.lang);
    } catch (error) {
      // No content/stories/ (or a broken file): the editors see why in content:check and the log.
      ctx.logger.warn({ err: error }, 'readers\' stories have no content file');
      return void (await ctx.reply(ctx.t('story-unavailable'), HTML));
    }
    ensureClient(db, privacy, ctx.client.key, ctx.chat.id);
    startDraft(db, sealer, ctx.client.key, ctx.lang, clock());
    const waiting = open.length > 0 ? `\n\n${ctx.t('story-waiting', { list: open.map((r) => r.number!).join(', ') })}` : '';
    await ctx.reply(`${ctx.t('story-intro', { limit: storyLimit(content) })}\n\n${content.rulesHtml}${waiting}`, { ...HTML, reply_markup: writingKeyboard(ctx) });
  }

  const client = clientSide.chatType('private');
  client.command('share', start);
  client.callbackQuery(/^(?:n:)?menu:share$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await start(ctx);
  });

  client.on('message', async (ctx, next) => {
    if (!ctx.client || ctx.msg.text?.startsWith('/')) return next();
    const answering = answeringStory(db, ctx.client.key);
    if (answering) {
      if (!ctx.msg.text) return void (await ctx.reply(ctx.t('story-no-media'), HTML));
      answerGiven(db, answering.id);
      const scrubbed = scrubIdentifiers(ctx.msg.text);
      const sent = await api.sendMessage(config.editorsChatId, et('editors-story-answer', { number: answering.number!, answer: escapeHtml(scrubbed.text) }), HTML);
      addEditorMessages(db, answering.id, sent.chat.id, [sent.message_id]);
      await ctx.reply(ctx.t('story-answer-sent', { number: answering.number! }), HTML);
      return;
    }
    const draft = findDraft(db, ctx.client.key);
    if (!draft || draft.status !== 'draft' || findOpenCase(db, ctx.client.key)) return next();
    // Photos, voice, video and files can show or sound like a person: stories are text only.
    if (!ctx.msg.text) return void (await ctx.reply(ctx.t('story-no-media'), { ...HTML, reply_markup: writingKeyboard(ctx) }));
    const limit = storyLimit(contentFor(draft.lang));
    const added = appendToDraft(db, sealer, draft, ctx.msg.text, limit, clock());
    if (!added.ok) return void (await ctx.reply(ctx.t('story-too-long', { room: added.room, limit }), { ...HTML, reply_markup: writingKeyboard(ctx) }));
    await ctx.reply(ctx.t('story-added', { length: added.length, limit }), { ...HTML, reply_markup: writingKeyboard(ctx) });
  });

  /** The draft of the client pressing, in the step the button belongs to. */
  async function draftOf(ctx: BotContext, status: 'draft' | 'review'): Promise<StoryRow | undefined> {
    await ctx.answerCallbackQuery();
    const draft = ctx.client && findDraft(db, ctx.client.key);
    if (draft?.status === status) return draft;
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.reply(ctx.t('story-no-draft'), HTML);
    return undefined;
  }

  const kindKeyboard = (ctx: BotContext) => {
    const keyboard = new InlineKeyboard();
    for (const kind of KINDS) keyboard.text(ctx.t(`story-kind-${kind}`), `st:kind:${kind}`).row();
    return keyboard.text(ctx.t('story-cancel-button'), 'st:cancel');
  };

  client.callbackQuery('st:done', async (ctx) => {
    const draft = await draftOf(ctx, 'draft');
    if (!draft) return;
    const text = originalText(sealer, draft).trim();
    if (!text) return void (await ctx.reply(ctx.t('story-empty'), { ...HTML, reply_markup: writingKeyboard(ctx) }));
    const scrubbed = scrubIdentifiers(text);
    finishWriting(db, sealer, draft, scrubbed.text, clock());
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    const removed = scrubbed.removed > 0 ? `${ctx.t('story-scrubbed', { count: scrubbed.removed })}\n\n` : '';
    await ctx.reply(`${removed}${ctx.t('story-choose-kind')}`, { ...HTML, reply_markup: kindKeyboard(ctx) });
  });

  const substancesKeyboard = (ctx: BotContext, row: StoryRow) => {
    const chosen = substancesOf(row);
    const keyboard = new InlineKeyboard();
    for (const s of contentFor(row.lang).substances) keyboard.text(`${chosen.includes(s.id) ? '✅ ' : ''}${s.label}`, `st:sub:${s.id}`).row();
    return keyboard.text(ctx.t(chosen.length > 0 ? 'story-substances-done' : 'story-substances-none'), 'st:subs');
  };

  client.callbackQuery(/^st:kind:(trip|services|other)$/, async (ctx) => {
    const draft = await draftOf(ctx, 'review');
    if (!draft) return;
    setKind(db, draft.id, ctx.match[1] as StoryKind);
    const row = findStory(db, draft.number!)!;
    await ctx.editMessageText(ctx.t('story-choose-substances'), { ...HTML, reply_markup: substancesKeyboard(ctx, row) }).catch(() => undefined);
  });

  client.callbackQuery(/^st:sub:([a-z0-9-]{1,24})$/, async (ctx) => {
    const draft = await draftOf(ctx, 'review');
    if (!draft || !contentFor(draft.lang).substances.some((s) => s.id === ctx.match[1])) return;
    toggleSubstance(db, draft, ctx.match[1]!);
    await ctx.editMessageReplyMarkup({ reply_markup: substancesKeyboard(ctx, findStory(db, draft.number!)!) }).catch(() => undefined);
  });

  client.callbackQuery('st:subs', async (ctx) => {
    const draft = await draftOf(ctx, 'review');
    if (!draft) return;
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    // Exactly what the editors will see: the same card, in the client's language.
    await ctx.reply(ctx.t('story-preview-intro'), HTML);
    for (const part of card(draft, ctx.lang)) await ctx.reply(part, HTML);
    const keyboard = new InlineKeyboard().text(ctx.t('story-send-button'), 'st:send').text(ctx.t('story-cancel-button'), 'st:cancel');
    await ctx.reply(ctx.t('story-confirm'), { ...HTML, reply_markup: keyboard });
  });

  client.callbackQuery('st:send', async (ctx) => {
    const draft = await draftOf(ctx, 'review');
    if (!draft || !ctx.client || !ctx.chat) return;
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    const limit = config.stories.perDay;
    if (openStoriesOf(db, ctx.client.key).length >= limit || recentSubmissions(ctx.client.key).length >= limit) {
      return void (await ctx.reply(ctx.t('story-limit', { count: limit }), HTML));
    }
    const row = submitStory(db, privacy, draft, ctx.chat.id, clock());
    if (!row) return;
    submitted.set(ctx.client.key, [...recentSubmissions(ctx.client.key), clock()]);
    await postCard(row, et('editors-story-new'));
    const keyboard = new InlineKeyboard().text(ctx.t('story-withdraw-button', { number: row.number! }), `st:wd:${row.number}`);
    await ctx.reply(ctx.t('story-sent', { number: row.number!, needed }), { ...HTML, reply_markup: keyboard });
  });

  client.callbackQuery('st:cancel', async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    const draft = ctx.client && findDraft(db, ctx.client.key);
    if (draft) deleteDraft(db, draft.id);
    await ctx.reply(ctx.t('story-cancelled'), HTML);
  });

  client.callbackQuery(/^st:wd:(S-[2-9A-Z]{4,6})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const row = findStory(db, ctx.match[1]!);
    if (!row || row.clientKey !== ctx.client?.key) return;
    const decided = decideStory(db, row.id, 'withdrawn', clock());
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    if (!decided) return void (await ctx.reply(ctx.t('story-not-open', { number: row.number! }), HTML));
    await deleteEditorMessages(findStory(db, row.number!) ?? row);
    await toEditors(et('editors-story-withdrawn', { number: row.number! }));
    await tellAuthor(decided, decisionText(decided));
  });

  client.callbackQuery(/^st:ans:(S-[2-9A-Z]{4,6})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const row = ctx.client && startAnswer(db, ctx.client.key, ctx.match[1]!);
    if (!row) return void (await ctx.reply(ctx.t('story-not-open', { number: ctx.match[1]! }), HTML));
    await ctx.reply(ctx.t('story-answer-prompt', { number: row.number! }), HTML);
  });

  // ——— the editors ———

  const editors = editorsSide.filter((ctx) => ctx.chat?.id === config.editorsChatId && !!ctx.from && !ctx.from.is_bot);

  /** Only current members of the editors chat decide about stories (membership is the permission). */
  async function isEditor(ctx: BotContext): Promise<boolean> {
    if (ctx.msg?.sender_chat) return false;
    const member = await members.isMember(config.editorsChatId, ctx.from!.id);
    if (member !== true) await ctx.reply(et('editors-story-not-member'), HTML).catch(() => undefined);
    return member === true;
  }

  /** "/story_x S-7K3Q rest…": the open story and the rest, or a reply saying why not. */
  async function storyFromCommand(ctx: BotContext, command: string, needsRest: boolean): Promise<{ row: StoryRow; rest: string } | undefined> {
    if (!(await isEditor(ctx))) return undefined;
    const raw = String(ctx.match ?? '');
    const [first = '', ...others] = raw.trim().split(/(\s+)/);
    const rest = others.join('').trim();
    const number = normalizeStoryNumber(first);
    if (!number || (needsRest && !rest)) return void (await ctx.reply(et(`editors-story-usage-${command}`), HTML));
    const row = findStory(db, number);
    if (!row || row.status === 'draft' || row.status === 'review') return void (await ctx.reply(et('editors-story-unknown', { number }), HTML));
    const inDoubtCommand = command === 'reject' || command === 'sent' || command === 'retry';
    if (row.status !== 'pending' && row.status !== 'approved' && !(inDoubtCommand && row.status === 'publishing')) {
      return void (await ctx.reply(et('editors-story-not-open', { number, status: row.status }), HTML));
    }
    return { row, rest };
  }

  editors.command('stories', async (ctx) => {
    if (!(await isEditor(ctx))) return;
    const rows = openStories(db);
    const list = rows.map((r) => `• <code>${r.number}</code> · ${escapeHtml(kindLabel(config.defaultLanguage, r.kind))} · ${r.lang} · ${approvalsOf(r).length}/${needed}`);
    await ctx.reply(rows.length > 0 ? `${et('editors-story-list')}\n${list.join('\n')}` : et('editors-story-none'), HTML);
  });

  editors.command('story', async (ctx) => {
    const found = await storyFromCommand(ctx, 'story', false);
    if (found) await postCard(found.row);
  });

  editors.command('story_edit', async (ctx) => {
    const found = await storyFromCommand(ctx, 'edit', true);
    if (!found) return;
    const limit = storyLimit(contentFor(found.row.lang));
    if (found.rest.length > limit) return void (await ctx.reply(et('editors-story-too-long', { length: found.rest.length, limit }), HTML));
    editStory(db, sealer, found.row, found.rest);
    await postCard(findStory(db, found.row.number!)!, et('editors-story-edited', { number: found.row.number! }));
  });

  editors.command('story_channel', async (ctx) => {
    const found = await storyFromCommand(ctx, 'channel', true);
    if (!found) return;
    const alias = found.rest.toLowerCase();
    if (!(alias in config.channels)) {
      return void (await ctx.reply(et('editors-story-channel-unknown', { alias: escapeHtml(alias), list: Object.keys(config.channels).join(', ') || '—' }), HTML));
    }
    setStoryChannel(db, found.row, alias);
    await postCard(findStory(db, found.row.number!)!, et('editors-story-channel-set', { number: found.row.number!, alias }));
  });

  editors.command('story_ask', async (ctx) => {
    const found = await storyFromCommand(ctx, 'ask', true);
    if (!found) return;
    const chatId = authorChat(privacy, found.row);
    if (chatId === undefined) return void (await ctx.reply(et('editors-story-no-author', { number: found.row.number! }), HTML));
    askQuestion(db, found.row.id);
    const keyboard = new InlineKeyboard().text(i18n.t(found.row.lang, 'story-answer-button'), `st:ans:${found.row.number}`);
    await api.sendMessage(chatId, i18n.t(found.row.lang, 'story-question', { number: found.row.number!, question: escapeHtml(found.rest) }), { ...HTML, reply_markup: keyboard });
    await ctx.reply(et('editors-story-asked', { number: found.row.number! }), HTML);
  });

  editors.command('story_reject', async (ctx) => {
    const found = await storyFromCommand(ctx, 'reject', true);
    if (!found) return;
    const decided = decideStory(db, found.row.id, 'rejected', clock(), found.rest);
    if (!decided) return;
    await ctx.reply(et('editors-story-rejected', { number: decided.number! }), HTML);
    await tellAuthor(decided, decisionText(decided));
  });

  async function publishApproved(ctx: BotContext, row: StoryRow): Promise<void> {
    const content = contentFor(row.lang);
    const alias = row.channel ?? content.channel;
    const target = config.channels[alias];
    if (target === undefined) {
      return void (await ctx.reply(et('editors-story-channel-unknown', { alias: escapeHtml(alias), list: Object.keys(config.channels).join(', ') || '—' }), HTML));
    }
    const html = framedStory(content, storyText(sealer, row), kindLabel(row.lang, row.kind), substanceLabels(content, row));
    if (visibleLength(html) > MESSAGE_LIMIT) {
      return void (await ctx.reply(et('editors-story-too-long', { length: visibleLength(html), limit: MESSAGE_LIMIT }), HTML));
    }
    if (!claimForPublishing(db, row.id)) return;
    const result = await publishStory(db, api, { id: row.id, number: row.number! }, html, alias, target, clock());
    if (result.status === 'refused') {
      releasePublishing(db, row.id);
      return void (await ctx.reply(et('editors-story-refused', { number: row.number!, error: escapeHtml(result.error) }), HTML));
    }
    if (result.status === 'in-doubt') return void (await ctx.reply(et('editors-story-in-doubt', { number: row.number!, channel: alias }), HTML));
    await ctx.reply(et('editors-story-published', { number: row.number!, channel: alias }), HTML);
    await tellUntold();
  }

  // After a send in doubt the editors look at the channel and say what they found.
  editors.command(['story_sent', 'story_retry'], async (ctx) => {
    const reached = ctx.message?.text?.startsWith('/story_sent') === true;
    const found = await storyFromCommand(ctx, reached ? 'sent' : 'retry', false);
    if (!found) return;
    if (!resolveInDoubt(db, { id: found.row.id, number: found.row.number! }, reached, clock())) {
      return void (await ctx.reply(et('editors-story-not-in-doubt', { number: found.row.number! }), HTML));
    }
    if (reached) {
      await ctx.reply(et('editors-story-published', { number: found.row.number!, channel: found.row.channel ?? contentFor(found.row.lang).channel }), HTML);
      return tellUntold();
    }
    await publishApproved(ctx, findStory(db, found.row.number!)!);
  });

  editors.callbackQuery(/^st:ap:(S-[2-9A-Z]{4,6})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    if (!(await isEditor(ctx))) return;
    const row = findStory(db, ctx.match[1]!);
    if (!row || (row.status !== 'pending' && row.status !== 'approved')) {
      return void (await ctx.reply(et('editors-story-not-open', { number: ctx.match[1]!, status: row?.status ?? '—' }), HTML));
    }
    // An approved story whose send Telegram refused: pressing again tries again.
    if (row.status === 'approved') return publishApproved(ctx, row);
    const approval = approveStory(db, row, ctx.from!.id, needed);
    if (approval.result === 'again') return void (await ctx.reply(et('editors-story-again', { number: row.number!, needed }), HTML));
    await ctx.reply(et('editors-story-approved-by', { number: row.number!, count: approval.count, needed }), HTML);
    if (approval.result === 'approved') await publishApproved(ctx, findStory(db, row.number!)!);
  });

  return {
    clientSide,
    editorsSide,
    tellUntold,
    forgotten: async (numbers) => {
      if (numbers.length > 0) await toEditors(et('editors-story-forgotten', { list: numbers.join(', ') })).catch(() => undefined);
    },
  };
}
