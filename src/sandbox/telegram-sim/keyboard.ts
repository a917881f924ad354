import { badRequest, TG } from './errors.js';
import { byteLength } from './formatted-text.js';
import { checkedLink } from './html.js';
import type { BotApiSpec } from './spec.js';
import type { InlineKeyboardMarkup } from './types.js';
import { isPlainObject } from './validate.js';

/** Button fields that are decoration, not the button's action. */
const NOT_ACTIONS = new Set(['text', 'icon_custom_emoji_id', 'style']);

/**
 * What Telegram checks beyond types in an inline keyboard: every button has an action,
 * callback_data is 1-64 bytes, URLs are valid.
 */
export function checkInlineKeyboard(markup: InlineKeyboardMarkup, spec: BotApiSpec): void {
  const actions = (spec.types.InlineKeyboardButton?.fields ?? []).map((f) => f.name).filter((n) => !NOT_ACTIONS.has(n));
  for (const row of markup.inline_keyboard) {
    for (const button of row) {
      if (!actions.some((action) => button[action] !== undefined)) throw badRequest(TG.textButtonsInInline);
      if (button.callback_data !== undefined) {
        const size = byteLength(button.callback_data);
        if (size < 1 || size > 64) throw badRequest(TG.buttonDataInvalid);
      }
      if (button.url !== undefined && !checkedLink(button.url)) throw badRequest(TG.buttonUrlInvalid);
    }
  }
}

export function isInlineKeyboard(markup: unknown): markup is InlineKeyboardMarkup {
  return isPlainObject(markup) && Array.isArray(markup.inline_keyboard);
}

/** The markup as stored on a message: an inline keyboard with at least one button, else none. */
export function storedMarkup(markup: unknown): InlineKeyboardMarkup | undefined {
  if (!isInlineKeyboard(markup)) return undefined;
  return markup.inline_keyboard.some((row) => row.length > 0) ? structuredClone(markup) : undefined;
}
