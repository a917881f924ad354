import type { Api } from 'grammy';
import type { I18n } from '@grammyjs/i18n';
import { LANGUAGES, type Language } from '../config.js';
import type { BotContext } from './context.js';

export const CLIENT_COMMANDS = ['start', 'help', 'consult', 'status', 'end', 'info', 'services', 'language', 'privacy', 'forget'] as const;

/** Staff commands, shown in the staff chat only (English: the staff UI is not translated yet). */
export const STAFF_COMMANDS = [
  { command: 'take', description: 'Take this case' },
  { command: 'release', description: 'Put this case back in the queue' },
  { command: 'transfer', description: 'Reply to a colleague, or give a specialty' },
  { command: 'close', description: 'End this case' },
  { command: 'note', description: 'An internal note (never sent to the client)' },
  { command: 'alias', description: 'The name clients see' },
  { command: 'snippets', description: 'List canned answers' },
  { command: 'snippet', description: 'Send a canned answer: /snippet NAME' },
  { command: 'refer', description: 'Tag referrals: /refer lawyer hiv-test' },
  { command: 'code', description: 'Send the client a referral code: /code TYPE [PLACE]' },
  { command: 'ban', description: 'Ban this client' },
  { command: 'unban', description: 'Lift the ban' },
  { command: 'stats', description: 'Figures: /stats [7d|month|2026-11]' },
  { command: 'export', description: 'Figures as CSV: /export [period]' },
  { command: 'lockdown', description: 'Pause relaying at once (a stranger in this chat?)' },
  { command: 'unlock', description: 'End a lockdown (administrators only)' },
];

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

/** Staff and editors commands in their chats. */
export async function registerStaffCommands(api: Api, staffChatId: number, editorsChatId: number): Promise<void> {
  const editors = [
    { command: 'upcoming', description: 'Next channel publications' },
    { command: 'preview', description: 'Preview a post: /preview SLUG' },
    { command: 'publish', description: 'Publish a post now: /publish SLUG' },
    { command: 'skip', description: 'Skip the next occurrence: /skip SLUG' },
    { command: 'sync', description: 'Update a published post: /sync SLUG' },
    { command: 'reload', description: 'Reload the content folder' },
  ];
  if (staffChatId === editorsChatId) {
    await api.setMyCommands([...STAFF_COMMANDS, ...editors], { scope: { type: 'chat', chat_id: staffChatId } });
  } else {
    await api.setMyCommands(STAFF_COMMANDS, { scope: { type: 'chat', chat_id: staffChatId } });
    await api.setMyCommands(editors, { scope: { type: 'chat', chat_id: editorsChatId } });
  }
}

/** The partners chat: one command (a bare code works too). */
export async function registerPartnerCommands(api: Api, partnersChatId: number): Promise<void> {
  await api.setMyCommands([{ command: 'redeem', description: 'Redeem a client code: /redeem K7Q-M4X' }], { scope: { type: 'chat', chat_id: partnersChatId } });
}
