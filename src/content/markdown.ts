import { Marked, type Token, type Tokens, type TokenizerAndRendererExtension } from 'marked';

/**
 * Markdown → Telegram HTML (the subset Telegram accepts: b, i, u, s, tg-spoiler, a, code, pre, blockquote).
 * Headings become bold lines, lists become bullet lines, raw HTML is shown as text. Besides CommonMark,
 * `||spoiler||` and `++underline++` are supported, as Telegram has both and Markdown has neither.
 */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Variables for a translated HTML text: every string (an alias, a title from a file) escaped, numbers as they are. */
export function escapeHtmlValues<T extends Record<string, string | number>>(vars: T): T {
  return Object.fromEntries(Object.entries(vars).map(([key, value]) => [key, typeof value === 'string' ? escapeHtml(value) : value])) as T;
}

function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}

function inlineWrapper(name: string, marker: string): TokenizerAndRendererExtension {
  const pattern = new RegExp(`^\\${marker[0]}\\${marker[1]}(?=\\S)([\\s\\S]*?\\S)\\${marker[0]}\\${marker[1]}`);
  return {
    name,
    level: 'inline',
    start: (src) => src.indexOf(marker),
    tokenizer(src) {
      const match = pattern.exec(src);
      if (!match) return undefined;
      return { type: name, raw: match[0], tokens: this.lexer.inlineTokens(match[1] ?? '') };
    },
    renderer: () => '',
  };
}

const markdown = new Marked({
  gfm: true,
  extensions: [inlineWrapper('spoiler', '||'), inlineWrapper('underline', '++')],
});

function renderInline(tokens: Token[] | undefined): string {
  if (!tokens) return '';
  return tokens.map(renderInlineToken).join('');
}

function renderInlineToken(token: Token): string {
  switch (token.type) {
    case 'strong':
      return `<b>${renderInline((token as Tokens.Strong).tokens)}</b>`;
    case 'em':
      return `<i>${renderInline((token as Tokens.Em).tokens)}</i>`;
    case 'del':
      return `<s>${renderInline((token as Tokens.Del).tokens)}</s>`;
    case 'underline':
      return `<u>${renderInline((token as Tokens.Generic).tokens)}</u>`;
    case 'spoiler':
      return `<tg-spoiler>${renderInline((token as Tokens.Generic).tokens)}</tg-spoiler>`;
    case 'codespan':
      return `<code>${escapeHtml(decodeEntities((token as Tokens.Codespan).text))}</code>`;
    case 'br':
      return '\n';
    case 'link': {
      const link = token as Tokens.Link;
      const inner = renderInline(link.tokens);
      if (!/^(https?|tg):\/\//i.test(link.href)) return inner;
      return `<a href="${escapeAttribute(link.href)}">${inner}</a>`;
    }
    case 'image':
      return escapeHtml((token as Tokens.Image).text);
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? renderInline(text.tokens) : escapeHtml(decodeEntities(text.text));
    }
    case 'escape':
      return escapeHtml((token as Tokens.Escape).text);
    case 'html':
      return escapeHtml((token as Tokens.HTML).text);
    default:
      return 'text' in token && typeof token.text === 'string' ? escapeHtml(token.text) : '';
  }
}

/** marked's lexer hands back some text with HTML entities already applied (&amp; for & etc.). */
function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function renderList(list: Tokens.List, depth: number): string {
  const start = typeof list.start === 'number' ? list.start : 1;
  return list.items
    .map((item, index) => {
      const bullet = list.ordered ? `${start + index}.` : '•';
      const indent = '   '.repeat(depth);
      const parts = item.tokens.map((child) =>
        child.type === 'list' ? `\n${renderList(child as Tokens.List, depth + 1)}` : renderBlock(child, depth + 1),
      );
      return `${indent}${bullet} ${parts.join('').trim()}`;
    })
    .join('\n');
}

function renderBlock(token: Token, depth = 0): string {
  switch (token.type) {
    case 'heading':
      return `<b>${renderInline((token as Tokens.Heading).tokens)}</b>`;
    case 'paragraph':
      return renderInline((token as Tokens.Paragraph).tokens);
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? renderInline(text.tokens) : escapeHtml(text.text);
    }
    case 'list':
      return renderList(token as Tokens.List, depth);
    case 'blockquote': {
      const inner = (token as Tokens.Blockquote).tokens.map((t) => renderBlock(t)).filter(Boolean);
      return `<blockquote>${inner.join('\n\n')}</blockquote>`;
    }
    case 'code': {
      const code = token as Tokens.Code;
      const lang = code.lang ? ` class="language-${escapeAttribute(code.lang.split(/\s/)[0] ?? '')}"` : '';
      return `<pre><code${lang}>${escapeHtml(code.text)}</code></pre>`;
    }
    case 'hr':
      return '──────────';
    case 'html':
      return escapeHtml((token as Tokens.HTML).text.trim());
    case 'table': {
      const table = token as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => cells.map((c) => renderInline(c.tokens)).join(' | ');
      return [row(table.header), ...table.rows.map(row)].join('\n');
    }
    case 'space':
    case 'def':
      return '';
    default:
      return 'text' in token && typeof token.text === 'string' ? escapeHtml(token.text) : '';
  }
}

/** Renders markdown to a list of Telegram-HTML blocks (paragraphs, lists, quotes…), in order. */
export function renderMarkdownBlocks(source: string): string[] {
  const tokens = markdown.lexer(source.replace(/\r\n/g, '\n'));
  return tokens.map((t) => renderBlock(t).trim()).filter((block) => block.length > 0);
}

/** Renders markdown to one Telegram-HTML string (blocks separated by blank lines). */
export function renderMarkdown(source: string): string {
  return renderMarkdownBlocks(source).join('\n\n');
}
