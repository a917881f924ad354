import type { Api } from 'grammy';
import type { I18n } from '@grammyjs/i18n';
import type { LanguageCode } from 'grammy/types';
import type { Language } from '../config.js';
import type { BotContext } from './context.js';

export const CLIENT_COMMANDS = ['start', 'help', 'consult', 'status', 'end', 'info', 'mix', 'checkin', 'buddy', 'services', 'report', 'alerts', 'language', 'privacy', 'share', 'surveys', 'forget'] as const;

/** Staff commands, shown in the staff chat only; their descriptions are `staff-command-<name>` in DEFAULT_LANGUAGE. */
export const STAFF_COMMANDS = ['take', 'release', 'transfer', 'close', 'urgent', 'normal', 'note', 'alias', 'snippets', 'snippet', 'history', 'refer', 'code', 'ban', 'unban', 'bans', 'stats', 'export', 'lockdown', 'unlock', 'duty', 'break', 'handover', 'tapout', 'mine', 'team', 'assign', 'takeover', 'alert'] as const;
/** Editors' commands, in the editors chat; descriptions are `editors-command-<name>`. */
export const EDITORS_COMMANDS = ['upcoming', 'preview', 'publish', 'skip', 'sync', 'reload', 'qr', 'events', 'stories', 'story', 'story_edit', 'story_ask', 'story_channel', 'story_reject', 'story_sent', 'story_retry', 'survey', 'alert'] as const;

export function clientCommands(i18n: I18n<BotContext>, lang: Language) {
  return CLIENT_COMMANDS.map((command) => ({ command, description: i18n.t(lang, `command-${command}`) }));
}

/**
 * Registers the client commands in every language of the content folder (and the default language for
 * everyone else).
 */
export async function registerCommands(api: Api, i18n: I18n<BotContext>, defaultLanguage: Language, languages: readonly Language[]): Promise<void> {
  const scope = { type: 'all_private_chats' } as const;
  for (const lang of languages) {
    await api.setMyCommands(clientCommands(i18n, lang), { scope, language_code: lang as LanguageCode } /* any ISO 639-1 code a .ftl is named after */);
  }
  await api.setMyCommands(clientCommands(i18n, defaultLanguage), { scope });
}

/** Staff commands in every inbox's chat and editors commands in theirs, described in DEFAULT_LANGUAGE. */
export async function registerStaffCommands(api: Api, inboxChatIds: readonly number[], editorsChatId: number, i18n: I18n<BotContext>, defaultLanguage: Language): Promise<void> {
  const describe = (prefix: string, names: readonly string[]) =>
    names.map((command) => ({ command, description: i18n.t(defaultLanguage, `${prefix}-command-${command.replace(/_/g, '-')}`).slice(0, 256) }));
  const staff = describe('staff', STAFF_COMMANDS);
  const editors = describe('editors', EDITORS_COMMANDS);
  for (const chatId of inboxChatIds) {
    await api.setMyCommands(chatId === editorsChatId ? [...staff, ...editors] : staff, { scope: { type: 'chat', chat_id: chatId } });
  }
  if (!inboxChatIds.includes(editorsChatId)) await api.setMyCommands(editors, { scope: { type: 'chat', chat_id: editorsChatId } });
}

/** The partners chat: one command (a bare code works too). */
export async function registerPartnerCommands(api: Api, partnersChatId: number): Promise<void> {
  await api.setMyCommands([{ command: 'redeem', description: 'Redeem a client code: /redeem K7Q-M4X' }], { scope: { type: 'chat', chat_id: partnersChatId } });
}
