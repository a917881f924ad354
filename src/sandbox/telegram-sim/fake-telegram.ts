import { EventEmitter } from 'node:events';
import type { FakeBehaviour } from './handlers/index.js';
import { RateLimiter, type RateLimits } from './rate-limit.js';
import { BotApiServer } from './server.js';
import { loadSpec, type BotApiSpec } from './spec.js';
import { World, type Topic } from './state.js';
import type { BotCommand, CallbackQuery, CallRecord, Chat, MemberStatus, Message, Update, User } from './types.js';
import { UpdateQueue } from './updates.js';
import * as users from './users.js';
import { commandsKey } from './handlers/bot.js';
import type { ChatRef, NewGroup, NewUser, Where } from './users.js';

export interface FakeTelegramOptions {
  /** Bot token; the bot's user id is its numeric prefix. Default `1234567890:AAFakeTelegramTokenForEndToEndTests00`. */
  token?: string;
  /** The bot's username (default `test_help_bot`) and first name (default `Test Help Bot`). */
  botUsername?: string;
  botFirstName?: string;
  /** Where to listen; default 127.0.0.1 on a free port. */
  host?: string;
  port?: number;
  /** Refuse `&nbsp;`-like entities and bare `&` in HTML (Telegram shows them as text). Default true. */
  strictEntities?: boolean;
  /** Refuse file_ids the fake never issued nor saw in a user's message. Default false. */
  strictFileIds?: boolean;
  /** Milliseconds since the epoch for message dates (default Date.now). */
  clock?: () => number;
  /** The bot has forum topic mode enabled in private chats (`has_topics_enabled` in getMe). Default false. */
  privateTopics?: boolean;
  /** The Bot API reference JSON (default the vendored src/sandbox/telegram-sim/bot-api/bot-api-10.1.json, or FAKE_TELEGRAM_SPEC). */
  specPath?: string | URL;
}

export interface WaitOptions {
  /** Default 5000. */
  timeoutMs?: number;
}

/** Counters for a test to assert on. */
export interface FakeStats {
  calls: number;
  failed: number;
  /** Requests answered 429 by the simulated flood control. */
  rateLimited: number;
  byMethod: Record<string, number>;
  updatesDelivered: number;
}

const DEFAULT_TOKEN = '1234567890:AAFakeTelegramTokenForEndToEndTests00';

/**
 * A fake Telegram Bot API server on loopback for end-to-end tests. The real bot talks to it over
 * HTTP (`apiRoot`); it validates every call against the official reference and answers like
 * Telegram, while the test plays users (`sendText`, `pressButton`…) and reads what the bot did
 * (`nextBotMessage`, `waitForCall`, `calls`).
 *
 * ```ts
 * const fake = await FakeTelegram.start();
 * const alice = fake.createUser({ first_name: 'Alice', language_code: 'en' });
 * // start the bot with apiRoot = fake.apiRoot, token = fake.token
 * fake.sendText(alice, '/start');
 * const menu = await fake.nextBotMessage(alice.id);
 * fake.pressButton(alice, menu, 'menu:info');
 * expect(fake.failedCalls()).toEqual([]);
 * await fake.stop();
 * ```
 */
export class FakeTelegram {
  /** Every request the bot made, in order of answer. */
  readonly calls: CallRecord[] = [];
  /** The bot's own User (what getMe returns, without the capability flags). */
  readonly bot: User;
  private readonly events = new EventEmitter();
  private readonly limiter = new RateLimiter();
  private readonly sim: users.Sim;
  private server!: BotApiServer;
  private root = '';

  private constructor(
    readonly token: string,
    options: FakeTelegramOptions,
    spec: BotApiSpec,
  ) {
    const id = Number(/^(\d+):/.exec(token)?.[1]);
    if (!Number.isSafeInteger(id)) throw new Error(`fake-telegram: the token must look like "<bot id>:<secret>", got "${token}"`);
    this.bot = { id, is_bot: true, first_name: options.botFirstName ?? 'Test Help Bot', username: options.botUsername ?? 'test_help_bot' };
    const world = new World(this.bot, options.clock ?? Date.now);
    world.privateTopics = options.privateTopics ?? false;
    this.sim = { world, updates: new UpdateQueue(), spec };
    this.events.setMaxListeners(0);
    world.setMaxListeners(0);
  }

  /** Starts a fake server (127.0.0.1, free port unless given). */
  static async start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const fake = new FakeTelegram(options.token ?? DEFAULT_TOKEN, options, loadSpec(options.specPath));
    const behaviour: FakeBehaviour = { strictEntities: options.strictEntities ?? true, strictFileIds: options.strictFileIds ?? false };
    fake.server = new BotApiServer({
      token: fake.token, spec: fake.sim.spec, world: fake.sim.world, updates: fake.sim.updates, limiter: fake.limiter, behaviour,
      record: (call) => {
        fake.calls.push(call);
        fake.events.emit('call', call);
      },
    });
    fake.root = await fake.server.listen(options.host ?? '127.0.0.1', options.port ?? 0);
    return fake;
  }

  /** For grammY: `new Bot(fake.token, { client: { apiRoot: fake.apiRoot } })`. */
  get apiRoot(): string {
    return this.root;
  }

  /** Stops the server; waiting long polls end with no updates. */
  async stop(): Promise<void> {
    await this.server.close();
  }

  // ——— setting the scene ———

  /** A user with a private chat with the bot (the chat id is the user id). */
  createUser(fields: NewUser): User {
    return users.createUser(this.sim, fields);
  }

  /** A supergroup (ids -1001000000001, -1001000000002… unless `id`), optionally a forum; the bot is an administrator unless `botStatus`. */
  createSupergroup(options: NewGroup): Chat {
    return users.createGroupChat(this.sim, 'supergroup', options);
  }

  /** A basic group. */
  createGroup(options: NewGroup): Chat {
    return users.createGroupChat(this.sim, 'group', options);
  }

  /** A channel where the bot is an administrator (unless `botStatus`). */
  createChannel(options: Omit<NewGroup, 'isForum'>): Chat {
    return users.createGroupChat(this.sim, 'channel', options);
  }

  /** Sets a user's membership in a chat (`left` removes them); getChatMember reports it. */
  setMemberStatus(chat: ChatRef, user: User, status: MemberStatus): void {
    users.chatOf(this.sim, chat).members.set(user.id, status);
  }

  /**
   * A group's "Chat history for new members" (`visibleHistory`: Visible) and "Restrict saving content"
   * (`protectedContent`), as getChat reports them; groups start with history hidden and saving restricted.
   */
  setGroupSettings(chat: ChatRef, settings: { visibleHistory?: boolean; protectedContent?: boolean }): void {
    const record = users.chatOf(this.sim, chat);
    if (settings.visibleHistory !== undefined) record.visibleHistory = settings.visibleHistory;
    if (settings.protectedContent !== undefined) record.protectedContent = settings.protectedContent;
  }

  /** The bot is removed from a group or channel (`left`, or `kicked`): posting there fails with 403; the bot gets my_chat_member. */
  removeBotFromChat(chat: ChatRef, status: 'left' | 'kicked' = 'left', by?: User): void {
    users.setBotStatus(this.sim, chat, status, by);
  }

  /** The bot is (re-)added to a group or channel, as an administrator unless `status` says otherwise. */
  addBotToChat(chat: ChatRef, status: 'administrator' | 'member' = 'administrator', by?: User): void {
    users.setBotStatus(this.sim, chat, status, by);
  }

  /** The user blocks the bot: every call to their chat answers 403 "bot was blocked by the user" (the bot also gets my_chat_member). */
  /** Takes an administrator right (e.g. can_delete_messages) from the bot in a group, or gives it back. */
  setBotRight(chat: ChatRef, right: string, granted: boolean): void {
    const id = users.chatOf(this.sim, chat).chat.id;
    const denied = this.sim.world.deniedRights.get(id) ?? new Set<string>();
    if (granted) denied.delete(right);
    else denied.add(right);
    this.sim.world.deniedRights.set(id, denied);
  }

  blockBot(user: User): void {
    users.setBlocked(this.sim, user, true);
  }

  unblockBot(user: User): void {
    users.setBlocked(this.sim, user, false);
  }

  /** Simulated flood control, off by default; `{}` turns it off again. */
  setRateLimits(limits: RateLimits): void {
    this.limiter.set(limits);
  }

  // ——— acting as users ———

  /** The user sends a text (a `/command` gets its bot_command entity); returns the stored Message. */
  sendText(user: User, text: string, where?: Where): Message {
    return users.userMessage(this.sim, user, { text }, where);
  }

  /**
   * The user sends any message content (`{ sticker }`, `{ voice }`, `{ photo, caption }`, `{ location }`…);
   * envelope fields are filled in (bot_command entities too, unless `entities` is given) and the
   * result is checked against the reference's Message type.
   */
  sendMessage(user: User, content: Partial<Message>, where?: Where): Message {
    return users.userMessage(this.sim, user, content, where);
  }

  /** The user edits their text message; the bot gets `edited_message`. */
  editUserMessage(user: User, message: Message, text: string): Message {
    return users.editUserMessage(this.sim, user, message, text);
  }

  /**
   * The user presses the inline button with this callback_data on a bot message. Throws if the
   * message (as it is now) has no such button. Returns the callback query id.
   */
  pressButton(user: User, message: Message, data: string, options?: { stale?: boolean }): string {
    return users.pressButton(this.sim, user, message, data, options);
  }

  /**
   * Queues any update as is, for robustness tests. Its update_id is replaced by the next one unless
   * `keepId`. Returns the queued update, or undefined if allowed_updates excludes its type.
   */
  pushUpdate(update: Record<string, unknown>, options: { keepId?: boolean } = {}): Update | undefined {
    return users.pushUpdate(this.sim, update, options.keepId);
  }

  // ——— observing the bot ———

  /** Calls `listener` with every call as it is answered (for benchmarks timing arrivals); returns an unsubscribe. */
  onCall(listener: (call: CallRecord) => void): () => void {
    this.events.on('call', listener);
    return () => this.events.off('call', listener);
  }

  /**
   * The first call of `method` (from index `since` of `calls`, default 0) for which `predicate`
   * holds, waiting for it if needed. Rejects after `timeoutMs` listing the recent calls.
   */
  async waitForCall(
    method: string,
    predicate: (call: CallRecord) => boolean = () => true,
    options: WaitOptions & { since?: number } = {},
  ): Promise<CallRecord> {
    const matches = (call: CallRecord) => call.method === method && predicate(call);
    const found = this.calls.slice(options.since ?? 0).find(matches);
    if (found) return found;
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const onCall = (call: CallRecord) => {
        if (!matches(call)) return;
        clearTimeout(timer);
        this.events.off('call', onCall);
        resolve(call);
      };
      const timer = setTimeout(() => {
        this.events.off('call', onCall);
        reject(new Error(`waitForCall(${method}): no matching call within ${timeoutMs} ms.\n${this.diagnostics()}`));
      }, timeoutMs);
      this.events.on('call', onCall);
    });
  }

  /**
   * The next message the bot sent or edited in this chat, reading the conversation in order: each
   * chat keeps a cursor, so every sent or edited message is returned once, as it was at that moment.
   */
  async nextBotMessage(chat: ChatRef, options: WaitOptions = {}): Promise<Message> {
    const record = users.chatOf(this.sim, chat);
    const { world } = this.sim;
    const take = () => (record.cursor < record.feed.length ? structuredClone(record.feed[record.cursor++]!) : undefined);
    const ready = take();
    if (ready) return ready;
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const onMessage = (chatId: number) => {
        if (chatId !== record.chat.id) return;
        const next = take();
        if (!next) return;
        clearTimeout(timer);
        world.off('bot-message', onMessage);
        resolve(next);
      };
      const timer = setTimeout(() => {
        world.off('bot-message', onMessage);
        reject(new Error(`nextBotMessage(${record.chat.id}): the bot sent or edited nothing new in this chat within ${timeoutMs} ms.\n${this.diagnostics()}`));
      }, timeoutMs);
      world.on('bot-message', onMessage);
    });
  }

  /** The bot's messages in the chat as they are now (edits applied, deleted ones gone), oldest first. */
  botMessages(chat: ChatRef): Message[] {
    const record = users.chatOf(this.sim, chat);
    return [...record.messages.values()].filter((m) => record.botMessageIds.has(m.message_id)).map((m) => structuredClone(m));
  }

  /** Every message in the chat (users', the bot's, service messages) as it is now, oldest first. */
  messages(chat: ChatRef): Message[] {
    return [...users.chatOf(this.sim, chat).messages.values()].map((m) => structuredClone(m));
  }

  /** The chat as the fake sees it: the Chat object, topics, pinned ids, the reply keyboard shown, the menu button. */
  chat(chat: ChatRef): { chat: Chat; topics: Topic[]; pinned: number[]; replyKeyboard?: unknown; menuButton?: unknown; blocked: boolean } {
    const record = users.chatOf(this.sim, chat);
    return structuredClone({
      chat: record.chat, topics: [...record.topics.values()], pinned: record.pinned, blocked: record.blocked,
      ...(record.replyKeyboard !== undefined ? { replyKeyboard: record.replyKeyboard } : {}),
      ...(record.menuButton !== undefined ? { menuButton: record.menuButton } : {}),
    });
  }

  /** Calls answered with ok: false (e2e tests expect none); `ignoreRateLimits` leaves out 429s. */
  failedCalls(options: { ignoreRateLimits?: boolean } = {}): CallRecord[] {
    return this.calls.filter((c) => !c.ok && !(options.ignoreRateLimits && c.error?.error_code === 429));
  }

  /** The commands setMyCommands stored for exactly this scope and language (default scope, no language by default). */
  commands(options: { scope?: { type: string; chat_id?: number | string; user_id?: number }; language_code?: string } = {}): BotCommand[] {
    return structuredClone(this.sim.world.commands.get(commandsKey(this.sim.world, options.scope, options.language_code)) ?? []);
  }

  /** What setMyName/setMyDescription/setMyShortDescription stored for a language ('' = default). */
  botText(kind: 'name' | 'description' | 'short_description', language_code = ''): string | undefined {
    return this.sim.world.botTexts.get(`${kind}|${language_code}`);
  }

  /** Updates the bot has not confirmed yet (getUpdates with a higher offset). */
  updatesPending(): Update[] {
    return structuredClone(this.sim.updates.unconfirmed());
  }

  /** Updates dropped because the bot's allowed_updates excluded their type. */
  droppedUpdates(): Update[] {
    return structuredClone(this.sim.updates.dropped);
  }

  /** Callback queries (from pressButton or pushUpdate) the bot has not answered with answerCallbackQuery. */
  unansweredCallbackQueries(): CallbackQuery[] {
    return [...this.sim.world.callbackQueries.values()].filter((q) => !q.answered).map((q) => structuredClone(q.query));
  }

  /** The parameters of the answerCallbackQuery that answered this query, if any. */
  callbackAnswer(queryId: string): Record<string, unknown> | undefined {
    return structuredClone(this.sim.world.callbackQueries.get(queryId)?.answer);
  }

  get stats(): FakeStats {
    const byMethod: Record<string, number> = {};
    for (const call of this.calls) byMethod[call.method] = (byMethod[call.method] ?? 0) + 1;
    return {
      calls: this.calls.length,
      failed: this.failedCalls().length,
      rateLimited: this.calls.filter((c) => c.error?.error_code === 429).length,
      byMethod,
      updatesDelivered: this.sim.updates.delivered,
    };
  }

  /** Recent calls and queue state, for timeout messages. */
  private diagnostics(): string {
    const recent = this.calls.filter((c) => c.method !== 'getUpdates').slice(-15);
    const lines = recent.map((c) => {
      const params = JSON.stringify(c.params);
      const shown = params.length > 160 ? `${params.slice(0, 157)}...` : params;
      return c.ok ? `  ok   ${c.method} ${shown}` : `  FAIL ${c.method} ${shown}\n       → ${c.error?.error_code} ${c.error?.description}`;
    });
    const polls = this.calls.filter((c) => c.method === 'getUpdates').length;
    const pending = this.sim.updates.unconfirmed().length;
    return [
      `Recent calls (${this.calls.length} in all, ${polls} getUpdates):`,
      ...(lines.length > 0 ? lines : ['  (none)']),
      `Updates not yet confirmed by the bot: ${pending}${pending > 0 && polls === 0 ? ' — is the bot polling this server?' : ''}`,
      ...(this.sim.updates.dropped.length > 0 ? [`Updates dropped by allowed_updates: ${this.sim.updates.dropped.length}`] : []),
    ].join('\n');
  }
}
