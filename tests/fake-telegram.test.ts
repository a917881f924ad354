import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Api, GrammyError, InputFile } from 'grammy';
import { FakeTelegram, parseHtml, type Message, type User } from '../src/sandbox/telegram-sim/index.js';

interface Answer {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

let fake: FakeTelegram;

/** One Bot API call over HTTP with a JSON body, as any client would make it. */
async function call(method: string, params: Record<string, unknown> = {}, token = fake.token): Promise<Answer & { status: number }> {
  const response = await fetch(`${fake.apiRoot}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, ...((await response.json()) as Answer) };
}

async function ok<T = Message>(method: string, params: Record<string, unknown> = {}): Promise<T> {
  const answer = await call(method, params);
  if (!answer.ok) throw new Error(`${method} failed: ${answer.description}`);
  return answer.result as T;
}

async function refused(method: string, params: Record<string, unknown>): Promise<string> {
  const answer = await call(method, params);
  expect(answer.ok, `${method} should have failed`).toBe(false);
  expect(answer.status).toBe(answer.error_code);
  return answer.description ?? '';
}

const keyboard = (...data: string[]) => ({ inline_keyboard: [data.map((d) => ({ text: d, callback_data: d }))] });

let alice: User;

beforeEach(async () => {
  fake = await FakeTelegram.start({ botUsername: 'test_help_bot' });
  alice = fake.createUser({ first_name: 'Alice', username: 'alice_x', language_code: 'ru' });
});

afterEach(async () => {
  await fake.stop();
});

describe('requests Telegram would refuse', () => {
  it('answers 404 for an unknown method and 401 for a wrong token', async () => {
    expect(await call('sendMesage', { chat_id: alice.id, text: 'hi' })).toEqual({
      status: 404, ok: false, error_code: 404, description: 'Not Found',
    });
    expect(await call('getMe', {}, '1234567890:wrong')).toEqual({ status: 401, ok: false, error_code: 401, description: 'Unauthorized' });
    expect(fake.failedCalls().map((c) => c.method)).toEqual(['sendMesage', 'getMe']);
  });

  it('answers only on its own address, not to web pages, and never changes state for a GET (DNS rebinding, <img>)', async () => {
    const { request } = await import('node:http');
    const port = Number(new URL(fake.apiRoot).port);
    const raw = (path: string, method: string, headers: Record<string, string>) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    const alice = fake.createUser({ first_name: 'Alice' });
    fake.sendText(alice, 'typed in the sandbox');
    const own = { host: `127.0.0.1:${port}` };
    expect((await raw(`/bot${fake.token}/getUpdates?timeout=0`, 'GET', { host: `rebind.evil.example:${port}` })).status).toBe(421);
    expect((await raw(`/bot${fake.token}/getMe`, 'POST', { ...own, origin: 'http://evil.example' })).status).toBe(403);
    const get = await raw(`/bot${fake.token}/sendMessage?chat_id=${alice.id}&text=hi`, 'GET', own);
    expect(get.status).toBe(405);
    expect(get.body).toMatch(/sendMessage changes state; use POST/);
    expect((await raw(`/bot${fake.token}/getUpdates?timeout=0`, 'GET', own)).status).toBe(405); // it confirms updates
    expect((await raw(`/bot${fake.token}/getMe`, 'GET', own)).status).toBe(200);
    expect((await raw(`/bot${fake.token}/getMe`, 'GET', { host: `localhost:${port}` })).status).toBe(200);
    expect(fake.botMessages(alice.id)).toEqual([]);
  });

  it('names missing, unknown and mistyped parameters', async () => {
    expect(await refused('sendMessage', { text: 'hi' })).toBe('Bad Request: chat_id is empty');
    expect(await refused('sendMessage', { chat_id: alice.id })).toBe('Bad Request: message text is empty');
    expect(await refused('sendMessage', { chat_id: alice.id, text: 'hi', foo: 1 })).toBe(
      'Bad Request: unknown parameter "foo" for method sendMessage',
    );
    expect(await refused('sendMessage', { chat_id: true, text: 'hi' })).toMatch(/parameter "chat_id" must be of type Integer or String, got boolean/);
    expect(await refused('sendMessage', { chat_id: alice.id, text: 'hi', disable_notification: 'yes' })).toMatch(
      /parameter "disable_notification" must be of type Boolean/,
    );
    expect(await refused('setMyCommands', {})).toBe('Bad Request: parameter "commands" is required for method setMyCommands');
    expect(await refused('sendMessage', { chat_id: 42, text: 'hi' })).toBe('Bad Request: chat not found');
  });

  it('checks nested objects: keyboards, abstract types, unknown fields', async () => {
    const send = (extra: Record<string, unknown>) => refused('sendMessage', { chat_id: alice.id, text: 'hi', ...extra });
    expect(await send({ reply_markup: { inline_keyboard: [[{ text: 'a', callback_data: 5 }]] } })).toMatch(
      /field "reply_markup\.inline_keyboard\[0\]\[0\]\.callback_data" must be of type String, got number 5/,
    );
    expect(await send({ reply_markup: { inline_keyboard: [[{ text: 'a', callback_data: 'x', colour: 'red' }]] } })).toMatch(
      /unknown field "reply_markup\.inline_keyboard\[0\]\[0\]\.colour" in InlineKeyboardButton/,
    );
    expect(await send({ reply_markup: { inline_keyboard: [{ text: 'a', callback_data: 'x' }] } })).toMatch(
      /reply_markup\.inline_keyboard\[0\]" must be an Array of InlineKeyboardButton/,
    );
    expect(await send({ reply_markup: { inline_keyboard: [[{ text: 'a' }]] } })).toBe(
      "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    );
    expect(await send({ link_preview_options: { is_disabled: 'true' } })).toMatch(/link_preview_options\.is_disabled" must be of type Boolean/);
    expect(await send({ reply_parameters: { message_id: 1, chat: 5 } })).toMatch(/unknown field "reply_parameters\.chat" in ReplyParameters/);
    expect(await refused('setMyCommands', { commands: [], scope: { type: 'chat' } })).toMatch(/field "scope\.chat_id" is required in BotCommandScopeChat/);
    expect(await refused('setMyCommands', { commands: [], scope: { type: 'everyone' } })).toMatch(
      /field "scope\.type" must be one of "default", "all_private_chats".* \(BotCommandScope\), got string "everyone"/,
    );
    expect(await refused('sendMediaGroup', {
      chat_id: alice.id,
      media: [{ type: 'photo', media: 'AgAC1' }, { type: 'gif', media: 'AgAC2' }],
    })).toMatch(/media\[1\]\.type" must be one of/);
    expect(await refused('sendPaidMedia', { chat_id: alice.id, star_count: 5, media: [{ type: 'photo', media: 'x', caption: 'no' }] })).toMatch(
      /unknown field "media\[0\]\.caption" in InputPaidMediaPhoto/,
    );
  });

  it('reads multipart and urlencoded bodies: numbers, booleans and JSON-serialized objects as strings, files', async () => {
    const form = new FormData();
    form.set('chat_id', String(alice.id));
    form.set('caption', '<b>look</b>');
    form.set('parse_mode', 'HTML');
    form.set('has_spoiler', 'true');
    form.set('reply_markup', JSON.stringify(keyboard('like')));
    form.set('photo', new Blob([new Uint8Array(1234)]), 'cat.jpg');
    const response = await fetch(`${fake.apiRoot}/bot${fake.token}/sendPhoto`, { method: 'POST', body: form });
    const answer = (await response.json()) as Answer & { result: Message };
    expect(answer.ok).toBe(true);
    expect(answer.result).toMatchObject({ caption: 'look', caption_entities: [{ type: 'bold', offset: 0, length: 4 }], has_media_spoiler: true });
    expect(answer.result.reply_markup).toEqual(keyboard('like'));
    const call = fake.calls.at(-1)!;
    expect(call.files).toEqual([{ name: 'photo', filename: 'cat.jpg', size: 1234 }]);
    expect(call.params).toMatchObject({ chat_id: alice.id, has_spoiler: true, reply_markup: keyboard('like') });

    const bad = new URLSearchParams({ chat_id: String(alice.id), text: 'x', reply_markup: '{not json' });
    const refusedForm = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, { method: 'POST', body: bad });
    expect(((await refusedForm.json()) as Answer).description).toMatch(/parameter "reply_markup" must be JSON-serialized/);
  });
});

describe('text, HTML and limits', () => {
  const send = (text: string, extra: Record<string, unknown> = {}) => call('sendMessage', { chat_id: alice.id, text, ...extra });

  it('turns HTML into entities with UTF-16 offsets', async () => {
    const html = '😀 <b>bold <i>both</i></b> <a href="example.com">link</a> <tg-spoiler>x</tg-spoiler>\n' +
      '<pre><code class="language-ts">let a = 1;</code></pre><blockquote expandable>quote</blockquote> &lt;&amp;&gt; &#65;&#x42;';
    const message = await ok('sendMessage', { chat_id: alice.id, text: html, parse_mode: 'HTML' });
    expect(message.text).toBe('😀 bold both link x\nlet a = 1;quote <&> AB');
    expect(message.entities).toEqual([
      { type: 'bold', offset: 3, length: 9 },
      { type: 'italic', offset: 8, length: 4 },
      { type: 'text_link', offset: 13, length: 4, url: 'http://example.com/' },
      { type: 'spoiler', offset: 18, length: 1 },
      { type: 'pre', offset: 20, length: 10, language: 'ts' },
      { type: 'expandable_blockquote', offset: 30, length: 5 },
    ]);
  });

  it('refuses broken HTML with Telegram’s messages', async () => {
    const parse = async (text: string) => (await send(text, { parse_mode: 'HTML' })).description;
    expect(await parse('<x>hi</x>')).toBe('Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0');
    expect(await parse('Привет <b>мир')).toBe('Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"');
    expect(await parse('1 < 2')).toBe('Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 2');
    expect(await parse('<b>a</i>')).toBe('Bad Request: can\'t parse entities: Unmatched end tag at byte offset 4, expected "</b>", found "</i>"');
    expect(await parse('<span class="x">a</span>')).toMatch(/Tag "span" must have class "tg-spoiler" at byte offset 0/);
    expect(await parse('Q&A')).toMatch(/can't parse entities: Unescaped "&" at byte offset 1/);
    expect(await parse('a&nbsp;b')).toMatch(/Unsupported HTML entity "&nbsp;" at byte offset 1/);
    expect((await send('x', { parse_mode: 'HTML5' })).description).toBe('Bad Request: unsupported parse_mode');
  });

  it('parses HTML directly: positions in bytes, lenient mode, nesting and custom emoji', () => {
    const error = (html: string) => {
      try {
        parseHtml(html, { strictEntities: false });
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(error('é <b')).toBe('Unclosed start tag at byte offset 3');
    expect(error('ж</b>')).toBe('Unexpected end tag at byte offset 2');
    expect(error('<u><s>x</u></s>')).toBe('Unmatched end tag at byte offset 7, expected "</s>", found "</u>"');
    expect(error('<tg-emoji>x</tg-emoji>')).toMatch(/Custom emoji identifier must be non-empty/);
    expect(parseHtml('Q&A &nbsp; &#1046;', { strictEntities: false }).text).toBe('Q&A &nbsp; Ж');
    expect(parseHtml('<b><i></i></b>x').entities).toEqual([]);
    expect(parseHtml('<a href="tg://user?id=42">you</a> <tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>').entities).toEqual([
      { type: 'text_mention', offset: 0, length: 3, user: { id: 42, is_bot: false, first_name: '' } },
      { type: 'custom_emoji', offset: 4, length: 2, custom_emoji_id: '5368324170671202286' },
    ]);
  });

  it('counts length in UTF-16 code units after parsing, and trims', async () => {
    expect((await send(`<b>${'a'.repeat(4096)}</b>`, { parse_mode: 'HTML' })).ok).toBe(true);
    expect((await send('&amp;'.repeat(4096), { parse_mode: 'HTML' })).ok).toBe(true);
    expect((await send('a'.repeat(4097))).description).toBe('Bad Request: message is too long');
    expect((await send('😀'.repeat(2049))).description).toBe('Bad Request: message is too long');
    expect((await send('<b></b>', { parse_mode: 'HTML' })).description).toBe('Bad Request: message text is empty');
    expect((await send(' \n ')).description).toBe('Bad Request: message text is empty');
    expect(await ok('sendMessage', { chat_id: alice.id, text: '\n\n  <b>hi</b>  \n', parse_mode: 'HTML' })).toMatchObject({
      text: 'hi', entities: [{ type: 'bold', offset: 0, length: 2 }],
    });
    const caption = (text: string) => call('sendPhoto', { chat_id: alice.id, photo: 'AgACphoto', caption: text });
    expect((await caption('c'.repeat(1024))).ok).toBe(true);
    expect((await caption('c'.repeat(1025))).description).toBe('Bad Request: message caption is too long');
  });

  it('keeps callback_data within 1-64 bytes', async () => {
    const button = (data: string) => call('sendMessage', { chat_id: alice.id, text: 'x', reply_markup: keyboard(data) });
    expect((await button('x'.repeat(64))).ok).toBe(true);
    expect((await button('x'.repeat(65))).description).toBe('Bad Request: BUTTON_DATA_INVALID');
    expect((await button('я'.repeat(33))).description).toBe('Bad Request: BUTTON_DATA_INVALID');
    expect((await button('')).description).toBe('Bad Request: BUTTON_DATA_INVALID');
  });
});

describe('getUpdates', () => {
  const poll = (params: Record<string, unknown>) => call('getUpdates', params);

  it('long-polls: a pushed update arrives at once and stays until confirmed by offset', async () => {
    const started = Date.now();
    const waiting = poll({ timeout: 10 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const sent = fake.sendText(alice, '/start');
    const first = await waiting;
    expect(Date.now() - started).toBeLessThan(2000);
    const updates = first.result as { update_id: number; message: Message }[];
    expect(updates).toHaveLength(1);
    expect(updates[0]!.message).toMatchObject({ text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }], from: { id: alice.id } });
    expect(updates[0]!.message.message_id).toBe(sent.message_id);
    const id = updates[0]!.update_id;
    expect(((await poll({})).result as unknown[]).length).toBe(1); // not confirmed yet
    expect(fake.updatesPending()).toHaveLength(1);
    expect((await poll({ offset: id + 1, timeout: 0 })).result).toEqual([]);
    expect(fake.updatesPending()).toEqual([]);
  });

  it('honours limit, negative offsets and allowed_updates', async () => {
    for (const text of ['a', 'b', 'c']) fake.sendText(alice, text);
    expect(((await poll({ limit: 2 })).result as unknown[]).length).toBe(2);
    const last = (await poll({ offset: -1 })).result as { message: Message }[];
    expect(last.map((u) => u.message.text)).toEqual(['c']);
    await poll({ offset: 100, allowed_updates: ['callback_query'] });
    expect(fake.sendText(alice, 'ignored')).toBeDefined();
    expect(fake.updatesPending()).toEqual([]);
    expect(fake.droppedUpdates().map((u) => u.message?.text)).toEqual(['ignored']);
  });

  it('terminates a waiting getUpdates with 409 when another one comes', async () => {
    const first = poll({ timeout: 10 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = poll({ timeout: 0 });
    expect(await first).toMatchObject({
      status: 409,
      description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    });
    expect((await second).ok).toBe(true);
  });
});

describe('messages', () => {
  it('edits: applied, "not modified" when identical, keyboard removed when omitted', async () => {
    const sent = await ok('sendMessage', { chat_id: alice.id, text: 'one', reply_markup: keyboard('a') });
    const edit = (params: Record<string, unknown>) => call('editMessageText', { chat_id: alice.id, message_id: sent.message_id, ...params });
    expect((await edit({ text: 'one', reply_markup: keyboard('a') })).description).toBe(
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
    expect((await edit({ text: 'two' })).result).toMatchObject({ text: 'two', edit_date: expect.any(Number) });
    expect(fake.botMessages(alice)[0]?.reply_markup).toBeUndefined();
    expect((await call('editMessageReplyMarkup', { chat_id: alice.id, message_id: sent.message_id, reply_markup: keyboard('b') })).ok).toBe(true);
    expect((await call('editMessageText', { chat_id: alice.id, message_id: 999, text: 'x' })).description).toBe('Bad Request: message to edit not found');
    expect((await call('editMessageCaption', { chat_id: alice.id, message_id: sent.message_id, caption: 'x' })).description).toBe(
      'Bad Request: there is no caption in the message to edit',
    );
    const user = fake.sendText(alice, 'mine');
    expect((await call('editMessageText', { chat_id: alice.id, message_id: user.message_id, text: 'x' })).description).toBe(
      "Bad Request: message can't be edited",
    );
  });

  it('lets a test read the conversation in order, and see the current state', async () => {
    const first = await ok('sendMessage', { chat_id: alice.id, text: 'menu', reply_markup: keyboard('go') });
    await ok('sendMessage', { chat_id: alice.id, text: 'second' });
    await ok('editMessageText', { chat_id: alice.id, message_id: first.message_id, text: 'menu, edited' });
    expect((await fake.nextBotMessage(alice.id)).text).toBe('menu');
    expect((await fake.nextBotMessage(alice)).text).toBe('second');
    expect((await fake.nextBotMessage(alice)).text).toBe('menu, edited');
    const later = fake.nextBotMessage(alice);
    await ok('sendMessage', { chat_id: alice.id, text: 'later' });
    expect((await later).text).toBe('later');
    await ok('deleteMessage', { chat_id: alice.id, message_id: first.message_id });
    expect(fake.botMessages(alice).map((m) => m.text)).toEqual(['second', 'later']);
    expect((await call('deleteMessage', { chat_id: alice.id, message_id: first.message_id })).description).toBe(
      'Bad Request: message to delete not found',
    );
    await expect(fake.nextBotMessage(alice, { timeoutMs: 100 })).rejects.toThrow(/sent or edited nothing new[\s\S]*ok {3}deleteMessage/);
  });

  it('replies: to an existing message, else refused unless allowed', async () => {
    const question = fake.sendText(alice, 'question');
    const answer = await ok('sendMessage', { chat_id: alice.id, text: 'answer', reply_parameters: { message_id: question.message_id } });
    expect(answer.reply_to_message).toMatchObject({ message_id: question.message_id, text: 'question' });
    expect((await call('sendMessage', { chat_id: alice.id, text: 'x', reply_parameters: { message_id: 999 } })).description).toBe(
      'Bad Request: message to be replied not found',
    );
    const loose = await ok('sendMessage', { chat_id: alice.id, text: 'x', reply_parameters: { message_id: 999, allow_sending_without_reply: true } });
    expect(loose.reply_to_message).toBeUndefined();
    // The legacy form, which Telegram still accepts.
    expect((await call('sendMessage', { chat_id: alice.id, text: 'x', reply_to_message_id: 999 })).description).toBe(
      'Bad Request: message to be replied not found',
    );
    expect((await ok('sendMessage', { chat_id: alice.id, text: 'x', reply_to_message_id: question.message_id })).reply_to_message?.message_id).toBe(
      question.message_id,
    );
  });

  it('callback queries: pressing checks the button, answering works once', async () => {
    const menu = await ok('sendMessage', { chat_id: alice.id, text: 'menu', reply_markup: keyboard('menu:info') });
    expect(() => fake.pressButton(alice, menu, 'menu:nope')).toThrow(/no button with callback_data "menu:nope".*"menu:info"/);
    const id = fake.pressButton(alice, menu, 'menu:info');
    const update = (await ok<{ callback_query: { id: string; data: string; message: Message } }[]>('getUpdates'))[0]!;
    expect(update.callback_query).toMatchObject({ id, data: 'menu:info', message: { message_id: menu.message_id } });
    expect(fake.unansweredCallbackQueries().map((q) => q.id)).toEqual([id]);
    expect((await call('answerCallbackQuery', { callback_query_id: id, text: 'x'.repeat(201) })).description).toBe('Bad Request: MESSAGE_TOO_LONG');
    expect((await call('answerCallbackQuery', { callback_query_id: id, text: 'Done' })).ok).toBe(true);
    expect(fake.callbackAnswer(id)).toMatchObject({ text: 'Done' });
    expect(fake.unansweredCallbackQueries()).toEqual([]);
    const tooOld = 'Bad Request: query is too old and response timeout expired or query ID is invalid';
    expect((await call('answerCallbackQuery', { callback_query_id: id })).description).toBe(tooOld);
    expect((await call('answerCallbackQuery', { callback_query_id: 'nope' })).description).toBe(tooOld);
    fake.pushUpdate({ update_id: 0, callback_query: { id: 'stale-1', from: alice, chat_instance: 'ci', message: menu, data: 'old' } });
    expect((await call('answerCallbackQuery', { callback_query_id: 'stale-1' })).ok).toBe(true);
  });

  it('copies a user’s message into a forum topic, and copies several', async () => {
    const staff = fake.createSupergroup({ title: 'Staff', isForum: true, members: [alice] });
    expect(staff.id).toBe(-1001000000001);
    const topic = await ok<{ message_thread_id: number; name: string }>('createForumTopic', { chat_id: staff.id, name: 'Case 4F7K' });
    const photo = fake.sendMessage(alice, { photo: [{ file_id: 'ph1', file_unique_id: 'ph1u', width: 10, height: 10 }], caption: 'what is this?' });
    const copied = await ok<{ message_id: number }>('copyMessage', {
      chat_id: staff.id, message_thread_id: topic.message_thread_id, from_chat_id: alice.id, message_id: photo.message_id,
    });
    const copy = fake.messages(staff).find((m) => m.message_id === copied.message_id)!;
    expect(copy).toMatchObject({
      caption: 'what is this?', photo: photo.photo, message_thread_id: topic.message_thread_id, is_topic_message: true,
      from: { id: fake.bot.id },
    });
    expect(copy.forward_origin).toBeUndefined();
    expect((await call('copyMessage', { chat_id: staff.id, from_chat_id: alice.id, message_id: 999 })).description).toBe(
      'Bad Request: message to copy not found',
    );
    const more = fake.sendText(alice, 'and this');
    const ids = await ok<{ message_id: number }[]>('copyMessages', { chat_id: staff.id, from_chat_id: alice.id, message_ids: [photo.message_id, more.message_id] });
    expect(ids).toHaveLength(2);
    // Album grouping is kept: one source album becomes one new album; a message outside it stays alone.
    const album = [1, 2].map((i) => fake.sendMessage(alice, { photo: [{ file_id: `al${i}`, file_unique_id: `al${i}u`, width: 10, height: 10 }], media_group_id: 'src-album' }));
    const alone = fake.sendText(alice, 'after the album');
    const copies = await ok<{ message_id: number }[]>('copyMessages', { chat_id: staff.id, from_chat_id: alice.id, message_ids: [...album.map((m) => m.message_id), alone.message_id] });
    const groups = copies.map(({ message_id }) => fake.messages(staff).find((m) => m.message_id === message_id)!.media_group_id);
    expect(groups[0]).toBeDefined();
    expect(groups[0]).not.toBe('src-album');
    expect(groups).toEqual([groups[0], groups[0], undefined]);
  });

  it('forum topics: create, send, close, reopen, edit, delete', async () => {
    const staff = fake.createSupergroup({ title: 'Staff', isForum: true });
    const plain = fake.createSupergroup({ title: 'Plain' });
    expect((await call('createForumTopic', { chat_id: plain.id, name: 'x' })).description).toBe('Bad Request: the chat is not a forum');
    const topic = await ok<{ message_thread_id: number; name: string; icon_color: number }>('createForumTopic', { chat_id: staff.id, name: 'Case' });
    expect(topic).toEqual({ message_thread_id: expect.any(Number), name: 'Case', icon_color: 7322096 });
    const thread = topic.message_thread_id;
    const inTopic = await ok('sendMessage', { chat_id: staff.id, message_thread_id: thread, text: 'hello' });
    expect(inTopic).toMatchObject({ message_thread_id: thread, is_topic_message: true, reply_to_message: { forum_topic_created: { name: 'Case' } } });
    expect((await call('closeForumTopic', { chat_id: staff.id, message_thread_id: thread })).ok).toBe(true);
    expect((await call('closeForumTopic', { chat_id: staff.id, message_thread_id: thread })).description).toBe('Bad Request: TOPIC_NOT_MODIFIED');
    expect((await call('reopenForumTopic', { chat_id: staff.id, message_thread_id: thread })).ok).toBe(true);
    expect((await call('editForumTopic', { chat_id: staff.id, message_thread_id: thread, name: 'Case (closed)' })).ok).toBe(true);
    expect(fake.chat(staff).topics[0]?.name).toBe('Case (closed)');
    expect((await call('editForumTopic', { chat_id: staff.id, message_thread_id: 999, name: 'x' })).description).toBe('Bad Request: TOPIC_ID_INVALID');
    expect((await call('deleteForumTopic', { chat_id: staff.id, message_thread_id: thread })).ok).toBe(true);
    expect((await call('sendMessage', { chat_id: staff.id, message_thread_id: thread, text: 'x' })).description).toBe(
      'Bad Request: message thread not found',
    );
    expect(fake.botMessages(staff)).toEqual([]);
  });

  it('private-chat topics exist only for a bot with topic mode, and go whole with deleteForumTopic', async () => {
    expect((await call('createForumTopic', { chat_id: alice.id, name: 'Chat' })).description).toBe('Bad Request: the chat is not a forum');
    expect((await ok<{ has_topics_enabled?: boolean }>('getMe')).has_topics_enabled).toBeUndefined();
    await fake.stop();
    fake = await FakeTelegram.start({ privateTopics: true });
    const bob = fake.createUser({ first_name: 'Bob' });
    expect(await ok('getMe')).toMatchObject({ has_topics_enabled: true, allows_users_to_create_topics: false });
    const topic = await ok<{ message_thread_id: number }>('createForumTopic', { chat_id: bob.id, name: 'Chat' });
    await ok('sendMessage', { chat_id: bob.id, message_thread_id: topic.message_thread_id, text: 'in the topic' });
    fake.sendText(bob, 'mine, in the topic', { threadId: topic.message_thread_id });
    fake.sendText(bob, 'outside');
    expect((await call('deleteForumTopic', { chat_id: bob.id, message_thread_id: topic.message_thread_id })).ok).toBe(true);
    expect(fake.messages(bob).map((m) => m.text)).toEqual(['outside']);
    expect(fake.chat(bob).topics).toEqual([]);
  });

  it('deletion follows Telegram: 48 hours, own messages or the right, never a topic\'s opening message', async () => {
    let offset = 0;
    await fake.stop();
    fake = await FakeTelegram.start({ clock: () => Date.now() + offset });
    const bob = fake.createUser({ first_name: 'Bob' });
    offset = -49 * 3_600_000;
    const old = await ok('sendMessage', { chat_id: bob.id, text: 'two days ago' });
    const oldIncoming = fake.sendText(bob, 'mine, two days ago');
    offset = 0;
    const recent = await ok('sendMessage', { chat_id: bob.id, text: 'now' });
    const recentIncoming = fake.sendText(bob, 'mine, now');
    expect(await refused('deleteMessage', { chat_id: bob.id, message_id: old.message_id })).toBe("Bad Request: message can't be deleted for everyone");
    // deleteMessages refuses the whole batch when one message in it cannot be deleted, and deletes none of it…
    const all = [old.message_id, oldIncoming.message_id, recent.message_id, recentIncoming.message_id, 999];
    expect(await refused('deleteMessages', { chat_id: bob.id, message_ids: all })).toBe("Bad Request: message can't be deleted for everyone");
    expect(fake.messages(bob)).toHaveLength(4);
    // …but skips ids it cannot find, and says True.
    expect(await ok<boolean>('deleteMessages', { chat_id: bob.id, message_ids: [recent.message_id, recentIncoming.message_id, 999] })).toBe(true);
    expect(fake.messages(bob).map((m) => m.text)).toEqual(['two days ago', 'mine, two days ago']);
    // A dice cannot be deleted in a private chat for a day after it was sent.
    const dice = fake.sendMessage(bob, { dice: { emoji: '🎲', value: 2 } });
    expect(await refused('deleteMessages', { chat_id: bob.id, message_ids: [dice.message_id] })).toBe("Bad Request: message can't be deleted");
    offset = 25 * 3_600_000;
    expect(await ok<boolean>('deleteMessage', { chat_id: bob.id, message_id: dice.message_id })).toBe(true);
    offset = 0;

    const group = fake.createSupergroup({ title: 'Staff', isForum: true, members: [bob] });
    const topic = await ok<{ message_thread_id: number }>('createForumTopic', { chat_id: group.id, name: 'Case' });
    const theirs = fake.sendText(bob, 'a member writes', { chatId: group.id });
    expect(await refused('deleteMessage', { chat_id: group.id, message_id: topic.message_thread_id })).toBe("Bad Request: message can't be deleted");
    fake.setBotRight(group, 'can_delete_messages', false);
    expect(await refused('deleteMessage', { chat_id: group.id, message_id: theirs.message_id })).toBe("Bad Request: message can't be deleted");
    expect(await refused('deleteForumTopic', { chat_id: group.id, message_thread_id: topic.message_thread_id })).toBe('Bad Request: not enough rights to delete a topic');
    fake.setBotRight(group, 'can_delete_messages', true);
    expect(await ok<boolean>('deleteMessage', { chat_id: group.id, message_id: theirs.message_id })).toBe(true);
    expect(await ok<boolean>('deleteForumTopic', { chat_id: group.id, message_thread_id: topic.message_thread_id })).toBe(true);
  });

  it('a user who blocked the bot gives 403, and the bot hears about it', async () => {
    fake.blockBot(alice);
    expect(await call('sendMessage', { chat_id: alice.id, text: 'hi' })).toMatchObject({
      status: 403, error_code: 403, description: 'Forbidden: bot was blocked by the user',
    });
    expect(fake.updatesPending()[0]?.my_chat_member).toMatchObject({ new_chat_member: { status: 'kicked' } });
    fake.sendText(alice, '/start'); // restarting the bot unblocks it
    expect((await call('sendMessage', { chat_id: alice.id, text: 'hi' })).ok).toBe(true);
  });

  it('flood control: 429 with retry_after when limits are set', async () => {
    fake.setRateLimits({ privatePerSecond: 1, privateBurst: 2 });
    const send = () => call('sendMessage', { chat_id: alice.id, text: 'x' });
    expect((await send()).ok).toBe(true);
    expect((await send()).ok).toBe(true);
    expect(await send()).toMatchObject({
      status: 429, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 },
    });
    const group = fake.createSupergroup({ title: 'G' });
    fake.setRateLimits({ groupPerMinute: 2 });
    await ok('sendMessage', { chat_id: group.id, text: '1' });
    await ok('sendMessage', { chat_id: group.id, text: '2' });
    const limited = await call('sendMessage', { chat_id: group.id, text: '3' });
    expect(limited.parameters?.retry_after).toBeGreaterThan(50);
    expect(fake.stats.rateLimited).toBe(2);
    expect(fake.failedCalls({ ignoreRateLimits: true })).toEqual([]);
    fake.setRateLimits({});
    expect((await send()).ok).toBe(true);
  });

  it('commands: validated like Telegram, stored per scope and language', async () => {
    const set = (commands: unknown, extra: Record<string, unknown> = {}) => call('setMyCommands', { commands, ...extra });
    expect((await set([{ command: 'Start', description: 'x' }])).description).toBe('Bad Request: BOT_COMMAND_INVALID');
    expect((await set([{ command: 'start', description: '' }])).description).toBe('Bad Request: BOT_COMMAND_DESCRIPTION_INVALID');
    const many = Array.from({ length: 101 }, (_, i) => ({ command: `c${i}`, description: 'x' }));
    expect((await set(many)).description).toBe('Bad Request: BOT_COMMANDS_TOO_MUCH');
    expect((await set([{ command: 'start', description: 'Начать' }], { scope: { type: 'all_private_chats' }, language_code: 'ru' })).ok).toBe(true);
    expect(fake.commands({ scope: { type: 'all_private_chats' }, language_code: 'ru' })).toEqual([{ command: 'start', description: 'Начать' }]);
    expect(fake.commands()).toEqual([]);
    expect(await ok('getMyCommands', { scope: { type: 'all_private_chats' }, language_code: 'ru' })).toHaveLength(1);
  });

  it('answers other methods of the reference with true after validating them', async () => {
    expect(await call('setMessageReaction', { chat_id: alice.id, message_id: 1, reaction: [{ type: 'emoji', emoji: '👍' }] })).toMatchObject({ ok: true, result: true });
    expect((await call('setMessageReaction', { chat_id: alice.id, message_id: 1, reaction: [{ type: 'emoji' }] })).description).toMatch(
      /field "reaction\[0\]\.emoji" is required in ReactionTypeEmoji/,
    );
  });

  it('reports chat membership', async () => {
    const bob = fake.createUser({ first_name: 'Bob' });
    const group = fake.createSupergroup({ title: 'G', members: [alice] });
    const status = async (user: User) => (await ok<{ status: string }>('getChatMember', { chat_id: group.id, user_id: user.id })).status;
    expect(await status(alice)).toBe('member');
    expect(await status(bob)).toBe('left');
    fake.setMemberStatus(group, bob, 'administrator');
    expect(await status(bob)).toBe('administrator');
    expect((await ok<{ status: string }>('getChatMember', { chat_id: group.id, user_id: fake.bot.id })).status).toBe('administrator');
    expect(await ok<unknown[]>('getChatAdministrators', { chat_id: group.id })).toHaveLength(2);
  });
});

describe('the test-side helpers', () => {
  it('check users\' messages against the reference and queue edits', async () => {
    expect(() => fake.sendMessage(alice, { sticker: { file_id: 'st1' } as never })).toThrow(/"message\.sticker\.file_unique_id" is required in Sticker/);
    const sent = fake.sendText(alice, 'helo');
    const edited = fake.editUserMessage(alice, sent, 'hello /help');
    expect(edited).toMatchObject({ text: 'hello /help', entities: [{ type: 'bot_command', offset: 6, length: 5 }], edit_date: expect.any(Number) });
    expect(fake.updatesPending().map((u) => Object.keys(u)[1])).toEqual(['message', 'edited_message']);
  });

  it('wait for calls, past or future, and explain a timeout', async () => {
    await ok('sendMessage', { chat_id: alice.id, text: 'first' });
    expect((await fake.waitForCall('sendMessage')).params.text).toBe('first');
    const since = fake.calls.length;
    const next = fake.waitForCall('sendMessage', (c) => c.params.text === 'second', { since });
    await ok('sendMessage', { chat_id: alice.id, text: 'second' });
    expect((await next).ok).toBe(true);
    await expect(fake.waitForCall('sendPoll', () => true, { timeoutMs: 50 })).rejects.toThrow(/no matching call within 50 ms[\s\S]*"text":"second"/);
  });

  it('channels: posts carry sender_chat; a removed bot gets 403', async () => {
    const channel = fake.createChannel({ title: 'News', username: 'safety_news' });
    const post = await ok('sendMessage', { chat_id: '@safety_news', text: 'Hello' });
    expect(post).toMatchObject({ chat: { id: channel.id, type: 'channel' }, sender_chat: { id: channel.id } });
    expect(post.from).toBeUndefined();
    fake.removeBotFromChat(channel);
    expect((await call('sendMessage', { chat_id: channel.id, text: 'x' })).description).toBe('Forbidden: bot is not a member of the channel chat');
    fake.addBotToChat(channel);
    expect((await call('sendMessage', { chat_id: channel.id, text: 'x' })).ok).toBe(true);
    expect(fake.updatesPending().map((u) => (u.my_chat_member as { new_chat_member: { status: string } }).new_chat_member.status)).toEqual(['left', 'administrator']);
  });
});

describe("grammY's own Api class against the fake", () => {
  let api: Api;
  beforeEach(() => {
    api = new Api(fake.token, { apiRoot: fake.apiRoot });
  });

  it('getMe, sendMessage with a keyboard, setMyCommands, sendPhoto upload, and errors as GrammyError', async () => {
    expect(await api.getMe()).toMatchObject({ id: 1234567890, is_bot: true, username: 'test_help_bot' });
    const sent = await api.sendMessage(alice.id, '<b>Hello</b>', {
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Info', callback_data: 'menu:info' }, { text: 'Site', url: 'https://example.org' }]] },
    });
    expect(sent.entities).toEqual([{ type: 'bold', offset: 0, length: 5 }]);
    expect((await fake.nextBotMessage(alice.id)).reply_markup?.inline_keyboard[0]?.[0]?.callback_data).toBe('menu:info');
    await api.setMyCommands([{ command: 'start', description: 'Start' }], { scope: { type: 'all_private_chats' }, language_code: 'en' });
    expect(fake.commands({ scope: { type: 'all_private_chats' }, language_code: 'en' })).toEqual([{ command: 'start', description: 'Start' }]);
    const photo = await api.sendPhoto(alice.id, new InputFile(new Uint8Array(300), 'cat.png'), { caption: 'A cat' });
    expect(photo.photo?.at(-1)?.file_size).toBe(300);
    expect(fake.calls.at(-1)?.files).toEqual([{ name: expect.any(String), filename: 'cat.png', size: 300 }]);
    const group = await api.sendMediaGroup(alice.id, [
      { type: 'photo', media: new InputFile(new Uint8Array(10), 'a.jpg'), caption: '<i>one</i>', parse_mode: 'HTML' },
      { type: 'photo', media: photo.photo!.at(-1)!.file_id },
    ]);
    const groupIds = group.map((m) => (m as { media_group_id?: string }).media_group_id);
    expect(groupIds).toEqual([expect.any(String), groupIds[0]]);
    const error = await api.sendMessage(alice.id, 'x', { reply_markup: { inline_keyboard: [[{ text: 'a', callback_data: 'x'.repeat(65) }]] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect((error as GrammyError).description).toBe('Bad Request: BUTTON_DATA_INVALID');
    expect(fake.failedCalls()).toHaveLength(1);
  });
});
