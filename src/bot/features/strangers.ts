import type { Api, MiddlewareFn } from 'grammy';
import type { Chat } from 'grammy/types';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { BotContext } from '../context.js';

/** How often configured @usernames that could not be resolved are tried again. */
const RESOLVE_AGAIN_MS = 5 * 60_000;
/** A chat just left is not left again for this long (several updates from it may be on their way). */
const LEFT_RECENTLY_MS = 10 * 60_000;

/**
 * The groups and channels the bot belongs in: every inbox (INBOXES, or STAFF_CHAT_ID), EDITORS_CHAT_ID, PARTNERS_CHAT_ID and CHANNELS. Channels
 * given as @username are resolved to their ids (a username can be given up and taken by someone
 * else's chat; an id cannot), and compared by username only until that worked.
 */
export class OwnChats {
  private readonly ids = new Set<number>();
  private readonly unresolved = new Set<string>();
  private lastResolve = Number.NEGATIVE_INFINITY;

  constructor(config: Pick<Config, 'staffChatId' | 'editorsChatId' | 'channels'> & Partial<Pick<Config, 'partnersChatId' | 'inboxes'>>) {
    this.ids.add(config.staffChatId).add(config.editorsChatId);
    for (const { chatId } of config.inboxes ?? []) this.ids.add(chatId);
    if (config.partnersChatId !== undefined) this.ids.add(config.partnersChatId);
    for (const target of Object.values(config.channels)) {
      if (typeof target === 'number') this.ids.add(target);
      else this.unresolved.add(target.replace(/^@/, '').toLowerCase());
    }
  }

  async isOwn(chat: Pick<Chat, 'id' | 'type'> & { username?: string }, api: Api, logger: Logger): Promise<boolean> {
    if (chat.type === 'private' || this.ids.has(chat.id)) return true;
    if (this.unresolved.size > 0 && performance.now() - this.lastResolve >= RESOLVE_AGAIN_MS) await this.resolve(api, logger);
    if (this.ids.has(chat.id)) return true;
    return chat.username !== undefined && this.unresolved.has(chat.username.toLowerCase());
  }

  private async resolve(api: Api, logger: Logger): Promise<void> {
    this.lastResolve = performance.now();
    for (const username of [...this.unresolved]) {
      try {
        const chat = await api.getChat(`@${username}`);
        this.ids.add(chat.id);
        this.unresolved.delete(username);
      } catch (error) {
        logger.warn({ err: error, channel: `@${username}` }, 'could not resolve a channel in CHANNELS; it is recognised by its username meanwhile');
      }
    }
  }
}

/**
 * First in line: the bot leaves any group, supergroup or channel that is not one of its own, the
 * moment it is added there or as soon as anything arrives from it (it may have been added while
 * the bot was offline), and nothing from such a chat reaches a feature. The log says which chat and
 * why, never who added the bot.
 */
export function strangersGuard(config: Config): MiddlewareFn<BotContext> {
  const own = new OwnChats(config);
  const leftAt = new Map<number, number>();
  return async (ctx, next) => {
    const chat = ctx.chat;
    if (!chat || (await own.isOwn(chat, ctx.api, ctx.logger))) return next();
    const status = ctx.myChatMember?.new_chat_member.status;
    if (status === 'left' || status === 'kicked') return; // removed from it: nothing to do
    const added = status !== undefined;
    const last = leftAt.get(chat.id);
    if (!added && last !== undefined && performance.now() - last < LEFT_RECENTLY_MS) return;
    leftAt.set(chat.id, performance.now());
    if (leftAt.size > 1_000) leftAt.delete(leftAt.keys().next().value as number);
    ctx.logger.warn(
      { chat_type: chat.type, chat_id: chat.id, reason: added ? 'the bot was added to it' : 'an update came from it' },
      'leaving a chat that is not an inbox, the editors chat, the partners chat or a configured channel',
    );
    await ctx.api.leaveChat(chat.id).catch((error: unknown) => ctx.logger.warn({ err: error, chat_id: chat.id }, 'could not leave the chat'));
  };
}
