import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt } from 'node:crypto';

/**
 * Everything the system derives from BOT_SECRET. Separate subkeys (HKDF) for hashing ids and for
 * encrypting chat ids, so neither use weakens the other. Without the secret, a copy of the database
 * links to nobody.
 */
export interface Privacy {
  /** Stable pseudonymous key for a Telegram user id. */
  clientKey(telegramUserId: number): string;
  encryptChatId(chatId: number): string;
  decryptChatId(sealed: string): number;
  /** The key a ban is kept under: derived from the client key with its own subkey, so it matches no client row. */
  banKey(clientKey: string): string;
}

const SALT = Buffer.from('peer-help-bot/v1');

function subkey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), SALT, Buffer.from(purpose, 'utf8'), 32));
}

export function createPrivacy(botSecret: string): Privacy {
  const hmacKey = subkey(botSecret, 'client-key');
  const encKey = subkey(botSecret, 'chat-id-encryption');
  const banHmacKey = subkey(botSecret, 'ban-key');
  return {
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
