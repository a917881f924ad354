import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Guards the shipped content against the medical and language errors fixed in issue #13 coming back.
// Reads the files directly so it does not depend on how the bot loads them.
const ROOT = join(import.meta.dirname, '..', '..', 'content');
const SHIPPED = ['info', 'emergency', 'snippets', 'posts'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

const shipped = SHIPPED.flatMap((folder) => files(join(ROOT, folder))).map((path) => ({
  file: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));
const languageOf = (file: string) => /(?:^|\/)(ru|kk|en)(?:\/|\.md$)|-(ru|kk|en)\.md$/.exec(file)?.slice(1).find(Boolean);
const inLanguage = (lang: string) => shipped.filter((f) => languageOf(f.file) === lang);

/** Files whose text matches `pattern`, for a readable failure. */
const matching = (list: typeof shipped, pattern: RegExp) => list.filter((f) => pattern.test(f.text)).map((f) => f.file);

describe('shipped safety content', () => {
  it('has the same info cards in every language, each with sources and a topic, and no bare review date', () => {
    const slugs = (lang: string) => readdirSync(join(ROOT, 'info', lang)).filter((n) => n.endsWith('.md')).sort();
    expect(slugs('kk')).toEqual(slugs('en'));
    expect(slugs('ru')).toEqual(slugs('en'));
    const info = shipped.filter((f) => f.file.startsWith('info/'));
    expect(info.length).toBeGreaterThan(90);
    const frontMatter = (text: string) => text.split('\n---\n')[0] ?? '';
    expect(info.filter((f) => !/\nsources:\n {2}- "[^"]{10,}"/.test(frontMatter(f.text))).map((f) => f.file)).toEqual([]);
    // Who must sign comes from the topic; a bare date claimed a review nobody signed (issue 20).
    expect(info.filter((f) => !/\ntopic: (medical|mental|legal|social|digital)\n/.test(frontMatter(f.text) + '\n')).map((f) => f.file)).toEqual([]);
    expect(info.filter((f) => /\nreviewed:/.test(frontMatter(f.text))).map((f) => f.file)).toEqual([]);
  });

  it('gives CPR for abnormal breathing with a hands-only fallback, and the crisis lines, on every emergency screen', () => {
    for (const lang of ['ru', 'kk', 'en']) {
      const page = readFileSync(join(ROOT, 'emergency', `${lang}.md`), 'utf8');
      expect(page, lang).toMatch(/100–120/);
      expect(page, lang).toMatch(/\b111\b/);
      expect(page, lang).toMatch(/\b150\b/);
    }
    expect(readFileSync(join(ROOT, 'emergency', 'en.md'), 'utf8')).toMatch(/not breathing normally/i);
  });

  it('never limits naloxone to known opioids, sends PEP to an unverified night route, or dry-skin-only heat stroke', () => {
    expect(matching(shipped, /Tramadol, methadone or heroin may be involved|Могли быть трамадол, метадон или героин|Трамадол, метадон не героин болуы мүмкін/i)).toEqual([]);
    expect(matching(shipped, /emergency department of a hospital|hospital emergency department|приёмное отделение больницы|приёмном отделении больницы|аурухананың қабылдау бөлім/i)).toEqual([]);
    expect(matching(shipped, /Sweating stops|Пот перестаёт|пот прекращается|Тер шықпай/i)).toEqual([]);
    expect(matching(shipped, /protects very well against HIV from sex and from injecting/i)).toEqual([]);
  });

  it('never asks clients to send photos of their documents', () => {
    const lawyer = shipped.filter((f) => f.file.includes('lawyer-referral'));
    expect(lawyer).toHaveLength(3);
    expect(matching(lawyer, /photos of any papers|фото бумаг|қағаздардың суреті/i)).toEqual([]);
  });

  it('keeps the Russian wording gender-neutral and the Kazakh terms consistent', () => {
    expect(matching(inLanguage('ru'), /[а-яё]\((?:а|на|-на|ла)\)|один ?\(одна\)|\(не одна\)/i)).toEqual([]);
    expect(matching(inLanguage('kk'), /рахмет|нашақор|ОЗТ/i)).toEqual([]);
  });
});
