import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
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

/** Line (1-based, in the whole file) of a front matter field or list item, e.g. ['media', 1]. */
export type LineOf = (path: readonly (string | number)[]) => number | undefined;

export type Parsed<T> = { ok: true; data: T; body: string; lineOf: LineOf } | { ok: false; problems: ContentProblem[] };

/** Tags a front matter may spell out; anything else (!!js/function, !custom…) is refused, never resolved. */
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'seq', 'map'].map((t) => `tag:yaml.org,2002:${t}`));

/** Front matter never needs aliases; a few are tolerated, a "billion laughs" is refused. */
const MAX_ALIAS_COUNT = 10;

const DELIMITER = '---';

interface Split {
  /** The YAML text between the delimiters ('' when the file has no front matter). */
  yaml: string;
  /** Line number (1-based) of the first YAML line in the file. */
  firstLine: number;
  body: string;
}

/**
 * Splits off the front matter: a first line of exactly `---`, up to the next line of exactly `---`.
 * `---js`, `---coffee` or any other tag after the opening dashes is refused: content files are data.
 */
function splitFrontMatter(source: string): Split | { line: number; message: string } {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const first = lines[0] ?? '';
  if (first.trimEnd() !== DELIMITER) {
    if (first.startsWith(DELIMITER)) {
      return {
        line: 1,
        message: `front matter must open with a line of exactly "---" (YAML only); "${first.slice(0, 40)}" is refused: content files are data, never code`,
      };
    }
    return { yaml: '', firstLine: 1, body: text };
  }
  const close = lines.findIndex((line, index) => index > 0 && line.trimEnd() === DELIMITER);
  if (close < 0) return { line: 1, message: 'front matter opened with "---" on line 1 is never closed by a line of "---"' };
  return { yaml: lines.slice(1, close).join('\n'), firstLine: 2, body: lines.slice(close + 1).join('\n') };
}

/** Parses YAML text as data only: core schema (dates stay text), no custom tags, unique keys, few aliases. */
function parseYaml(split: Split): { data: unknown; lineOf: LineOf } | { line?: number; message: string } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(split.yaml, {
    schema: 'core',
    customTags: [],
    merge: false,
    uniqueKeys: true,
    strict: true,
    prettyErrors: false, // pretty errors quote the source; a problem names the line instead
    lineCounter,
  });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line + split.firstLine - 1;
  const invalid = (issue: { pos: [number, number]; message: string }) => ({
    line: lineAt(issue.pos[0]),
    message: `front matter is not valid YAML: ${issue.message.split('\n')[0]}`,
  });
  if (doc.errors[0]) return invalid(doc.errors[0]);

  let refusedTag: { tag: string; offset: number } | undefined;
  visit(doc, {
    Node(_key, node) {
      if (node.tag && !PLAIN_TAGS.has(node.tag)) {
        refusedTag = { tag: node.tag, offset: node.range?.[0] ?? 0 };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (refusedTag) return { line: lineAt(refusedTag.offset), message: `the YAML tag "${refusedTag.tag}" is not allowed in front matter (plain values only)` };
  if (doc.warnings[0]) return invalid(doc.warnings[0]);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    let firstAlias: number | undefined;
    visit(doc, { Alias: (_key, node) => ((firstAlias = node.range?.[0]), visit.BREAK) });
    const line = firstAlias === undefined ? undefined : lineAt(firstAlias);
    return { line, message: `front matter is not valid YAML: ${(error as Error).message}` };
  }
  if (data !== null && (typeof data !== 'object' || Array.isArray(data))) {
    return { line: split.firstLine, message: 'front matter must be fields like "title: …", one per line' };
  }
  return { data: data ?? {}, lineOf: (path) => lineOfPath(doc, path, lineAt) };
}

/** The line of the deepest node along `path` that exists: the key of a field, or a list item. */
function lineOfPath(doc: Document, path: readonly (string | number)[], lineAt: (offset: number) => number): number | undefined {
  let node: unknown = doc.contents;
  let line: number | undefined;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(step));
      if (!pair || !isNode(pair.key) || !pair.key.range) break;
      line = lineAt(pair.key.range[0]);
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step];
      if (!isNode(item) || !item.range) break;
      line = lineAt(item.range[0]);
      node = item;
    } else {
      break;
    }
  }
  return line;
}

/**
 * Splits a markdown file into validated front matter and body. Never throws and never evaluates
 * anything: a non-YAML front matter, a YAML error or a field that does not match `schema` comes back
 * as problems naming the file, line and field.
 */
export function parseFrontMatter<T>(file: string, source: string, schema: z.ZodType<T>): Parsed<T> {
  const split = splitFrontMatter(source);
  if (!('yaml' in split)) return { ok: false, problems: [{ file, line: split.line, message: split.message }] };
  const yaml = parseYaml(split);
  if (!('data' in yaml)) return { ok: false, problems: [{ file, line: yaml.line, message: yaml.message }] };
  const result = schema.safeParse(yaml.data);
  if (!result.success) return { ok: false, problems: schemaProblems(file, result.error, yaml.lineOf) };
  return { ok: true, data: result.data, body: split.body, lineOf: yaml.lineOf };
}

/** Schema problems with the field and its line; an unknown field is reported at its own line, not at the object holding it. */
function schemaProblems(file: string, error: z.ZodError, lineOf: (path: (string | number)[]) => number | undefined): ContentProblem[] {
  return error.issues.map((issue) => {
    const unknown = issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [];
    const path = [...issue.path, ...unknown].filter((step): step is string | number => typeof step !== 'symbol');
    const field = path.join('.') || undefined;
    return { file, field, line: field ? lineOf(path) : undefined, message: issue.message };
  });
}

/**
 * Parses a whole YAML file (such as content/settings.yml) with the same rules as a front matter:
 * data only, problems name the file, line and field.
 */
export function parseYamlFile<T>(file: string, source: string, schema: z.ZodType<T>): { ok: true; data: T; lineOf: LineOf } | { ok: false; problems: ContentProblem[] } {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const yaml = parseYaml({ yaml: text, firstLine: 1, body: '' });
  if (!('data' in yaml)) return { ok: false, problems: [{ file, line: yaml.line, message: yaml.message.replace('front matter', 'the file') }] };
  const result = schema.safeParse(yaml.data);
  if (result.success) return { ok: true, data: result.data, lineOf: yaml.lineOf };
  return { ok: false, problems: schemaProblems(file, result.error, yaml.lineOf) };
}
