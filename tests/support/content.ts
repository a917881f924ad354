import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes a throwaway content folder: keys are paths inside it, values the file contents. */
export function contentFolder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'content-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

export function card(title: string, section: string, order: number, body = 'Some **text**.'): string {
  return `---\ntitle: ${title}\nsection: ${section}\norder: ${order}\n---\n${body}\n`;
}
