import type { InlineKeyboard } from 'grammy';
import { classifyError } from '../telegram/errors.js';
import { splitMessage } from '../content/split.js';
import type { BotContext } from './context.js';
import { NEW } from './keyboards.js';

const OPTIONS = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;

function isNotModified(error: unknown): boolean {
  return classifyError(error).kind === 'not-modified';
}

/**
 * Shows a navigation screen: edits the message whose button was pressed (so menus don't pile up),
 * or sends a new message for commands, and for buttons under content (data starting with "n:").
 */
export async function showScreen(ctx: BotContext, html: string, keyboard: InlineKeyboard): Promise<void> {
  const data = ctx.callbackQuery?.data;
  if (data !== undefined && !data.startsWith(NEW) && ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(html, { ...OPTIONS, reply_markup: keyboard });
      return;
    } catch (error) {
      if (isNotModified(error)) return;
      // Too old or deleted: fall through and send it afresh.
      ctx.logger.debug({ err: error }, 'could not edit screen, sending a new one');
    }
  }
  await ctx.reply(html, { ...OPTIONS, reply_markup: keyboard });
}

/**
 * Sends content (rendered blocks) as one or more messages, split at paragraph boundaries within
 * Telegram's limit; the keyboard goes under the last one.
 */
export async function sendContent(ctx: BotContext, blocks: string[], keyboard?: InlineKeyboard): Promise<void> {
  const messages = splitMessage(blocks);
  for (const [index, text] of messages.entries()) {
    const last = index === messages.length - 1;
    await ctx.reply(text, { ...OPTIONS, ...(last && keyboard ? { reply_markup: keyboard } : {}) });
  }
}
