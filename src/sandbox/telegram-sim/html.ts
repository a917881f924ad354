import type { MessageEntity } from './types.js';

/**
 * `parse_mode: "HTML"` as the Bot API documents it ("Formatting options"): the supported tags, the
 * four named entities and numeric ones, nesting, and Telegram's error wording for the mistakes bots
 * make. Offsets of the resulting entities are in UTF-16 code units; error positions in UTF-8 bytes,
 * as Telegram reports them.
 *
 * Strict by default: a bare `&` or an unknown `&name;` is refused (Telegram would show it as text),
 * because in a bot it nearly always means something was not escaped.
 */
export class EntityParseError extends Error {}

export interface ParsedText {
  text: string;
  entities: MessageEntity[];
}

const STYLE: Record<string, MessageEntity['type']> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
};
const SUPPORTED = new Set([...Object.keys(STYLE), 'a', 'span', 'code', 'pre', 'blockquote', 'tg-emoji']);
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface OpenTag {
  name: string;
  attributes: Map<string, string>;
  /** UTF-16 offset in the output where the tag's content starts. */
  start: number;
  /** For <pre>: the language taken from an inner <code class="language-…">. */
  language?: string;
}

const OPEN_TAG = /^<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/;
const CLOSE_TAG = /^<\/([a-zA-Z][a-zA-Z0-9-]*)\s*>/;
const ATTRIBUTE = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function decodeEntities(value: string): string {
  return value.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(lt|gt|amp|quot));/gi, (whole, hex: string, dec: string, name: string) => {
    if (name) return NAMED[name.toLowerCase()] ?? whole;
    const code = hex ? parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function attributesOf(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of source.matchAll(ATTRIBUTE)) {
    attributes.set(match[1]!.toLowerCase(), decodeEntities(match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return attributes;
}

export function parseHtml(html: string, options: { strictEntities?: boolean } = {}): ParsedText {
  const strict = options.strictEntities ?? true;
  const stack: OpenTag[] = [];
  const entities: MessageEntity[] = [];
  let text = '';
  const byteOffset = (index: number) => Buffer.byteLength(html.slice(0, index), 'utf8');
  const fail = (message: string): never => {
    throw new EntityParseError(message);
  };

  let i = 0;
  while (i < html.length) {
    const rest = html.slice(i);
    const char = html[i]!;

    if (char === '&') {
      const entity = /^&(?:#x([0-9a-fA-F]{1,6})|#(\d{1,7})|([a-zA-Z]+));/.exec(rest);
      const decoded = entity ? decodeEntities(entity[0]) : undefined;
      if (entity && decoded !== entity[0]) {
        text += decoded;
        i += entity[0].length;
      } else if (strict && entity) {
        fail(`Unsupported HTML entity "${entity[0]}" at byte offset ${byteOffset(i)} (fake-telegram strict mode; Telegram would show it as text)`);
      } else if (strict) {
        fail(`Unescaped "&" at byte offset ${byteOffset(i)} (fake-telegram strict mode: write &amp;; Telegram would show it as text)`);
      } else {
        text += char;
        i++;
      }
      continue;
    }

    if (char !== '<') {
      text += char;
      i++;
      continue;
    }

    const close = CLOSE_TAG.exec(rest);
    if (close) {
      const name = close[1]!.toLowerCase();
      const open = stack.pop();
      if (!open) fail(`Unexpected end tag at byte offset ${byteOffset(i)}`);
      if (open!.name !== name) fail(`Unmatched end tag at byte offset ${byteOffset(i)}, expected "</${open!.name}>", found "</${name}>"`);
      finish(open!, text.length, stack, entities, text);
      i += close[0].length;
      continue;
    }

    const opening = OPEN_TAG.exec(rest);
    if (!opening) {
      if (rest.startsWith('</')) fail(`Unexpected end tag at byte offset ${byteOffset(i)}`);
      if (!/^<[a-zA-Z]/.test(rest)) fail(`Unsupported start tag "" at byte offset ${byteOffset(i)}`);
      fail(`Unclosed start tag at byte offset ${byteOffset(i)}`);
    }
    const name = opening![1]!.toLowerCase();
    if (!SUPPORTED.has(name)) fail(`Unsupported start tag "${name}" at byte offset ${byteOffset(i)}`);
    const attributes = attributesOf(opening![2] ?? '');
    if (name === 'span' && attributes.get('class') !== 'tg-spoiler') fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(i)}`);
    if (name === 'tg-emoji' && !/^\d+$/.test(attributes.get('emoji-id') ?? '')) fail(`Custom emoji identifier must be non-empty at byte offset ${byteOffset(i)}`);
    stack.push({ name, attributes, start: text.length });
    i += opening![0].length;
  }

  const unclosed = stack.pop();
  if (unclosed) fail(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  return { text, entities: sortEntities(entities) };
}

/** Turns a closed tag into its entity (empty ones are dropped, as Telegram does). */
function finish(open: OpenTag, end: number, stack: OpenTag[], entities: MessageEntity[], text: string): void {
  const offset = open.start;
  const length = end - offset;
  const parent = stack[stack.length - 1];
  const language = /^language-(.+)$/.exec(open.attributes.get('class') ?? '')?.[1];
  if (open.name === 'code' && parent?.name === 'pre' && parent.start === offset && language) {
    parent.language = language; // <pre><code class="language-x"> is one pre entity with a language
    return;
  }
  if (length <= 0) return;
  if (STYLE[open.name]) entities.push({ type: STYLE[open.name]!, offset, length });
  else if (open.name === 'span') entities.push({ type: 'spoiler', offset, length });
  else if (open.name === 'code') entities.push({ type: 'code', offset, length });
  else if (open.name === 'pre') entities.push(open.language ? { type: 'pre', offset, length, language: open.language } : { type: 'pre', offset, length });
  else if (open.name === 'blockquote') entities.push({ type: open.attributes.has('expandable') ? 'expandable_blockquote' : 'blockquote', offset, length });
  else if (open.name === 'tg-emoji') entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: open.attributes.get('emoji-id') });
  else if (open.name === 'a') {
    const link = checkedLink(open.attributes.get('href') ?? text.slice(offset, end));
    if (link?.userId !== undefined) entities.push({ type: 'text_mention', offset, length, user: { id: link.userId, is_bot: false, first_name: '' } });
    else if (link) entities.push({ type: 'text_link', offset, length, url: link.url });
  }
}

/**
 * Whether Telegram would accept a link (in a text link or a URL button): http(s) with a dotted host
 * (a missing scheme means http), or a tg:// link; tg://user?id=N mentions a user. Others are dropped.
 */
export function checkedLink(raw: string): { url: string; userId?: number } | undefined {
  const link = raw.trim();
  if (/^tg:\/\/[a-z0-9_-]+/i.test(link)) {
    const userId = /^tg:\/\/user\?id=(\d+)$/i.exec(link)?.[1];
    return userId ? { url: link, userId: Number(userId) } : { url: link };
  }
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(link) ? link : `http://${link}`);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.') ? { url: url.href } : undefined;
  } catch {
    return undefined;
  }
}

/** Entities in a stable order: by offset, the longer (outer) one first, then by type name. */
export function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length || a.type.localeCompare(b.type));
}
