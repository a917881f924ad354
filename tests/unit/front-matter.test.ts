import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatProblem, parseFrontMatter } from '../../src/content/front-matter.js';
import { loadPosts } from '../../src/publishing/posts.js';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { contentFolder } from '../support/content.js';

const HOSTILE = join(PROJECT_ROOT, 'tests', 'fixtures', 'hostile-content');
const hostile = (name: string) => readFileSync(join(HOSTILE, name), 'utf8');
const anything = z.record(z.string(), z.unknown());
const problemsOf = (source: string, schema: z.ZodType = anything) => {
  const parsed = parseFrontMatter('posts/x.md', source, schema);
  return parsed.ok ? [] : parsed.problems.map(formatProblem);
};

afterEach(() => {
  delete (globalThis as { __pwned?: unknown }).__pwned;
});

describe('front matter is data, never code', () => {
  it.each([
    ['js-engine.md', '---js'],
    ['javascript-engine.md', '---javascript'],
    ['coffee-engine.md', '---coffee'],
  ])('refuses %s (%s) at line 1 and evaluates nothing', (name, opening) => {
    const problems = problemsOf(hostile(name));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^posts\/x\.md:1: front matter must open with a line of exactly "---"/);
    expect(problems[0]).toContain(`"${opening}" is refused`);
    expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
  });

  it('refuses tags that other YAML loaders turn into code or file reads, with their line', () => {
    expect(problemsOf(hostile('js-function-tag.md'))).toEqual([
      expect.stringMatching(/^posts\/x\.md:4: .*tag:yaml\.org,2002:js\/function/),
    ]);
    expect(problemsOf(hostile('custom-tag.md'))).toEqual([expect.stringMatching(/^posts\/x\.md:3: .*!include/)]);
    expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
  });

  it('refuses exponential alias expansion instead of building it', () => {
    const started = Date.now();
    expect(problemsOf(hostile('billion-laughs.md'))).toEqual([expect.stringMatching(/^posts\/x\.md:3: front matter is not valid YAML: .*alias/i)]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses front matter that is not YAML fields', () => {
    expect(problemsOf(hostile('toml.md'))).toEqual([expect.stringMatching(/^posts\/x\.md:2: front matter must be fields like "title: …"/)]);
    expect(problemsOf('---\n- a\n- b\n---\nText\n')).toEqual([expect.stringMatching(/^posts\/x\.md:2: front matter must be fields/)]);
    expect(problemsOf('---\ntitle: A\nno end\n')).toEqual([expect.stringMatching(/^posts\/x\.md:1: .*never closed/)]);
  });

  it('names the line of a YAML syntax error and of a duplicate field', () => {
    expect(problemsOf('---\ntitle: A\norder: 1\norder: 2\n---\nText\n')).toEqual([expect.stringMatching(/^posts\/x\.md:4: front matter is not valid YAML: Map keys must be unique/)]);
    expect(problemsOf('---\ntitle: A\nsection: "open\n---\nText\n')[0]).toMatch(/^posts\/x\.md:3: front matter is not valid YAML/);
  });

  it('keeps dates as text, reads plain YAML, and returns the body after the closing line', () => {
    const parsed = parseFrontMatter('x.md', '\uFEFF---\r\npublish_at: 2030-01-06 12:00\r\nday: 2030-01-06\r\nn: 3\r\nok: true\r\nphone: !!str 103\r\n---\r\nBody *text*.\r\n', anything);
    expect(parsed.ok && parsed.data).toEqual({ publish_at: '2030-01-06 12:00', day: '2030-01-06', n: 3, ok: true, phone: '103' });
    expect(parsed.ok && parsed.body.trim()).toBe('Body *text*.');
    expect(parseFrontMatter('x.md', 'No front matter at all.\n', anything)).toMatchObject({ ok: true, data: {}, body: 'No front matter at all.\n' });
  });

  it('points at the real line of a field, also nested, quoted or after a block text', () => {
    const schema = z.object({
      intro: z.string(),
      title: z.string(),
      poll: z.object({ question: z.string(), options: z.array(z.string().max(5)) }),
    });
    const source = [
      '---',
      'intro: |', // 2
      '  title: this line is text, not the field',
      '"title": 5', // 4
      'poll:', // 5
      '  question: Why?',
      '  options:',
      '    - short',
      '    - far too long', // 9
      '---',
      'Body',
    ].join('\n');
    expect(problemsOf(source, schema)).toEqual([
      expect.stringMatching(/^posts\/x\.md:4: title: /),
      expect.stringMatching(/^posts\/x\.md:9: poll\.options\.1: /),
    ]);
    expect(problemsOf('---\ntitle: A\nextra: 1\n---\nB\n', z.object({ title: z.string() }).strict())).toEqual([
      expect.stringMatching(/^posts\/x\.md:3: extra: /),
    ]);
  });

  it('post files use the same parser: a ---js post is a problem with file and line, not a post', () => {
    const root = contentFolder({ 'posts/js.md': hostile('js-engine.md'), 'posts/tag.md': hostile('js-function-tag.md') });
    const { posts, problems } = loadPosts(root, { timezone: 'Asia/Almaty', channels: ['news'] });
    expect(posts).toEqual([]);
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^posts\/js\.md:1: front matter must open/),
      expect.stringMatching(/^posts\/tag\.md:4: /),
    ]);
  });
});
