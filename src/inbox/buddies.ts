import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lte } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { buddies, type BuddyRow } from '../db/schema.js';
import { CHAT_REF_BINDING, type Privacy } from '../privacy/keys.js';

/**
 * Check-in buddies (issue 22): someone a client trusts, who opened the bot through a one-time link the
 * client shared (the bot can write only to people who started it) and agreed. The bot relays only its
 * own texts and the client's plan between them, never either side's Telegram account. SQL only.
 */

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 24 * 3_600_000;
/** The start parameter of an invitation: t.me/<bot>?start=bd_<token>. */
export const INVITATION_PREFIX = 'bd_';

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export function pairingOf(db: Db, clientKey: string): BuddyRow | undefined {
  return db.select().from(buddies).where(eq(buddies.clientKey, clientKey)).get();
}

export function isPaired(row: BuddyRow | undefined): row is BuddyRow & { buddyKey: string; buddyChatRef: string } {
  return row !== undefined && row.buddyKey !== null && row.buddyChatRef !== null;
}

/**
 * A new one-time invitation (replacing an unused one); undefined if the client already has a buddy (they
 * end that pairing first). Only a hash of the token is kept: the token is in the link alone.
 */
export function createInvitation(db: Db, clientKey: string, now: number, ttlMs = INVITATION_TTL_MS): { token: string; expiresAt: number } | undefined {
  return db.$client.transaction(() => {
    const existing = pairingOf(db, clientKey);
    if (isPaired(existing)) return undefined;
    const token = randomBytes(12).toString('base64url');
    const expiresAt = now + ttlMs;
    if (existing) db.update(buddies).set({ tokenHash: hashToken(token), tokenExpiresAt: expiresAt }).where(eq(buddies.id, existing.id)).run();
    else db.insert(buddies).values({ clientKey, tokenHash: hashToken(token), tokenExpiresAt: expiresAt }).run();
    return { token, expiresAt };
  })();
}

/** The unused, unexpired invitation of this token. */
export function findInvitation(db: Db, token: string, now: number): BuddyRow | undefined {
  return db
    .select()
    .from(buddies)
    .where(and(eq(buddies.tokenHash, hashToken(token)), gt(buddies.tokenExpiresAt, now), isNull(buddies.buddyKey)))
    .get();
}

export type Acceptance = { ok: true; row: BuddyRow } | { ok: false; reason: 'invalid' | 'self' };

/** The person who opened the link agrees: they become the buddy, and the token stops working. */
export function acceptInvitation(db: Db, privacy: Privacy, input: { token: string; buddyClientKey: string; buddyChatId: number; language: string; now: number }): Acceptance {
  return db.$client.transaction((): Acceptance => {
    const row = findInvitation(db, input.token, input.now);
    if (!row) return { ok: false, reason: 'invalid' };
    if (row.clientKey === input.buddyClientKey) return { ok: false, reason: 'self' };
    const paired = db
      .update(buddies)
      .set({
        buddyKey: privacy.buddyKey(input.buddyClientKey),
        buddyChatRef: privacy.encryptChatId(input.buddyChatId, CHAT_REF_BINDING.buddy(row.id)),
        buddyLanguage: input.language,
        pairedOn: new Date(input.now).toISOString().slice(0, 10),
        tokenHash: null,
        tokenExpiresAt: null,
      })
      .where(and(eq(buddies.id, row.id), isNull(buddies.buddyKey)))
      .returning()
      .get();
    return paired ? { ok: true, row: paired } : { ok: false, reason: 'invalid' };
  })();
}

/** The buddy's chat id; throws if the sealed ref is not this row's own. */
export function buddyChatId(privacy: Privacy, row: BuddyRow): number {
  return privacy.decryptChatId(row.buddyChatRef!, CHAT_REF_BINDING.buddy(row.id));
}

/** The client ends their pairing (or drops their invitation); returns what went. */
export function endPairing(db: Db, clientKey: string): BuddyRow | undefined {
  return db.delete(buddies).where(eq(buddies.clientKey, clientKey)).returning().get();
}

/** The pairings in which this person is the buddy. */
export function pairingsAsBuddy(db: Db, privacy: Privacy, buddyClientKey: string): BuddyRow[] {
  return db.select().from(buddies).where(eq(buddies.buddyKey, privacy.buddyKey(buddyClientKey))).all();
}

/** The buddy ends every pairing they are in (their choice, or their /forget); returns what went. */
export function endPairingsAsBuddy(db: Db, privacy: Privacy, buddyClientKey: string): BuddyRow[] {
  return db.delete(buddies).where(eq(buddies.buddyKey, privacy.buddyKey(buddyClientKey))).returning().all();
}

/** Invitations never used, past their time, go. */
export function purgeExpiredInvitations(db: Db, now: number): number {
  return db.delete(buddies).where(and(isNull(buddies.buddyKey), lte(buddies.tokenExpiresAt, now))).run().changes;
}
