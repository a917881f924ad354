import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InputFile } from 'grammy';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/content/front-matter.js';
import { loadContent } from '../../src/content/loader.js';
import { loadPosts } from '../../src/publishing/posts.js';
import { sendPost } from '../../src/publishing/publisher.js';
import { card } from '../support/content.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const SECRET = 'BOT_TOKEN=123456:very-secret-token';

/**
 * A deployment as it is on a server: the content folder next to .env and the database, and an
 * unrelated folder elsewhere. Paths are inside a fresh temporary folder.
 */
function deployment(posts: Record<string, string>) {
  const base = mkdtempSync(join(tmpdir(), 'deploy-'));
  const root = join(base, 'content');
  mkdirSync(join(root, 'posts', 'media'), { recursive: true });
  mkdirSync(join(base, 'data'));
  mkdirSync(join(base, 'elsewhere'));
  writeFileSync(join(base, '.env'), SECRET);
  writeFileSync(join(base, 'data', 'bot.db'), 'SQLite format 3\0');
  writeFileSync(join(base, 'elsewhere', 'photo.png'), PNG);
  writeFileSync(join(root, 'posts', 'media', 'ok.png'), PNG);
  for (const [path, text] of Object.entries(posts)) writeFileSync(join(root, path), text);
  return { base, root };
}

const post = (media: string) => `---\nchannel: news\npublish_at: 2030-01-06 12:00\nmedia: [media/ok.png, ${media}]\n---\nCaption.\n`;
const load = (root: string) => loadPosts(root, { timezone: 'Asia/Almaty', channels: ['news'] });
const problemsOf = (root: string) => load(root).problems.map(formatProblem);

describe('paths named by content files stay inside the content folder', () => {
  it('refuses ../ out of the folder and absolute paths, naming file, line and reason', () => {
    const { root } = deployment({ 'posts/up.md': post('../../../.env'), 'posts/abs.md': post('/etc/passwd') });
    expect(problemsOf(root)).toEqual([
      'posts/abs.md:4: media: "/etc/passwd" is an absolute path; name a file inside the content folder, relative to the post',
      'posts/up.md:4: media: "../../../.env" points outside the content folder',
    ]);
  });

  it('refuses symlinks inside the folder that lead to /proc/self/environ, .env, the database or another folder', () => {
    const { base, root } = deployment({
      'posts/environ.md': post('media/environ.png'),
      'posts/env.md': post('media/env.png'),
      'posts/db.md': post('media/db.png'),
      'posts/dir.md': post('linked/photo.png'),
    });
    symlinkSync('/proc/self/environ', join(root, 'posts', 'media', 'environ.png'));
    symlinkSync(join(base, '.env'), join(root, 'posts', 'media', 'env.png'));
    symlinkSync('../../../data/bot.db', join(root, 'posts', 'media', 'db.png'));
    symlinkSync(join(base, 'elsewhere'), join(root, 'posts', 'linked'));
    const problems = problemsOf(root);
    expect(problems).toEqual([
      'posts/db.md:4: media: "media/db.png" is a link to a place outside the content folder',
      'posts/dir.md:4: media: "linked/photo.png" is a link to a place outside the content folder',
      'posts/env.md:4: media: "media/env.png" is a link to a place outside the content folder',
      'posts/environ.md:4: media: "media/environ.png" is a link to a place outside the content folder',
    ]);
    expect(load(root).posts).toEqual([]);
  });

  it('names the line of the offending entry in a block list', () => {
    const { root } = deployment({ 'posts/list.md': '---\nchannel: news\npublish_at: 2030-01-06 12:00\nmedia:\n  - media/ok.png\n  - ../../.env\n---\nCaption.\n' });
    expect(problemsOf(root)).toEqual(['posts/list.md:6: media: "../../.env" points outside the content folder']);
  });

  it('accepts links and ../ that stay inside the folder', () => {
    const { root } = deployment({ 'posts/inside.md': post('../posts/media/alias.png') });
    symlinkSync('ok.png', join(root, 'posts', 'media', 'alias.png'));
    const { posts, problems } = load(root);
    expect(problems).toEqual([]);
    expect(posts[0]?.media.map((m) => m.name)).toEqual(['media/ok.png', '../posts/media/alias.png']);
  });

  it('refuses a content file that is itself a link to a file outside the folder', () => {
    const { base, root } = deployment({});
    writeFileSync(join(base, 'elsewhere', 'card.md'), card('Outside', 'S', 1));
    mkdirSync(join(root, 'info', 'en'), { recursive: true });
    symlinkSync(join(base, 'elsewhere', 'card.md'), join(root, 'info', 'en', 'outside.md'));
    symlinkSync(join(base, '.env'), join(root, 'posts', 'env.md'));
    const content = loadContent(root);
    expect(content.languages.en!.cards.size).toBe(0);
    expect(content.problems.map(formatProblem)).toEqual([expect.stringMatching(/^info\/en\/outside\.md: cannot be read: refused .*outside the content folder/)]);
    expect(problemsOf(root)).toEqual([expect.stringMatching(/^posts\/env\.md: cannot be read: refused .*outside the content folder/)]);
    expect(problemsOf(root).join('\n')).not.toContain('secret');
  });

  it('checks again when the file is read: a media file swapped for a link after loading is not uploaded', async () => {
    const { base, root } = deployment({ 'posts/swap.md': '---\nchannel: news\npublish_at: 2030-01-06 12:00\nmedia: [media/ok.png]\n---\nCaption.\n' });
    const [loaded] = load(root).posts;
    expect(loaded).toBeDefined();
    const calls: string[] = [];
    const api = new Proxy({}, { get: (_t, method: string) => async () => (calls.push(method), { message_id: 1 }) });
    await sendPost(api as never, loaded!, -100, { botUsername: 'bot' });
    expect(calls).toEqual(['sendPhoto']);
    calls.length = 0;

    rmSync(join(root, 'posts', 'media', 'ok.png'));
    symlinkSync(join(base, '.env'), join(root, 'posts', 'media', 'ok.png'));
    await expect(sendPost(api as never, loaded!, -100, { botUsername: 'bot' })).rejects.toThrow(/refused to read posts\/media\/ok\.png: .*outside the content folder/);

    rmSync(join(root, 'posts', 'media', 'ok.png'));
    rmSync(join(root, 'posts', 'media'), { recursive: true });
    writeFileSync(join(base, 'elsewhere', 'ok.png'), SECRET);
    symlinkSync(join(base, 'elsewhere'), join(root, 'posts', 'media')); // the folder swapped, the name unchanged
    await expect(sendPost(api as never, loaded!, -100, { botUsername: 'bot' })).rejects.toThrow(/refused to read posts\/media\/ok\.png: .*outside the content folder/);
    expect(calls).toEqual([]);
  });

  it('checks again each time the upload is read, so a retry after a swap sends nothing', async () => {
    const { base, root } = deployment({ 'posts/retry.md': '---\nchannel: news\npublish_at: 2030-01-06 12:00\nmedia: [media/ok.png]\n---\nCaption.\n' });
    const [loaded] = load(root).posts;
    const bodies: (Buffer | Error)[] = [];
    /** Reads the upload as grammY does when it builds a request body. */
    const read = async (file: InputFile) => {
      try {
        const raw = await (file as unknown as { toRaw(): Promise<Uint8Array | AsyncIterable<Uint8Array>> }).toRaw();
        if (raw instanceof Uint8Array) return Buffer.from(raw);
        const chunks: Buffer[] = [];
        for await (const chunk of raw) chunks.push(Buffer.from(chunk));
        return Buffer.concat(chunks);
      } catch (error) {
        return error as Error;
      }
    };
    const api = {
      sendPhoto: async (_chat: number, file: InputFile) => {
        bodies.push(await read(file)); // the first attempt
        rmSync(join(root, 'posts', 'media', 'ok.png'));
        symlinkSync(join(base, '.env'), join(root, 'posts', 'media', 'ok.png'));
        bodies.push(await read(file)); // a retry after a 429, say
        return { message_id: 1 };
      },
    };
    await sendPost(api as never, loaded!, -100, { botUsername: 'bot' });
    expect(bodies[0]).toEqual(PNG);
    expect(bodies[1]).toBeInstanceOf(Error);
    expect(String(bodies[1])).toMatch(/refused to read posts\/media\/ok\.png: .*outside the content folder/);
  });
});
