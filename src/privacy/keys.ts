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
  /**
   * Seals a chat id for the row it is kept in (`binding`, see CHAT_REF_BINDING): a fixed-width value
   * (8 bytes), so the ref's length says nothing about the id, bound to its row, so a ref copied into
   * another row does not open.
   */
  encryptChatId(chatId: number, binding: string): string;
  /** Throws unless `sealed` was sealed by this key for this binding (refs of the earlier format too: see openLegacyChatRef). */
  decryptChatId(sealed: string, binding: string): number;
  /** A ref of the earlier format (decimal text, bound to nothing): read only to seal it again at the upgrade. */
  openLegacyChatRef(sealed: string): number;
  /** The key a ban is kept under: derived from the client key with its own subkey, so it matches no client row. */
  banKey(clientKey: string): string;
  /** The key a pick-up count is kept under (it outlives /forget for its period): its own subkey, so it matches no client row and no ban. */
  pickupKey(clientKey: string): string;
  /** The key a client's outreach source marker is kept under (source_markers): its own subkey, so it matches no client row. */
  sourceMarkerKey(clientKey: string): string;
  /** The key a client's event reminders are kept under (event_reminders): its own subkey, so it matches no client row. */
  rsvpKey(clientKey: string): string;
  /** The key an alert subscription is kept under: its own subkey, so it matches no client row (see alert_subscriptions). */
  subscriptionKey(clientKey: string): string;
  /** A staff member's Telegram id as a keyed hash (who drafted or approved an alert; never a client's). */
  staffKey(telegramUserId: number): string;
  /** The key a day's report count is kept under (the daily report limit): its own subkey, like the pick-up key. */
  reportLimitKey(clientKey: string): string;
  /** A MAC over a row's canonical fields (see src/db/row-integrity.ts), under a subkey of the table's own. */
  rowMac(table: string, canonical: string): string;
  /** Raw updates in the update journal (they carry ids, names, phones, texts). */
  journal: Sealer;
  /** The conversations plugin's state (it replays the updates of an intake). */
  conversations: Sealer;
  /** A client's words waiting in the outbox (texts to join, edits to carry over), until they are sent. */
  outbox: Sealer;
  /** Consultants' internal notes on a case (case_notes), for /history; bound to the case. */
  notes: Sealer;
  /** Readers' stories until they are decided (src/stories/): the author's words and an editor's version. */
  stories: Sealer;
  /** A check-in's plan (where the client is, how to get in): sealed until the check-in ends. */
  checkinPlan: Sealer;
  /**
   * The key a check-in buddy is kept under: derived from the buddy's client key with its own subkey, so a
   * pairing row matches no client row (a database copy shows no link between two clients).
   */
  buddyKey(clientKey: string): string;
  /** Survey answers: in progress (bound to the client key) and finished (bound to the survey only). */
  surveys: Sealer;
  /** The "answered" marker of a client and a survey: its own subkey, so it matches no client row and no other survey's marker. */
  surveyMarker(clientKey: string, surveyId: string): string;
}

/** HKDF labels; never reuse one for another purpose, never change one in use. */
export const KEY_LABELS = {
  clientKey: 'client-key',
  chatId: 'chat-id-encryption',
  journal: 'update-journal-encryption',
  conversations: 'conversation-state-encryption',
  outbox: 'outbox-text-encryption',
  notes: 'case-note-encryption',
  stories: 'story-text-encryption',
  ban: 'ban-key',
  pickup: 'pickup-count-key',
  sourceMarker: 'source-marker-key',
  rsvp: 'event-reminder-key',
  subscription: 'alert-subscription-key',
  staff: 'staff-key',
  checkinPlan: 'checkin-plan-encryption',
  buddy: 'checkin-buddy-key',
  reportLimit: 'report-count-key',
  surveys: 'survey-answer-encryption',
  surveyMarker: 'survey-marker-key',
  /** Followed by ':' and the table name: one subkey per table. */
  rowMac: 'row-mac',
} as const;

/** What a sealed chat id is bound to, per kind of row. */
export const CHAT_REF_BINDING = {
  /** A client's own chat, in clients.chat_ref. */
  client: (clientKey: string) => `clients:${clientKey}`,
  /** A chat in pending_deletions (the row id comes only after the insert: the row's MAC binds the rest). */
  deletion: 'pending_deletions',
  /** A client's chat in event_reminders, bound to the holder's key. */
  rsvp: (holderKey: string) => `event_reminders:${holderKey}`,
  /** A subscriber's chat, in alert_subscriptions.chat_ref. */
  subscription: (key: string) => `alert_subscriptions:${key}`,
  /** A story's author, in stories.chat_ref (bound to the story's random number). */
  story: (number: string) => `stories:${number}`,
  /** A check-in buddy's own chat, in buddies.buddy_chat_ref (bound to the pairing's row). */
  buddy: (pairingId: number) => `buddies:${pairingId}`,
} as const;

/** Marks the fixed-width, bound format; refs without it are of the earlier format (base64url has no '.'). */
const CHAT_REF_PREFIX = 'c2.';

const SALT = Buffer.from('peer-help-bot/v1');

export function subkey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), SALT, Buffer.from(purpose, 'utf8'), 32));
}

export function createPrivacy(botSecret: string): Privacy {
  const hmacKey = subkey(botSecret, KEY_LABELS.clientKey);
  const encKey = subkey(botSecret, KEY_LABELS.chatId);
  const banHmacKey = subkey(botSecret, KEY_LABELS.ban);
  const pickupHmacKey = subkey(botSecret, KEY_LABELS.pickup);
  const sourceMarkerHmacKey = subkey(botSecret, KEY_LABELS.sourceMarker);
  const rsvpHmacKey = subkey(botSecret, KEY_LABELS.rsvp);
  const subscriptionHmacKey = subkey(botSecret, KEY_LABELS.subscription);
  const staffHmacKey = subkey(botSecret, KEY_LABELS.staff);
  const buddyHmacKey = subkey(botSecret, KEY_LABELS.buddy);
  const reportHmacKey = subkey(botSecret, KEY_LABELS.reportLimit);
  const markerHmacKey = subkey(botSecret, KEY_LABELS.surveyMarker);
  const rowKeys = new Map<string, Buffer>();
  const rowKey = (table: string) => {
    let key = rowKeys.get(table);
    if (!key) rowKeys.set(table, (key = subkey(botSecret, `${KEY_LABELS.rowMac}:${table}`)));
    return key;
  };
  const open = (data: Buffer, aad?: string): Buffer => {
    if (data.length < 29) throw new Error('Sealed chat id is too short');
    const decipher = createDecipheriv('aes-256-gcm', encKey, data.subarray(0, 12));
    if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(data.subarray(12, 28));
    return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]);
  };
  return {
    journal: createSealer(subkey(botSecret, KEY_LABELS.journal)),
    conversations: createSealer(subkey(botSecret, KEY_LABELS.conversations)),
    outbox: createSealer(subkey(botSecret, KEY_LABELS.outbox)),
    notes: createSealer(subkey(botSecret, KEY_LABELS.notes)),
    stories: createSealer(subkey(botSecret, KEY_LABELS.stories)),
    checkinPlan: createSealer(subkey(botSecret, KEY_LABELS.checkinPlan)),
    buddyKey(clientKey) {
      return createHmac('sha256', buddyHmacKey).update(clientKey).digest('hex');
    },
    surveys: createSealer(subkey(botSecret, KEY_LABELS.surveys)),
    clientKey(telegramUserId) {
      return createHmac('sha256', hmacKey).update(String(telegramUserId)).digest('hex');
    },
    encryptChatId(chatId, binding) {
      if (!Number.isSafeInteger(chatId)) throw new Error(`A chat id must be a safe integer, got ${chatId}`);
      const plain = Buffer.alloc(8);
      plain.writeBigInt64BE(BigInt(chatId));
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      cipher.setAAD(Buffer.from(binding, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
      return CHAT_REF_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
    },
    decryptChatId(sealed, binding) {
      if (!sealed.startsWith(CHAT_REF_PREFIX)) throw new Error('A chat reference of the earlier format (sealed again at start): not read as it is');
      const plain = open(Buffer.from(sealed.slice(CHAT_REF_PREFIX.length), 'base64url'), binding);
      if (plain.length !== 8) throw new Error('A sealed chat id must hold 8 bytes');
      return Number(plain.readBigInt64BE());
    },
    openLegacyChatRef(sealed) {
      if (sealed.startsWith(CHAT_REF_PREFIX)) throw new Error('Not a chat reference of the earlier format');
      const plain = open(Buffer.from(sealed, 'base64url')).toString('utf8');
      if (!/^-?\d{1,16}$/.test(plain)) throw new Error('A legacy chat reference must hold a decimal chat id');
      return Number(plain);
    },
    banKey(clientKey) {
      return createHmac('sha256', banHmacKey).update(clientKey).digest('hex');
    },
    pickupKey(clientKey) {
      return createHmac('sha256', pickupHmacKey).update(clientKey).digest('hex');
    },
    sourceMarkerKey(clientKey) {
      return createHmac('sha256', sourceMarkerHmacKey).update(clientKey).digest('hex');
    },
    rsvpKey(clientKey) {
      return createHmac('sha256', rsvpHmacKey).update(clientKey).digest('hex');
    },
    subscriptionKey(clientKey) {
      return createHmac('sha256', subscriptionHmacKey).update(clientKey).digest('hex');
    },
    staffKey(telegramUserId) {
      return createHmac('sha256', staffHmacKey).update(String(telegramUserId)).digest('hex');
    },
    reportLimitKey(clientKey) {
      return createHmac('sha256', reportHmacKey).update(clientKey).digest('hex');
    },
    surveyMarker(clientKey, surveyId) {
      return createHmac('sha256', markerHmacKey).update(`${surveyId}\u0000${clientKey}`).digest('hex');
    },
    rowMac(table, canonical) {
      return createHmac('sha256', rowKey(table)).update(canonical).digest('base64url');
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
