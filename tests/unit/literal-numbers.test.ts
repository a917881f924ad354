import { describe, expect, it } from 'vitest';
import { findLiteralNumbers } from '../../src/content/literal-numbers.js';

const NUMBERS = { ambulance: '103', general: '112', contact_centre: '111', trust_line: '150' };
const found = (text: string) => findLiteralNumbers(text, NUMBERS).map((f) => `${f.number}→${f.name}`);

describe('emergency numbers written out in a text', () => {
  it('are found as whole numbers standing alone, in every language', () => {
    expect(found('Call 103 now, or 112 from any phone.')).toEqual(['103→ambulance', '112→general']);
    expect(found('Звони **103** или 112.')).toEqual(['103→ambulance', '112→general']);
    expect(found('103-ке қоңырау шал')).toEqual(['103→ambulance']);
    expect(found('Скорая — 103; линия доверия (150)')).toEqual(['103→ambulance', '150→trust_line']);
    expect(findLiteralNumbers('line one\nthen 111', NUMBERS)).toEqual([{ line: 2, number: '111', name: 'contact_centre' }]);
  });

  it('are not confused with doses, dates, times, ranges, articles, links or longer numbers', () => {
    for (const text of [
      '1030 mg',
      '150 mg twice a day',
      '150–300 мг в сутки',
      '150мг',
      '100–120 times a minute',
      '2026-11-03',
      '10:30 or 1:03',
      '1.103 and 103,5',
      'Art. 112 of the Code, ст. 103 УК, 296-бабы, № 150',
      'who.int/publications/103',
      '+7 (727) 150-00-00 and 8 800 150 12 34',
      '{{ambulance}} and { $general }',
      'within 112 days',
    ]) {
      expect(found(text), text).toEqual([]);
    }
  });
});
