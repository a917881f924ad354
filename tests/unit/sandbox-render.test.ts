import { describe, expect, it } from 'vitest';
import { escapeText, renderText, safeUrl } from '../../src/sandbox/render.js';
import { viewMessage } from '../../src/sandbox/view.js';
import type { Message } from '../../src/sandbox/telegram-sim/index.js';

describe('sandbox rendering of Telegram texts', () => {
  it('escapes every character that could open markup, in text and attributes', () => {
    expect(escapeText(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
    expect(renderText('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('renders nested entities as Telegram shows them', () => {
    const text = 'Bold italic and code';
    const html = renderText(text, [
      { type: 'bold', offset: 0, length: 11 },
      { type: 'italic', offset: 5, length: 6 },
      { type: 'code', offset: 16, length: 4 },
    ]);
    expect(html).toBe('<b>Bold <i>italic</i></b> and <code>code</code>');
  });

  it('counts offsets in UTF-16 code units, as Telegram does (emoji take two)', () => {
    const html = renderText('🆘 Help now', [{ type: 'bold', offset: 3, length: 4 }]);
    expect(html).toBe('🆘 <b>Help</b> now');
  });

  it('escapes text inside entities and link targets', () => {
    const html = renderText('<b>x</b>', [{ type: 'text_link', offset: 0, length: 8, url: 'https://example.org/?a="b"&c=<d>' }]);
    expect(html).toBe('<a href="https://example.org/?a=%22b%22&amp;c=%3Cd%3E" target="_blank" rel="noopener noreferrer">&lt;b&gt;x&lt;/b&gt;</a>');
  });

  it('never links to javascript:, data: or other schemes', () => {
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>1</script>', 'vbscript:x', 'file:///etc/passwd']) {
      const html = renderText('click', [{ type: 'text_link', offset: 0, length: 5, url }]);
      expect(html).not.toContain('href');
      expect(safeUrl(url)).toBeUndefined();
    }
    expect(renderText('javascript:alert(1)', [{ type: 'url', offset: 0, length: 19 }])).not.toContain('href');
    expect(renderText('t.me/bot', [{ type: 'url', offset: 0, length: 8 }])).toContain('href="https://t.me/bot"');
  });

  it('shows spoilers hidden but reachable from the keyboard, and pre blocks with their language escaped', () => {
    expect(renderText('secret', [{ type: 'spoiler', offset: 0, length: 6 }])).toMatch(/^<span class="spoiler" tabindex="0" role="button"[^>]*>secret<\/span>$/);
    expect(renderText('a<b', [{ type: 'pre', offset: 0, length: 3, language: '"><script>' }])).toBe('<pre><code data-language="&quot;&gt;&lt;script&gt;">a&lt;b</code></pre>');
  });

  it('drops malformed entities and cuts overlapping ones instead of producing broken markup', () => {
    expect(renderText('abc', [{ type: 'bold', offset: 2, length: 5 }, { type: 'italic', offset: -1, length: 2 }])).toBe('abc');
    expect(renderText('abcdef', [{ type: 'bold', offset: 0, length: 4 }, { type: 'italic', offset: 2, length: 4 }])).toBe('<b>ab<i>cd</i></b>ef');
  });
});

describe('sandbox view of a message', () => {
  const chat = { id: 7, type: 'private' as const, first_name: 'A' };
  it('marks protected content, edits and media, and renders the caption escaped', () => {
    const message: Message = {
      message_id: 5, date: 0, chat, from: { id: 1, is_bot: true, first_name: 'Bot' }, has_protected_content: true, edit_date: 1,
      voice: { file_id: 'v', file_unique_id: 'vu' }, caption: '<i>note</i>', caption_entities: [{ type: 'bold', offset: 0, length: 3 }],
    };
    const view = viewMessage(message, 1);
    expect(view).toMatchObject({ fromBot: true, protected: true, edited: true, html: '<b>&lt;i&gt;</b>note&lt;/i&gt;' });
    expect(view.media).toMatch(/voice note/);
  });

  it('keeps inline buttons with their data, and a real reply but not the topic root', () => {
    const root: Message = { message_id: 10, date: 0, chat, text: 'root' };
    const inTopic = viewMessage({ message_id: 11, date: 0, chat, text: 'hi', message_thread_id: 10, is_topic_message: true, reply_to_message: root,
      reply_markup: { inline_keyboard: [[{ text: 'Take', callback_data: 'case:take:1' }]] } }, 1);
    expect(inTopic).toMatchObject({ threadId: 10, buttons: [[{ text: 'Take', data: 'case:take:1' }]] });
    expect(inTopic.replyTo).toBeUndefined();
    const reply = viewMessage({ message_id: 12, date: 0, chat, text: 'yes', message_thread_id: 10, is_topic_message: true, reply_to_message: { ...root, message_id: 11, text: 'question?' } }, 1);
    expect(reply.replyTo).toBe('question?');
  });
});

describe('the sandbox simulator token', () => {
  it('is random for each run and a valid bot token; the simulator then refuses the public default one', async () => {
    const { sandboxToken } = await import('../../src/sandbox/scene.js');
    const { FakeTelegram } = await import('../../src/sandbox/telegram-sim/index.js');
    const { loadConfig } = await import('../../src/config.js');
    const token = sandboxToken();
    expect(sandboxToken()).not.toBe(token);
    expect(loadConfig({ BOT_TOKEN: token, BOT_SECRET: 'x'.repeat(32), STAFF_CHAT_ID: '-1001' }).botToken).toBe(token);
    const fake = await FakeTelegram.start({ token });
    try {
      const call = (t: string) => fetch(`${fake.apiRoot}/bot${t}/getMe`, { method: 'POST' }).then((r) => r.status);
      expect(await call(token)).toBe(200);
      expect(await call('1234567890:AAFakeTelegramTokenForEndToEndTests00')).toBe(401);
    } finally {
      await fake.stop();
    }
  });
});
