import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { formatProblem, parseFrontMatter } from '../../content/front-matter.js';

/**
 * A practice scenario for consultants: a scripted client (content/training/*.md). The front matter
 * says who the client is and how they arrive; `script` lists what they write and what a consultant is
 * expected to do next; the body describes the persona for the trainee (plain text).
 */
export const ENTRIES = ['urgent', 'substances', 'mental', 'hiv', 'legal', 'social', 'other'] as const;
export type Entry = (typeof ENTRIES)[number];
export const EXPECTATIONS = ['reply', 'note', 'close'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

const step = z
  .strictObject({
    client: z.string().trim().min(1).max(1000, 'client: at most 1,000 characters').optional(),
    expect: z.enum(EXPECTATIONS, { error: 'expect must be reply (a message to the client), note (an internal note, "!" first) or close (/close)' }).optional(),
    within: z.number({ error: 'within must be a number of seconds' }).int().min(5).max(3600).default(120),
    hint: z.string().trim().max(300).optional(),
  })
  .refine((s) => s.client !== undefined || s.expect !== undefined, 'a step needs client (what the client writes), expect, or both');

const scenarioSchema = z.strictObject({
  title: z.string({ error: 'title is required' }).trim().min(1).max(100),
  name: z.string().trim().min(1).max(40).optional(),
  language: z.enum(['ru', 'kk', 'en'], { error: 'language must be ru, kk or en' }),
  entry: z.enum(ENTRIES, { error: `entry must be one of ${ENTRIES.join(', ')} (urgent: from the emergency screen)` }),
  script: z.array(step).min(1, 'script needs at least one step').max(50),
});

export type Step = z.infer<typeof step>;
export interface Scenario extends z.infer<typeof scenarioSchema> {
  /** The file name without .md. */
  id: string;
  /** The persona, for the trainee. */
  brief: string;
}

export function parseScenario(id: string, source: string): { scenario?: Scenario; problems: string[] } {
  const parsed = parseFrontMatter(`training/${id}.md`, source, scenarioSchema);
  if (!parsed.ok) return { problems: parsed.problems.map(formatProblem) };
  // Lines of one paragraph join, as markdown reads them; blank lines still separate paragraphs.
  const brief = parsed.body.trim().replace(/[ \t]*\n(?!\s*\n)(?<!\n\s*\n)[ \t]*/g, ' ');
  return { scenario: { ...parsed.data, id, brief }, problems: [] };
}

/** Every scenario in `<contentDir>/training`, sorted by file name; broken files are reported, not fatal. */
export function loadScenarios(contentDir: string): { scenarios: Scenario[]; problems: string[] } {
  const dir = join(contentDir, 'training');
  if (!existsSync(dir)) return { scenarios: [], problems: [] };
  const scenarios: Scenario[] = [];
  const problems: string[] = [];
  for (const file of readdirSync(dir).filter((f) => /^[\w-]+\.md$/.test(f)).sort()) {
    const result = parseScenario(file.slice(0, -3), readFileSync(join(dir, file), 'utf8'));
    if (result.scenario) scenarios.push(result.scenario);
    problems.push(...result.problems);
  }
  return { scenarios, problems };
}
