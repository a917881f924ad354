import type { Context } from 'grammy';
import type { I18nFlavor } from '@grammyjs/i18n';
import type { ConversationFlavor } from '@grammyjs/conversations';
import type { Language } from '../config.js';
import type { ClientRow } from '../db/schema.js';
import type { Logger } from '../logger.js';

/** Who is writing, as far as the bot may know: a pseudonymous key, and the stored row if there is one. */
export interface ClientFlavor {
  client?: {
    key: string;
    row?: ClientRow;
  };
  /** The language the bot answers in for this update. */
  lang: Language;
  logger: Logger;
  /** A survey is open to everyone: the menu offers it (set for private chats, see features/surveys.ts). */
  surveysOpen?: boolean;
}

export type BotContext = ConversationFlavor<Context & I18nFlavor & ClientFlavor>;
