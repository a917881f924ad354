import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import { mainMenu } from '../keyboards.js';

/**
 * Last in line: whatever no feature took gets a short, helpful answer and the menu — never silence.
 * Nothing of what was sent is looked at beyond its kind.
 */
export const unhandledFeature = new Composer<BotContext>();

const privateChats = unhandledFeature.chatType('private');

privateChats.on('callback_query', async (ctx) => {
  await ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
  // Whoever presses an old button may be in a hurry: the emergency numbers come with the menu.
  await ctx.reply(`${ctx.t('stale-button')}\n\n${ctx.t('emergency-numbers')}`, { parse_mode: 'HTML', reply_markup: mainMenu(ctx) });
});

privateChats.on('message::bot_command', async (ctx) => {
  await ctx.reply(ctx.t('unknown-command'), { parse_mode: 'HTML', reply_markup: mainMenu(ctx) });
});

privateChats.on('message:text', async (ctx) => {
  await ctx.reply(ctx.t('free-text'), { parse_mode: 'HTML', reply_markup: mainMenu(ctx) });
});

privateChats.on('message', async (ctx) => {
  await ctx.reply(ctx.t('unsupported-message'), { parse_mode: 'HTML', reply_markup: mainMenu(ctx) });
});

// Stale buttons in other chats still get their spinner stopped.
unhandledFeature.on('callback_query', (ctx) => ctx.answerCallbackQuery());
