import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../logger.js';

/**
 * Calls `onChange` once things settle after files change anywhere under `dir` (editors save several
 * files at once; git checkouts touch many). Returns a function that stops watching.
 */
export function watchFolder(dir: string, onChange: () => void, logger: Logger, debounceMs = 1000): () => void {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { recursive: true, persistent: false }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        try {
          onChange();
        } catch (error) {
          logger.error({ err: error }, 'reloading content failed');
        }
      }, debounceMs);
    });
    watcher.on('error', (error) => logger.warn({ err: error }, 'content folder watch stopped; use /reload'));
  } catch (error) {
    logger.warn({ err: error }, 'cannot watch the content folder; use /reload after changes');
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
  };
}
