import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/** Every module src/main.ts loads, following its relative imports (static and dynamic). */
function importGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.[^'"]+)['"]/g)) {
      const target = join(dirname(file), match[1]!).replace(/\.js$/, '.ts');
      if (existsSync(target)) visit(target);
    }
  };
  visit(entry);
  return seen;
}

describe('the real start path', () => {
  it('never loads the sandbox or the Telegram simulator', () => {
    const graph = [...importGraph(join(SRC, 'main.ts'))];
    expect(graph.length).toBeGreaterThan(20); // the walk itself works
    expect(graph.filter((file) => file.includes(`${join(SRC, 'sandbox')}`))).toEqual([]);
  });

  it('npm start runs the build without tsc; type checking stays in npm test', () => {
    const scripts = (JSON.parse(readFileSync(join(SRC, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).not.toMatch(/tsc/);
    expect(scripts.build).not.toMatch(/tsc/);
    expect(scripts.test).toMatch(/^tsc --noEmit/);
  });
});
