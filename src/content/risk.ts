import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Language } from '../config.js';
import { parseYamlFile, type ContentProblem } from './front-matter.js';
import { readContentFile } from './paths.js';
import { parseSignOff, signOffStatus, type SignOffRecord } from './signoff.js';

/**
 * Risk words (content/risk/<lang>.yml): phrases in a client's message that make their case urgent, by
 * category. Only the category is ever kept; the text is matched when the relay accepts it and is not
 * stored for this. The lists are `topic: medical`: a clinician (crisis-line practice) signs them off.
 */

export const RISK_DIR = 'risk';
export const RISK_CATEGORIES = ['overdose', 'not-breathing', 'suicide', 'violence', 'arrest', 'child'] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

/** One phrase, as words; a word ending in `*` matches any ending (передоз* → передозировка). */
interface Phrase {
  words: { stem: string; prefix: boolean }[];
}

export interface RiskLists {
  /** Every language's phrases together: clients here often write in another language than their menus. */
  phrases: { category: RiskCategory; phrase: Phrase }[];
  /** Each list's sign-off (topic: medical: a clinician's), for content:check. */
  signOffs: { file: string; record: SignOffRecord }[];
}

/** The lists whose clinician's sign-off is missing or out of date: content:check lists them (not a go-live blocker: clients never read them). */
export function unsignedRiskLists(lists: RiskLists, now = new Date()): ContentProblem[] {
  return lists.signOffs.flatMap(({ file, record }) => {
    const status = signOffStatus(record, now);
    if (status.state === 'signed') return [];
    return [{ file, field: 'review', message: `lacks a current clinician's sign-off (${status.state}): a clinician or crisis-line supervisor should review the phrases before the team relies on them` }];
  });
}

// Kazakh letters fold to their nearest Russian ones, and ё to е: people type without them on a Russian keyboard.
const FOLD: Record<string, string> = { ә: 'а', ғ: 'г', қ: 'к', ң: 'н', ө: 'о', ұ: 'у', ү: 'у', һ: 'х', і: 'и', ё: 'е', й: 'и' };

/** Lowercase, Unicode-normalised words, with the letters people leave out folded away; punctuation drops out. */
export function riskWords(text: string, keepStars = false): string[] {
  const folded = text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0306\u0308]/g, '') // й → и, ё → е written with combining marks
    .normalize('NFC')
    .replace(/[әғқңөұүһіёй]/g, (c) => FOLD[c] ?? c)
    .replace(/[’'`ʼ]/g, '');
  return folded.split(keepStars ? /[^\p{L}\p{N}*]+/u : /[^\p{L}\p{N}]+/u).filter(Boolean);
}

function compile(source: string): Phrase | undefined {
  const words = riskWords(source, true).map((w) => (w.endsWith('*') ? { stem: w.replace(/\*+$/, ''), prefix: true } : { stem: w.replaceAll('*', ''), prefix: false }));
  return words.length > 0 && words.every((w) => w.stem.length > 0) ? { words } : undefined;
}

function matchesAt(text: string[], at: number, phrase: Phrase): boolean {
  return phrase.words.every((w, i) => {
    const word = text[at + i];
    return word !== undefined && (w.prefix ? word.startsWith(w.stem) : word === w.stem);
  });
}

/** The categories whose phrases occur in `text` (whole words, in order), in the order of RISK_CATEGORIES. */
export function matchRisk(lists: RiskLists | undefined, text: string): RiskCategory[] {
  if (!lists || lists.phrases.length === 0) return [];
  const words = riskWords(text);
  const found = new Set<RiskCategory>();
  for (const { category, phrase } of lists.phrases) {
    if (found.has(category)) continue;
    for (let at = 0; at + phrase.words.length <= words.length; at++) {
      if (matchesAt(words, at, phrase)) {
        found.add(category);
        break;
      }
    }
  }
  return RISK_CATEGORIES.filter((c) => found.has(c));
}

const phrases = z.array(z.string({ error: 'each phrase must be a text, e.g. "не дышит"' }), { error: 'must be a list of phrases, e.g. ["не дышит", "передоз*"]' });
const listSchema = z.strictObject({
  topic: z.unknown().optional(),
  review: z.unknown().optional(),
  needs: z.unknown().optional(),
  verify: z.unknown().optional(),
  categories: z.record(z.string(), phrases, { error: `categories must be fields ${RISK_CATEGORIES.join(', ')}, each a list of phrases` }),
});

/**
 * Loads content/risk/<lang>.yml for the given languages (a language without a file has no list: no
 * problem). A bad phrase is left out and named (file, field, what was expected); the rest still works.
 */
export function loadRiskLists(root: string, languages: readonly Language[], now = new Date()): { lists: RiskLists; problems: ContentProblem[]; signOffProblems: ContentProblem[] } {
  const problems: ContentProblem[] = [];
  const signOffProblems: ContentProblem[] = [];
  const lists: RiskLists = { phrases: [], signOffs: [] };
  for (const lang of languages) {
    const file = `${RISK_DIR}/${lang}.yml`;
    const path = join(root, file);
    if (!existsSync(path)) continue;
    let source: string;
    try {
      source = readContentFile(root, path, 256 * 1024).toString('utf8');
    } catch (error) {
      problems.push({ file, message: `cannot be read: ${(error as Error).message}` });
      continue;
    }
    const parsed = parseYamlFile(file, source, listSchema);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      continue;
    }
    const data = parsed.data;
    if (data.topic !== undefined && data.topic !== 'medical') problems.push({ file, field: 'topic', message: 'must be medical (a clinician signs the risk lists off)' });
    const signOff = parseSignOff(file, { topic: 'medical', review: data.review, needs: data.needs, verify: data.verify }, undefined, now);
    signOffProblems.push(...signOff.problems);
    lists.signOffs.push({ file, record: signOff.record });
    for (const [name, list] of Object.entries(data.categories)) {
      if (!(RISK_CATEGORIES as readonly string[]).includes(name)) {
        problems.push({ file, field: `categories.${name}`, message: `is not a risk category; expected one of ${RISK_CATEGORIES.join(', ')}` });
        continue;
      }
      const seen = new Set<string>();
      list.forEach((raw, i) => {
        const phrase = compile(raw);
        const field = `categories.${name}.${i}`;
        if (!phrase) return void problems.push({ file, field, message: `"${raw}" has no words to match; expected words, e.g. "не дышит" (a * only at the end of a word)` });
        if (phrase.words.some((w) => w.prefix && w.stem.length < 4)) {
          return void problems.push({ file, field, message: `"${raw}": a word ending in * needs at least 4 letters before it, or it matches ordinary words` });
        }
        const key = phrase.words.map((w) => `${w.stem}${w.prefix ? '*' : ''}`).join(' ');
        if (seen.has(key)) return void problems.push({ file, field, message: `"${raw}" is in the list twice` });
        seen.add(key);
        lists.phrases.push({ category: name as RiskCategory, phrase });
      });
    }
    const lacking = RISK_CATEGORIES.filter((c) => !(data.categories[c]?.length));
    if (lacking.length > 0) problems.push({ file, field: 'categories', message: `lacks phrases for ${lacking.join(', ')}` });
  }
  return { lists, problems, signOffProblems };
}
