import type { MiddlewareFn } from 'grammy';
import type { InboxService } from '../../inbox/service.js';
import { PRIORITY } from '../../relay/posts.js';
import { isMemberNow, type StaffMembers } from '../staff-members.js';
import type { BotContext } from '../context.js';

/** At most one "sent anonymously, refused" note per inbox in this long. */
export const REFUSAL_NOTE_EVERY_MS = 5 * 60_000;

/**
 * Only current members act as staff. Before any feature sees an update from an inbox's group (a
 * command, a reply in a case topic, an edit, a button such as Take), its sender must be a member of
 * that group now. Updates from anyone else (a removed member's updates still queued, a forged sender)
 * are dropped and logged by kind only. Messages sent as the group itself (an anonymous administrator)
 * or on behalf of a channel name nobody, so they are refused too, with a short note in General.
 * Membership changes (chat_member updates, join and leave messages) keep the cache current.
 */
export function staffGate(inbox: InboxService, members: StaffMembers, now: () => number = () => performance.now()): MiddlewareFn<BotContext> {
  const noted = new Map<string, number>();
  const refuse = (ctx: BotContext, reason: string) => ctx.logger.info({ reason, update: updateKind(ctx) }, 'staff update ignored');

  return async (ctx, next) => {
    const chatId = ctx.chat?.id;
    const name = inbox.inboxes.byChat(chatId);
    if (chatId === undefined || name === undefined) return next();
    if (ctx.chatMember) {
      members.note(chatId, ctx.chatMember.new_chat_member.user.id, isMemberNow(ctx.chatMember.new_chat_member));
      return next();
    }
    if (ctx.myChatMember) return next();
    const msg = ctx.msg;
    if (msg?.new_chat_members || msg?.left_chat_member) {
      // Join and leave messages: nothing for staff features to do, but the cache learns from them.
      for (const user of msg.new_chat_members ?? []) members.note(chatId, user.id, true);
      if (msg.left_chat_member) members.note(chatId, msg.left_chat_member.id, false);
      return;
    }
    const senderChat = msg?.sender_chat;
    if (senderChat) {
      refuse(ctx, senderChat.id === chatId ? 'anonymous-admin' : 'as-channel');
      const last = noted.get(name);
      if (last === undefined || now() - last >= REFUSAL_NOTE_EVERY_MS) {
        noted.set(name, now());
        inbox.relay.postToTeam({ kind: 'general', html: inbox.st('staff-sender-refused') }, { inbox: name, priority: PRIORITY.words });
      }
      return;
    }
    const from = ctx.from;
    if (!from) return void refuse(ctx, 'no-sender');
    const member = await members.isMember(chatId, from.id);
    if (member === true) return next();
    if (member === undefined) {
      refuse(ctx, 'membership-unknown');
      if (ctx.message) inbox.replyInTeam(ctx, inbox.st('staff-membership-unknown'), true);
      return;
    }
    refuse(ctx, 'not-a-member');
  };
}

function updateKind(ctx: BotContext): string {
  return Object.keys(ctx.update).find((key) => key !== 'update_id') ?? 'unknown';
}
