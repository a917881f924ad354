import { badRequest, TG } from './errors.js';
import { EntityParseError, parseHtml, sortEntities, type ParsedText } from './html.js';
import type { MessageEntity } from './types.js';

export interface TextLimits {
  /** Longest text allowed, in UTF-16 code units after entity parsing. */
  max: number;
  /** Captions may be empty; message texts may not. */
  allowEmpty: boolean;
  /** Description for "too long", e.g. `message is too long`. */
  tooLong: string;
  /** Description for "empty", e.g. `message text is empty`. */
  empty?: string;
}

export const MESSAGE_TEXT: TextLimits = { max: 4096, allowEmpty: false, tooLong: TG.textTooLong, empty: TG.textEmpty };
export const CAPTION: TextLimits = { max: 1024, allowEmpty: true, tooLong: TG.captionTooLong };

/**
 * What Telegram does to a text before storing it: parse entities (parse_mode wins unless explicit
 * entities are given), clean control characters, trim spaces and newlines at both ends, check the
 * length. Throws ApiError with Telegram's wording. Returns `entities` only when there are some.
 */
export function formatText(
  raw: string,
  parseMode: unknown,
  explicit: MessageEntity[] | undefined,
  limits: TextLimits,
  options: { strictEntities?: boolean } = {},
): { text: string; entities?: MessageEntity[] } {
  let parsed: ParsedText;
  if (explicit) parsed = { text: raw, entities: sortEntities(explicit.map((e) => ({ ...e }))) };
  else parsed = parse(raw, parseMode, options.strictEntities);
  const { text, entities } = trim(clean(parsed));
  if (text === '') {
    if (!limits.allowEmpty) throw badRequest(limits.empty ?? TG.textEmpty);
    return { text: '' };
  }
  if (text.length > limits.max) throw badRequest(limits.tooLong);
  return entities.length > 0 ? { text, entities } : { text };
}

function parse(raw: string, parseMode: unknown, strictEntities: boolean | undefined): ParsedText {
  if (parseMode === undefined || parseMode === '') return { text: raw, entities: [] };
  const mode = String(parseMode).toLowerCase();
  try {
    if (mode === 'html') return parseHtml(raw, { strictEntities });
    if (mode === 'markdownv2' || mode === 'markdown') {
      throw badRequest(`fake-telegram: parse_mode ${String(parseMode)} is not simulated; this project sends HTML`);
    }
  } catch (error) {
    if (error instanceof EntityParseError) throw badRequest(`can't parse entities: ${error.message}`);
    throw error;
  }
  throw badRequest(TG.unsupportedParseMode);
}

/** Telegram cleans incoming text: control characters become spaces; \r and U+2028…U+202E are removed. */
function clean({ text, entities }: ParsedText): ParsedText {
  if (!/[\u0000-\u0009\u000b-\u001f\u2028-\u202e]/.test(text)) return { text, entities };
  const map: number[] = [];
  let out = '';
  for (let i = 0; i < text.length; i++) {
    map.push(out.length);
    const code = text.charCodeAt(i);
    if (code === 0x0d || (code >= 0x2028 && code <= 0x202e)) continue;
    out += code < 0x20 && code !== 0x0a ? ' ' : text[i];
  }
  map.push(out.length);
  return { text: out, entities: remap(entities, (i) => map[i] ?? out.length) };
}

/** Telegram trims texts: trailing spaces and newlines go, and leading ones before the first entity. */
function trim({ text, entities }: ParsedText): ParsedText {
  const end = text.replace(/[ \n]+$/, '').length;
  const firstEntity = Math.min(end, ...entities.map((e) => e.offset));
  let start = 0;
  while (start < firstEntity && (text[start] === ' ' || text[start] === '\n')) start++;
  const clipped = remap(entities, (i) => Math.min(Math.max(i - start, 0), end - start));
  return { text: text.slice(start, end), entities: clipped };
}

function remap(entities: MessageEntity[], position: (utf16: number) => number): MessageEntity[] {
  const out: MessageEntity[] = [];
  for (const entity of entities) {
    const offset = position(entity.offset);
    const length = position(entity.offset + entity.length) - offset;
    if (length > 0) out.push({ ...entity, offset, length });
  }
  return sortEntities(out);
}

/** UTF-8 byte length (callback_data, inline query ids…). */
export const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');
