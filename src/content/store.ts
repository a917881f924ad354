import type { Language } from '../config.js';
import { formatProblem } from './front-matter.js';
import { contentLanguages } from './languages.js';
import { loadContent, type Content, type LanguageContent } from './loader.js';
import { reviewContent } from './review.js';
import { loadSettings, SETTINGS_FILE, type Settings } from './settings.js';
import type { MixTable } from './mix.js';
import type { RiskLists } from './risk.js';

const EMPTY: LanguageContent = { sections: [], cards: new Map(), services: [], snippets: new Map() };

/** Holds the loaded content and swaps it atomically on reload, so readers never see half a folder. */
export class ContentStore {
  private content: Content;
  /**
   * The languages the bot speaks: fixed at start, because the UI texts (locales/*.ftl) are loaded
   * once; a language added later needs a restart.
   */
  readonly languages: Language[];

  constructor(
    private readonly dir: string,
    private readonly defaultLang: Language,
    languages?: Language[],
  ) {
    this.languages = languages ?? contentLanguages(dir, loadSettings(dir).settings.languages);
    this.content = loadContent(dir, this.languages);
  }

  get problems(): string[] {
    return this.content.problems.map(formatProblem);
  }

  /** Cards without sources or a recent review, and what a language lacks: to review, nothing skipped. */
  get warnings(): string[] {
    // A malformed sign-off (content:check fails on it) is shown to the editors too: the text counts as unsigned.
    return [...this.content.signOffProblems, ...reviewContent(this.dir, this.content, this.defaultLang)].map(formatProblem);
  }

  /** The mixing checker's table, if content/mix/ has one. */
  get mix(): MixTable | undefined {
    return this.content.mix;
  }

  /** The risk words of every language (content/risk/). */
  get risk(): RiskLists {
    return this.content.risk;
  }

  get defaultLanguage(): Language {
    return this.defaultLang;
  }

  /**
   * The organisation has set its emergency numbers: settings.yml exists and its emergency_numbers field
   * is valid (otherwise the built-in defaults are in use, which a snippet's {emergency} never sends).
   */
  get emergencyNumbersSet(): boolean {
    return !this.content.settingsMissing && !this.content.problems.some((p) => p.file === SETTINGS_FILE && /emergency_numbers/.test(`${p.field ?? ''} ${p.message}`));
  }

  get settings(): Settings {
    return this.content.settings;
  }

  reload(): string[] {
    this.content = loadContent(this.dir, this.languages);
    return this.problems;
  }

  /** Content in `lang`; a language with no cards (or services) falls back to the default language's. */
  for(lang: Language): LanguageContent {
    const own = this.content.languages[lang] ?? EMPTY;
    const fallback = this.content.languages[this.defaultLang] ?? EMPTY;
    return {
      sections: own.sections.length > 0 ? own.sections : fallback.sections,
      cards: own.cards.size > 0 ? own.cards : fallback.cards,
      emergency: own.emergency ?? fallback.emergency ?? Object.values(this.content.languages).find((l) => l.emergency)?.emergency,
      services: own.services.length > 0 ? own.services : fallback.services,
      snippets: own.snippets.size > 0 ? own.snippets : fallback.snippets,
      support: own.support ?? fallback.support ?? Object.values(this.content.languages).find((l) => l.support)?.support,
    };
  }
}
