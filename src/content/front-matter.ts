import matter from 'gray-matter';
import yaml from 'js-yaml';
import { z } from 'zod';

/** A problem with one content file: which file, which field, what was expected. */
export interface ContentProblem {
  file: string;
  line?: number;
  field?: string;
  message: string;
}

export function formatProblem(problem: ContentProblem): string {
  const where = problem.line ? `${problem.file}:${problem.line}` : problem.file;
  return `${where}: ${problem.field ? `${problem.field}: ` : ''}${problem.message}`;
}

export type Parsed<T> = { ok: true; data: T; body: string } | { ok: false; problems: ContentProblem[] };

/** Line of a front matter field, so an editor is pointed at the right place. */
export function lineOf(source: string, field: string): number | undefined {
  const index = source.split('\n').findIndex((line) => line.startsWith(`${field}:`));
  return index >= 0 ? index + 1 : undefined;
}

/**
 * Splits a markdown file into validated front matter and body. Never throws: a YAML error or a field
 * that does not match `schema` comes back as problems naming the file and field.
 */
export function parseFrontMatter<T>(file: string, source: string, schema: z.ZodType<T>): Parsed<T> {
  let parsed: matter.GrayMatterFile<string>;
  try {
    // YAML's core schema: dates stay text, so "2026-12-01 10:00" is read in TIMEZONE, not as UTC.
    // (Passing options also keeps gray-matter from caching by content, which would hide repeated errors.)
    parsed = matter(source, { engines: { yaml: (text: string) => yaml.safeLoad(text, { schema: yaml.CORE_SCHEMA }) as object } });
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message.split('\n')[0];
    return {
      ok: false,
      problems: [{ file, line: mark?.line !== undefined ? mark.line + 2 : undefined, message: `front matter is not valid YAML: ${reason}` }],
    };
  }
  const result = schema.safeParse(parsed.data);
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((issue) => {
        const field = issue.path.join('.') || undefined;
        return { file, field, line: field ? lineOf(source, String(issue.path[0])) : undefined, message: issue.message };
      }),
    };
  }
  return { ok: true, data: result.data, body: parsed.content };
}
