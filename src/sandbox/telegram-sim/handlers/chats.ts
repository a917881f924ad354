import { badRequest, forbidden, TG } from '../errors.js';
import { isActive, type ChatRecord } from '../state.js';
import type { BotApiSpec } from '../spec.js';
import type { MemberStatus, User } from '../types.js';
import { complete, type CallContext, type Handler } from './context.js';

/** getChat, getChatMember(Count), getChatAdministrators, pins, leaveChat, menu button, title/description. */

const STATUS_TYPE: Record<MemberStatus, string> = {
  creator: 'ChatMemberOwner', administrator: 'ChatMemberAdministrator', member: 'ChatMemberMember',
  restricted: 'ChatMemberRestricted', left: 'ChatMemberLeft', kicked: 'ChatMemberBanned',
};

/** A ChatMember object: administrators get every right, restricted members none. */
export function chatMember(spec: BotApiSpec, record: ChatRecord, user: User, status: MemberStatus): Record<string, unknown> {
  const type = STATUS_TYPE[status];
  const member = complete(spec, type, { status, user: { ...user } }, status === 'administrator');
  if (status === 'administrator') {
    member.can_be_edited = false;
    member.is_anonymous = false;
    const channel = record.chat.type === 'channel';
    Object.assign(member, channel ? { can_post_messages: true, can_edit_messages: true } : { can_pin_messages: true });
    if (record.chat.is_forum) member.can_manage_topics = true;
  }
  if (status === 'restricted') member.is_member = true;
  return member;
}

function statusOf(ctx: CallContext, record: ChatRecord, userId: number): MemberStatus {
  if (userId === ctx.world.bot.id) return record.botStatus;
  return record.members.get(userId) ?? 'left';
}

const getChat: Handler = (ctx) => {
  const record = ctx.world.requireChat(ctx.params.chat_id);
  const { chat } = record;
  const pinnedId = record.pinned[record.pinned.length - 1];
  const pinned = pinnedId !== undefined ? record.messages.get(pinnedId) : undefined;
  return {
    ...complete(ctx.spec, 'ChatFullInfo', { ...chat }),
    accent_color_id: 0,
    max_reaction_count: 11,
    accepted_gift_types: complete(ctx.spec, 'AcceptedGiftTypes', {}),
    ...(record.description !== undefined ? { description: record.description } : {}),
    // Telegram leaves out what is false; has_visible_history only for administrators (as the bot is here).
    ...(chat.type !== 'private' && record.protectedContent !== false ? { has_protected_content: true } : {}),
    ...(chat.type !== 'private' && record.visibleHistory === true && ctx.world.isBotAdmin(record) ? { has_visible_history: true } : {}),
    ...(pinned ? { pinned_message: structuredClone(pinned) } : {}),
    ...(chat.type === 'group' || chat.type === 'supergroup'
      ? { permissions: { can_send_messages: true, can_send_polls: true, can_invite_users: true } }
      : {}),
  };
};

const getChatMember: Handler = (ctx) => {
  const record = ctx.world.requireChat(ctx.params.chat_id);
  const userId = ctx.params.user_id as number;
  const user = userId === ctx.world.bot.id ? ctx.world.bot : ctx.world.users.get(userId);
  if (!user) throw badRequest(TG.userNotFound);
  return chatMember(ctx.spec, record, user, statusOf(ctx, record, userId));
};

const getChatAdministrators: Handler = (ctx) => {
  const record = ctx.world.requireChat(ctx.params.chat_id);
  if (record.chat.type === 'private') throw badRequest('there are no administrators in the private chat');
  const admins: Record<string, unknown>[] = [];
  for (const [id, status] of record.members) {
    const user = ctx.world.users.get(id);
    if (user && (status === 'creator' || status === 'administrator')) admins.push(chatMember(ctx.spec, record, user, status));
  }
  if (ctx.world.isBotAdmin(record)) admins.push(chatMember(ctx.spec, record, ctx.world.bot, record.botStatus));
  return admins;
};

const getChatMemberCount: Handler = (ctx) => {
  const record = ctx.world.requireChat(ctx.params.chat_id);
  return [...record.members.values()].filter(isActive).length + (isActive(record.botStatus) ? 1 : 0);
};

const leaveChat: Handler = (ctx) => {
  const record = ctx.world.requireChat(ctx.params.chat_id);
  if (record.chat.type === 'private') throw badRequest('chat member status can\'t be changed in private chats');
  if (!isActive(record.botStatus)) throw forbidden(`bot is not a member of the ${record.chat.type} chat`);
  record.botStatus = 'left';
  return true;
};

function pinnable(ctx: CallContext): ChatRecord {
  const record = ctx.world.requireChat(ctx.params.chat_id);
  ctx.world.assertCanPost(record);
  if (!ctx.world.isBotAdmin(record)) throw badRequest('not enough rights to manage pinned messages in the chat');
  return record;
}

const pinChatMessage: Handler = (ctx) => {
  const record = pinnable(ctx);
  const id = ctx.params.message_id as number;
  if (!record.messages.has(id)) throw badRequest(TG.pinNotFound);
  record.pinned = [...record.pinned.filter((pinned) => pinned !== id), id];
  return true;
};

const unpinChatMessage: Handler = (ctx) => {
  const record = pinnable(ctx);
  const id = ctx.params.message_id as number | undefined;
  if (id !== undefined && !record.messages.has(id)) throw badRequest('message to unpin not found');
  record.pinned = id === undefined ? record.pinned.slice(0, -1) : record.pinned.filter((pinned) => pinned !== id);
  return true;
};

const unpinAllChatMessages: Handler = (ctx) => {
  pinnable(ctx).pinned = [];
  return true;
};

const setChatMenuButton: Handler = (ctx) => {
  const button = ctx.params.menu_button ?? { type: 'default' };
  if (ctx.params.chat_id === undefined) ctx.world.defaultMenuButton = button;
  else {
    const record = ctx.world.requireChat(ctx.params.chat_id);
    if (record.chat.type !== 'private') throw badRequest('fake-telegram: menu buttons are set for private chats only');
    record.menuButton = button;
  }
  return true;
};

const getChatMenuButton: Handler = (ctx) => {
  if (ctx.params.chat_id === undefined) return ctx.world.defaultMenuButton;
  return ctx.world.requireChat(ctx.params.chat_id).menuButton ?? ctx.world.defaultMenuButton;
};

function adminChat(ctx: CallContext): ChatRecord {
  const record = ctx.world.requireChat(ctx.params.chat_id);
  if (record.chat.type === 'private') throw badRequest("the method can't be used in private chats");
  if (!ctx.world.isBotAdmin(record)) throw badRequest('not enough rights to change chat info');
  return record;
}

const setChatTitle: Handler = (ctx) => {
  const title = String(ctx.params.title);
  if (title.length < 1 || title.length > 128) throw badRequest('chat title must be 1-128 characters');
  adminChat(ctx).chat.title = title;
  return true;
};

const setChatDescription: Handler = (ctx) => {
  const description = String(ctx.params.description ?? '');
  if (description.length > 255) throw badRequest('chat description is too long');
  adminChat(ctx).description = description;
  return true;
};

export const chatHandlers: Record<string, Handler> = {
  getChat, getChatMember, getChatAdministrators, getChatMemberCount, leaveChat, pinChatMessage, unpinChatMessage,
  unpinAllChatMessages, setChatMenuButton, getChatMenuButton, setChatTitle, setChatDescription,
};
