import { escapeHtml } from './markdown.js';

export const MESSAGE_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

/**
 * How long Telegram considers an HTML text: tags removed and entities decoded, counted in UTF-16 code
 * units (which is what String#length counts).
 */
export function visibleLength(html: string): number {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi, '_').length;
}

function stripTags(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** Cuts one over-long plain text at whitespace (or hard, if a "word" is longer than the limit). */
function cutPlain(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf(' ', limit);
    if (cut < limit / 2) cut = rest.lastIndexOf('\n', limit);
    if (cut < limit / 2) cut = limit;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** True when every tag opened in `html` is closed in it, so it can stand as a message of its own. */
function tagsBalanced(html: string): boolean {
  const stack: string[] = [];
  for (const match of html.matchAll(/<(\/?)([a-z-]+)[^>]*>/gi)) {
    const [, closing, name] = match as unknown as [string, string, string];
    if (!closing) stack.push(name);
    else if (stack.pop() !== name) return false;
  }
  return stack.length === 0;
}

/**
 * Breaks a block that alone exceeds the limit: at line breaks first (lists, long quotes); a single
 * line longer than the limit loses its formatting and is cut at spaces, so no tag is ever cut in half.
 */
function splitBlock(block: string, limit: number): string[] {
  if (visibleLength(block) <= limit) return [block];
  const lines = block.split('\n');
  const balanced = lines.every(tagsBalanced);
  if (lines.length > 1 && balanced) return packBlocks(lines, limit, '\n');
  return cutPlain(stripTags(block), limit).map(escapeHtml);
}

function packBlocks(blocks: string[], limit: number, separator: string): string[] {
  const messages: string[] = [];
  let current = '';
  for (const block of blocks.flatMap((b) => splitBlock(b, limit))) {
    const candidate = current ? current + separator + block : block;
    if (visibleLength(candidate) <= limit) {
      current = candidate;
    } else {
      if (current) messages.push(current);
      current = block;
    }
  }
  if (current) messages.push(current);
  return messages;
}

/**
 * Packs rendered blocks into as few Telegram messages as possible, each within `limit` visible
 * characters, breaking only between paragraphs (or, for a single huge block, between its lines).
 */
export function splitMessage(blocks: string[], limit = MESSAGE_LIMIT): string[] {
  return packBlocks(blocks.filter((b) => b.trim() !== ''), limit, '\n\n');
}
