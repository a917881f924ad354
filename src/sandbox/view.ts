import { renderText, type TextEntity } from './render.js';
import type { Scene } from './scene.js';
import type { Message } from './telegram-sim/index.js';
import type { TrainingView } from './training/runner.js';

/**
 * What the page shows, computed from the simulator's state after every change. Message bodies are
 * rendered to HTML here (escaped, see render.ts); every other string is plain text that the page
 * puts into the document with textContent.
 */
export interface ViewButton {
  text: string;
  data?: string;
  url?: string;
}

export interface ViewMessage {
  id: number;
  fromBot: boolean;
  author: string;
  /** The text or caption, as escaped HTML. */
  html: string;
  /** What the message carries besides text, e.g. "🎤 voice note". */
  media?: string;
  /** A service message (topic created, closed…), shown centred. */
  service?: string;
  buttons: ViewButton[][];
  protected: boolean;
  edited: boolean;
  date: number;
  threadId?: number;
  /** The start of the message it replies to. */
  replyTo?: string;
  album?: string;
}

export interface ViewTopic {
  id: number;
  name: string;
  color: string;
  closed: boolean;
}

export interface View {
  bot: string;
  clients: { id: number; name: string; language: string; messages: ViewMessage[]; keyboard: string[][] }[];
  /** `consultants[].private`: their own private chat with the bot (check-ins after urgent cases). */
  team: { id: number; title: string; consultants: { id: number; name: string; private: ViewMessage[] }[]; topics: ViewTopic[]; messages: ViewMessage[] };
  editors: { id: number; title: string; messages: ViewMessage[] };
  channels: { id: number; title: string; username: string; messages: ViewMessage[] }[];
  training?: TrainingView;
}

function mediaOf(m: Message): string | undefined {
  if (m.photo) return '🖼 photo';
  if (m.voice) return '🎤 voice note (a file here: the sandbox does not play it)';
  if (m.video_note) return '⏺ video note';
  if (m.video) return '🎬 video';
  if (m.animation) return '🎞 GIF';
  if (m.audio) return '🎵 audio';
  if (m.sticker) return `sticker ${typeof m.sticker.emoji === 'string' ? m.sticker.emoji : ''}`.trim();
  if (m.document) return `📄 ${typeof m.document.file_name === 'string' ? m.document.file_name : 'file'}`;
  if (m.location) return '📍 location';
  if (m.contact) return '👤 contact';
  if (m.poll) return `📊 poll: ${m.poll.question}`;
  return undefined;
}

function serviceOf(m: Message): string | undefined {
  const created = m.forum_topic_created as { name?: string } | undefined;
  if (created) return `Topic created: ${created.name ?? ''}`;
  const edited = m.forum_topic_edited as { name?: string } | undefined;
  if (edited) return edited.name ? `Topic renamed: ${edited.name}` : 'Topic edited';
  if (m.forum_topic_closed) return 'Topic closed';
  if (m.forum_topic_reopened) return 'Topic reopened';
  if (m.pinned_message) return 'Message pinned';
  return undefined;
}

function buttonsOf(m: Message): ViewButton[][] {
  return (m.reply_markup?.inline_keyboard ?? []).map((row) =>
    row.map((b) => ({ text: b.text, ...(b.callback_data !== undefined ? { data: b.callback_data } : {}), ...(typeof b.url === 'string' ? { url: b.url } : {}) })),
  );
}

function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

export function viewMessage(m: Message, botId: number): ViewMessage {
  const text = m.text ?? m.caption ?? '';
  const entities = (m.text !== undefined ? m.entities : m.caption_entities) as TextEntity[] | undefined;
  const reply = m.reply_to_message;
  const media = mediaOf(m);
  const service = serviceOf(m);
  return {
    id: m.message_id,
    fromBot: m.from?.id === botId,
    author: m.from?.first_name ?? m.sender_chat?.title ?? m.chat.title ?? '',
    html: renderText(text, entities ?? []),
    ...(media ? { media } : {}),
    ...(service ? { service } : {}),
    buttons: buttonsOf(m),
    protected: m.has_protected_content === true,
    edited: m.edit_date !== undefined,
    date: m.date,
    ...(m.message_thread_id !== undefined && m.is_topic_message ? { threadId: m.message_thread_id } : {}),
    // In a topic every message "replies" to the topic's first message; only a real reply is shown.
    ...(reply && reply.message_id !== m.message_thread_id ? { replyTo: short(reply.text ?? reply.caption ?? mediaOf(reply) ?? '') } : {}),
    ...(m.media_group_id ? { album: m.media_group_id } : {}),
  };
}

/** The reply keyboard a client sees, as rows of button texts. */
function keyboardOf(markup: unknown): string[][] {
  const rows = (markup as { keyboard?: unknown[][] } | undefined)?.keyboard;
  if (!Array.isArray(rows)) return [];
  return rows.map((row) => row.map((b) => (typeof b === 'string' ? b : String((b as { text?: unknown }).text ?? ''))));
}

export function buildView(scene: Scene): View {
  const { fake } = scene;
  const botId = fake.bot.id;
  const messages = (chatId: number) => fake.messages(chatId).map((m) => viewMessage(m, botId));
  const staff = fake.chat(scene.staff.id);
  return {
    bot: fake.bot.first_name,
    clients: scene.clients.map(({ user, language }) => ({
      id: user.id, name: user.first_name, language, messages: messages(user.id), keyboard: keyboardOf(fake.chat(user.id).replyKeyboard),
    })),
    team: {
      id: scene.staff.id,
      title: scene.staff.title ?? '',
      consultants: scene.consultants.map((c) => ({ id: c.id, name: c.first_name, private: messages(c.id) })),
      topics: staff.topics.map((t) => ({ id: t.message_thread_id, name: t.name, color: `#${t.icon_color.toString(16).padStart(6, '0')}`, closed: t.closed })),
      messages: messages(scene.staff.id),
    },
    editors: { id: scene.editors.id, title: scene.editors.title ?? '', messages: messages(scene.editors.id) },
    channels: scene.channels.map(({ chat }) => ({ id: chat.id, title: chat.title ?? '', username: chat.username ?? '', messages: messages(chat.id) })),
  };
}
