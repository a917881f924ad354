import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Language } from '../config.js';
import type { ContentProblem } from './front-matter.js';
import type { Content } from './loader.js';
import { contentFolderLanguages } from './languages.js';
import { SETTINGS_FILE } from './settings.js';
import { goLiveReport } from './go-live.js';
import { readContentFile } from './paths.js';

/** A locales file's text, or '' when it is missing or cannot be read as content (the loader reports that). */
function readLocale(root: string, path: string): string {
  try {
    return existsSync(path) ? readContentFile(root, path, 1024 * 1024).toString('utf8') : '';
  } catch {
    return '';
  }
}


/** The message ids of a Fluent file (lines like `key = …`); enough to compare languages. */
export function fluentMessageIds(source: string): string[] {
  return [...source.matchAll(/^([a-zA-Z][a-zA-Z0-9_-]*)[ \t]*=/gm)].map((match) => match[1]!);
}

/** The `{ $name }` variables of one message of a Fluent file (its lines up to the next message). */
export function fluentMessageVariables(source: string, id: string): string[] {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^${id}[ \t]*=`).test(line));
  if (start < 0) return [];
  const end = lines.findIndex((line, index) => index > start && /^[a-zA-Z#-]/.test(line));
  const text = lines.slice(start, end < 0 ? undefined : end).join('\n');
  return [...new Set([...text.matchAll(/\$([a-zA-Z][a-zA-Z0-9_-]*)/g)].map((match) => match[1]!))];
}

function localeIds(root: string, lang: Language): Set<string> {
  const path = join(root, 'locales', `${lang}.ftl`);
  return new Set(fluentMessageIds(readLocale(root, path)));
}

/**
 * What a reviewer should look at, without stopping anything: cards without sources, texts without the
 * sign-off they need (one line per language), and what a language lacks compared with the others (cards, snippets, emergency
 * screen, UI texts). Missing texts fall back to DEFAULT_LANGUAGE for clients.
 */
export function reviewContent(root: string, content: Content, defaultLanguage: Language, now = new Date()): ContentProblem[] {
  const warnings: ContentProblem[] = [];
  const languages = Object.keys(content.languages);
  if (content.settingsMissing) {
    warnings.push({ file: SETTINGS_FILE, message: 'is missing: the built-in emergency numbers (103, 112), topics, referrals and specialties are used' });
  }
  for (const lang of languages) {
    for (const card of content.languages[lang]!.cards.values()) {
      const file = `info/${lang}/${card.slug}.md`;
      if (card.sources.length === 0) warnings.push({ file, field: 'sources', message: 'names no sources: add a list of the guidance this card follows' });
    }
  }
  // Sign-offs: one line per language here (the editors' report); content:check lists every text.
  for (const summary of goLiveReport(root, content, now).signOff) {
    const lacking = summary.unsigned.length + summary.expired.length;
    if (lacking > 0) {
      warnings.push({
        file: `info/${summary.lang}`,
        message: `${lacking} of ${summary.total} text(s) (cards, emergency screen) lack the current sign-off their topic needs: clients are not told they were checked; npm run content:check lists them`,
      });
    }
  }
  // The mixing checker falls back to the default language's texts for a language without its file.
  if (content.mix) {
    for (const lang of languages.filter((l) => !content.mix!.texts[l] && !existsSync(join(root, 'mix', `${l}.yml`)))) {
      warnings.push({ file: `mix/${lang}.yml`, message: `is missing: /mix in ${lang} shows the ${defaultLanguage} names and texts meanwhile` });
    }
  }
  // Content written for a language the bot does not speak (no locales/<code>.ftl) is never shown.
  if (existsSync(join(root, 'locales'))) {
    for (const lang of contentFolderLanguages(root).filter((l) => !languages.includes(l))) {
      warnings.push({ file: `locales/${lang}.ftl`, message: `is missing: the content for "${lang}" is not offered until this file with the UI texts exists` });
    }
  }
  for (const lang of languages) {
    const page = content.languages[lang]!.emergency;
    if (page && page.ambulance !== content.settings.emergency_numbers.ambulance) {
      warnings.push({ file: `emergency/${lang}.md`, field: 'ambulance', message: `is "${page.ambulance}", but settings.yml says "${content.settings.emergency_numbers.ambulance}": remove the field to use settings.yml` });
    }
  }
  const missing = (kind: string, names: (lang: Language) => string[], path: (lang: Language, name: string) => string) => {
    const all = new Set(languages.flatMap(names));
    for (const lang of languages) {
      const own = new Set(names(lang));
      const lacking = [...all].filter((name) => !own.has(name)).sort();
      for (const name of lacking) warnings.push({ file: path(lang, name), message: `is missing: ${lang} lacks this ${kind} that other languages have` });
    }
  };
  missing('card', (lang) => [...content.languages[lang]!.cards.keys()], (lang, slug) => `info/${lang}/${slug}.md`);
  missing('snippet', (lang) => [...content.languages[lang]!.snippets.keys()], (lang, name) => `snippets/${lang}/${name}.md`);
  missing('emergency screen', (lang) => (content.languages[lang]!.emergency ? ['emergency'] : []), (lang) => `emergency/${lang}.md`);
  // UI texts: every language against the default one (what it lacks is shown in DEFAULT_LANGUAGE).
  const reference = localeIds(root, defaultLanguage);
  for (const lang of languages.filter((l) => l !== defaultLanguage)) {
    const own = localeIds(root, lang);
    const lacking = [...reference].filter((id) => !own.has(id));
    if (lacking.length > 0) {
      warnings.push({ file: `locales/${lang}.ftl`, message: `lacks ${lacking.length} text(s) of ${defaultLanguage}.ftl (shown in ${defaultLanguage} meanwhile): ${lacking.join(', ')}` });
    }
  }
  // The emergency numbers text may only use numbers settings.yml has, or a client would read "{$name}".
  for (const lang of languages) {
    const path = join(root, 'locales', `${lang}.ftl`);
    if (!existsSync(path)) continue;
    const unknown = fluentMessageVariables(readLocale(root, path), 'emergency-numbers').filter((name) => !(name in content.settings.emergency_numbers));
    if (unknown.length > 0) {
      warnings.push({ file: `locales/${lang}.ftl`, field: 'emergency-numbers', message: `uses ${unknown.map((n) => `$${n}`).join(', ')}, which emergency_numbers in settings.yml does not define` });
    }
  }
  for (const topic of content.settings.intake_topics) {
    for (const key of [`topic-${topic}`, `staff-topic-${topic}`]) {
      if (!reference.has(key)) warnings.push({ file: `locales/${defaultLanguage}.ftl`, message: `has no text ${key} for the intake topic "${topic}" of settings.yml (the id is shown instead)` });
    }
  }
  for (const region of content.settings.regions) {
    for (const key of [`region-${region}`, `staff-region-${region}`]) {
      if (!reference.has(key)) warnings.push({ file: `locales/${defaultLanguage}.ftl`, message: `has no text ${key} for the region "${region}" of settings.yml (the id is shown instead)` });
    }
  }
  return warnings;
}
