import { describe, expect, it } from 'vitest';
import { cleanAlias } from '../../src/inbox/alias.js';

describe('consultant aliases', () => {
  it('removes control and invisible direction characters, keeps emoji joined', () => {
    expect(cleanAlias('  Anna\n\tK.  ')).toBe('Anna K.');
    expect(cleanAlias('\u202Eanna\u202C\u0007\u200B')).toBe('anna');
    expect(cleanAlias('Dr \u2066Aigerim\u2069 👩‍⚕️')).toBe('Dr Aigerim 👩‍⚕️');
    expect(cleanAlias('<b> & <i>')).toBe('<b> & <i>'); // text: escaped where it goes into HTML
  });

  it('refuses an empty or too long alias (counted in characters, not UTF-16 units)', () => {
    expect(cleanAlias('\u0000\u202E ')).toBeUndefined();
    expect(cleanAlias('a'.repeat(33))).toBeUndefined();
    expect(cleanAlias('ә'.repeat(32))).toBe('ә'.repeat(32));
    expect(cleanAlias('😀'.repeat(32))).toBe('😀'.repeat(32));
  });
});
