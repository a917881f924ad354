import { EventEmitter } from 'node:events';
import { badRequest, forbidden, TG } from './errors.js';
import type { BotCommand, CallbackQuery, Chat, MemberStatus, Message, User } from './types.js';

export interface Topic {
  message_thread_id: number;
  name: string;
  icon_color: number;
  icon_custom_emoji_id?: string;
  closed: boolean;
}

/** Everything the fake knows about one chat. */
export interface ChatRecord {
  chat: Chat;
  /** The bot's own status in the chat (private chats: "member"). */
  botStatus: MemberStatus;
  /** Users' statuses; anyone missing is "left". */
  members: Map<number, MemberStatus>;
  /** Every message in the chat (users' and the bot's), edits applied, deletions removed. */
  messages: Map<number, Message>;
  botMessageIds: Set<number>;
  nextMessageId: number;
  topics: Map<number, Topic>;
  pinned: number[];
  /** Private chats: the user blocked the bot. */
  blocked: boolean;
  /** Private chats: the user has written to the bot, so the bot may write to them. */
  started: boolean;
  description?: string;
  /**
   * Groups: "Chat history for new members: Visible" and "Restrict saving content", as getChat reports
   * them (`has_visible_history`, `has_protected_content`). The simulator starts groups with the safe
   * settings (history hidden, saving restricted); a test makes them unsafe with `setGroupSettings`.
   */
  visibleHistory?: boolean;
  protectedContent?: boolean;
  menuButton?: unknown;
  /** The last reply keyboard (ReplyKeyboardMarkup/ForceReply) the bot showed; undefined once removed. */
  replyKeyboard?: unknown;
  /** Snapshots of the bot's messages as sent or edited, in order; read by `fake.nextBotMessage`. */
  feed: Message[];
  cursor: number;
}

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  filename?: string;
  data?: Buffer;
}

export interface CallbackRecord {
  query: CallbackQuery;
  answered: boolean;
  answer?: Record<string, unknown>;
}

const ACTIVE: MemberStatus[] = ['creator', 'administrator', 'member', 'restricted'];
export const isActive = (status: MemberStatus | undefined) => status !== undefined && ACTIVE.includes(status);

/**
 * The simulated Telegram: users, chats with their messages, the bot's settings. Emits
 * `bot-message` (chatId, snapshot) whenever the bot sends or edits a message.
 */
export class World extends EventEmitter {
  readonly users = new Map<number, User>();
  readonly chats = new Map<number, ChatRecord>();
  readonly callbackQueries = new Map<string, CallbackRecord>();
  /** setMyCommands, keyed by `scopeKey(scope)|language_code`. */
  readonly commands = new Map<string, BotCommand[]>();
  /** setMyName/setMyDescription/setMyShortDescription, keyed by `kind|language_code`. */
  readonly botTexts = new Map<string, string>();
  readonly files = new Map<string, StoredFile>();
  /** The bot has forum topic mode in private chats (`has_topics_enabled` in getMe). */
  privateTopics = false;
  /** Administrator rights the bot lacks, per chat id (by default an administrator has them all). */
  readonly deniedRights = new Map<number, Set<string>>();
  webhook: { url: string; params: Record<string, unknown> } = { url: '', params: {} };
  defaultMenuButton: unknown = { type: 'commands' };
  private counter = 0;
  private nextUserId = 7_000_000_001;
  private nextGroupId = 1_000_000_001;

  constructor(
    readonly bot: User,
    readonly clock: () => number,
  ) {
    super();
  }

  /** Unix time in seconds. */
  now(): number {
    return Math.floor(this.clock() / 1000);
  }

  /** A unique number for ids that only need to be unique (callback queries, polls, files). */
  unique(): number {
    return ++this.counter;
  }

  addUser(fields: Partial<User> & { first_name: string }, started = true): User {
    const id = fields.id ?? this.nextUserId++;
    if (this.users.has(id) || this.chats.has(id)) throw new Error(`fake-telegram: user ${id} exists already`);
    const { id: _id, is_bot, first_name, ...rest } = fields;
    const user: User = { id, is_bot: is_bot ?? false, first_name, ...rest };
    this.users.set(id, user);
    const chat: Chat = { id, type: 'private', first_name: user.first_name };
    if (user.last_name !== undefined) chat.last_name = user.last_name;
    if (user.username !== undefined) chat.username = user.username;
    const record = this.addChat(chat, 'member');
    record.members.set(id, 'member');
    record.started = started;
    return user;
  }

  /** Group ids count like Telegram's: supergroups and channels -100xxxxxxxxxx, basic groups negative. */
  newChatId(type: 'group' | 'supergroup' | 'channel'): number {
    const n = this.nextGroupId++;
    return type === 'group' ? -n : -(1_000_000_000_000 + n);
  }

  addChat(chat: Chat, botStatus: MemberStatus): ChatRecord {
    if (this.chats.has(chat.id)) throw new Error(`fake-telegram: chat ${chat.id} exists already`);
    const record: ChatRecord = {
      chat, botStatus, members: new Map(), messages: new Map(), botMessageIds: new Set(), nextMessageId: 1,
      topics: new Map(), pinned: [], blocked: false, started: true, feed: [], cursor: 0,
    };
    this.chats.set(chat.id, record);
    return record;
  }

  /** A chat by id (number or numeric string) or by `@username`. */
  findChat(ref: unknown): ChatRecord | undefined {
    if (typeof ref === 'number') return this.chats.get(ref);
    if (typeof ref !== 'string') return undefined;
    if (/^-?\d+$/.test(ref)) return this.chats.get(Number(ref));
    const username = ref.replace(/^@/, '').toLowerCase();
    if (!ref.startsWith('@')) return undefined;
    for (const record of this.chats.values()) {
      if (record.chat.type !== 'private' && record.chat.username?.toLowerCase() === username) return record;
    }
    return undefined;
  }

  requireChat(ref: unknown): ChatRecord {
    const record = this.findChat(ref);
    if (!record) throw badRequest(TG.chatNotFound);
    return record;
  }

  /** Throws what Telegram answers when the bot may not post in the chat. */
  assertCanPost(record: ChatRecord): void {
    const { chat, botStatus } = record;
    if (chat.type === 'private') {
      if (record.blocked) throw forbidden(TG.blocked);
      if (!record.started) throw forbidden("bot can't initiate conversation with a user");
      return;
    }
    if (botStatus === 'kicked') throw forbidden(`bot was kicked from the ${chat.type} chat`);
    if (!isActive(botStatus)) throw forbidden(`bot is not a member of the ${chat.type} chat`);
    if (chat.type === 'channel' && botStatus !== 'administrator' && botStatus !== 'creator') {
      throw badRequest('need administrator rights in the channel chat');
    }
  }

  isBotAdmin(record: ChatRecord): boolean {
    return record.chat.type === 'private' || record.botStatus === 'administrator' || record.botStatus === 'creator';
  }

  /** Whether the bot holds an administrator right (can_delete_messages, can_manage_topics…) in a group. */
  botHasRight(record: ChatRecord, right: string): boolean {
    if (record.chat.type === 'private') return true;
    if (record.botStatus === 'creator') return true;
    return record.botStatus === 'administrator' && !this.deniedRights.get(record.chat.id)?.has(right);
  }

  /** Private chats of a bot with topic mode, and forum supergroups, have topics. */
  hasTopics(record: ChatRecord): boolean {
    return (record.chat.type === 'supergroup' && record.chat.is_forum === true) || (record.chat.type === 'private' && this.privateTopics);
  }

  /** Stores a new message with the next message_id of its chat. */
  store(record: ChatRecord, fields: Partial<Message>, fromBot: boolean): Message {
    const { from, sender_chat, reply_markup, ...content } = fields;
    const message: Message = {
      message_id: record.nextMessageId++,
      ...(from ? { from } : {}),
      ...(sender_chat ? { sender_chat } : {}),
      chat: { ...record.chat },
      date: this.now(),
      ...content,
      ...(reply_markup ? { reply_markup } : {}),
    };
    record.messages.set(message.message_id, message);
    if (fromBot) {
      record.botMessageIds.add(message.message_id);
      this.publish(record, message);
    }
    return message;
  }

  /** Records a bot message as sent or edited: a snapshot goes to the chat's feed. */
  publish(record: ChatRecord, message: Message): void {
    const snapshot = structuredClone(message);
    record.feed.push(snapshot);
    this.emit('bot-message', record.chat.id, snapshot);
  }

  /** A message as it is quoted in reply_to_message / callback queries: without its own reply. */
  static quote(message: Message): Message {
    const { reply_to_message: _nested, ...rest } = structuredClone(message);
    return rest;
  }
}
