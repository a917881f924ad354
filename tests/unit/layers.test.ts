import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/bot-process.js';

/**
 * Folders depend downwards only (STYLE.md, practice 11): a helper two folders share lives in the lowest
 * folder both use. Files at the top of src/ (config, logger) may be used by all.
 */
const ALLOWED: Record<string, string[]> = {
  privacy: [],
  time: [],
  telegram: [],
  content: [],
  db: ['privacy'],
  relay: ['db', 'privacy', 'telegram', 'time'],
  inbox: ['content', 'db', 'privacy', 'relay', 'telegram', 'time'],
  publishing: ['content', 'db', 'telegram', 'time'],
  alerts: ['content', 'db', 'privacy', 'relay', 'telegram', 'time'],
  stories: ['content', 'db', 'privacy', 'publishing', 'telegram', 'time'],
  ops: ['content', 'db', 'inbox', 'privacy', 'publishing', 'relay', 'stories', 'telegram', 'time'],
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('the folders of src/ depend downwards only', () => {
  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    it(`${folder}/ imports only from ${allowed.join(', ') || 'no other folder'}`, () => {
      const root = join(PROJECT_ROOT, 'src', folder);
      const wrong: string[] = [];
      for (const file of files(root)) {
        for (const [, target] of readFileSync(file, 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)) {
          const resolved = relative(join(PROJECT_ROOT, 'src'), join(file, '..', target!)).split('/');
          const other = resolved.length > 1 ? resolved[0]! : undefined; // a file at the top of src/ is shared
          if (other && other !== folder && !allowed.includes(other)) wrong.push(`${relative(PROJECT_ROOT, file)} imports ${target}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});
