import { PRIORITY } from '../../relay/posts.js';
import { casesHeldIn } from '../../inbox/answer-due.js';
import { Composer } from 'grammy';
import type { ChatMember, User } from 'grammy/types';
import { escapeHtml } from '../../content/markdown.js';
import type { InboxService } from '../../inbox/service.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

export const LOCKDOWN_BUTTON = 'lockdown:on';

/** A person as Telegram shows them (staff are not anonymous to each other), escaped for HTML. */
export function staffName(user: Pick<User, 'first_name' | 'last_name' | 'username'>): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return escapeHtml(user.username ? `${name} (@${user.username})` : name);
}

const isIn = (m: ChatMember) => ['creator', 'administrator', 'member'].includes(m.status) || (m.status === 'restricted' && m.is_member);
const isAdmin = (m: ChatMember) => m.status === 'creator' || m.status === 'administrator';

type Change = 'joined' | 'left' | 'removed' | 'promoted' | 'demoted' | 'restricted' | 'unrestricted' | 'rights';

/** What happened to a member, as one or two changes (someone can join as an administrator). */
export function membershipChanges(old: ChatMember, now: ChatMember, byThemselves: boolean): Change[] {
  if (!isIn(old) && isIn(now)) return isAdmin(now) ? ['joined', 'promoted'] : ['joined'];
  if (isIn(old) && !isIn(now)) return now.status === 'kicked' || !byThemselves ? ['removed'] : ['left'];
  if (!isIn(old)) return []; // e.g. a ban lifted on someone who is not in the chat
  if (!isAdmin(old) && isAdmin(now)) return ['promoted'];
  if (isAdmin(old) && !isAdmin(now)) return now.status === 'restricted' ? ['demoted', 'restricted'] : ['demoted'];
  if (isAdmin(old)) return ['rights'];
  if (now.status === 'restricted') return ['restricted'];
  return old.status === 'restricted' ? ['unrestricted'] : [];
}

/**
 * Membership of an inbox's chat is the permission to see its cases: every change to it is announced in
 * that chat's General topic, with who made it, and a one-tap lockdown (of every inbox).
 */
export function createMembershipFeature(deps: BotDeps, inbox: InboxService): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.on('chat_member', async (ctx) => {
    const update = ctx.chatMember;
    if (!inbox.inboxes.isInbox(update.chat.id)) return;
    const member = update.new_chat_member.user;
    const byThemselves = update.from.id === member.id;
    const changes = membershipChanges(update.old_chat_member, update.new_chat_member, byThemselves);
    if (changes.length === 0) return;
    ctx.logger.info({ changes }, 'staff chat membership changed'); // who: only in the staff chat itself
    const name = staffName(member);
    const lines = changes.map((change) => inbox.st(`staff-member-${change}`, { name }));
    const how = [
      ...(byThemselves ? [] : [inbox.st('staff-member-by', { name: staffName(update.from) })]),
      ...(update.invite_link ? [inbox.st('staff-member-via-link')] : []),
    ];
    const text = `${lines.join('\n')}${how.length ? ` ${how.join(' ')}` : ''}\n\n${inbox.st('staff-member-warning')}`;
    const inboxName = inbox.inboxes.byChat(update.chat.id);
    // In the group where it happened; its 🔒 locks every inbox (see lockdown.ts).
    inbox.relay.postToTeam(
      { kind: 'general', html: text, button: { text: inbox.st('staff-lockdown-button'), data: LOCKDOWN_BUTTON } },
      { inbox: inboxName, priority: PRIORITY.words },
    );
    // Someone who can no longer see the topics cannot answer in them: their cases there go back to the queue at once.
    if (inboxName !== undefined && (changes.includes('left') || changes.includes('removed'))) {
      const held = casesHeldIn(deps.db, member.id, inboxName);
      for (const row of held) inbox.handBack(row, 'left');
      if (held.length > 0) inbox.relay.postToTeam({ kind: 'board' }, { inbox: inboxName });
    }
  });
  // Telegram tells only administrators about members: a bot demoted here can no longer see who joins.
  feature.on('my_chat_member', async (ctx) => {
    const update = ctx.myChatMember;
    if (!inbox.inboxes.isInbox(update.chat.id) || !isAdmin(update.old_chat_member) || isAdmin(update.new_chat_member)) return;
    ctx.logger.error('the bot is no longer an administrator of the staff chat: membership changes go unseen');
    if (!isIn(update.new_chat_member)) return;
    inbox.relay.postToTeam({ kind: 'general', html: inbox.st('staff-bot-not-admin', { name: staffName(update.from) }) }, { inbox: inbox.inboxes.byChat(update.chat.id), priority: PRIORITY.words });
  });
  return feature;
}
