import { badRequest, TG } from '../errors.js';
import { checkInlineKeyboard, isInlineKeyboard, storedMarkup } from '../keyboard.js';
import { World, type ChatRecord } from '../state.js';
import type { Message } from '../types.js';
import { isPlainObject } from '../validate.js';
import type { CallContext } from './context.js';

/** Where a new bot message goes, and the fields every such message carries. */
export interface Target {
  record: ChatRecord;
  base: Partial<Message>;
  /** Reply keyboard change to apply once the message is stored (`null`: removed). */
  replyKeyboard?: unknown;
}

interface ReplyParameters {
  message_id: number;
  chat_id?: number | string;
  allow_sending_without_reply?: boolean;
  quote?: string;
}

/**
 * Resolves chat_id, checks the bot may post there, and works out thread, reply and markup
 * (message_thread_id, reply_parameters, reply_markup, protect_content) the way Telegram does.
 */
export function prepareTarget(ctx: CallContext): Target {
  const { world, params } = ctx;
  const record = world.requireChat(params.chat_id);
  world.assertCanPost(record);
  const base: Partial<Message> = record.chat.type === 'channel' ? { sender_chat: { ...record.chat } } : { from: { ...world.bot } };

  const reply = params.reply_parameters as ReplyParameters | undefined;
  const replied = reply ? findReplied(world, record, reply) : undefined;
  const repliedInTopic = replied?.record === record && replied.message.is_topic_message ? replied.message.message_thread_id : undefined;
  Object.assign(base, threadFields(world, record, (params.message_thread_id as number | undefined) ?? repliedInTopic));
  if (replied && replied.record === record) base.reply_to_message = World.quote(replied.message);
  else if (replied) base.external_reply = { origin: originOf(replied.message), chat: { ...replied.record.chat }, message_id: replied.message.message_id };
  if (reply?.quote !== undefined) base.quote = { text: reply.quote, position: 0, is_manual: true };

  if (params.protect_content === true) base.has_protected_content = true;
  if (typeof params.message_effect_id === 'string') base.effect_id = params.message_effect_id;

  const target: Target = { record, base };
  const markup = params.reply_markup;
  if (isInlineKeyboard(markup)) {
    checkInlineKeyboard(markup, ctx.spec);
    const stored = storedMarkup(markup);
    if (stored) base.reply_markup = stored;
  } else if (isPlainObject(markup)) {
    target.replyKeyboard = markup.remove_keyboard === true ? null : structuredClone(markup);
  }
  return target;
}

/** Stores the bot's new message in the target chat and returns it as the API answers it. */
export function deliver(ctx: CallContext, target: Target, content: Partial<Message>): Message {
  const message = ctx.world.store(target.record, { ...structuredClone(target.base), ...content }, true);
  if (target.replyKeyboard === null) delete target.record.replyKeyboard;
  else if (target.replyKeyboard !== undefined) target.record.replyKeyboard = target.replyKeyboard;
  return structuredClone(message);
}

function findReplied(world: World, record: ChatRecord, reply: ReplyParameters) {
  const source = reply.chat_id !== undefined ? world.requireChat(reply.chat_id) : record;
  const message = source.messages.get(reply.message_id);
  if (message) return { record: source, message };
  if (reply.allow_sending_without_reply) return undefined;
  throw badRequest(TG.replyNotFound);
}

/** message_thread_id in forum topics (with the topic's opening message as reply_to_message) or reply threads. */
export function threadFields(world: World, record: ChatRecord, threadId: number | undefined): Partial<Message> {
  if (threadId === undefined) return {};
  const { chat } = record;
  if (world.hasTopics(record)) {
    const topic = record.topics.get(threadId);
    if (!topic) throw badRequest(TG.threadNotFound);
    if (topic.closed && !world.isBotAdmin(record)) throw badRequest(TG.topicClosed);
    const root = record.messages.get(threadId);
    return { message_thread_id: threadId, is_topic_message: true, ...(root ? { reply_to_message: World.quote(root) } : {}) };
  }
  if (chat.type === 'supergroup' && record.messages.has(threadId)) return { message_thread_id: threadId };
  throw badRequest(TG.threadNotFound);
}

/** MessageOrigin of a message, for forwards and replies to other chats. */
export function originOf(message: Message): Record<string, unknown> {
  if (message.chat.type === 'channel') {
    return { type: 'channel', date: message.date, chat: { ...message.chat }, message_id: message.message_id };
  }
  if (message.sender_chat) return { type: 'chat', date: message.date, sender_chat: { ...message.sender_chat } };
  if (message.from) return { type: 'user', date: message.date, sender_user: { ...message.from } };
  return { type: 'hidden_user', date: message.date, sender_user_name: 'Hidden' };
}
