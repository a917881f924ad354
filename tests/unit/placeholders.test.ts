import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/loader.js';
import { findPlaceholders, hidePlaceholders } from '../../src/content/placeholders.js';
import { loadPosts } from '../../src/publishing/posts.js';
import { createI18n } from '../../src/bot/i18n.js';
import { contentFolder } from '../support/content.js';

const NOTICE = 'Ask a consultant about this: the details are being confirmed locally.';
const SHOWN = '_Ask a consultant about this: the details are being confirmed locally._';

describe('organisation placeholders [[ORG: …]]', () => {
  it('are found with their line and note', () => {
    expect(findPlaceholders('Intro.\nPEP at night: [[ORG: 24/7 PEP place in Almaty]].\n- Art. [[ORG: article of the Criminal Code]] and [[ORG: its note]]\n[[ORG: unclosed')).toEqual([
      { line: 2, note: '24/7 PEP place in Almaty' },
      { line: 3, note: 'article of the Criminal Code' },
      { line: 3, note: 'its note' },
      { line: 4, note: '[[ORG: unclosed (not closed with ]] on this line: write a marker on one line)' },
    ]);
  });

  it('replace the sentence that holds them, and keep the other sentences and a list item\'s bullet', () => {
    const markdown = [
      'Call {{ambulance}} first. At night go to [[ORG: the 24/7 PEP place, e.g. Art. 5 hospital]]. Take your ID.',
      '- **Where:** [[ORG: address]]',
      '2. Give naloxone. Pharmacies sell it [[ORG: OTC or prescription?]].',
      '### Help in [[ORG: city]]',
    ].join('\n');
    expect(hidePlaceholders(markdown, NOTICE).split('\n')).toEqual([
      `Call {{ambulance}} first. ${SHOWN} Take your ID.`,
      `- ${SHOWN}`,
      `2. Give naloxone. ${SHOWN}`,
      '### Help in',
    ]);
  });

  it('never reach a client: cards show the localized notice from the locales file instead', () => {
    const root = contentFolder({
      'locales/ru.ftl': 'review-org-pending = Об этом спроси консультанта: подробности уточняются на месте.\n',
      'info/ru/pep.md': '---\ntitle: "PEP [[ORG: check title]]"\nsection: S\norder: 1\n---\nPEP нужно начать за 72 часа. Ночью: [[ORG: место в Алматы]].\n',
      'emergency/ru.md': '---\ntitle: Помощь\n---\nЗвони {{ambulance}}. Адрес: [[ORG: адрес]].\n',
    });
    const ru = loadContent(root).languages.ru!;
    expect(ru.cards.get('pep')!.title).toBe('PEP');
    expect(ru.cards.get('pep')!.blocks).toEqual(['PEP нужно начать за 72 часа. <i>Об этом спроси консультанта: подробности уточняются на месте.</i>']);
    expect(ru.emergency!.blocks).toEqual(['Звони 103. <i>Об этом спроси консультанта: подробности уточняются на месте.</i>']);
    expect(JSON.stringify(ru)).not.toContain('[[');
  });

  it('never reach a channel either: a post shows the notice in its own language, with the numbers filled in', () => {
    const root = contentFolder({
      'locales/kk.ftl': 'review-org-pending = Бұл туралы кеңесшіден сұра.\n',
      'posts/pep-kk.md': '---\nchannel: news\npublish_at: 2030-01-06 12:00\n---\n{{ambulance}} нөміріне қоңырау шал. Түнде: [[ORG: мекенжай]].\n',
    });
    const { posts, problems } = loadPosts(root, { timezone: 'Asia/Almaty' });
    expect(problems).toEqual([]);
    expect(posts[0]!.parts).toEqual(['103 нөміріне қоңырау шал. <i>Бұл туралы кеңесшіден сұра.</i>']);
  });
});

describe('placeholders in UI texts (.ftl)', () => {
  it('are replaced by the localized notice, in HTML, wherever the bot formats the text', () => {
    const root = contentFolder({
      'locales/en.ftl': 'review-org-pending = Ask a consultant about this.\nwhere = Free tests. The AIDS centre is at [[ORG: address]]. Call { $ambulance } if unwell.\n',
    });
    const i18n = createI18n(root, 'en', () => ({ ambulance: '103' }));
    expect(i18n.t('en', 'where')).toBe('Free tests. <i>Ask a consultant about this.</i> Call 103 if unwell.');
  });
});
