import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { contentFolder } from '../support/content.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';

let fake: FakeTelegram;
let news: { id: number };
let english: { id: number };
let editorsChat: { id: number };
let editor: ReturnType<FakeTelegram['createUser']>;
const running: InProcessBot[] = [];

/** A content folder with the real UI strings and the given posts. */
function contentWith(files: Record<string, string>): string {
  const root = contentFolder(files);
  cpSync(join(PROJECT_ROOT, 'content', 'locales'), join(root, 'locales'), { recursive: true });
  return root;
}

async function bot(contentDir: string, databasePath?: string): Promise<InProcessBot> {
  const started = await startInProcessBot(
    {
      BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      STAFF_CHAT_ID: String(editorsChat.id),
      CONTENT_DIR: contentDir,
      DEFAULT_LANGUAGE: 'en', // the editors' texts are read in English below
      CHANNELS: `news=@safety_news,en=${english.id}`,
      TIMEZONE: 'Asia/Almaty',
    },
    { databasePath },
  );
  running.push(started);
  return started;
}

function channelTexts(chatId: number): string[] {
  return fake.botMessages(chatId).map((m) => String(m.text ?? m.caption ?? ''));
}

async function editorSays(text: string) {
  fake.sendMessage(editor, { text }, { chatId: editorsChat.id });
  return fake.nextBotMessage(editorsChat.id);
}

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  editor = fake.createUser({ first_name: 'Editor', language_code: 'en' });
  editorsChat = fake.createSupergroup({ title: 'Editors', isForum: false, members: [editor] });
  news = fake.createChannel({ title: 'Safety news', username: 'safety_news' });
  english = fake.createChannel({ title: 'Safety news (en)' });
});

afterEach(async () => {
  while (running.length > 0) await running.pop()?.stop();
});

afterAll(async () => {
  await fake?.stop();
});

const tip = (when: string, extra = '') => `---\nchannel: news\npublish_at: ${when}\n${extra}---\nStay **safe** this week.\n`;

describe('publishing to channels, end to end', () => {
  it('publishes a post at its time, once, also across a restart', async () => {
    const dir = contentWith({ 'posts/tip.md': tip('2030-03-04 12:00') });
    const first = await bot(dir);
    const before = channelTexts(news.id).length;
    await first.tickAt('2030-03-04T06:59:59Z');
    expect(channelTexts(news.id).length).toBe(before);
    await first.tickAt('2030-03-04T07:00:00Z');
    expect(channelTexts(news.id).slice(before)).toEqual(['Stay safe this week.']);
    const message = fake.botMessages(news.id).at(-1);
    expect(message?.entities).toEqual([{ type: 'bold', offset: 5, length: 4 }]);
    await first.stop();
    running.pop();
    const second = await bot(dir, first.config.databasePath);
    await second.tickAt('2030-03-04T07:00:02Z');
    await second.tickAt('2030-03-04T08:00:00Z');
    expect(channelTexts(news.id).slice(before)).toEqual(['Stay safe this week.']);
    expect(fake.failedCalls()).toEqual([]);
  });

  it('publishes a recurring post at each occurrence, to every channel listed', async () => {
    const dir = contentWith({ 'posts/friday.md': '---\nchannel: [news, en]\nschedule: "0 18 * * 5"\nuntil: 2030-03-16\n---\nWeekend reminder.\n' });
    const b = await bot(dir);
    const before = { news: channelTexts(news.id).length, en: channelTexts(english.id).length };
    for (const day of ['2030-03-01', '2030-03-08', '2030-03-15', '2030-03-22']) {
      await b.tickAt(`${day}T12:59:00Z`);
      await b.tickAt(`${day}T13:00:01Z`);
    }
    expect(channelTexts(news.id).slice(before.news)).toEqual(['Weekend reminder.', 'Weekend reminder.', 'Weekend reminder.']);
    expect(channelTexts(english.id).slice(before.en)).toHaveLength(3);
  });

  it('publishes late within the grace period and reports older misses to the editors', async () => {
    const dir = contentWith({
      'posts/missed.md': tip('2030-04-01 01:00').replace('Stay', 'Missed'),
      'posts/late.md': tip('2030-04-01 09:00').replace('Stay', 'Late'),
    });
    const b = await bot(dir);
    await b.tickAt('2030-03-31T18:00:00Z');
    const before = channelTexts(news.id).length;
    await b.tickAt('2030-04-01T06:00:00Z'); // 11:00 local: 01:00 is 10 h ago, 09:00 is 2 h ago
    expect(channelTexts(news.id).slice(before)).toEqual(['Late safe this week.']);
    const report = await fake.nextBotMessage(editorsChat.id);
    expect(report.text).toMatch(/Not published because the bot was down/);
    expect(report.text).toContain('posts/missed.md');
  });

  it('sends an album, a photo with buttons, a poll and a long post split in two', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const long = Array.from({ length: 9 }, (_, i) => `Paragraph ${i}. ${'Безопасность прежде всего. '.repeat(20)}`).join('\n\n');
    const dir = contentWith({
      'posts/media/a.png': '',
      'posts/media/b.png': '',
      'posts/media/album.md': '---\nchannel: en\npublish_at: 2030-05-01 10:00\nmedia: [a.png, b.png]\n---\nAlbum *caption*.\n',
      'posts/media/photo.md':
        '---\nchannel: en\npublish_at: 2030-05-01 10:00\nmedia: [a.png]\npin: true\nbuttons:\n  - text: Talk to a consultant\n    consult: true\n  - text: WHO\n    url: https://www.who.int\n---\nPhoto caption.\n',
      'posts/poll.md': '---\nchannel: en\npublish_at: 2030-05-01 10:00\npoll:\n  question: What should we write about?\n  options: [Mixing, Rights, Testing]\n  multiple: true\n---\nHelp us choose.\n',
      'posts/long.md': `---\nchannel: en\npublish_at: 2030-05-01 10:00\n---\n${long}\n`,
    });
    writeFileSync(join(dir, 'posts/media/a.png'), png);
    writeFileSync(join(dir, 'posts/media/b.png'), png);
    const b = await bot(dir);
    const before = fake.botMessages(english.id).length;
    await b.tickAt('2030-05-01T05:00:00Z');
    const sent = fake.botMessages(english.id).slice(before);
    // long (2 messages), album (2), photo (1), poll (text + poll)
    expect(sent).toHaveLength(7);
    expect(sent.slice(0, 2).every((m) => String(m.text).startsWith('Paragraph'))).toBe(true);
    expect(sent[2]?.caption).toBe('Album caption.');
    expect(sent[2]?.media_group_id).toBeDefined();
    expect(sent[3]?.media_group_id).toBe(sent[2]?.media_group_id);
    expect(sent[4]?.caption).toBe('Photo caption.');
    expect(sent[4]?.reply_markup?.inline_keyboard.flat().map((button: { url?: string }) => button.url)).toEqual([
      'https://t.me/peer_help_bot?start=consult',
      'https://www.who.int',
    ]);
    expect(fake.calls.some((c) => c.method === 'pinChatMessage' && c.params.message_id === sent[4]?.message_id)).toBe(true);
    expect(sent[5]?.text).toBe('Help us choose.');
    expect(sent[6]?.poll).toMatchObject({ question: 'What should we write about?', is_anonymous: true, allows_multiple_answers: true });
    expect(fake.failedCalls()).toEqual([]);
  });

  it('lets editors see upcoming posts, preview exactly what will be published, publish, skip and sync', async () => {
    const dir = contentWith({ 'posts/2030/tip.md': tip('2031-01-06 12:00', 'buttons:\n  - text: Talk\n    consult: true\n') });
    await bot(dir);
    const upcoming = await editorSays('/upcoming');
    expect(upcoming.text).toContain('2031-01-06 12:00 → news: 2030/tip');
    await editorSays('/preview tip');
    const preview = await fake.nextBotMessage(editorsChat.id);
    expect(preview.text).toBe('Stay safe this week.');
    expect(preview.entities).toEqual([{ type: 'bold', offset: 5, length: 4 }]);
    const before = channelTexts(news.id).length;
    const published = await editorSays('/publish tip');
    expect(published.text).toMatch(/news: sent/);
    const inChannel = fake.botMessages(news.id).at(-1);
    expect(inChannel?.text).toBe(preview.text);
    expect(inChannel?.reply_markup).toEqual(preview.reply_markup);
    expect(channelTexts(news.id).length).toBe(before + 1);

    writeFileSync(join(dir, 'posts/2030/tip.md'), tip('2031-01-06 12:00', 'buttons:\n  - text: Talk\n    consult: true\n').replace('Stay', 'Keep'));
    await editorSays('/reload');
    const synced = await editorSays('/sync tip');
    expect(synced.text).toMatch(/1 message\(s\) updated/);
    expect(fake.botMessages(news.id).at(-1)?.text).toBe('Keep safe this week.');
    expect(channelTexts(news.id).length).toBe(before + 1);

    const skipped = await editorSays('/skip tip');
    expect(skipped.text).toMatch(/Skipped the publication of 2031-01-06 12:00/);
    expect((await editorSays('/publish nothing-like-this')).text).toMatch(/No valid post/);
    expect(fake.failedCalls()).toEqual([]);
  });

  it('reports a broken file with its name and field, while the others still publish', async () => {
    const dir = contentWith({
      'posts/good.md': tip('2030-06-01 10:00').replace('Stay', 'Good'),
      'posts/broken.md': '---\nchannel: news\npublish_at: 2030-06-01 10:00\nmedia: [missing.jpg]\n---\nBroken.\n',
    });
    const b = await bot(dir);
    const reload = await editorSays('/reload');
    expect(reload.text).toContain('posts/broken.md:4: media: file "missing.jpg" not found next to the post');
    const before = channelTexts(news.id).length;
    await b.tickAt('2030-06-01T05:00:00Z');
    expect(channelTexts(news.id).slice(before)).toEqual(['Good safe this week.']);
  });

  it('reports a channel the bot cannot post to, with the file name', async () => {
    const dir = contentWith({ 'posts/nowhere.md': '---\nchannel: en\npublish_at: 2030-07-01 10:00\n---\nHello.\n' });
    const b = await bot(dir);
    fake.removeBotFromChat(english.id);
    await b.tickAt('2030-07-01T05:00:00Z');
    const report = await fake.nextBotMessage(editorsChat.id);
    expect(report.text).toMatch(/Could not publish posts\/nowhere\.md to en/);
    fake.addBotToChat(english.id);
  });
});
