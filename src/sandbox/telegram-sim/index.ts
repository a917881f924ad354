/**
 * A fake Telegram Bot API server for end-to-end tests: see FakeTelegram.
 *
 * Files: fake-telegram.ts (the test-side API), server.ts (HTTP and dispatch), validate.ts + spec.ts
 * (parameters against the official reference), html.ts + formatted-text.ts (HTML parse mode,
 * entities, limits), state.ts (chats and messages), updates.ts (getUpdates), users.ts (what
 * simulated users do), rate-limit.ts, keyboard.ts, handlers/ (the simulated methods).
 */
export { FakeTelegram, type FakeTelegramOptions, type FakeStats, type WaitOptions } from './fake-telegram.js';
export type { ChatRef, NewGroup, NewUser, Where } from './users.js';
export type { RateLimits } from './rate-limit.js';
export type { Topic } from './state.js';
export type {
  ApiFailure, BotCommand, CallbackQuery, CallRecord, Chat, ChatType, FileObject, InlineKeyboardButton, InlineKeyboardMarkup,
  MemberStatus, Message, MessageEntity, PhotoSize, Poll, Update, UploadedFile, User,
} from './types.js';
export { ApiError, TG } from './errors.js';
export { parseHtml, EntityParseError, type ParsedText } from './html.js';
export { formatText, CAPTION, MESSAGE_TEXT, type TextLimits } from './formatted-text.js';
export { loadSpec, findMethod, DEFAULT_SPEC_URL, type BotApiSpec } from './spec.js';
export { validateParams, checkValue } from './validate.js';
