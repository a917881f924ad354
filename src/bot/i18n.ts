import { join } from 'node:path';
import { I18n } from '@grammyjs/i18n';
import { LANGUAGES, type Language } from '../config.js';
import type { BotContext } from './context.js';

/** Maps Telegram's language_code (e.g. "ru", "kk", "en-GB") to one of ours, if we have it. */
export function languageFromCode(code: string | undefined): Language | undefined {
  const base = code?.toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.find((lang) => lang === base);
}

/** UI strings come from Fluent files in `<contentDir>/locales`, so the organisation can edit them. */
export function createI18n(contentDir: string, defaultLanguage: Language): I18n<BotContext> {
  return new I18n<BotContext>({
    defaultLocale: defaultLanguage,
    directory: join(contentDir, 'locales'),
    // Unicode isolation marks around variables would end up inside Telegram messages as invisible junk.
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => ctx.lang,
  });
}
