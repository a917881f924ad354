import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import type { Language } from '../config.js';
import { parseFrontMatter, type ContentProblem } from './front-matter.js';
import { contentLanguages } from './languages.js';
import { loadSettings, type Settings } from './settings.js';
import { readContentFile } from './paths.js';
import { renderMarkdownBlocks } from './markdown.js';

export interface InfoCard {
  slug: string;
  title: string;
  section: string;
  order: number;
  /** Where the facts come from (front matter `sources:`); empty when the card names none. */
  sources: string[];
  /** The day of the last expert review (front matter `reviewed:`, YYYY-MM-DD), as written. */
  reviewed?: unknown;
  /** Rendered Telegram-HTML blocks of the body. */
  blocks: string[];
}

export interface InfoSection {
  title: string;
  cards: InfoCard[];
}

export interface EmergencyPage {
  title: string;
  ambulance: string;
  blocks: string[];
}

export interface ServiceRegion {
  slug: string;
  region: string;
  order: number;
  sample: boolean;
  blocks: string[];
}

export interface Snippet {
  name: string;
  title: string;
  blocks: string[];
}

export interface LanguageContent {
  /** Sections in display order (by their smallest card order). */
  sections: InfoSection[];
  cards: Map<string, InfoCard>;
  emergency?: EmergencyPage;
  services: ServiceRegion[];
  /** Canned answers for consultants, by name. */
  snippets: Map<string, Snippet>;
}

export interface Content {
  /** The languages found in locales/ (ordered by settings.yml), each with its content. */
  languages: Record<Language, LanguageContent>;
  settings: Settings;
  /** settings.yml is absent: the built-in defaults are in use. */
  settingsMissing: boolean;
  /** Files that were skipped (or settings that fell back to defaults). */
  problems: ContentProblem[];
}

const requiredText = (field: string) =>
  z.string({ error: `${field} is required (a short text)` }).trim().min(1, `${field} must not be empty`);
const order = z.number({ error: 'order must be a number, e.g. 10' }).finite();

// sources and reviewed are checked by review.ts as warnings: a safety card is never hidden for its metadata.
const infoSchema = z.object({
  title: requiredText('title'),
  section: requiredText('section'),
  order,
  sources: z.unknown().optional(),
  reviewed: z.unknown().optional(),
});
const emergencySchema = z.object({
  title: requiredText('title'),
  // The number itself lives in settings.yml (emergency_numbers.ambulance); this field may override it.
  ambulance: z.union([z.string(), z.number()], { error: 'ambulance must be the ambulance phone number, e.g. "103"' }).transform(String).optional(),
});
const serviceSchema = z.object({
  region: requiredText('region'),
  order: order.default(100),
  sample: z.boolean({ error: 'sample must be true or false' }).default(false),
});

const snippetSchema = z.object({ title: requiredText('title') });

const MAX_TEXT_BYTES = 1024 * 1024;

const SLUG = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** Markdown files of a folder, sorted; a missing folder is simply empty. */
function markdownFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md') && !name.startsWith('_') && !name.startsWith('.'))
    .sort();
}

function slugOf(name: string): string {
  return name.replace(/\.md$/, '');
}

interface Loader {
  root: string;
  problems: ContentProblem[];
  /** `{{name}}` in a text is replaced by that emergency number from settings.yml. */
  numbers: Record<string, string>;
}

function withNumbers(loader: Loader, body: string): string {
  return body.replace(/\{\{([a-z][a-z0-9_]*)\}\}/g, (whole, name: string) => loader.numbers[name] ?? whole);
}

function read<T>(loader: Loader, path: string, schema: z.ZodType<T>): { data: T; body: string } | undefined {
  const file = relative(loader.root, path) || path;
  let source: string;
  try {
    // A content file is text; a link to a file outside the folder (.env, the database) is refused.
    source = readContentFile(loader.root, path, MAX_TEXT_BYTES).toString('utf8');
  } catch (error) {
    loader.problems.push({ file, message: `cannot be read: ${(error as Error).message}` });
    return undefined;
  }
  const parsed = parseFrontMatter(file, source, schema);
  if (!parsed.ok) {
    loader.problems.push(...parsed.problems);
    return undefined;
  }
  if (parsed.body.trim() === '') {
    loader.problems.push({ file, message: 'has no text after the front matter' });
    return undefined;
  }
  return parsed;
}

function checkSlug(loader: Loader, path: string): string | undefined {
  const slug = slugOf(path.split('/').pop() ?? '');
  if (SLUG.test(slug)) return slug;
  loader.problems.push({
    file: relative(loader.root, path),
    message: 'file name must be lowercase latin letters, digits and dashes (at most 40), e.g. naloxone.md',
  });
  return undefined;
}

/** Every valid `<kind>/<lang>/<slug>.md`, validated against `schema`; bad files become problems. */
function loadFolder<T, R>(loader: Loader, kind: string, lang: Language, schema: z.ZodType<T>, build: (slug: string, data: T, blocks: string[]) => R): R[] {
  const dir = join(loader.root, kind, lang);
  const items: R[] = [];
  for (const name of markdownFiles(dir)) {
    const path = join(dir, name);
    const slug = checkSlug(loader, path);
    const file = slug && read(loader, path, schema);
    if (slug && file) items.push(build(slug, file.data, renderMarkdownBlocks(withNumbers(loader, file.body))));
  }
  return items;
}

/** `sources:` as a list of texts; a single text counts as one source, anything else as none. */
function sourcesOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim());
}

function loadInfo(loader: Loader, lang: Language): Pick<LanguageContent, 'sections' | 'cards'> {
  const cards = new Map(loadFolder(loader, 'info', lang, infoSchema, (slug, data, blocks): [string, InfoCard] => [slug, { slug, ...data, sources: sourcesOf(data.sources), blocks }]));
  const bySection = new Map<string, InfoCard[]>();
  for (const card of [...cards.values()].sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug))) {
    bySection.set(card.section, [...(bySection.get(card.section) ?? []), card]);
  }
  const sections = [...bySection.entries()].map(([title, list]) => ({ title, cards: list }));
  return { sections, cards };
}

function loadEmergency(loader: Loader, lang: Language): EmergencyPage | undefined {
  const path = join(loader.root, 'emergency', `${lang}.md`);
  if (!existsSync(path)) return undefined;
  const parsed = read(loader, path, emergencySchema);
  if (!parsed) return undefined;
  const file = { ...parsed, data: { ...parsed.data, ambulance: parsed.data.ambulance ?? loader.numbers.ambulance ?? '103' } };
  const body = withNumbers(loader, file.body.replaceAll('{{ambulance}}', file.data.ambulance));
  return { ...file.data, blocks: renderMarkdownBlocks(body) };
}

function loadServices(loader: Loader, lang: Language): ServiceRegion[] {
  const regions = loadFolder(loader, 'services', lang, serviceSchema, (slug, data, blocks): ServiceRegion => ({ slug, ...data, blocks }));
  return regions.sort((a, b) => a.order - b.order || a.region.localeCompare(b.region));
}

function loadSnippets(loader: Loader, lang: Language): Map<string, Snippet> {
  const list = loadFolder(loader, 'snippets', lang, snippetSchema, (name, data, blocks): [string, Snippet] => [name, { name, title: data.title, blocks }]);
  return new Map(list);
}

/**
 * Loads the content folder: info cards, emergency pages and the services directory for every
 * language. A bad file is skipped and reported in `problems`; it never stops the rest.
 */
export function loadContent(root: string, languageList?: readonly Language[]): Content {
  const { settings, problems, missing } = loadSettings(root);
  const loader: Loader = { root, problems, numbers: settings.emergency_numbers };
  if (!existsSync(root)) loader.problems.push({ file: root, message: 'content folder does not exist (CONTENT_DIR)' });
  const languages = Object.fromEntries(
    (languageList ?? contentLanguages(root, settings.languages)).map((lang) => [
      lang,
      {
        ...loadInfo(loader, lang),
        emergency: loadEmergency(loader, lang),
        services: loadServices(loader, lang),
        snippets: loadSnippets(loader, lang),
      },
    ]),
  ) as Record<Language, LanguageContent>;
  return { languages, settings, settingsMissing: missing === true, problems: loader.problems };
}
