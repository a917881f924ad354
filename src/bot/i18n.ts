import { join } from 'node:path';
import { I18n } from '@grammyjs/i18n';
import type { Language } from '../config.js';
import type { BotContext } from './context.js';
import { DEFAULT_PLACEHOLDER_NOTICE, hidePlaceholders } from '../content/placeholders.js';
import { discoverLanguages } from '../content/languages.js';
import { readContentFile } from '../content/paths.js';

export { languageFromCode } from '../content/languages.js';

type Variables = Record<string, string | number>;

/**
 * I18n whose every text can use the emergency numbers of content/settings.yml as variables
 * ({ $ambulance }, { $general }, …), in ctx.t and in i18n.t alike, so no text hard-codes a number.
 */
class ContentI18n extends I18n<BotContext> {
  constructor(
    config: ConstructorParameters<typeof I18n<BotContext>>[0],
    private readonly globals: () => Variables,
  ) {
    super({ ...config, globalTranslationContext: () => globals() });
  }

  override translate(locale: string, key: string, variables?: Parameters<I18n<BotContext>['translate']>[2]): string {
    const text = super.translate(locale, key, { ...this.globals(), ...variables });
    // An [[ORG: …]] placeholder in a UI text is never shown: its sentence becomes the notice.
    if (!text.includes('[[')) return text;
    const notice = key === 'review-org-pending' ? DEFAULT_PLACEHOLDER_NOTICE : this.translate(locale, 'review-org-pending');
    return hidePlaceholders(text, notice.startsWith('{') ? DEFAULT_PLACEHOLDER_NOTICE : notice, 'html');
  }
}

/** UI strings come from Fluent files in `<contentDir>/locales`, so the organisation can edit them. */
export function createI18n(contentDir: string, defaultLanguage: Language, numbers: () => Variables = () => ({})): I18n<BotContext> {
  const i18n = new ContentI18n(
    {
      defaultLocale: defaultLanguage,
      // Unicode isolation marks around variables would end up inside Telegram messages as invisible junk.
      fluentBundleOptions: { useIsolating: false },
      localeNegotiator: (ctx) => ctx.lang,
      // A text missing in one language falls back to the default one; content:check lists them.
      fluentOptions: { warningHandler: () => undefined },
    },
    numbers,
  );
  // Each file is read as content is (a regular file inside the folder, never a FIFO that would block the
  // bot, at most 1 MiB); one that cannot be read is left out (its texts fall back to the default
  // language) and the content loader reports it to the editors.
  for (const lang of discoverLanguages(contentDir)) {
    let source: string;
    try {
      source = readContentFile(contentDir, join(contentDir, 'locales', `${lang}.ftl`), LOCALE_MAX_BYTES).toString('utf8');
    } catch {
      continue;
    }
    i18n.loadLocaleSync(lang, { source });
  }
  return i18n;
}

export const LOCALE_MAX_BYTES = 1024 * 1024;

/** A text in `lang` (falling back to the default language), or undefined if no language has it. */
export function optionalText(i18n: I18n<BotContext>, lang: Language, key: string, variables?: Variables): string | undefined {
  const text = i18n.t(lang, key, variables);
  return text === `{${key}}` ? undefined : text;
}
