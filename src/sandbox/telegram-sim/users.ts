import { chatMember } from './handlers/chats.js';
import type { BotApiSpec } from './spec.js';
import { isActive, World, type ChatRecord } from './state.js';
import type { CallbackQuery, Chat, MemberStatus, Message, MessageEntity, Update, User } from './types.js';
import type { UpdateQueue } from './updates.js';
import { checkValue } from './validate.js';

/** What the test-side helpers act on. */
export interface Sim {
  world: World;
  updates: UpdateQueue;
  spec: BotApiSpec;
}

/** A chat given by id, `@username`, or any object with an id (a User for their private chat, a Chat). */
export type ChatRef = number | string | { id: number };

/** Where a user's message goes: their private chat by default. */
export interface Where {
  chatId?: ChatRef;
  /** Forum topic (message_thread_id) in a forum supergroup. */
  threadId?: number;
  replyTo?: Message | number;
}

export interface NewUser {
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_premium?: true;
  id?: number;
  /** Whether the user has already written to the bot, so the bot may message them (default true). */
  started?: boolean;
}

export interface NewGroup {
  title: string;
  /** Supergroups only: a forum with topics. */
  isForum?: boolean;
  /** Users who are members. */
  members?: User[];
  /** Users who are administrators (members too). */
  admins?: User[];
  username?: string;
  id?: number;
  /** The bot's status; default "administrator" (with every right). */
  botStatus?: MemberStatus;
}

export function chatOf(sim: Sim, ref: ChatRef): ChatRecord {
  const id = typeof ref === 'object' ? ref.id : ref;
  const record = sim.world.findChat(id);
  if (!record) throw new Error(`fake-telegram: no chat ${String(id)}`);
  return record;
}

export function createUser(sim: Sim, fields: NewUser): User {
  const { started, ...user } = fields;
  return structuredClone(sim.world.addUser(user, started ?? true));
}

export function createGroupChat(sim: Sim, type: 'group' | 'supergroup' | 'channel', options: NewGroup): Chat {
  const chat: Chat = { id: options.id ?? sim.world.newChatId(type), type, title: options.title };
  if (options.username !== undefined) chat.username = options.username;
  if (options.isForum) {
    if (type !== 'supergroup') throw new Error('fake-telegram: only supergroups can be forums');
    chat.is_forum = true;
  }
  const record = sim.world.addChat(chat, options.botStatus ?? 'administrator');
  for (const user of options.members ?? []) record.members.set(user.id, 'member');
  for (const user of options.admins ?? []) record.members.set(user.id, 'administrator');
  return structuredClone(chat);
}

/** bot_command entities, as Telegram detects them in users' messages. */
export function commandEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  for (const match of text.matchAll(/(?<=^|\s)\/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,32})?/g)) {
    entities.push({ type: 'bot_command', offset: match.index ?? 0, length: match[0].length });
  }
  return entities;
}

function addCommands(message: Message, field: 'text' | 'caption', entitiesField: 'entities' | 'caption_entities'): void {
  const entities = commandEntities(String(message[field]));
  if (entities.length > 0) message[entitiesField] = entities;
}

/** A message from `user`, stored in its chat and queued as a `message` update. */
export function userMessage(sim: Sim, user: User, content: Partial<Message>, where: Where = {}): Message {
  const { world } = sim;
  const record = chatOf(sim, where.chatId ?? user.id);
  const { chat } = record;
  if (chat.type === 'private' && chat.id !== user.id) throw new Error(`fake-telegram: user ${user.id} cannot write in the private chat of ${chat.id}`);
  if (chat.type === 'channel') throw new Error('fake-telegram: users do not post in channels; use pushUpdate({ channel_post })');
  if (chat.type !== 'private' && !isActive(record.members.get(user.id))) {
    throw new Error(`fake-telegram: user ${user.id} is not a member of chat ${chat.id} (use createSupergroup({ members }) or setMemberStatus)`);
  }
  if (chat.type === 'private') {
    record.started = true;
    record.blocked = false; // a user who writes to the bot has (re)started it
  }
  const fields: Partial<Message> = { from: structuredClone(user) };
  if (where.threadId !== undefined) {
    const topic = record.topics.get(where.threadId);
    if (!topic) throw new Error(`fake-telegram: chat ${chat.id} has no topic ${where.threadId}`);
    const root = record.messages.get(where.threadId);
    Object.assign(fields, { message_thread_id: where.threadId, is_topic_message: true }, root ? { reply_to_message: World.quote(root) } : {});
  }
  if (where.replyTo !== undefined) {
    const id = typeof where.replyTo === 'number' ? where.replyTo : where.replyTo.message_id;
    const replied = record.messages.get(id);
    if (!replied) throw new Error(`fake-telegram: chat ${chat.id} has no message ${id} to reply to`);
    fields.reply_to_message = World.quote(replied);
    if (replied.is_topic_message && where.threadId === undefined) Object.assign(fields, { message_thread_id: replied.message_thread_id, is_topic_message: true });
  }
  const draft: Message = { message_id: record.nextMessageId, date: world.now(), chat: { ...chat }, ...fields, ...structuredClone(content) };
  // Telegram marks /commands in users' texts and captions (grammY's bot.command() relies on it).
  if (typeof draft.text === 'string' && draft.entities === undefined) addCommands(draft, 'text', 'entities');
  if (typeof draft.caption === 'string' && draft.caption_entities === undefined) addCommands(draft, 'caption', 'caption_entities');
  const problem = checkValue(sim.spec, ['Message'], draft, 'message');
  if (problem) throw new Error(`fake-telegram: not a valid Message: ${problem}`);
  const { message_id: _id, date: _date, chat: _chat, ...rest } = draft;
  const message = world.store(record, rest, false);
  sim.updates.push({ message: structuredClone(message) });
  return structuredClone(message);
}

export function editUserMessage(sim: Sim, user: User, message: Message, text: string): Message {
  const record = chatOf(sim, message.chat.id);
  const stored = record.messages.get(message.message_id);
  if (!stored) throw new Error(`fake-telegram: message ${message.message_id} is not in chat ${message.chat.id} (deleted?)`);
  if (stored.from?.id !== user.id) throw new Error(`fake-telegram: message ${message.message_id} was not sent by user ${user.id}`);
  if (stored.text === undefined) throw new Error('fake-telegram: editUserMessage edits text messages only');
  const entities = commandEntities(text);
  const edited: Message = { ...stored, text, edit_date: sim.world.now() };
  if (entities.length > 0) edited.entities = entities;
  else delete edited.entities;
  record.messages.set(edited.message_id, edited);
  sim.updates.push({ edited_message: structuredClone(edited) });
  return structuredClone(edited);
}

function buttonsOf(message: Message | undefined): { text: string; callback_data?: string }[] {
  return (message?.reply_markup?.inline_keyboard ?? []).flat();
}

/**
 * The user presses the inline button with `data` on a bot message, as it is now (edits applied);
 * `stale: true` uses the buttons of the message object passed, as a client with an outdated view would.
 */
export function pressButton(sim: Sim, user: User, message: Message, data: string, options: { stale?: boolean } = {}): string {
  const record = chatOf(sim, message.chat.id);
  const current = record.messages.get(message.message_id);
  if (!current) throw new Error(`fake-telegram: message ${message.message_id} in chat ${message.chat.id} was deleted; its buttons cannot be pressed`);
  if (!record.botMessageIds.has(current.message_id)) throw new Error(`fake-telegram: message ${message.message_id} is not from the bot`);
  const member = isActive(record.members.get(user.id));
  if ((record.chat.type === 'group' || record.chat.type === 'supergroup') && !member) throw new Error(`fake-telegram: user ${user.id} is not in chat ${record.chat.id}`);
  if (record.chat.type === 'private' && record.chat.id !== user.id) throw new Error(`fake-telegram: user ${user.id} cannot see chat ${record.chat.id}`);
  const buttons = buttonsOf(options.stale ? message : current);
  if (!buttons.some((b) => b.callback_data === data)) {
    const shown = buttons.map((b) => `${JSON.stringify(b.text)} → ${JSON.stringify(b.callback_data ?? null)}`).join(', ');
    throw new Error(`fake-telegram: message ${message.message_id} has no button with callback_data ${JSON.stringify(data)}; it has: ${shown || 'no buttons'}`);
  }
  const query: CallbackQuery = {
    id: (4_000_000_000_000_000_000n + BigInt(sim.world.unique())).toString(),
    from: structuredClone(user),
    message: structuredClone(current),
    chat_instance: chatInstance(record.chat.id),
    data,
  };
  sim.world.callbackQueries.set(query.id, { query, answered: false });
  sim.updates.push({ callback_query: structuredClone(query) });
  return query.id;
}

export function chatInstance(chatId: number): string {
  return BigInt.asIntN(64, BigInt(chatId) * 0x9e3779b97f4a7c15n).toString();
}

/** Queues any update (its update_id is replaced unless `keepId`); callback queries in it become answerable. */
export function pushUpdate(sim: Sim, update: Record<string, unknown>, keepId = false): Update | undefined {
  const query = update.callback_query as { id?: unknown } | undefined;
  if (query && typeof query.id === 'string') {
    sim.world.callbackQueries.set(query.id, { query: structuredClone(query) as CallbackQuery, answered: false });
  }
  return sim.updates.push(structuredClone(update), keepId);
}

/** The user blocks (or unblocks) the bot: sends become 403, and the bot gets my_chat_member. */
export function setBlocked(sim: Sim, user: User, blocked: boolean): void {
  const record = chatOf(sim, user.id);
  if (record.blocked === blocked) return;
  record.blocked = blocked;
  const bot = structuredClone(sim.world.bot);
  const member = { status: 'member', user: bot };
  const kicked = { status: 'kicked', user: bot, until_date: 0 };
  sim.updates.push({
    my_chat_member: {
      chat: { ...record.chat }, from: structuredClone(user), date: sim.world.now(),
      old_chat_member: blocked ? member : kicked, new_chat_member: blocked ? kicked : member,
    },
  });
}

/** Someone adds or removes the bot (its new status in the chat); the bot gets my_chat_member. */
export function setBotStatus(sim: Sim, ref: ChatRef, status: MemberStatus, by?: User): void {
  const record = chatOf(sim, ref);
  if (record.chat.type === 'private') throw new Error('fake-telegram: in private chats, use blockBot/unblockBot');
  const old = record.botStatus;
  if (old === status) return;
  record.botStatus = status;
  const bot = sim.world.bot;
  sim.updates.push({
    my_chat_member: {
      chat: { ...record.chat },
      from: structuredClone(by ?? { id: 777000, is_bot: false, first_name: 'Telegram' }),
      date: sim.world.now(),
      old_chat_member: chatMember(sim.spec, record, bot, old),
      new_chat_member: chatMember(sim.spec, record, bot, status),
    },
  });
}
