import { and, asc, count, eq, lte, gt } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { today } from '../db/clients.js';
import { bans, clients } from '../db/schema.js';

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

/** The client key behind a pseudonym ("4F7K", "Client 4F7K", any case), while the client row exists. */
export function clientKeyOfPseudonym(db: Db, typed: string): { pseudonym: string; key?: string } {
  const pseudonym = (typed.trim().split(/\s+/).at(-1) ?? '').toUpperCase();
  if (!/^[0-9A-Z]{4,8}$/.test(pseudonym)) return { pseudonym };
  const row = db.select({ key: clients.key }).from(clients).where(eq(clients.pseudonym, pseudonym)).get();
  return { pseudonym, ...(row ? { key: row.key } : {}) };
}

/** Bans in force, counted by the day they were given (oldest first): nothing that names or links anyone. */
export function bansByDay(db: Db, now: number, banDays: number): { day: string; count: number }[] {
  return db
    .select({ day: bans.bannedOn, count: count() })
    .from(bans)
    .where(gt(bans.bannedOn, expiredOn(now, banDays)))
    .groupBy(bans.bannedOn)
    .orderBy(asc(bans.bannedOn))
    .all();
}
