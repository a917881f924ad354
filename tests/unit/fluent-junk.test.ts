import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FluentResource } from '@fluent/bundle';
import { describe, expect, it } from 'vitest';
import { fluentJunk } from '../../src/content/fluent-check.js';
import { discoverLanguages } from '../../src/content/languages.js';
import { PROJECT_ROOT } from '../support/bot-process.js';

// Guard for issue 20 (review S3-17): FluentResource drops a line it cannot parse without a word, so
// a privacy statement can silently never reach a client. Every shipped .ftl must parse with no junk.
const LOCALES = join(PROJECT_ROOT, 'content', 'locales');

describe('Fluent files parse with nothing dropped', () => {
  it('finds junk the way FluentResource drops it: a stray line after a message, and a message that does not parse', () => {
    const source = 'a = One\n\nb = { $count ->\n    [one] x\n   *[other] y\n}\n} (this line is dropped)\n# a comment\nbroken = { $\nc = fine\n';
    expect(new FluentResource(source).body.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(fluentJunk(source)).toEqual([
      { line: 7, text: '} (this line is dropped)', after: 'b' },
      { line: 9, text: 'broken = { $', after: 'broken' },
    ]);
    expect(fluentJunk('# only comments\n\nx = y\n    continued\n\nz = w\n')).toEqual([]);
    expect(fluentJunk('stray text before any message\nx = y\n')).toEqual([{ line: 1, text: 'stray text before any message' }]);
  });

  it.each(discoverLanguages(join(PROJECT_ROOT, 'content')))('%s.ftl has no junk and no message FluentResource drops', (lang) => {
    const source = readFileSync(join(LOCALES, `${lang}.ftl`), 'utf8');
    expect(fluentJunk(source).map((j) => `${lang}.ftl:${j.line}: ${j.text}`)).toEqual([]);
  });
});
