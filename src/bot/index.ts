import { Bot, BotError, type BotConfig } from 'grammy';
import { sequentialize } from '@grammyjs/runner';
import { autoRetry } from '@grammyjs/auto-retry';
import type { I18n } from '@grammyjs/i18n';
import type { BotContext } from './context.js';
import type { BotDeps } from './deps.js';
import { createI18n } from './i18n.js';
import { answerCallbackQueries, attachLogger, identifyClient } from './middleware.js';
import { menuFeature } from './features/menu.js';
import { createInfoFeature } from './features/info.js';
import { createEmergencyFeature } from './features/emergency.js';
import { consultFeature } from './features/consult.js';
import { createServicesFeature } from './features/services.js';
import { createLanguageFeature } from './features/language.js';
import { createPrivacyFeature } from './features/privacy.js';
import { createForgetFeature } from './features/forget.js';
import { unhandledFeature } from './features/unhandled.js';

export type { BotDeps } from './deps.js';

/** Updates of one client (or one group) are handled one at a time, in order. */
function sequenceKey(ctx: BotContext): string | undefined {
  const chat = ctx.chat;
  if (!chat) return ctx.from ? `user:${ctx.from.id}` : undefined;
  return `chat:${chat.id}`;
}

export interface CreatedBot {
  bot: Bot<BotContext>;
  i18n: I18n<BotContext>;
}

/** Builds the bot with its features in a fixed order. No side effects beyond the objects passed in. */
export function createBot(deps: BotDeps, botConfig?: BotConfig<BotContext>): CreatedBot {
  const { config, logger } = deps;
  const bot = new Bot<BotContext>(config.botToken, {
    ...botConfig,
    client: { apiRoot: config.apiRoot, ...botConfig?.client },
  });
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60, rethrowInternalServerErrors: false }));
  const i18n = createI18n(config.contentDir, config.defaultLanguage);

  bot.use(attachLogger(deps));
  const protectedBot = bot.errorBoundary(async (error: BotError<BotContext>) => {
    const ctx = error.ctx;
    // The error only: never the update, which would carry who wrote and what.
    ctx.logger.error({ err: error.error }, 'update handling failed');
    if (ctx.chat?.type === 'private') {
      await ctx.reply(i18n.t(ctx.lang, 'error-generic')).catch(() => undefined);
    }
  });
  protectedBot.use(sequentialize(sequenceKey));
  protectedBot.use(identifyClient(deps));
  protectedBot.use(i18n);
  protectedBot.use(answerCallbackQueries);

  const privateChats = protectedBot.chatType('private');
  privateChats.use(menuFeature);
  privateChats.use(createEmergencyFeature(deps));
  privateChats.use(createInfoFeature(deps));
  privateChats.use(consultFeature);
  privateChats.use(createServicesFeature(deps));
  privateChats.use(createLanguageFeature(deps));
  privateChats.use(createPrivacyFeature(deps));
  privateChats.use(createForgetFeature(deps));

  protectedBot.use(unhandledFeature); // must be the last handler

  bot.catch((error) => logger.error({ err: error.error }, 'unhandled error'));
  return { bot, i18n };
}
