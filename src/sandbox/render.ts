/**
 * Renders a Telegram text with its entities as HTML for the sandbox page, the way Telegram's apps show
 * it. Every character of the text goes through `escapeText`, and only http(s), tg: and mailto: links
 * become links: message texts come from clients, consultants and content files, and the page must
 * not be a way to run script in the browser of whoever uses the sandbox.
 */

export interface TextEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  [field: string]: unknown;
}

/** Escapes for HTML text and double- or single-quoted attribute values. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The URL if it is safe to link to from the page (http, https, tg, mailto), else undefined. */
export function safeUrl(raw: string): string | undefined {
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`;
  try {
    const url = new URL(candidate);
    return ['http:', 'https:', 'tg:', 'mailto:'].includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

interface Node {
  entity?: TextEntity;
  start: number;
  end: number;
  children: Node[];
}

function link(href: string | undefined, inner: string): string {
  if (!href) return `<span class="entity-link-refused" title="link not shown: not an http(s) address">${inner}</span>`;
  return `<a href="${escapeText(href)}" target="_blank" rel="noopener noreferrer">${inner}</a>`;
}

function wrap(entity: TextEntity, source: string, inner: string): string {
  switch (entity.type) {
    case 'bold': return `<b>${inner}</b>`;
    case 'italic': return `<i>${inner}</i>`;
    case 'underline': return `<u>${inner}</u>`;
    case 'strikethrough': return `<s>${inner}</s>`;
    case 'spoiler': return `<span class="spoiler" tabindex="0" role="button" aria-label="spoiler, press to reveal">${inner}</span>`;
    case 'code': return `<code>${inner}</code>`;
    case 'pre': {
      const language = typeof entity.language === 'string' ? ` data-language="${escapeText(entity.language)}"` : '';
      return `<pre><code${language}>${inner}</code></pre>`;
    }
    case 'blockquote': return `<blockquote>${inner}</blockquote>`;
    case 'expandable_blockquote': return `<blockquote class="expandable">${inner}</blockquote>`;
    case 'text_link': return link(typeof entity.url === 'string' ? safeUrl(entity.url) : undefined, inner);
    case 'url': return link(safeUrl(source), inner);
    case 'email': return link(safeUrl(`mailto:${source}`), inner);
    case 'mention': case 'hashtag': case 'cashtag': case 'bot_command': case 'text_mention':
      return `<span class="entity-${entity.type.replace('_', '-')}">${inner}</span>`;
    default: return inner; // custom emoji, dates…: their text is what a client without them sees
  }
}

function renderNode(text: string, node: Node): string {
  let out = '';
  let position = node.start;
  for (const child of node.children) {
    out += escapeText(text.slice(position, child.start));
    out += wrap(child.entity!, text.slice(child.start, child.end), renderNode(text, child));
    position = child.end;
  }
  return out + escapeText(text.slice(position, node.end));
}

/**
 * The text as HTML, entities applied (offsets and lengths in UTF-16 code units, as Telegram counts).
 * Entities nest; one that overlaps the end of an enclosing one is cut there, and malformed ones are dropped.
 */
export function renderText(text: string, entities: readonly TextEntity[] = []): string {
  const root: Node = { start: 0, end: text.length, children: [] };
  const valid = entities.filter((e) => Number.isInteger(e.offset) && Number.isInteger(e.length) && e.offset >= 0 && e.length > 0 && e.offset + e.length <= text.length);
  const sorted = [...valid].sort((a, b) => a.offset - b.offset || b.length - a.length);
  const stack: Node[] = [root];
  for (const entity of sorted) {
    const start = entity.offset;
    while (stack.length > 1 && stack.at(-1)!.end <= start) stack.pop();
    const parent = stack.at(-1)!;
    const end = Math.min(start + entity.length, parent.end);
    if (end <= start) continue;
    const node: Node = { entity, start, end, children: [] };
    parent.children.push(node);
    stack.push(node);
  }
  return renderNode(text, root);
}
