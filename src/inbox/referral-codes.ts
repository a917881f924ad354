import { randomInt } from 'node:crypto';
import { and, count, eq, gte, isNull, lt, sql, sum } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { pickupCounts, referralCodes, type ReferralCodeRow } from '../db/schema.js';
import { localParts, zonedTimeToUtc } from '../time/zoned.js';

/** No 0/O, 1/I/L, 5/S, 2/Z, 8/B: a code read aloud over a counter or copied by hand stays one code. */
export const CODE_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';
const CODE_LENGTH = 6;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Cyrillic letters a partner's keyboard may produce for the Latin ones they look like. */
const CYRILLIC_LOOKALIKES: Record<string, string> = { А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X' };

export function randomCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** K7QM4X → K7Q-M4X, as shown and read aloud. */
export function formatCode(code: string): string {
  return `${code.slice(0, 3)}-${code.slice(3)}`;
}

/** What a partner typed (`k7q 4mx`, `К7Q-4MX`) as a stored code, or undefined if it cannot be one. */
export function normalizeCode(input: string): string | undefined {
  const cleaned = [...input.toUpperCase()].map((c) => CYRILLIC_LOOKALIKES[c] ?? c).join('').replace(/[\s-]+/g, '');
  return new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`).test(cleaned) ? cleaned : undefined;
}

export interface IssueInput {
  type: string;
  place: string | null;
  source: 'staff' | 'pickup';
  clientKey: string;
  caseId?: number;
  now: number;
  validDays: number;
  /** The time zone whose days the client is shown (TIMEZONE): the code is valid to the end of one of them. */
  timeZone?: string;
}

/**
 * When a code issued at `issuedHour` (already rounded down to the hour) stops being valid: the end of
 * the day `validDays` later, in `timeZone` (UTC without one). Computed from the rounded hour and rounded
 * to a day, so neither it nor the day shown to the client says when, within the day, the code was issued.
 */
export function expiryOf(issuedHour: number, validDays: number, timeZone = 'UTC'): number {
  const last = localParts(new Date(issuedHour + validDays * DAY), timeZone);
  const nextDay = new Date(Date.UTC(last.year, last.month - 1, last.day + 1));
  const midnight = zonedTimeToUtc({ year: nextDay.getUTCFullYear(), month: nextDay.getUTCMonth() + 1, day: nextDay.getUTCDate(), hour: 0, minute: 0, second: 0 }, timeZone);
  return midnight.getTime() - 1; // 23:59:59.999 of the last day: the day shown is the last valid one
}

/** Issues a fresh code; a collision with an existing code (one in hundreds of millions) just draws again. */
export function issueCode(db: Db, input: IssueInput): ReferralCodeRow {
  for (;;) {
    const row = db
      .insert(referralCodes)
      .values({
        code: randomCode(),
        type: input.type,
        place: input.place,
        source: input.source,
        clientKey: input.clientKey,
        caseId: input.caseId ?? null,
        issuedHour: Math.floor(input.now / HOUR) * HOUR,
        expiresAt: expiryOf(Math.floor(input.now / HOUR) * HOUR, input.validDays, input.timeZone),
      })
      .onConflictDoNothing()
      .returning()
      .get();
    if (row) return row;
  }
}

export type Redemption =
  | { status: 'redeemed'; code: ReferralCodeRow }
  | { status: 'used'; code: ReferralCodeRow }
  | { status: 'expired'; code: ReferralCodeRow }
  | { status: 'unknown' };

/**
 * Redeems a code in one UPDATE guarded by `redeemed_hour IS NULL`: SQLite runs writes one at a time,
 * so of two partners redeeming the same code at once exactly one gets `redeemed`, the other `used`.
 */
export function redeemCode(db: Db, code: string, now: number): Redemption {
  const won = db
    .update(referralCodes)
    .set({ redeemedHour: Math.floor(now / HOUR) * HOUR })
    .where(and(eq(referralCodes.code, code), isNull(referralCodes.redeemedHour), sql`${referralCodes.expiresAt} > ${now}`))
    .returning()
    .get();
  if (won) return { status: 'redeemed', code: won };
  const row = db.select().from(referralCodes).where(eq(referralCodes.code, code)).get();
  if (!row) return { status: 'unknown' };
  return { status: row.redeemedHour !== null ? 'used' : 'expired', code: row };
}

/** Records a partner's outcome once, only for a redeemed code that has none yet. */
export function recordOutcome(db: Db, id: number, outcome: string): boolean {
  return (
    db
      .update(referralCodes)
      .set({ outcome })
      .where(and(eq(referralCodes.id, id), isNull(referralCodes.outcome), sql`${referralCodes.redeemedHour} IS NOT NULL`))
      .run().changes === 1
  );
}

export function codesOfCase(db: Db, caseId: number): ReferralCodeRow[] {
  return db.select().from(referralCodes).where(eq(referralCodes.caseId, caseId)).orderBy(referralCodes.id).all();
}

/** Pick-up codes the client asked for themselves since `since` (for the per-period limit). */
export function pickupsSince(db: Db, clientKey: string, since: number): number {
  const [row] = db
    .select({ n: count() })
    .from(referralCodes)
    .where(and(eq(referralCodes.clientKey, clientKey), eq(referralCodes.source, 'pickup'), gte(referralCodes.issuedHour, Math.floor(since / HOUR) * HOUR)))
    .all();
  return row?.n ?? 0;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Counts a pick-up code under the client's pick-up key (Privacy.pickupKey), by day: the count outlives
 * /forget (the link in referral_codes does not), so the limit holds for its period whatever the client erases.
 */
export function countPickup(db: Db, pickupKey: string, now: number): void {
  db.insert(pickupCounts)
    .values({ pickupKey, issuedOn: dayOf(now), count: 1 })
    .onConflictDoUpdate({ target: [pickupCounts.pickupKey, pickupCounts.issuedOn], set: { count: sql`${pickupCounts.count} + 1` } })
    .run();
}

/** Pick-up codes counted under this key on the day of `since` and after. */
export function pickupsCounted(db: Db, pickupKey: string, since: number): number {
  const [row] = db
    .select({ n: sum(pickupCounts.count) })
    .from(pickupCounts)
    .where(and(eq(pickupCounts.pickupKey, pickupKey), gte(pickupCounts.issuedOn, dayOf(since))))
    .all();
  return Number(row?.n ?? 0);
}

/** Counts older than the pick-up period are of no use to the limit, so they are not kept either. */
export function purgePickupCounts(db: Db, now: number, periodDays: number): number {
  return db.delete(pickupCounts).where(lt(pickupCounts.issuedOn, dayOf(now - periodDays * DAY))).run().changes;
}

export type CodeStatus = 'valid' | 'redeemed' | 'expired';
export function codeStatus(row: ReferralCodeRow, now: number): CodeStatus {
  return row.redeemedHour !== null ? 'redeemed' : row.expiresAt <= now ? 'expired' : 'valid';
}

/**
 * Retention: RETENTION_DAYS after a code expired nobody needs to check it any more, so the code itself
 * (which the client's phone may still show) is replaced by a placeholder that can never be typed, and
 * any link left goes. The row stays as an anonymous count for the cascade.
 */
export function scrubOldCodes(db: Db, now: number, retentionDays: number): number {
  return db
    .update(referralCodes)
    .set({ code: sql`'-' || ${referralCodes.id}`, clientKey: null, caseId: null, remindAt: null, askAt: null })
    .where(and(sql`${referralCodes.expiresAt} < ${now - retentionDays * DAY}`, sql`${referralCodes.code} NOT LIKE '-%'`))
    .run().changes;
}
