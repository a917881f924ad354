import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Message } from '../../src/sandbox/telegram-sim/index.js';
import { PROJECT_ROOT, startBot } from '../support/bot-process.js';
import { contentFolder } from '../support/content.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';

/**
 * Someone who can write into the content folder (an editor's laptop, a pull request) attacks the
 * bot: front matter that other loaders would run as code, and media paths that lead to secrets.
 */

const HOSTILE = join(PROJECT_ROOT, 'tests', 'fixtures', 'hostile-content');
const hostile = (name: string) => readFileSync(join(HOSTILE, name), 'utf8');
const SECRET = 'hostile-secret-hostile-secret-hostile-0001';
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const UPLOADS = ['sendPhoto', 'sendDocument', 'sendVideo', 'sendAnimation', 'sendMediaGroup'];

let fake: FakeTelegram;
let news: { id: number };
let editorsChat: { id: number };
let editor: ReturnType<FakeTelegram['createUser']>;
const running: InProcessBot[] = [];

/** A deployment: content/ (with the real UI texts) next to a .env holding the secret. */
function deployment(files: Record<string, string>): { base: string; root: string } {
  const base = contentFolder({ '.env': `BOT_SECRET=${SECRET}\n` });
  const root = join(base, 'content');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  cpSync(join(PROJECT_ROOT, 'content', 'locales'), join(root, 'locales'), { recursive: true });
  return { base, root };
}

async function bot(contentDir: string): Promise<InProcessBot> {
  const started = await startInProcessBot({
    BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    STAFF_CHAT_ID: String(editorsChat.id),
    CONTENT_DIR: contentDir,
    DEFAULT_LANGUAGE: 'en', // the editors' texts are read in English below
    CHANNELS: 'news=@safety_news',
  });
  running.push(started);
  return started;
}

async function editorSays(text: string): Promise<Message> {
  fake.sendMessage(editor, { text }, { chatId: editorsChat.id });
  return fake.nextBotMessage(editorsChat.id);
}

const uploads = (since: number) => fake.calls.slice(since).filter((c) => UPLOADS.includes(c.method));

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  editor = fake.createUser({ first_name: 'Editor', language_code: 'en' });
  editorsChat = fake.createSupergroup({ title: 'Editors', isForum: false, members: [editor] });
  news = fake.createChannel({ title: 'Safety news', username: 'safety_news' });
});

afterEach(async () => {
  while (running.length > 0) await running.pop()?.stop();
});

afterAll(async () => {
  await fake?.stop();
});

describe('hostile content files', () => {
  it('npm run content:check reports a ---js post with file and line and runs nothing, even with the secret loaded', () => {
    const { base, root } = deployment({
      'posts/js.md': hostile('js-engine.md'),
      'posts/coffee.md': hostile('coffee-engine.md'),
      'posts/tag.md': hostile('js-function-tag.md'),
    });
    const result = spawnSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), [join(PROJECT_ROOT, 'src', 'cli', 'content-check.ts')], {
      cwd: base, // where its .env (with the secret) is read from
      env: { PATH: process.env.PATH ?? '', CONTENT_DIR: root, CHANNELS: 'news=@safety_news', TIMEZONE: 'Asia/Almaty' },
      encoding: 'utf8',
    });
    const out = `${result.stdout}${result.stderr}`;
    expect(result.status).toBe(1);
    expect(out).toContain(`${root}/posts/js.md:1: front matter must open with a line of exactly "---" (YAML only); "---js" is refused`);
    expect(out).toContain(`${root}/posts/coffee.md:1: front matter must open with a line of exactly "---" (YAML only); "---coffee" is refused`);
    expect(out).toMatch(new RegExp(`${root}/posts/tag\\.md:4: .*js/function.* not allowed`));
    expect(existsSync(join(base, 'PWNED'))).toBe(false);
    expect(out).not.toContain(SECRET);
  }, 30_000);

  it('the running bot reports a ---js file the watcher picks up, and runs nothing', async () => {
    const { base, root } = deployment({ 'posts/good.md': '---\nchannel: news\npublish_at: 2030-01-06 12:00\n---\nGood.\n' });
    const proc = await startBot({
      BOT_TOKEN: fake.token,
      BOT_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      STAFF_CHAT_ID: String(editorsChat.id),
      CONTENT_DIR: root,
      DEFAULT_LANGUAGE: 'en',
      CHANNELS: 'news=@safety_news',
    });
    try {
      writeFileSync(join(root, 'posts', 'evil.md'), hostile('js-engine.md'));
      let report: Message;
      do report = await fake.nextBotMessage(editorsChat.id, { timeoutMs: 15_000 });
      while (!String(report.text).includes('Content files skipped'));
      expect(report.text).toContain('posts/evil.md:1: front matter must open with a line of exactly "---"');
      expect(existsSync(join(proc.dir, 'PWNED'))).toBe(false);
      expect(existsSync(join(base, 'PWNED'))).toBe(false);
      expect(proc.output()).not.toContain(SECRET);
    } finally {
      expect(await proc.stop()).toBe(0);
    }
  }, 40_000);

  it('refuses media links to /proc/self/environ, .env and the database, with file, line and reason', async () => {
    const post = (media: string) => `---\nchannel: news\npublish_at: 2030-01-06 12:00\nmedia:\n  - ${media}\n---\nCaption.\n`;
    const { base, root } = deployment({
      'posts/environ.md': post('environ.txt'),
      'posts/env.md': post('env.txt'),
      'posts/up.md': post('../../.env'),
      'posts/dir.md': post('data/bot.db'),
    });
    mkdirSync(join(base, 'data'));
    writeFileSync(join(base, 'data', 'bot.db'), 'SQLite format 3\0');
    symlinkSync('/proc/self/environ', join(root, 'posts', 'environ.txt'));
    symlinkSync(join(base, '.env'), join(root, 'posts', 'env.txt'));
    symlinkSync(join(base, 'data'), join(root, 'posts', 'data'));
    await bot(root);
    const since = fake.calls.length;
    const reload = await editorSays('/reload');
    expect(reload.text).toContain('posts/dir.md:5: media: "data/bot.db" is a link to a place outside the content folder');
    expect(reload.text).toContain('posts/env.md:5: media: "env.txt" is a link to a place outside the content folder');
    expect(reload.text).toContain('posts/environ.md:5: media: "environ.txt" is a link to a place outside the content folder');
    expect(reload.text).toContain('posts/up.md:5: media: "../../.env" points outside the content folder');
    for (const slug of ['environ', 'env', 'up', 'dir']) expect((await editorSays(`/preview ${slug}`)).text).toMatch(/No valid post/);
    expect(uploads(since)).toEqual([]);
  });

  it('/preview refuses a media file swapped for a link to .env after it was loaded, and uploads nothing', async () => {
    const { base, root } = deployment({ 'posts/photo.md': '---\nchannel: news\npublish_at: 2030-01-06 12:00\nmedia: [photo.png]\n---\nCaption.\n' });
    writeFileSync(join(root, 'posts', 'photo.png'), PNG);
    await bot(root);
    await editorSays('/preview photo');
    const shown = await fake.nextBotMessage(editorsChat.id);
    expect(shown.caption).toBe('Caption.');
    expect(shown.photo?.at(-1)?.file_size).toBe(PNG.length); // the file itself, streamed
    const since = fake.calls.length;

    rmSync(join(root, 'posts', 'photo.png'));
    symlinkSync(join(base, '.env'), join(root, 'posts', 'photo.png'));
    await editorSays('/preview photo');
    const refused = await fake.nextBotMessage(editorsChat.id);
    expect(refused.text).toMatch(/Preview of posts\/photo\.md failed: refused to read posts\/photo\.png: .*outside the content folder/);
    expect(uploads(since)).toEqual([]);
    expect(fake.failedCalls()).toEqual([]);
  });
});

describe('/publish and drafts', () => {
  it('refuses a draft unless forced, saying how', async () => {
    const { root } = deployment({ 'posts/wip.md': '---\nchannel: news\npublish_at: 2030-01-06 12:00\ndraft: true\n---\nNot ready.\n' });
    await bot(root);
    const before = fake.botMessages(news.id).length;
    const refused = await editorSays('/publish wip');
    expect(refused.text).toBe(
      '📝 wip is a draft (draft: true), so it was not published. Remove the draft line and /reload, or publish it anyway with:\n/publish wip force',
    );
    expect(fake.botMessages(news.id)).toHaveLength(before);
    const forced = await editorSays('/publish wip force');
    expect(forced.text).toMatch(/news: sent/);
    expect(fake.botMessages(news.id).slice(before).map((m) => m.text)).toEqual(['Not ready.']);
    expect(fake.failedCalls()).toEqual([]);
  });
});
