import { describe, expect, it } from 'vitest';
import { createCipheriv, randomBytes } from 'node:crypto';
import { CHAT_REF_BINDING, createPrivacy, KEY_LABELS, randomPseudonym, subkey } from '../../src/privacy/keys.js';
import { storageKey } from '../../src/bot/middleware.js';

const secret = 'a-very-long-secret-for-the-tests-0123456789';

describe('privacy', () => {
  it('derives a stable client key that does not contain the user id', () => {
    const privacy = createPrivacy(secret);
    const key = privacy.clientKey(123456789);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(privacy.clientKey(123456789)).toBe(key);
    expect(key).not.toContain('123456789');
    expect(privacy.clientKey(123456780)).not.toBe(key);
  });

  it('gives unrelated keys under another secret (a stolen database alone links to nobody)', () => {
    expect(createPrivacy(secret).clientKey(42)).not.toBe(createPrivacy(`${secret}!`).clientKey(42));
  });

  it('encrypts chat ids so that only the same secret opens them', () => {
    const privacy = createPrivacy(secret);
    const sealed = privacy.encryptChatId(987654321, 'clients:a');
    expect(sealed).not.toContain('987654321');
    expect(privacy.encryptChatId(987654321, 'clients:a')).not.toBe(sealed); // random IV each time
    expect(privacy.decryptChatId(sealed, 'clients:a')).toBe(987654321);
    expect(() => createPrivacy(`${secret}!`).decryptChatId(sealed, 'clients:a')).toThrow();
  });

  it('binds a sealed chat id to its row: moved to another row it does not open', () => {
    const privacy = createPrivacy(secret);
    const sealed = privacy.encryptChatId(111111111, CHAT_REF_BINDING.client('alice'));
    expect(privacy.decryptChatId(sealed, CHAT_REF_BINDING.client('alice'))).toBe(111111111);
    expect(() => privacy.decryptChatId(sealed, CHAT_REF_BINDING.client('bob'))).toThrow();
    expect(() => privacy.decryptChatId(sealed, CHAT_REF_BINDING.deletion)).toThrow();
  });

  it('seals chat ids of any length to refs of one length (the length says nothing about the account)', () => {
    const privacy = createPrivacy(secret);
    const ids = [98765432, 123456789, 1234567890, 7012345678, -1001234567890, 5];
    const lengths = new Set(ids.map((id) => privacy.encryptChatId(id, 'x').length));
    expect(lengths.size).toBe(1);
    for (const id of ids) expect(privacy.decryptChatId(privacy.encryptChatId(id, 'x'), 'x')).toBe(id);
  });

  it('still opens refs of the earlier format (for the upgrade), but never reads them as bound refs', () => {
    const privacy = createPrivacy(secret);
    // The earlier format: AES-GCM of the decimal text, no associated data, no prefix.
    const key = subkey(secret, KEY_LABELS.chatId);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const ct = Buffer.concat([cipher.update('-1001234567890', 'utf8'), cipher.final()]);
    const legacy = Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url');
    expect(privacy.openLegacyChatRef(legacy)).toBe(-1001234567890);
    expect(() => privacy.decryptChatId(legacy, 'x')).toThrow(/earlier format/);
  });

  it('detects a tampered ciphertext', () => {
    const privacy = createPrivacy(secret);
    const ref = privacy.encryptChatId(5, 'x');
    const sealed = Buffer.from(ref.slice(3), 'base64url');
    sealed[sealed.length - 1] = (sealed[sealed.length - 1] ?? 0) ^ 1;
    expect(() => privacy.decryptChatId(`c2.${sealed.toString('base64url')}`, 'x')).toThrow();
  });

  it('keeps bans under a key of their own: stable, unlike the client key, and unlike under another secret', () => {
    const privacy = createPrivacy(secret);
    const clientKey = privacy.clientKey(123456789);
    const banKey = privacy.banKey(clientKey);
    expect(banKey).toMatch(/^[0-9a-f]{64}$/);
    expect(privacy.banKey(clientKey)).toBe(banKey);
    expect(banKey).not.toBe(clientKey);
    expect(privacy.banKey(privacy.clientKey(123456780))).not.toBe(banKey);
    expect(createPrivacy(`${secret}!`).banKey(clientKey)).not.toBe(banKey);
  });

  it('makes short readable pseudonyms without look-alike characters', () => {
    for (let i = 0; i < 200; i++) expect(randomPseudonym()).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('sequentializes and stores by one key: the client key in private chats, the chat for groups', () => {
    const privacy = createPrivacy(secret);
    const from = { id: 555000111, is_bot: false, first_name: 'A' };
    const privateKey = storageKey(privacy, { chat: { id: 555000111, type: 'private', first_name: 'A' }, from });
    expect(privateKey).toBe(privacy.clientKey(555000111));
    expect(privateKey).not.toContain('555000111');
    // A button press in the same private chat is queued behind the person's messages.
    expect(storageKey(privacy, { chat: undefined, from })).toBe(privateKey);
    expect(storageKey(privacy, { chat: { id: -100123, type: 'supergroup', title: 'Inbox' }, from })).toBe('chat:-100123');
    expect(storageKey(privacy, { chat: undefined, from: undefined })).toBeUndefined();
  });
});
