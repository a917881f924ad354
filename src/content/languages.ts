import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGE_CODE, type Language } from '../config.js';

/**
 * The languages of the bot are the `locales/<code>.ftl` files of the content folder: adding a
 * language is adding its file (and its content folders). `order` (settings.yml `languages:`) sets
 * the order of the buttons on /language; languages it does not name follow alphabetically.
 */
export function discoverLanguages(contentDir: string, order: readonly string[] = []): Language[] {
  const dir = join(contentDir, 'locales');
  if (!existsSync(dir)) return [];
  const present = readdirSync(dir)
    .filter((name) => name.endsWith('.ftl'))
    // Only a regular file is a language (a FIFO or a link is reported by the content loader, never opened).
    .filter((name) => lstatSync(join(dir, name), { throwIfNoEntry: false })?.isFile() === true)
    .map((name) => name.slice(0, -'.ftl'.length))
    .filter((code) => LANGUAGE_CODE.test(code))
    .sort();
  return [...order.filter((code) => present.includes(code)), ...present.filter((code) => !order.includes(code))];
}

/**
 * Languages that have content folders (info/<code>/, emergency/<code>.md…), for checking a folder
 * that has no UI texts at all; the bot itself only speaks the languages of locales/.
 */
export function contentFolderLanguages(contentDir: string): Language[] {
  const found = new Set<string>();
  for (const kind of ['info', 'services', 'snippets']) {
    const dir = join(contentDir, kind);
    if (existsSync(dir)) for (const name of readdirSync(dir)) if (LANGUAGE_CODE.test(name)) found.add(name);
  }
  const emergency = join(contentDir, 'emergency');
  if (existsSync(emergency)) for (const name of readdirSync(emergency)) if (/^[a-z]{2}\.md$/.test(name)) found.add(name.slice(0, -3));
  return [...found].sort();
}

/** The languages of locales/; a folder without any UI texts is checked for the languages it has content in. */
export function contentLanguages(contentDir: string, order?: readonly string[]): Language[] {
  const languages = discoverLanguages(contentDir, order);
  return languages.length > 0 ? languages : contentFolderLanguages(contentDir);
}

/** Maps Telegram's language_code (e.g. "ru", "kk", "en-GB") to one of ours, if we have it. */
export function languageFromCode(code: string | undefined, languages: readonly Language[]): Language | undefined {
  const base = code?.toLowerCase().split(/[-_]/)[0];
  return languages.find((lang) => lang === base);
}
