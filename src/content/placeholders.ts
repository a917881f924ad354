/**
 * Organisation placeholders: `[[ORG: what to verify]]` inside a text marks a fact only the
 * organisation can fill in (a local address, a law article). content:check lists each one and
 * `--strict` fails on them; a client never sees the marker: the sentence or list item holding it is
 * replaced by a localized line ("Ask a consultant about this: the details are being confirmed locally").
 */

const MARKER = /\[\[\s*ORG\s*:\s*([^\]]*?)\s*\]\]/g;
const HAS_MARKER = /\[\[\s*ORG\s*:/;

export interface Placeholder {
  /** 1-based line in the text given (add the body's offset for the file's line). */
  line: number;
  note: string;
}

/** Every `[[ORG: …]]` of a text with its line and note. An unclosed `[[ORG:` counts too. */
export function findPlaceholders(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  text.split('\n').forEach((line, index) => {
    let any = false;
    for (const match of line.matchAll(MARKER)) {
      any = true;
      found.push({ line: index + 1, note: match[1] ?? '' });
    }
    if (!any && HAS_MARKER.test(line)) {
      found.push({ line: index + 1, note: `${line.slice(line.search(HAS_MARKER)).trim()} (not closed with ]] on this line: write a marker on one line)` });
    }
  });
  return found;
}

const LIST_ITEM = /^(\s*(?:[-*+]|\d{1,3}[.)])\s+)(.*)$/;

/** Characters markdown would read as formatting, escaped so the line shows as written. */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]{}()#+!|<>~-])/g, '\\$1');
}

/**
 * The sentences of a line, split after . ! ? … followed by a space. A marker's own text may hold
 * dots ("Art. 296"), so the split never happens inside a marker.
 */
function sentences(line: string): string[] {
  const parts: string[] = [];
  let start = 0;
  const boundary = /[.!?…](?:\*\*|__|\*|_)?\s+/g;
  for (const match of line.matchAll(boundary)) {
    const end = (match.index ?? 0) + match[0].length;
    const before = line.slice(0, end);
    const open = (before.match(/\[\[/g) ?? []).length > (before.match(/\]\]/g) ?? []).length;
    if (open) continue;
    parts.push(line.slice(start, end));
    start = end;
  }
  parts.push(line.slice(start));
  return parts.filter((part) => part !== '');
}

/**
 * The markdown with every sentence that holds a marker replaced by `notice`, shown in italics (a list
 * item of one sentence becomes the notice). Headings and table rows holding a marker lose only the marker.
 */
export function hidePlaceholders(markdown: string, notice: string, format: 'markdown' | 'html' = 'markdown'): string {
  const shown = format === 'html' ? `<i>${notice.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</i>` : `_${escapeMarkdown(notice)}_`;
  return markdown
    .split('\n')
    .map((line) => {
      if (!HAS_MARKER.test(line)) return line;
      if (/^\s*(#{1,6}\s|\|)/.test(line)) return stripPlaceholders(line);
      // A list item keeps its bullet and its other sentences: a step of the overdose algorithm must
      // not vanish because one detail in it is still being verified.
      const indent = LIST_ITEM.exec(line)?.[1] ?? /^\s*(?:>\s*)*/.exec(line)?.[0] ?? '';
      const replaced: string[] = [];
      for (const sentence of sentences(line.slice(indent.length))) {
        if (!HAS_MARKER.test(sentence)) replaced.push(sentence);
        else if (replaced.at(-1) !== `${shown} `) replaced.push(`${shown} `);
      }
      return `${indent}${replaced.join('').trimEnd()}`;
    })
    .join('\n');
}

/** A short text (a title) without its markers. */
export function stripPlaceholders(text: string): string {
  return text.replace(MARKER, '').replace(/\[\[\s*ORG\s*:[^\n]*/g, '').replace(/\s{2,}/g, ' ').trim();
}

/** The line shown instead of a marker when the locales have none. */
export const DEFAULT_PLACEHOLDER_NOTICE = 'Ask a consultant about this: the details are being confirmed locally.';
