import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for values stored in SQLite that could carry who a client is or what they wrote (raw
 * updates, conversation state). Each value is bound to its row by the associated data (AAD), so a
 * ciphertext copied into another row, or another table, does not open.
 */
export interface Sealer {
  seal(plaintext: string, aad: string): string;
  /** Throws if the value was not sealed by this key for this AAD, or was altered. */
  open(sealed: string, aad: string): string;
}

/** Marks the format, so values written before encryption (plain JSON) can be told apart. */
const PREFIX = 'gcm1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

export function createSealer(key: Buffer): Sealer {
  if (key.length !== 32) throw new Error('A sealing key must be 32 bytes (AES-256)');
  return {
    seal(plaintext, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
    },
    open(sealed, aad) {
      if (!isSealed(sealed)) throw new Error('Not a sealed value');
      const data = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
      if (data.length < IV_BYTES + TAG_BYTES) throw new Error('Sealed value is too short');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(data.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    },
  };
}
