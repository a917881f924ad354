import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import type { Language } from '../config.js';
import { parseFrontMatter, type ContentProblem, type LineOf } from './front-matter.js';
import { contentLanguages } from './languages.js';
import { loadSettings, type Settings } from './settings.js';
import { readContentFile } from './paths.js';
import { renderMarkdownBlocks } from './markdown.js';
import { parseSignOff, type RawSignOff, type SignOffRecord } from './signoff.js';
import { DEFAULT_PLACEHOLDER_NOTICE, hidePlaceholders, stripPlaceholders } from './placeholders.js';
import { formatFluentMessage } from './fluent-check.js';
import { loadMixTable, type MixTable } from './mix.js';
import { loadRiskLists, type RiskLists } from './risk.js';
import { checkVariables } from './snippet-vars.js';

export interface InfoCard {
  slug: string;
  title: string;
  section: string;
  order: number;
  /** Where the facts come from (front matter `sources:`); empty when the card names none. */
  sources: string[];
  /** Who signed it and who must (front matter `topic:`, `review:`, `needs:`, `verify:`). */
  signOff: SignOffRecord;
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
  /** The emergency screen is medical: it needs a clinician unless `needs:` says otherwise. */
  signOff: SignOffRecord;
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

/**
 * Where a consultant can turn after a hard case (content/support/<lang>.md): the organisation's own
 * contacts, filled in by the organisation ([[ORG: …]] until then). Staff-facing; kept as markdown with
 * the emergency numbers filled in, rendered when shown (an unfilled placeholder says so to the consultant).
 */
export interface SupportContacts {
  title: string;
  markdown: string;
}

export interface LanguageContent {
  /** Sections in display order (by their smallest card order). */
  sections: InfoSection[];
  cards: Map<string, InfoCard>;
  emergency?: EmergencyPage;
  services: ServiceRegion[];
  /** Canned answers for consultants, by name. */
  snippets: Map<string, Snippet>;
  /** Support contacts for consultants (content/support/<lang>.md), if the folder has them. */
  support?: SupportContacts;
}

export interface Content {
  /** The languages found in locales/ (ordered by settings.yml), each with its content. */
  languages: Record<Language, LanguageContent>;
  settings: Settings;
  /** settings.yml is absent: the built-in defaults are in use. */
  settingsMissing: boolean;
  /** Files that were skipped (or settings that fell back to defaults). */
  problems: ContentProblem[];
  /** Bad sign-off fields (the text is still shown, and counts as not signed); content:check fails on them. */
  signOffProblems: ContentProblem[];
  /** The mixing checker's table (content/mix/), if the folder has one. */
  mix?: MixTable;
  /** Risk words of every language (content/risk/), matched in clients' messages. */
  risk: RiskLists;
}

const requiredText = (field: string) =>
  z.string({ error: `${field} is required (a short text)` }).trim().min(1, `${field} must not be empty`);
const order = z.number({ error: 'order must be a number, e.g. 10' }).finite();

// Sources and sign-offs are checked by review.ts and signoff.ts: a safety card is never hidden for its metadata.
const signOffFields = {
  topic: z.unknown().optional(),
  review: z.unknown().optional(),
  needs: z.unknown().optional(),
  verify: z.unknown().optional(),
  /** The old bare review date: reported by content:check, never counted as a sign-off. */
  reviewed: z.unknown().optional(),
};
const infoSchema = z.object({
  title: requiredText('title'),
  section: requiredText('section'),
  order,
  sources: z.unknown().optional(),
  ...signOffFields,
});
const emergencySchema = z.object({
  title: requiredText('title'),
  ...signOffFields,
  // The number itself lives in settings.yml (emergency_numbers.ambulance); this field may override it.
  ambulance: z.union([z.string(), z.number()], { error: 'ambulance must be the ambulance phone number, e.g. "103"' }).transform(String).optional(),
});
const serviceSchema = z.object({
  region: requiredText('region'),
  order: order.default(100),
  sample: z.boolean({ error: 'sample must be true or false' }).default(false),
});

const snippetSchema = z.object({ title: requiredText('title') });
const supportSchema = z.object({ title: requiredText('title') });

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
  signOffProblems: ContentProblem[];
  /** Shown instead of a sentence holding an `[[ORG: …]]` placeholder, per language. */
  notice: (lang: Language) => string;
  /** `{{name}}` in a text is replaced by that emergency number from settings.yml. */
  numbers: Record<string, string>;
}

function withNumbers(loader: Loader, body: string): string {
  return body.replace(/\{\{([a-z][a-z0-9_]*)\}\}/g, (whole, name: string) => loader.numbers[name] ?? whole);
}

function read<T>(loader: Loader, path: string, schema: z.ZodType<T>): { data: T; body: string; file: string; lineOf: LineOf } | undefined {
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
  return { ...parsed, file };
}

/** The body as a client sees it: placeholders replaced by the notice, emergency numbers filled in. */
function clientBody(loader: Loader, lang: Language, body: string): string {
  return withNumbers(loader, hidePlaceholders(body, loader.notice(lang)));
}

function signOffOf(loader: Loader, file: { data: RawSignOff; file: string; lineOf: LineOf }, defaults: Partial<RawSignOff> = {}): SignOffRecord {
  const { record, problems } = parseSignOff(file.file, { ...defaults, ...stripUndefined(file.data) }, file.lineOf);
  loader.signOffProblems.push(...problems);
  return record;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
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
function loadFolder<T, R>(
  loader: Loader,
  kind: string,
  lang: Language,
  schema: z.ZodType<T>,
  build: (slug: string, data: T, blocks: string[], file: { data: T; file: string; lineOf: LineOf }) => R,
): R[] {
  const dir = join(loader.root, kind, lang);
  const items: R[] = [];
  for (const name of markdownFiles(dir)) {
    const path = join(dir, name);
    const slug = checkSlug(loader, path);
    const file = slug && read(loader, path, schema);
    if (slug && file) items.push(build(slug, file.data, renderMarkdownBlocks(clientBody(loader, lang, file.body)), file));
  }
  return items;
}

/** `sources:` as a list of texts; a single text counts as one source, anything else as none. */
function sourcesOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim());
}

function loadInfo(loader: Loader, lang: Language): Pick<LanguageContent, 'sections' | 'cards'> {
  const cards = new Map(
    loadFolder(loader, 'info', lang, infoSchema, (slug, data, blocks, file): [string, InfoCard] => [
      slug,
      { slug, title: stripPlaceholders(data.title), section: data.section, order: data.order, sources: sourcesOf(data.sources), signOff: signOffOf(loader, file), blocks },
    ]),
  );
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
  const ambulance = parsed.data.ambulance ?? loader.numbers.ambulance ?? '103';
  const body = clientBody(loader, lang, parsed.body.replaceAll('{{ambulance}}', ambulance));
  const signOff = signOffOf(loader, parsed, { topic: 'medical' });
  return { title: stripPlaceholders(parsed.data.title), ambulance, signOff, blocks: renderMarkdownBlocks(body) };
}

function loadServices(loader: Loader, lang: Language): ServiceRegion[] {
  const regions = loadFolder(loader, 'services', lang, serviceSchema, (slug, data, blocks): ServiceRegion => ({ slug, ...data, region: stripPlaceholders(data.region), blocks }));
  return regions.sort((a, b) => a.order - b.order || a.region.localeCompare(b.region));
}

function loadSupport(loader: Loader, lang: Language): SupportContacts | undefined {
  const path = join(loader.root, 'support', `${lang}.md`);
  if (!existsSync(path)) return undefined;
  const parsed = read(loader, path, supportSchema);
  return parsed ? { title: stripPlaceholders(parsed.data.title), markdown: withNumbers(loader, parsed.body) } : undefined;
}

/**
 * Snippet variables that can never be filled (an unknown name, a services entry or emergency number that
 * does not exist): reported with the file and line. The snippet still loads; using it tells the consultant.
 */
function checkSnippetVariables(loader: Loader, languages: Record<string, LanguageContent>): void {
  const allServices = [...new Set(Object.values(languages).flatMap((l) => l.services.map((s) => s.slug)))];
  for (const [lang, content] of Object.entries(languages)) {
    const services = content.services.length > 0 ? content.services.map((s) => s.slug) : allServices;
    for (const name of content.snippets.keys()) {
      const path = join(loader.root, 'snippets', lang, `${name}.md`);
      let source: string;
      try {
        source = readContentFile(loader.root, path, MAX_TEXT_BYTES).toString('utf8');
      } catch {
        continue; // reported when loading
      }
      const lines = source.replace(/^\uFEFF/, '').split('\n');
      const close = lines[0]?.trimEnd() === '---' ? lines.findIndex((line, index) => index > 0 && line.trimEnd() === '---') : -1;
      const offset = close < 0 ? 0 : close + 1;
      for (const problem of checkVariables(lines.slice(offset).join('\n'), { services, numbers: Object.keys(loader.numbers) })) {
        loader.problems.push({ file: `snippets/${lang}/${name}.md`, line: problem.line + offset, field: problem.token, message: `${problem.message} (the snippet cannot be sent until this is fixed)` });
      }
    }
  }
}

function loadSnippets(loader: Loader, lang: Language): Map<string, Snippet> {
  const list = loadFolder(loader, 'snippets', lang, snippetSchema, (name, data, blocks): [string, Snippet] => [name, { name, title: stripPlaceholders(data.title), blocks }]);
  return new Map(list);
}

/**
 * Loads the content folder: info cards, emergency pages and the services directory for every
 * language. A bad file is skipped and reported in `problems`; it never stops the rest.
 */
export function loadContent(root: string, languageList?: readonly Language[]): Content {
  const { settings, problems, missing } = loadSettings(root);
  const loader: Loader = { root, problems, signOffProblems: [], numbers: settings.emergency_numbers, notice: placeholderNotice(root, settings.emergency_numbers) };
  if (!existsSync(root)) loader.problems.push({ file: root, message: 'content folder does not exist (CONTENT_DIR)' });
  const languages = Object.fromEntries(
    (languageList ?? contentLanguages(root, settings.languages)).map((lang) => [
      lang,
      {
        ...loadInfo(loader, lang),
        emergency: loadEmergency(loader, lang),
        services: loadServices(loader, lang),
        snippets: loadSnippets(loader, lang),
        support: loadSupport(loader, lang),
      },
    ]),
  ) as Record<Language, LanguageContent>;
  checkSnippetVariables(loader, languages);
  // The UI texts are read by the bot's i18n, which leaves out a file it cannot read: say which here.
  const localesDir = join(root, 'locales');
  for (const name of existsSync(localesDir) ? readdirSync(localesDir).filter((n) => n.endsWith('.ftl')).sort() : []) {
    try {
      readContentFile(root, join(localesDir, name), MAX_TEXT_BYTES);
    } catch (error) {
      loader.problems.push({ file: `locales/${name}`, message: `skipped, its texts fall back to the default language: ${(error as Error).message}` });
    }
  }
  const mix = loadMixTable(root, Object.keys(languages));
  const risk = loadRiskLists(root, Object.keys(languages));
  return {
    languages,
    settings,
    settingsMissing: missing === true,
    problems: [...loader.problems, ...mix.problems, ...risk.problems],
    signOffProblems: [...loader.signOffProblems, ...mix.signOffProblems, ...risk.signOffProblems],
    risk: risk.lists,
    ...(mix.table ? { mix: mix.table } : {}),
  };
}

/** The notice `review-org-pending` of locales/<lang>.ftl (else English's, else a built-in one), read once per language. */
export function placeholderNotice(root: string, numbers: Record<string, string>): (lang: Language) => string {
  const cache = new Map<Language, string | undefined>();
  const own = (lang: Language) => {
    if (!cache.has(lang)) {
      let text: string | undefined;
      try {
        const path = join(root, 'locales', `${lang}.ftl`);
        if (existsSync(path)) text = formatFluentMessage(readContentFile(root, path, MAX_TEXT_BYTES).toString('utf8'), lang, 'review-org-pending', numbers);
      } catch {
        text = undefined; // an unreadable locales file is reported by content:check
      }
      cache.set(lang, text);
    }
    return cache.get(lang);
  };
  return (lang) => own(lang) ?? own('en') ?? DEFAULT_PLACEHOLDER_NOTICE;
}
