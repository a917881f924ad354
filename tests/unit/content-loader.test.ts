import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/loader.js';
import { formatProblem } from '../../src/content/front-matter.js';
import { ContentStore } from '../../src/content/store.js';
import { card, contentFolder } from '../support/content.js';

describe('content loading', () => {
  it('groups info cards into sections ordered by their cards', () => {
    const root = contentFolder({
      'info/en/naloxone.md': card('Naloxone', 'Overdose', 20),
      'info/en/signs.md': card('Signs of overdose', 'Overdose', 10),
      'info/en/tramadol.md': card('Tramadol', 'Substances', 5),
    });
    const { languages, problems } = loadContent(root);
    expect(problems).toEqual([]);
    expect(languages.en!.sections.map((s) => [s.title, s.cards.map((c) => c.slug)])).toEqual([
      ['Substances', ['tramadol']],
      ['Overdose', ['signs', 'naloxone']],
    ]);
    expect(languages.en!.cards.get('tramadol')?.blocks).toEqual(['Some <b>text</b>.']);
  });

  it('reports a bad file with its name, line and field, and still loads the others', () => {
    const root = contentFolder({
      'info/ru/good.md': card('Хорошая', 'Раздел', 1),
      'info/ru/no-order.md': '---\ntitle: Без порядка\nsection: Раздел\norder: first\n---\nТекст\n',
      'info/ru/broken-yaml.md': '---\ntitle: [unclosed\nsection: x\n---\nText\n',
      'info/ru/empty.md': card('Empty', 'Раздел', 2, ''),
      'info/ru/Bad Name.md': card('Bad', 'Раздел', 3),
    });
    const { languages, problems } = loadContent(root);
    expect([...languages.ru!.cards.keys()]).toEqual(['good']);
    const lines = problems.map(formatProblem);
    expect(lines).toContain('info/ru/no-order.md:4: order: order must be a number, e.g. 10');
    expect(lines.find((l) => l.startsWith('info/ru/broken-yaml.md'))).toMatch(/front matter is not valid YAML/);
    expect(lines).toContain('info/ru/empty.md: has no text after the front matter');
    expect(lines.find((l) => l.startsWith('info/ru/Bad Name.md'))).toMatch(/file name must be lowercase/);
  });

  it('fills the ambulance number into the emergency page', () => {
    const root = contentFolder({
      'emergency/kk.md': '---\ntitle: Шұғыл\nambulance: "103"\n---\nҚоңырау шалыңыз: **{{ambulance}}**\n',
    });
    expect(loadContent(root).languages.kk!.emergency).toEqual({
      title: 'Шұғыл',
      ambulance: '103',
      // The emergency screen is medical: a clinician must sign it; nobody has.
      signOff: { topic: 'medical', review: {}, needs: ['clinician'], verify: [] },
      blocks: ['Қоңырау шалыңыз: <b>103</b>'],
    });
  });

  it('loads the services directory sorted by order, with the sample flag', () => {
    const root = contentFolder({
      'services/en/astana.md': '---\nregion: Astana\norder: 20\nsample: true\n---\n### Testing\n- AIDS centre\n',
      'services/en/almaty.md': '---\nregion: Almaty\norder: 10\n---\nText\n',
    });
    const regions = loadContent(root).languages.en!.services;
    expect(regions.map((r) => [r.slug, r.region, r.sample])).toEqual([
      ['almaty', 'Almaty', false],
      ['astana', 'Astana', true],
    ]);
  });

  it('falls back to the default language where a language has no content', () => {
    const root = contentFolder({ 'info/ru/only.md': card('Только по-русски', 'Раздел', 1) });
    const store = new ContentStore(root, 'ru');
    expect(store.for('en').cards.get('only')?.title).toBe('Только по-русски');
  });

  it('names a missing content folder', () => {
    expect(loadContent('/nonexistent/content').problems.map(formatProblem)).toEqual([
      '/nonexistent/content: content folder does not exist (CONTENT_DIR)',
    ]);
  });
});
