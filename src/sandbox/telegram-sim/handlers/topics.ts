import { badRequest, TG } from '../errors.js';
import type { ChatRecord, Topic } from '../state.js';
import type { CallContext, Handler } from './context.js';

/** Forum topics: create/edit/close/reopen/delete. A topic's id is the id of its opening service message. */

export const TOPIC_COLORS = [7322096, 16766590, 13338331, 9367192, 16749490, 16478047];

/** A forum supergroup (the bot needs can_manage_topics), or a private chat of a bot with topic mode enabled. */
function forum(ctx: CallContext, right = 'can_manage_topics'): ChatRecord {
  const record = ctx.world.requireChat(ctx.params.chat_id);
  if (!ctx.world.hasTopics(record)) throw badRequest(TG.notAForum);
  ctx.world.assertCanPost(record);
  if (!ctx.world.botHasRight(record, right)) {
    throw badRequest(right === 'can_delete_messages' ? 'not enough rights to delete a topic' : 'not enough rights to manage topics in the chat');
  }
  return record;
}

function topic(ctx: CallContext, right?: string): { record: ChatRecord; topic: Topic } {
  const record = forum(ctx, right);
  const found = record.topics.get(ctx.params.message_thread_id as number);
  if (!found) throw badRequest(TG.topicIdInvalid);
  return { record, topic: found };
}

/** A service message in the topic, as Telegram posts for each topic event. */
function serviceMessage(ctx: CallContext, record: ChatRecord, threadId: number, fields: Record<string, unknown>) {
  return ctx.world.store(record, { from: { ...ctx.world.bot }, message_thread_id: threadId, is_topic_message: true, ...fields }, false);
}

function checkName(name: string): void {
  if (name.trim().length === 0) throw badRequest('TOPIC_TITLE_EMPTY');
  if (name.length > 128) throw badRequest('fake-telegram: topic name must be 1-128 characters');
}

const createForumTopic: Handler = (ctx) => {
  const record = forum(ctx);
  const name = String(ctx.params.name);
  checkName(name);
  const color = (ctx.params.icon_color as number | undefined) ?? TOPIC_COLORS[0]!;
  if (!TOPIC_COLORS.includes(color)) throw badRequest(`fake-telegram: icon_color must be one of ${TOPIC_COLORS.join(', ')}`);
  const emoji = ctx.params.icon_custom_emoji_id as string | undefined;
  const created = { name, icon_color: color, ...(emoji ? { icon_custom_emoji_id: emoji } : {}) };
  const message = ctx.world.store(record, { from: { ...ctx.world.bot }, is_topic_message: true, forum_topic_created: created }, false);
  message.message_thread_id = message.message_id;
  const result: Topic = { message_thread_id: message.message_id, ...created, closed: false };
  record.topics.set(result.message_thread_id, result);
  const { closed: _closed, ...forumTopic } = result;
  return forumTopic;
};

const editForumTopic: Handler = (ctx) => {
  const { record, topic: found } = topic(ctx);
  const name = ctx.params.name as string | undefined;
  const emoji = ctx.params.icon_custom_emoji_id as string | undefined;
  if (name !== undefined) checkName(name);
  const changed = (name !== undefined && name !== found.name) || (emoji !== undefined && emoji !== (found.icon_custom_emoji_id ?? ''));
  if (!changed) throw badRequest(TG.topicNotModified);
  if (name !== undefined) found.name = name;
  if (emoji !== undefined) {
    if (emoji === '') delete found.icon_custom_emoji_id;
    else found.icon_custom_emoji_id = emoji;
  }
  serviceMessage(ctx, record, found.message_thread_id, {
    forum_topic_edited: { ...(name !== undefined ? { name } : {}), ...(emoji !== undefined ? { icon_custom_emoji_id: emoji } : {}) },
  });
  return true;
};

function setClosed(closed: boolean): Handler {
  return (ctx) => {
    const { record, topic: found } = topic(ctx);
    if (found.closed === closed) throw badRequest(TG.topicNotModified);
    found.closed = closed;
    serviceMessage(ctx, record, found.message_thread_id, closed ? { forum_topic_closed: {} } : { forum_topic_reopened: {} });
    return true;
  };
}

/** Deletes the topic with every message in it, at any age (supergroups: needs can_delete_messages). */
const deleteForumTopic: Handler = (ctx) => {
  const { record, topic: found } = topic(ctx, 'can_delete_messages');
  record.topics.delete(found.message_thread_id);
  for (const [id, message] of record.messages) {
    if (message.message_thread_id !== found.message_thread_id) continue;
    record.messages.delete(id);
    record.botMessageIds.delete(id);
  }
  record.pinned = record.pinned.filter((id) => record.messages.has(id));
  return true;
};

const unpinAllForumTopicMessages: Handler = (ctx) => {
  const { record, topic: found } = topic(ctx);
  record.pinned = record.pinned.filter((id) => record.messages.get(id)?.message_thread_id !== found.message_thread_id);
  return true;
};

export const topicHandlers: Record<string, Handler> = {
  createForumTopic, editForumTopic, closeForumTopic: setClosed(true), reopenForumTopic: setClosed(false),
  deleteForumTopic, unpinAllForumTopicMessages,
};
