import { existsSync, watch } from 'node:fs';
import { join, sep } from 'node:path';
import type { Scene } from './scene.js';

/** The bot reloads content 1 s after the last change (src/content/watch.ts); this waits a little longer. */
const AFTER_RELOAD_MS = 2_000;

/**
 * Editors' preview: when a post file under `<contentDir>/posts` is saved, the first editor sends
 * `/preview SLUG` in the editors chat once the bot has reloaded it, so the post shows in the Channel
 * pane as it will appear, without anyone typing the command. Returns a function that stops watching.
 */
export function previewSavedPosts(scene: Scene, contentDir: string): () => void {
  const posts = join(contentDir, 'posts');
  if (!existsSync(posts)) return () => {};
  const timers = new Map<string, NodeJS.Timeout>();
  const editor = scene.consultants[0]!;
  const watcher = watch(posts, { recursive: true, persistent: false }, (_event, filename) => {
    if (typeof filename !== 'string' || !filename.endsWith('.md')) return;
    const slug = filename.split(sep).join('/').replace(/\.md$/, '');
    // Editors' own files only: a slug is a path of plain names (no spaces), as /preview takes it.
    if (!/^[\w./-]+$/.test(slug) || !existsSync(join(posts, filename))) return;
    clearTimeout(timers.get(slug));
    timers.set(slug, setTimeout(() => {
      timers.delete(slug);
      scene.fake.sendText(editor, `/preview ${slug}`, { chatId: scene.editors.id });
    }, AFTER_RELOAD_MS));
  });
  watcher.on('error', () => watcher.close());
  return () => {
    for (const timer of timers.values()) clearTimeout(timer);
    watcher.close();
  };
}
