import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderMarkdownBlocks } from '../../src/content/markdown.js';
import { MESSAGE_LIMIT, splitMessage, visibleLength } from '../../src/content/split.js';

describe('markdown → Telegram HTML', () => {
  it('renders inline formatting with Telegram tags', () => {
    expect(renderMarkdown('**bold** *italic* ~~gone~~ ++under++ ||hidden|| `x < y`')).toBe(
      '<b>bold</b> <i>italic</i> <s>gone</s> <u>under</u> <tg-spoiler>hidden</tg-spoiler> <code>x &lt; y</code>',
    );
  });

  it('escapes HTML special characters and never passes raw HTML through', () => {
    expect(renderMarkdown('Tom & Jerry <script>alert(1)</script> 5 > 3')).toBe(
      'Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt; 5 &gt; 3',
    );
    expect(renderMarkdown('<b>not bold</b>')).toBe('&lt;b&gt;not bold&lt;/b&gt;');
  });

  it('keeps Cyrillic, Kazakh letters and emoji intact', () => {
    expect(renderMarkdown('**Передозировка** — қауіпті ⚠️')).toBe('<b>Передозировка</b> — қауіпті ⚠️');
  });

  it('renders links with escaped attributes and drops unsafe schemes', () => {
    expect(renderMarkdown('[WHO](https://www.who.int/?a=1&b="2")')).toBe(
      '<a href="https://www.who.int/?a=1&amp;b=&quot;2&quot;">WHO</a>',
    );
    expect(renderMarkdown('[click](javascript:alert(1))')).toBe('click');
  });

  it('turns headings into bold lines, lists into bullets, quotes into blockquotes', () => {
    expect(renderMarkdownBlocks('### What to do\n\n- one\n- two\n\n1. first\n2. second\n\n> stay with them')).toEqual([
      '<b>What to do</b>',
      '• one\n• two',
      '1. first\n2. second',
      '<blockquote>stay with them</blockquote>',
    ]);
  });
});

describe('splitting long texts', () => {
  it('keeps short texts in one message', () => {
    expect(splitMessage(['a', 'b'])).toEqual(['a\n\nb']);
  });

  it('splits at paragraph boundaries, each part within the limit', () => {
    const paragraph = 'Слово '.repeat(150).trim(); // 899 characters
    const blocks = Array.from({ length: 12 }, (_, i) => `<b>${i}</b> ${paragraph}`);
    const messages = splitMessage(blocks);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(visibleLength(message)).toBeLessThanOrEqual(MESSAGE_LIMIT);
    // No paragraph was cut: joining the parts gives back the original paragraphs.
    expect(messages.join('\n\n').split('\n\n')).toEqual(blocks);
  });

  it('counts the visible length, not the markup', () => {
    expect(visibleLength('<b>a&amp;b</b>')).toBe(3);
    const block = `<b>${'x'.repeat(4000)}</b>`;
    expect(splitMessage([block, block])).toHaveLength(2);
  });

  it('breaks a single huge paragraph without cutting a tag in half', () => {
    const huge = renderMarkdown(`**start** ${'word '.repeat(2000)}`);
    const messages = splitMessage([huge]);
    expect(messages.length).toBeGreaterThanOrEqual(3);
    for (const message of messages) {
      expect(visibleLength(message)).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(message.match(/<b>/g)?.length ?? 0).toBe(message.match(/<\/b>/g)?.length ?? 0);
    }
  });

  it('breaks a long list between its items', () => {
    const list = renderMarkdown(Array.from({ length: 300 }, (_, i) => `- item ${i} ${'z'.repeat(20)}`).join('\n'));
    const messages = splitMessage([list]);
    expect(messages.length).toBe(3);
    expect(messages.every((m) => m.startsWith('• item'))).toBe(true);
  });
});
