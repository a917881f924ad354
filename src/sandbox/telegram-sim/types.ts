/**
 * The Telegram objects the fake produces and stores, typed loosely: the fields tests read most are
 * named, anything else Telegram may carry is allowed through an index signature.
 */

export interface User {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  [field: string]: unknown;
}

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';

export interface Chat {
  id: number;
  type: ChatType;
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
  is_forum?: true;
}

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
  unix_time?: number;
  date_time_format?: string;
  [field: string]: unknown;
}

export interface InlineKeyboardButton {
  text: string;
  callback_data?: string;
  url?: string;
  [field: string]: unknown;
}

export interface InlineKeyboardMarkup {
  inline_keyboard: InlineKeyboardButton[][];
}

export interface PhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size?: number;
}

/** Document, Video, Animation, Audio, Voice, VideoNote, Sticker: the common part. */
export interface FileObject {
  file_id: string;
  file_unique_id: string;
  file_size?: number;
  file_name?: string;
  mime_type?: string;
  [field: string]: unknown;
}

export interface Poll {
  id: string;
  question: string;
  options: { text: string; voter_count: number; [field: string]: unknown }[];
  type: string;
  is_anonymous: boolean;
  is_closed: boolean;
  [field: string]: unknown;
}

/** A message as Telegram returns it (and as the fake stores it, with edits applied). */
export interface Message {
  message_id: number;
  date: number;
  chat: Chat;
  from?: User;
  sender_chat?: Chat;
  message_thread_id?: number;
  is_topic_message?: true;
  reply_to_message?: Message;
  edit_date?: number;
  media_group_id?: string;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  reply_markup?: InlineKeyboardMarkup;
  photo?: PhotoSize[];
  document?: FileObject;
  video?: FileObject;
  animation?: FileObject;
  audio?: FileObject;
  voice?: FileObject;
  video_note?: FileObject;
  sticker?: FileObject;
  poll?: Poll;
  [field: string]: unknown;
}

export interface CallbackQuery {
  id: string;
  from: User;
  message?: Message;
  chat_instance: string;
  data?: string;
  [field: string]: unknown;
}

export interface Update {
  update_id: number;
  message?: Message;
  edited_message?: Message;
  channel_post?: Message;
  edited_channel_post?: Message;
  callback_query?: CallbackQuery;
  [field: string]: unknown;
}

export interface BotCommand {
  command: string;
  description: string;
}

/** A file part of a multipart/form-data request. */
export interface UploadedFile {
  /** The part name: the parameter name, or the id an `attach://<id>` reference points to. */
  name: string;
  filename: string;
  size: number;
}

export interface ApiFailure {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** One request the bot made to the fake, as recorded in `fake.calls`. */
export interface CallRecord {
  method: string;
  /** The parameters after decoding (JSON strings in form bodies parsed, numbers and booleans converted). */
  params: Record<string, unknown>;
  ok: boolean;
  result?: unknown;
  error?: ApiFailure;
  /** Files uploaded with the request (multipart/form-data). */
  files?: UploadedFile[];
  /** `Date.now()` when the request arrived. */
  at: number;
  /** Set on a long poll whose client went away before it was answered. */
  aborted?: true;
}

/** Membership statuses as `getChatMember` reports them. */
export type MemberStatus = 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';
