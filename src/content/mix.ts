import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Language } from '../config.js';
import { parseYamlFile, type ContentProblem } from './front-matter.js';
import { readContentFile } from './paths.js';
import { parseSignOff, signOffStatus, type SignOffRecord } from './signoff.js';

/**
 * The mixing checker's table (content/mix/): the risk of every pair of two substances. pairs.yml holds
 * the risk, the reason and the sources of each unordered pair and the sign-offs; <lang>.yml holds the
 * substance names and, per reason, why and what to do. No grammY here: the bot feature (bot/features/mix.ts)
 * only shows what `lookupMix` answers.
 */

export const MIX_DIR = 'mix';
export const PAIRS_FILE = `${MIX_DIR}/pairs.yml`;

/** From most to least severe. There is no "safe" level: no mix is without risk. */
export const RISKS = ['dangerous', 'high', 'caution', 'unknown'] as const;
export type Risk = (typeof RISKS)[number];

const ID = /^[a-z][a-z0-9-]{0,19}$/;

export interface MixPair {
  risk: Risk;
  reason: string;
  /** The full names of its sources (pairs.yml `sources:` keys resolved). */
  sources: string[];
  /** Its own sign-off, or the table's. */
  signOff: SignOffRecord;
}

export interface MixTexts {
  substances: Record<string, string>;
  reasons: Record<string, { why: string; do: string }>;
}

export interface MixTable {
  /** Substance ids in button order; "unknown" among them. */
  substances: string[];
  /** Keyed by pairKey(a, b). */
  pairs: Map<string, MixPair>;
  texts: Record<Language, MixTexts>;
}

export type MixAnswer = {
  a: string;
  b: string;
  /** 'missing': the table has no entry for this pair (shown as unknown: ask a consultant). */
  risk: Risk;
  missing: boolean;
  reason?: string;
  sources: string[];
  /** A clinician's current sign-off (the pair's, or the table's). */
  signed: { on: string } | undefined;
};

/** The key of an unordered pair: the two ids sorted. */
export function pairKey(a: string, b: string): string {
  return [a, b].sort().join(' + ');
}

/** What the bot says for two substances; a pair the table lacks is "unknown", never a guess. */
export function lookupMix(table: MixTable, a: string, b: string, now = new Date()): MixAnswer {
  const pair = table.pairs.get(pairKey(a, b));
  if (!pair) return { a, b, risk: 'unknown', missing: true, sources: [], signed: undefined };
  const status = signOffStatus(pair.signOff, now);
  const signed = status.state === 'signed' && pair.signOff.review.clinician ? { on: pair.signOff.review.clinician.on } : undefined;
  return { a, b, risk: pair.risk, missing: false, reason: pair.reason, sources: pair.sources, signed };
}

/** The texts of `lang`, falling back per text to the default language's. */
export function mixText(table: MixTable, lang: Language, fallback: Language): { substance: (id: string) => string; reason: (key: string) => { why: string; do: string } | undefined } {
  const own = table.texts[lang];
  const other = table.texts[fallback];
  return {
    substance: (id) => own?.substances[id] ?? other?.substances[id] ?? id,
    reason: (key) => own?.reasons[key] ?? other?.reasons[key],
  };
}

const text = z.string({ error: 'must be a text in quotes' }).trim().min(1, 'must not be empty');

const pairsSchema = z.strictObject({
  substances: z.array(z.string().regex(ID, 'each substance id must be lowercase latin letters, digits and dashes, e.g. alpha-pvp'), {
    error: 'substances must be a list of ids, e.g. [cathinones, alcohol, unknown]',
  }),
  sources: z.record(z.string(), text, { error: 'sources must be short keys with the full name, e.g. tripsit: "TripSit combination chart"' }).default({}),
  review: z.unknown().optional(),
  needs: z.unknown().optional(),
  // Each pair is checked on its own: one bad entry is left out (and answered as unknown), not the table.
  pairs: z.record(z.string(), z.unknown(), { error: 'pairs must be fields like "alcohol + benzos: { risk: dangerous, reason: depressants, sources: [tripsit] }"' }),
});

const pairSchema = z.strictObject(
  {
    risk: z.enum(RISKS, { error: `risk must be one of ${RISKS.join(', ')} (there is no "safe")` }),
    reason: z.string({ error: 'reason is required: a key of reasons: in ru.yml, kk.yml, en.yml' }).regex(ID, 'reason must be a key like depressants'),
    sources: z.array(z.string(), { error: 'sources must be a list of keys of sources:, e.g. [tripsit, euda]' }).min(1, 'sources must name at least one source'),
    review: z.unknown().optional(),
    needs: z.unknown().optional(),
  },
  { error: 'must be { risk: …, reason: …, sources: [...] }' },
);

const textsSchema = z.strictObject({
  substances: z.record(z.string(), text, { error: 'substances must be id: name fields, e.g. alcohol: Alcohol' }),
  reasons: z.record(z.string(), z.strictObject({ why: text, do: text }), { error: 'reasons must be key: { why: "…", do: "…" } fields' }),
});

/** Words a client must never read about a mix. */
const SAFE_WORDS = /\bsafe\b|безопасн|қауіпсіз/i;

function readYaml<T>(root: string, file: string, schema: z.ZodType<T>, problems: ContentProblem[]): T | undefined {
  const path = join(root, file);
  if (!existsSync(path)) return undefined;
  let source: string;
  try {
    source = readContentFile(root, path, 256 * 1024).toString('utf8');
  } catch (error) {
    problems.push({ file, message: `cannot be read: ${(error as Error).message}` });
    return undefined;
  }
  const parsed = parseYamlFile(file, source, schema);
  if (!parsed.ok) {
    problems.push(...parsed.problems);
    return undefined;
  }
  return parsed.data;
}

/**
 * Loads content/mix/ for the given languages. A folder without pairs.yml has no table (undefined, no
 * problem). Problems name the file, the field and what was expected; a bad pair is left out (and then
 * answered as unknown), never guessed.
 */
export function loadMixTable(root: string, languages: readonly Language[], now = new Date()): { table?: MixTable; problems: ContentProblem[]; signOffProblems: ContentProblem[] } {
  const problems: ContentProblem[] = [];
  const signOffProblems: ContentProblem[] = [];
  if (!existsSync(join(root, PAIRS_FILE))) return { problems, signOffProblems };
  const data = readYaml(root, PAIRS_FILE, pairsSchema, problems);
  if (!data) return { problems, signOffProblems };

  const substances = data.substances;
  const known = new Set(substances);
  if (known.size !== substances.length) problems.push({ file: PAIRS_FILE, field: 'substances', message: 'names the same substance twice' });
  if (!known.has('unknown')) problems.push({ file: PAIRS_FILE, field: 'substances', message: 'must include unknown (for "I don\'t know what it is")' });

  const tableSignOff = parseSignOff(PAIRS_FILE, { topic: 'medical', review: data.review, needs: data.needs }, undefined, now);
  signOffProblems.push(...tableSignOff.problems);

  const pairs = new Map<string, MixPair>();
  for (const [name, raw] of Object.entries(data.pairs)) {
    const field = `pairs.${name}`;
    const checked = pairSchema.safeParse(raw);
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const path = [...issue.path, ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])].map(String).join('.');
        problems.push({ file: PAIRS_FILE, field: path ? `${field}.${path}` : field, message: issue.message });
      }
      continue;
    }
    const entry = checked.data;
    const ids = name.split('+').map((part) => part.trim());
    if (ids.length !== 2 || ids.some((id) => !known.has(id)) || ids[0] === ids[1]) {
      problems.push({ file: PAIRS_FILE, field, message: `must be two different substances of substances: joined by " + ", e.g. "alcohol + benzos"` });
      continue;
    }
    const key = pairKey(ids[0]!, ids[1]!);
    if (pairs.has(key)) {
      problems.push({ file: PAIRS_FILE, field, message: `is the same pair as another entry (${key}): keep one` });
      continue;
    }
    const unknownSource = entry.sources.find((source) => !(source in data.sources));
    if (unknownSource) problems.push({ file: PAIRS_FILE, field: `${field}.sources`, message: `"${unknownSource}" is not a key of sources: at the top of the file` });
    const own = entry.review !== undefined || entry.needs !== undefined ? parseSignOff(PAIRS_FILE, { topic: 'medical', review: entry.review, needs: entry.needs }, undefined, now) : undefined;
    if (own) signOffProblems.push(...own.problems.map((p) => ({ ...p, field: `${field}.${p.field ?? ''}` })));
    pairs.set(key, {
      risk: entry.risk,
      reason: entry.reason,
      sources: entry.sources.map((source) => data.sources[source] ?? source),
      signOff: own?.record ?? tableSignOff.record,
    });
  }
  const missing: string[] = [];
  substances.forEach((a, i) => substances.slice(i + 1).forEach((b) => (pairs.has(pairKey(a, b)) ? undefined : missing.push(`${a} + ${b}`))));
  if (missing.length > 0) {
    problems.push({ file: PAIRS_FILE, field: 'pairs', message: `lacks ${missing.length} pair(s), shown to clients as unknown until added: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}` });
  }

  const texts: Record<Language, MixTexts> = {};
  const reasons = new Set([...pairs.values()].map((pair) => pair.reason));
  for (const lang of languages) {
    const file = `${MIX_DIR}/${lang}.yml`;
    if (!existsSync(join(root, file))) continue; // a language not translated yet: review.ts warns
    const own = readYaml(root, file, textsSchema, problems);
    if (!own) continue;
    texts[lang] = own;
    const lackingNames = substances.filter((id) => !own.substances[id]);
    if (lackingNames.length > 0) problems.push({ file, field: 'substances', message: `lacks the name of ${lackingNames.join(', ')}` });
    const lackingReasons = [...reasons].filter((key) => !own.reasons[key]).sort();
    if (lackingReasons.length > 0) problems.push({ file, field: 'reasons', message: `lacks ${lackingReasons.join(', ')} (used in pairs.yml)` });
    for (const [key, value] of Object.entries(own.reasons)) {
      for (const part of ['why', 'do'] as const) {
        if (SAFE_WORDS.test(value[part])) problems.push({ file, field: `reasons.${key}.${part}`, message: 'calls something safe: no mix is without risk; say what lowers the risk instead' });
      }
    }
  }
  return { table: { substances, pairs, texts }, problems, signOffProblems };
}
