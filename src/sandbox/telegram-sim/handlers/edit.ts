import { badRequest, forbidden, TG } from '../errors.js';
import { formatText, MESSAGE_TEXT } from '../formatted-text.js';
import { checkInlineKeyboard, isInlineKeyboard, storedMarkup } from '../keyboard.js';
import type { ChatRecord } from '../state.js';
import type { Message, MessageEntity } from '../types.js';
import type { CallContext, Handler } from './context.js';
import { captionFields, mediaContent, resolveFile } from './media.js';

/** editMessageText, editMessageCaption, editMessageReplyMarkup, editMessageMedia, deleteMessage(s). */

const MEDIA_KEYS = ['photo', 'video', 'document', 'animation', 'audio', 'voice', 'video_note', 'sticker'] as const;
const CAPTION_KEYS = ['caption', 'caption_entities', 'show_caption_above_media', 'has_media_spoiler'] as const;

function editable(ctx: CallContext): { record: ChatRecord; message: Message } {
  const { params, world } = ctx;
  if (params.inline_message_id !== undefined) throw badRequest('fake-telegram: inline messages are not simulated');
  if (params.chat_id === undefined) throw badRequest('chat_id is empty');
  if (params.message_id === undefined) throw badRequest('message identifier is not specified');
  const record = world.requireChat(params.chat_id);
  if (record.chat.type === 'private' && record.blocked) throw forbidden(TG.blocked);
  const message = record.messages.get(params.message_id as number);
  if (!message) throw badRequest(TG.editNotFound);
  if (!record.botMessageIds.has(message.message_id)) throw badRequest(TG.cantEdit);
  return { record, message };
}

/** The new inline keyboard: as given, or none when omitted (Telegram removes it then). */
function newMarkup(ctx: CallContext): Partial<Message> {
  const markup = ctx.params.reply_markup;
  if (isInlineKeyboard(markup)) checkInlineKeyboard(markup, ctx.spec);
  const stored = storedMarkup(markup);
  return stored ? { reply_markup: stored } : {};
}

/** Sorted-keys JSON, so that two messages compare equal whatever order their fields were set in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v);
}

/** Replaces the fields `keys` of the message with `changes`; refuses an edit that changes nothing. */
function applyEdit(ctx: CallContext, record: ChatRecord, message: Message, keys: readonly string[], changes: Partial<Message>): Message {
  const next: Message = { ...message };
  for (const key of [...keys, 'reply_markup']) delete next[key];
  Object.assign(next, changes);
  const { edit_date: _a, ...before } = message;
  const { edit_date: _b, ...after } = next;
  if (canonical(before) === canonical(after)) throw badRequest(TG.notModified);
  next.edit_date = ctx.world.now();
  record.messages.set(next.message_id, next);
  ctx.world.publish(record, next);
  return structuredClone(next);
}

const editMessageText: Handler = (ctx) => {
  const { params } = ctx;
  if (params.rich_message !== undefined) throw badRequest('fake-telegram: rich_message is not simulated');
  const { record, message } = editable(ctx);
  if (message.text === undefined) throw badRequest(TG.noTextToEdit);
  const text = formatText(String(params.text ?? ''), params.parse_mode, params.entities as MessageEntity[] | undefined,
    MESSAGE_TEXT, { strictEntities: ctx.behaviour.strictEntities });
  const preview = params.link_preview_options ? { link_preview_options: params.link_preview_options } : {};
  return applyEdit(ctx, record, message, ['text', 'entities', 'link_preview_options'], { ...text, ...preview, ...newMarkup(ctx) });
};

const editMessageCaption: Handler = (ctx) => {
  const { record, message } = editable(ctx);
  if (!MEDIA_KEYS.some((key) => message[key] !== undefined)) throw badRequest(TG.noCaptionToEdit);
  const caption = captionFields(ctx, ctx.params);
  if (message.has_media_spoiler) caption.has_media_spoiler = true;
  return applyEdit(ctx, record, message, CAPTION_KEYS, { ...caption, ...newMarkup(ctx) });
};

const editMessageReplyMarkup: Handler = (ctx) => {
  const { record, message } = editable(ctx);
  return applyEdit(ctx, record, message, [], newMarkup(ctx));
};

const editMessageMedia: Handler = (ctx) => {
  const { record, message } = editable(ctx);
  if (!MEDIA_KEYS.some((key) => message[key] !== undefined)) throw badRequest("fake-telegram: there is no media in the message to edit");
  const media = ctx.params.media as { type: string; media: string; [field: string]: unknown };
  const file = resolveFile(ctx, media.media, media.type);
  const content = { ...mediaContent(media.type, file, media), ...captionFields(ctx, media), ...newMarkup(ctx) };
  return applyEdit(ctx, record, message, [...MEDIA_KEYS, ...CAPTION_KEYS], content);
};

const DELETE_WINDOW_SECONDS = 48 * 3600;
const DICE_KEPT_SECONDS = 24 * 3600;

/**
 * Why Telegram would refuse to delete this message, or undefined if it may go: the 48-hour window (except
 * for a supergroup/channel administrator with can_delete_messages), topic-creation service messages, and who
 * may delete whose messages (bots delete their own messages anywhere, and incoming ones in private chats).
 */
function refusal(ctx: CallContext, record: ChatRecord, message: Message): string | undefined {
  const { world } = ctx;
  const own = record.botMessageIds.has(message.message_id);
  const type = record.chat.type;
  const deletesAny = type === 'private' || (type === 'group' && world.isBotAdmin(record)) ||
    ((type === 'supergroup' || type === 'channel') && world.botHasRight(record, 'can_delete_messages'));
  if (!own && !deletesAny) return TG.cantDelete;
  if (message.forum_topic_created !== undefined) return TG.cantDelete;
  const privileged = (type === 'supergroup' || type === 'channel') && world.botHasRight(record, 'can_delete_messages');
  if (!privileged && world.now() - message.date >= DELETE_WINDOW_SECONDS) return "message can't be deleted for everyone";
  // A dice (its result is the point of it) cannot be deleted in a private chat for a day after it was sent.
  if (type === 'private' && message.dice !== undefined && world.now() - message.date < DICE_KEPT_SECONDS) return "message can't be deleted";
  return undefined;
}

function remove(ctx: CallContext, record: ChatRecord, id: number, missing: 'throw' | 'skip'): void {
  const message = record.messages.get(id);
  const refused = message ? refusal(ctx, record, message) : TG.deleteNotFound;
  if (refused) {
    if (missing === 'throw') throw badRequest(refused);
    return;
  }
  record.messages.delete(id);
  record.botMessageIds.delete(id);
  record.pinned = record.pinned.filter((pinned) => pinned !== id);
}

const deleteMessage: Handler = (ctx) => {
  remove(ctx, ctx.world.requireChat(ctx.params.chat_id), ctx.params.message_id as number, 'throw');
  return true;
};

/**
 * Like Telegram: messages that cannot be found are skipped, but one that is there and cannot be deleted
 * (past 48 hours, a dice younger than a day, someone else's without the right) refuses the whole batch,
 * and then none of it is deleted.
 */
const deleteMessages: Handler = (ctx) => {
  const record = ctx.world.requireChat(ctx.params.chat_id);
  const ids = ctx.params.message_ids as number[];
  if (ids.length < 1 || ids.length > 100) throw badRequest(`message_ids must list 1-100 messages, got ${ids.length}`);
  for (const id of ids) {
    const message = record.messages.get(id);
    const refused = message && refusal(ctx, record, message);
    if (refused) throw badRequest(refused);
  }
  for (const id of ids) remove(ctx, record, id, 'skip');
  return true;
};

export const editHandlers: Record<string, Handler> = {
  editMessageText, editMessageCaption, editMessageReplyMarkup, editMessageMedia, deleteMessage, deleteMessages,
};
