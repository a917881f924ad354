import { and, eq, lte, gt } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { today } from '../db/clients.js';
import { bans } from '../db/schema.js';

/**
 * Bans, kept under a ban key (Privacy.banKey of the client key) that no other table holds, so a ban
 * outlives /forget and the case it came from, and lasts `banDays` counted from the day it was given.
 */

const DAY_MS = 86_400_000;

/** The last day on which a ban given then has run out. */
function expiredOn(now: number, banDays: number): string {
  return today(new Date(now - banDays * DAY_MS));
}

export function banClient(db: Db, banKey: string, now: number): void {
  const bannedOn = today(new Date(now));
  db.insert(bans).values({ banKey, bannedOn }).onConflictDoUpdate({ target: bans.banKey, set: { bannedOn } }).run();
}

export function liftBan(db: Db, banKey: string): boolean {
  return db.delete(bans).where(eq(bans.banKey, banKey)).run().changes > 0;
}

export function isBanned(db: Db, banKey: string, now: number, banDays: number): boolean {
  return db.select().from(bans).where(and(eq(bans.banKey, banKey), gt(bans.bannedOn, expiredOn(now, banDays)))).get() !== undefined;
}

/** Retention: bans older than `banDays` are deleted. Returns how many went. */
export function purgeExpiredBans(db: Db, now: number, banDays: number): number {
  return db.delete(bans).where(lte(bans.bannedOn, expiredOn(now, banDays))).run().changes;
}
