import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseYamlFile, type ContentProblem } from './front-matter.js';
import { readContentFile } from './paths.js';

/**
 * content/sources.yml: the places and campaigns that hand out the bot's link (a pharmacy, a club, a
 * site, a campaign), each with a code for `t.me/<bot>?start=<code>`, a label and a region for the
 * editors' figures, and a short line per language for its poster.
 */
export const SOURCES_FILE = 'sources.yml';

export interface Source {
  code: string;
  label: string;
  region: string;
  /** The line under the QR code on the poster, per language. */
  poster: Record<string, string>;
  /** A sample: its poster says so in large letters, so it is not printed by mistake. */
  draft: boolean;
}

/** Telegram allows A-Z, a-z, 0-9, _ and - in a start parameter (64 at most); codes are kept lowercase and short. */
export const SOURCE_CODE = /^[a-z0-9][a-z0-9_-]{1,31}$/;
/** Start parameters the bot already uses for something else. */
const RESERVED = [/^consult$/, /^rsvp-/];

export function isReservedStart(code: string): boolean {
  return RESERVED.some((r) => r.test(code));
}

const MAX_BYTES = 256 * 1024;
const POSTER_LINE_MAX = 90;

function schema(languages: readonly string[], regions: readonly string[]) {
  const text = (field: string, max: number) =>
    z.string({ error: `${field} must be a text` }).trim().min(1, `${field} must not be empty`).max(max, `${field} must be at most ${max} characters`);
  const source = z
    .object(
      {
        code: z
          .string({ error: 'code must be a text like apteka-abay (lowercase latin letters, digits, - and _)' })
          .regex(SOURCE_CODE, 'code must be 2 to 32 lowercase latin letters, digits, - or _, starting with a letter or digit, e.g. apteka-abay')
          .refine((code) => !isReservedStart(code), 'code must not be "consult" or start with "rsvp-": the bot uses those links itself'),
        label: text('label', 80),
        region: z
          .string({ error: 'region must be a region id from settings.yml regions' })
          .refine((r) => (regions.length === 0 ? /^[a-z][a-z0-9-]{0,23}$/.test(r) : regions.includes(r)), {
            message:
              regions.length === 0
                ? 'region must be lowercase latin letters, digits and dashes (at most 24), e.g. almaty'
                : `region must be one of settings.yml regions (${regions.join(', ')})`,
          }),
        poster: z
          .record(z.string(), text('poster line', POSTER_LINE_MAX), { error: `poster must have a line per language, e.g. ${languages[0] ?? 'ru'}: "…"` })
          .superRefine((lines, ctx) => {
            for (const lang of Object.keys(lines)) {
              if (!languages.includes(lang)) ctx.addIssue({ code: 'custom', path: [lang], message: `"${lang}" is not a language of the bot (${languages.join(', ')})` });
            }
            // A language without a line gets the default language's (a language added later does not break the file).
            if (Object.keys(lines).length === 0) ctx.addIssue({ code: 'custom', path: [], message: `poster needs a line for at least one language (${languages.join(', ')})` });
          }),
        draft: z.boolean({ error: 'draft must be true or false' }).default(false),
      },
      { error: 'each source needs code, label, region and poster' },
    )
    .strict();
  return z
    .object({ sources: z.array(source, { error: 'sources must be a list' }).default([]) }, { error: 'sources.yml must have a list "sources:"' })
    .strict()
    .superRefine((file, ctx) => {
      const seen = new Set<string>();
      file.sources.forEach((s, i) => {
        if (seen.has(s.code)) ctx.addIssue({ code: 'custom', path: ['sources', i, 'code'], message: `code "${s.code}" is used twice` });
        seen.add(s.code);
      });
    });
}

/** Loads and validates sources.yml (none when the file is absent). A broken file gives no sources and says why, field by field. */
export function loadSources(root: string, languages: readonly string[], regions: readonly string[]): { sources: Source[]; problems: ContentProblem[] } {
  const path = join(root, SOURCES_FILE);
  if (!existsSync(path)) return { sources: [], problems: [] };
  let source: string;
  try {
    source = readContentFile(root, path, MAX_BYTES).toString('utf8');
  } catch (error) {
    return { sources: [], problems: [{ file: SOURCES_FILE, message: `cannot be read: ${(error as Error).message}` }] };
  }
  const parsed = parseYamlFile(SOURCES_FILE, source, schema(languages, regions));
  if (!parsed.ok) return { sources: [], problems: parsed.problems };
  return { sources: parsed.data.sources, problems: [] };
}
