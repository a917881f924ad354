import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createSealer, isSealed } from '../../src/privacy/sealing.js';
import { createPrivacy, KEY_LABELS, subkey } from '../../src/privacy/keys.js';

const secret = 'sealing-secret-sealing-secret-sealing-01';
const update = JSON.stringify({ update_id: 7, message: { from: { id: 7412598306, username: 'zq_seal', first_name: 'Зарина' }, text: 'секрет' } });

describe('sealing (AES-256-GCM bound to its row)', () => {
  it('round-trips, with a fresh IV each time, and the sealed text shows nothing of the plain text', () => {
    const { journal } = createPrivacy(secret);
    const sealed = journal.seal(update, 'update_journal:7');
    expect(isSealed(sealed)).toBe(true);
    for (const visible of ['7412598306', 'zq_seal', 'секрет', 'Зарина', 'update_id']) expect(sealed).not.toContain(visible);
    expect(journal.seal(update, 'update_journal:7')).not.toBe(sealed);
    expect(journal.open(sealed, 'update_journal:7')).toBe(update);
    expect(journal.open(journal.seal('', 'x'), 'x')).toBe('');
  });

  it('refuses a tampered ciphertext, IV or tag, and a truncated value', () => {
    const { journal } = createPrivacy(secret);
    const sealed = journal.seal(update, 'update_journal:7');
    const prefix = sealed.slice(0, sealed.indexOf(':') + 1);
    const bytes = Buffer.from(sealed.slice(prefix.length), 'base64url');
    for (const at of [0, 12, 20, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[at] = altered[at]! ^ 1;
      expect(() => journal.open(prefix + altered.toString('base64url'), 'update_journal:7'), `byte ${at}`).toThrow();
    }
    expect(() => journal.open(prefix + bytes.subarray(0, 20).toString('base64url'), 'update_journal:7')).toThrow();
    expect(() => journal.open(update, 'update_journal:7')).toThrow(/Not a sealed value/);
  });

  it('refuses the wrong AAD: a row copied under another update id or client key does not open', () => {
    const { journal, conversations } = createPrivacy(secret);
    expect(() => journal.open(journal.seal(update, 'update_journal:7'), 'update_journal:8')).toThrow();
    const state = conversations.seal('{"a":1}', 'conversation_state:key-a');
    expect(() => conversations.open(state, 'conversation_state:key-b')).toThrow();
  });

  it('refuses the key of another purpose or another BOT_SECRET', () => {
    const privacy = createPrivacy(secret);
    const sealed = privacy.journal.seal(update, 'same-aad');
    expect(() => privacy.conversations.open(sealed, 'same-aad')).toThrow();
    expect(() => createPrivacy(`${secret}!`).journal.open(sealed, 'same-aad')).toThrow();
    // Nor does the chat-id key open it, though it comes from the same secret.
    expect(() => createSealer(subkey(secret, KEY_LABELS.chatId)).open(sealed, 'same-aad')).toThrow();
    expect(createSealer(subkey(secret, KEY_LABELS.journal)).open(sealed, 'same-aad')).toBe(update);
  });

  it('gives every purpose its own HKDF label', () => {
    const labels = Object.values(KEY_LABELS);
    expect(new Set(labels).size).toBe(labels.length);
    const keys = labels.map((label) => subkey(secret, label).toString('hex'));
    expect(new Set(keys).size).toBe(keys.length);
    expect(() => createSealer(randomBytes(16))).toThrow(/32 bytes/);
  });
});
