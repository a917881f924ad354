import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import { createSealer, type Sealer } from './sealing.js';

/**
 * Everything the system derives from BOT_SECRET. Separate subkeys (HKDF), one label per purpose, for
 * hashing ids, encrypting chat ids, the update journal and conversation state, so no use weakens
 * another and a value sealed for one purpose never opens as another. Without the secret, a copy of
 * the database links to nobody and reads no message.
 */
export interface Privacy {
  /** Stable pseudonymous key for a Telegram user id. */
  clientKey(telegramUserId: number): string;
  encryptChatId(chatId: number): string;
  decryptChatId(sealed: string): number;
  /** The key a ban is kept under: derived from the client key with its own subkey, so it matches no client row. */
  banKey(clientKey: string): string;
  /** Raw updates in the update journal (they carry ids, names, phones, texts). */
  journal: Sealer;
  /** The conversations plugin's state (it replays the updates of an intake). */
  conversations: Sealer;
  /** A client's words waiting in the outbox (texts to join, edits to carry over), until they are sent. */
  outbox: Sealer;
}

/** HKDF labels; never reuse one for another purpose, never change one in use. */
export const KEY_LABELS = {
  clientKey: 'client-key',
  chatId: 'chat-id-encryption',
  journal: 'update-journal-encryption',
  conversations: 'conversation-state-encryption',
  outbox: 'outbox-text-encryption',
  ban: 'ban-key',
} as const;

const SALT = Buffer.from('peer-help-bot/v1');

export function subkey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), SALT, Buffer.from(purpose, 'utf8'), 32));
}

export function createPrivacy(botSecret: string): Privacy {
  const hmacKey = subkey(botSecret, KEY_LABELS.clientKey);
  const encKey = subkey(botSecret, KEY_LABELS.chatId);
  const banHmacKey = subkey(botSecret, KEY_LABELS.ban);
  return {
    journal: createSealer(subkey(botSecret, KEY_LABELS.journal)),
    conversations: createSealer(subkey(botSecret, KEY_LABELS.conversations)),
    outbox: createSealer(subkey(botSecret, KEY_LABELS.outbox)),
    clientKey(telegramUserId) {
      return createHmac('sha256', hmacKey).update(String(telegramUserId)).digest('hex');
    },
    encryptChatId(chatId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const ciphertext = Buffer.concat([cipher.update(String(chatId), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
    },
    decryptChatId(sealed) {
      const data = Buffer.from(sealed, 'base64url');
      if (data.length < 29) throw new Error('Sealed chat id is too short');
      const decipher = createDecipheriv('aes-256-gcm', encKey, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
      return Number(plain);
    },
    banKey(clientKey) {
      return createHmac('sha256', banHmacKey).update(clientKey).digest('hex');
    },
  };
}

/** Crockford-style alphabet without look-alikes (no 0/O, 1/I/L, U). */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A random pseudonym such as "4F7K"; random, not derived, so it cannot be recomputed from a user id. */
export function randomPseudonym(length = 4): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}
