import type { Language } from '../config.js';
import { formatProblem } from './front-matter.js';
import { loadContent, type Content, type LanguageContent } from './loader.js';

/** Holds the loaded content and swaps it atomically on reload, so readers never see half a folder. */
export class ContentStore {
  private content: Content;

  constructor(
    private readonly dir: string,
    private readonly defaultLanguage: Language,
  ) {
    this.content = loadContent(dir);
  }

  get problems(): string[] {
    return this.content.problems.map(formatProblem);
  }

  reload(): string[] {
    this.content = loadContent(this.dir);
    return this.problems;
  }

  /** Content in `lang`; a language with no cards (or services) falls back to the default language's. */
  for(lang: Language): LanguageContent {
    const own = this.content.languages[lang];
    const fallback = this.content.languages[this.defaultLanguage];
    return {
      sections: own.sections.length > 0 ? own.sections : fallback.sections,
      cards: own.cards.size > 0 ? own.cards : fallback.cards,
      emergency: own.emergency ?? fallback.emergency ?? this.content.languages.en.emergency,
      services: own.services.length > 0 ? own.services : fallback.services,
      snippets: own.snippets.size > 0 ? own.snippets : fallback.snippets,
    };
  }
}
