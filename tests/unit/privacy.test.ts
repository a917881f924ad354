import { describe, expect, it } from 'vitest';
import { createPrivacy, randomPseudonym } from '../../src/privacy/keys.js';
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
    const sealed = privacy.encryptChatId(987654321);
    expect(sealed).not.toContain('987654321');
    expect(privacy.encryptChatId(987654321)).not.toBe(sealed); // random IV each time
    expect(privacy.decryptChatId(sealed)).toBe(987654321);
    expect(() => createPrivacy(`${secret}!`).decryptChatId(sealed)).toThrow();
  });

  it('detects a tampered ciphertext', () => {
    const privacy = createPrivacy(secret);
    const sealed = Buffer.from(privacy.encryptChatId(5), 'base64url');
    sealed[sealed.length - 1] = (sealed[sealed.length - 1] ?? 0) ^ 1;
    expect(() => privacy.decryptChatId(sealed.toString('base64url'))).toThrow();
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
