import { join } from 'node:path';
import { I18n } from '@grammyjs/i18n';
import type { Language } from '../config.js';
import type { BotContext } from './context.js';
import { DEFAULT_PLACEHOLDER_NOTICE, hidePlaceholders } from '../content/placeholders.js';

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
  return new ContentI18n(
    {
      defaultLocale: defaultLanguage,
      directory: join(contentDir, 'locales'),
      // Unicode isolation marks around variables would end up inside Telegram messages as invisible junk.
      fluentBundleOptions: { useIsolating: false },
      localeNegotiator: (ctx) => ctx.lang,
      // A text missing in one language falls back to the default one; content:check lists them.
      fluentOptions: { warningHandler: () => undefined },
    },
    numbers,
  );
}

/** A text in `lang` (falling back to the default language), or undefined if no language has it. */
export function optionalText(i18n: I18n<BotContext>, lang: Language, key: string, variables?: Variables): string | undefined {
  const text = i18n.t(lang, key, variables);
  return text === `{${key}}` ? undefined : text;
}
