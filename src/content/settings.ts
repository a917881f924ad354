import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LANGUAGE_CODE } from '../config.js';
import { parseYamlFile, type ContentProblem } from './front-matter.js';
import { readContentFile } from './paths.js';

/**
 * content/settings.yml: the lists an organisation changes without a developer (emergency numbers,
 * intake topics, referral types, specialties, regions, the order of languages).
 */
export const SETTINGS_FILE = 'settings.yml';

const ID = /^[a-z][a-z0-9-]{0,23}$/;
const idList = (field: string, example: string) =>
  z
    .array(z.string().regex(ID, `each ${field} entry must be lowercase latin letters, digits and dashes (at most 24), e.g. ${example}`), {
      error: `${field} must be a list, e.g. [${example}]`,
    })
    .min(1, `${field} needs at least one entry`)
    .refine((list) => new Set(list).size === list.length, `${field} has the same entry twice`);

const phone = z
  .union([z.string(), z.number()], { error: 'must be a phone number, e.g. "103"' })
  .transform(String)
  .pipe(z.string().trim().regex(/^\+?[0-9][0-9 ()-]{1,19}$/, 'must be a phone number of digits (spaces, dashes, brackets and a leading + allowed), e.g. "103"'));

const fields = {
  languages: z
    .array(z.string().regex(LANGUAGE_CODE, 'each language must be a two-letter ISO 639-1 code, like kk'), {
      error: 'languages must be a list of language codes, e.g. [ru, kk, en]',
    })
    .optional(),
  emergency_numbers: z
    .object({ ambulance: phone, general: phone }, { error: 'emergency_numbers must be fields like "ambulance: \\"103\\"", one per line' })
    .catchall(phone)
    .refine((numbers) => Object.keys(numbers).every((key) => /^[a-z][a-z0-9_]{0,23}$/.test(key)), {
      message: 'emergency_numbers names must be lowercase latin letters, digits and _ (they become { $name } in the .ftl texts)',
    }),
  intake_topics: idList('intake_topics', 'substances, legal, other'),
  referrals: idList('referrals', 'psychologist, lawyer'),
  specialties: idList('specialties', 'peer, doctor, lawyer'),
  // May be empty: the intake asks for a region only when there are some.
  regions: z
    .array(z.string().regex(ID, 'each regions entry must be lowercase latin letters, digits and dashes (at most 24), e.g. almaty'), {
      error: 'regions must be a list, e.g. [almaty, south], or [] for none',
    })
    .refine((list) => new Set(list).size === list.length, 'regions has the same entry twice')
    .default([]),
  // Drug alerts' regions (clients subscribe to some); absent: the same as regions.
  alert_regions: z
    .array(z.string().regex(ID, 'each alert_regions entry must be lowercase latin letters, digits and dashes (at most 24), e.g. almaty'), {
      error: 'alert_regions must be a list, e.g. [north, south, almaty], or [] for no alerts',
    })
    .refine((list) => new Set(list).size === list.length, 'alert_regions has the same entry twice')
    .optional(),
};

/** The regions drug alerts are sent for: alert_regions, else regions. */
export function alertRegionsOf(settings: Settings): string[] {
  return settings.alert_regions ?? settings.regions;
}

const settingsSchema = z.strictObject(fields);
export type Settings = z.output<typeof settingsSchema>;

/**
 * What the bot uses when settings.yml is missing or a field is broken: an emergency screen without
 * numbers must never happen, so each broken field falls back on its own and is reported.
 */
export const DEFAULT_SETTINGS: Settings = {
  emergency_numbers: { ambulance: '103', general: '112' },
  intake_topics: ['substances', 'mental', 'hiv', 'legal', 'social', 'other'],
  referrals: ['psychologist', 'addiction', 'infectious', 'lawyer', 'hiv-test', 'ost', 'social'],
  specialties: ['peer', 'psychologist', 'doctor', 'lawyer'],
  regions: [],
};

/** A missing file is not a problem (a folder from before settings.yml still works); content:check warns. */
export function loadSettings(root: string): { settings: Settings; problems: ContentProblem[]; missing?: true } {
  const path = join(root, SETTINGS_FILE);
  if (!existsSync(path)) return { settings: DEFAULT_SETTINGS, problems: [], missing: true };
  let source: string;
  try {
    source = readContentFile(root, path, 64 * 1024).toString('utf8');
  } catch (error) {
    return { settings: DEFAULT_SETTINGS, problems: [{ file: SETTINGS_FILE, message: `cannot be read: ${(error as Error).message}` }] };
  }
  const strict = parseYamlFile(SETTINGS_FILE, source, settingsSchema);
  if (strict.ok) return { settings: strict.data, problems: [] };
  // Keep every field that is valid; a broken one falls back to its default (and is reported above).
  const raw = parseYamlFile(SETTINGS_FILE, source, z.record(z.string(), z.unknown()));
  const data: Record<string, unknown> = raw.ok ? raw.data : {};
  const settings = { ...DEFAULT_SETTINGS } as Record<string, unknown>;
  for (const [name, schema] of Object.entries(fields)) {
    const result = (schema as z.ZodType).safeParse(data[name]);
    if (result.success && result.data !== undefined) settings[name] = result.data;
  }
  return { settings: settings as Settings, problems: strict.problems.map((p) => ({ ...p, message: `${p.message} (the built-in default is used)` })) };
}
