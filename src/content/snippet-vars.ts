/**
 * Variables in snippets, filled when a consultant uses one:
 *
 *   {alias}                the consultant's name as the client sees it
 *   {pseudonym}            the client's pseudonym (e.g. 4F7K)
 *   {service:almaty}       a services directory entry (content/services/<lang>/almaty.md), whole
 *   {emergency}            the emergency numbers line (locales: snippet-emergency, numbers from settings.yml)
 *   {emergency:police}     one number of settings.yml emergency_numbers
 *
 * Single braces; `{{name}}` (an emergency number filled at load) is another thing and never matches.
 * A snippet is sent whole or not at all: any variable that cannot be filled stops it, and the consultant
 * is told which one and why.
 */

export const SNIPPET_VARIABLES = ['alias', 'pseudonym', 'service', 'emergency'] as const;
export type SnippetVariableName = (typeof SNIPPET_VARIABLES)[number];

const VARIABLE = /(?<!\{)\{([a-zA-Z][a-zA-Z0-9_-]*)(?::([^{}\s]*))?\}(?!\})/g;

export interface SnippetVariable {
  /** As written, e.g. {service:almaty}. */
  token: string;
  name: string;
  arg?: string;
  /** 1-based line in the text given. */
  line: number;
}

export function findVariables(text: string): SnippetVariable[] {
  const found: SnippetVariable[] = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(VARIABLE)) {
      found.push({ token: match[0], name: match[1]!, ...(match[2] !== undefined ? { arg: match[2] } : {}), line: index + 1 });
    }
  });
  return found;
}

const USAGE = 'use {alias}, {pseudonym}, {service:<entry>}, {emergency} or {emergency:<name>}';

/** What is wrong with each variable of a snippet's text (empty when all can be filled), for content:check. */
export function checkVariables(text: string, known: { services: readonly string[]; numbers: readonly string[] }): { line: number; token: string; message: string }[] {
  const problems: { line: number; token: string; message: string }[] = [];
  for (const v of findVariables(text)) {
    const problem = (message: string) => problems.push({ line: v.line, token: v.token, message });
    if (!(SNIPPET_VARIABLES as readonly string[]).includes(v.name)) problem(`"${v.name}" is not a snippet variable: ${USAGE}`);
    else if ((v.name === 'alias' || v.name === 'pseudonym') && v.arg !== undefined) problem(`{${v.name}} takes nothing after a colon`);
    else if (v.name === 'service' && !v.arg) problem('names no services entry: write {service:<file name without .md>}, e.g. {service:almaty}');
    else if (v.name === 'service' && !known.services.includes(v.arg!)) {
      problem(`there is no services entry "${v.arg}" (entries: ${known.services.join(', ') || 'none'})`);
    } else if (v.name === 'emergency' && v.arg !== undefined && !known.numbers.includes(v.arg)) {
      problem(`there is no emergency number "${v.arg}" in settings.yml (names: ${known.numbers.join(', ')})`);
    }
  }
  return problems;
}

/** A variable's value: HTML inline, or whole blocks when the variable stands alone in a paragraph. */
export type VariableValue = { ok: true; html: string; blocks?: string[] } | { ok: false; why: string };

export type FilledSnippet = { ok: true; blocks: string[] } | { ok: false; unfilled: { token: string; why: string }[] };

/**
 * The snippet's HTML blocks with every variable filled by `resolve`, or the list of those that could not
 * be (then nothing of the snippet may be sent).
 */
export function fillSnippet(blocks: readonly string[], resolve: (v: { name: string; arg?: string }) => VariableValue): FilledSnippet {
  const unfilled: { token: string; why: string }[] = [];
  const out: string[] = [];
  const value = (v: SnippetVariable): VariableValue => {
    const known = (SNIPPET_VARIABLES as readonly string[]).includes(v.name);
    const result = known ? resolve({ name: v.name, ...(v.arg !== undefined ? { arg: v.arg } : {}) }) : { ok: false as const, why: 'unknown variable' };
    if (!result.ok && !unfilled.some((u) => u.token === v.token)) unfilled.push({ token: v.token, why: result.why });
    return result;
  };
  for (const block of blocks) {
    const variables = findVariables(block);
    if (variables.length === 0) {
      out.push(block);
      continue;
    }
    const alone = variables.length === 1 && block.trim() === variables[0]!.token ? value(variables[0]!) : undefined;
    if (alone?.ok && alone.blocks) {
      out.push(...alone.blocks);
      continue;
    }
    if (alone) {
      if (alone.ok) out.push(alone.html);
      continue;
    }
    out.push(
      block.replace(VARIABLE, (token, name: string, arg: string | undefined) => {
        const result = value({ token, name, ...(arg !== undefined ? { arg } : {}), line: 0 });
        return result.ok ? result.html : token;
      }),
    );
  }
  return unfilled.length > 0 ? { ok: false, unfilled } : { ok: true, blocks: out };
}

/** The snippet's text as plain words (tags and entities out), for /snippets word. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
