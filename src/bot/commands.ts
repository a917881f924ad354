import type { Api } from 'grammy';
import type { I18n } from '@grammyjs/i18n';
import { LANGUAGES, type Language } from '../config.js';
import type { BotContext } from './context.js';

export const CLIENT_COMMANDS = ['start', 'help', 'info', 'services', 'language', 'privacy', 'forget'] as const;

export function clientCommands(i18n: I18n<BotContext>, lang: Language) {
  return CLIENT_COMMANDS.map((command) => ({ command, description: i18n.t(lang, `command-${command}`) }));
}

/** Registers the client commands in every language (and the default language for everyone else). */
export async function registerCommands(api: Api, i18n: I18n<BotContext>, defaultLanguage: Language): Promise<void> {
  const scope = { type: 'all_private_chats' } as const;
  for (const lang of LANGUAGES) {
    await api.setMyCommands(clientCommands(i18n, lang), { scope, language_code: lang });
  }
  await api.setMyCommands(clientCommands(i18n, defaultLanguage), { scope });
}
