import { and, eq, inArray, isNotNull, lte, ne } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { checkins, type CheckinRow } from '../db/schema.js';
import type { Privacy } from '../privacy/keys.js';

/**
 * "Check on me" (issue 22): the durable state machine, SQL only. A check-in is set up (time, who may be
 * alerted, a sealed plan), then runs: at its time the client is asked, then asked again, then it
 * escalates (the buddy and/or the team are alerted). Any answer ends it; an ended check-in is deleted
 * (plan and all) as soon as whoever was alerted has been told. Every transition is one UPDATE guarded by
 * the state it leaves, so a step runs once whatever the number of callers, restarts or replays.
 */

/** The times a client may choose, in minutes. */
export const CHECKIN_CHOICES = [15, 30, 60] as const;
/** "+15 min" on an ask or on the running screen. */
export const EXTEND_MINUTES = 15;
/** An unanswered escalated check-in ends by itself after this long (its plan deleted). */
export const ESCALATED_KEEP_MS = 12 * 3_600_000;
/** A setup never started is dropped after this long. */
export const SETUP_KEEP_MS = 3_600_000;
/** A plan is kept short: where, how to get in, a name to know them by. */
export const MAX_PLAN_CHARS = 500;

export type CheckinState = 'setup' | 'plan' | 'running' | 'asked' | 'asked-again' | 'escalated' | 'ended';
/** States in which the check-in is on (the client has started it and it has not ended). */
export const ACTIVE: readonly CheckinState[] = ['running', 'asked', 'asked-again', 'escalated'];

export interface CheckinTiming {
  /** The length of a check-in "minute" (60 000; shorter only in tests, CHECKIN_MINUTE_MS). */
  minuteMs: number;
  /** How long each ask waits for an answer, in minutes (CHECKIN_ANSWER_MINUTES). */
  answerMinutes: number;
}

/** The next state of a check-in whose due time has come, and when the one after is due (pure). */
export function nextStep(state: CheckinState, now: number, timing: CheckinTiming): { state: CheckinState; dueAt: number | null } | undefined {
  const wait = timing.answerMinutes * timing.minuteMs;
  switch (state) {
    case 'running':
      return { state: 'asked', dueAt: now + wait };
    case 'asked':
      return { state: 'asked-again', dueAt: now + wait };
    case 'asked-again':
      return { state: 'escalated', dueAt: now + ESCALATED_KEEP_MS };
    case 'escalated':
      return { state: 'ended', dueAt: null };
    default:
      return undefined;
  }
}

const planAad = (row: Pick<CheckinRow, 'id' | 'clientKey'>) => `checkins:${row.id}:${row.clientKey}`;

export function findCheckin(db: Db, clientKey: string): CheckinRow | undefined {
  return db.select().from(checkins).where(eq(checkins.clientKey, clientKey)).get();
}

export function isActive(row: CheckinRow | undefined): boolean {
  return row !== undefined && ACTIVE.includes(row.state as CheckinState);
}

/**
 * A new setup with the chosen time (nothing alerted until the client says so). A setup not yet started
 * is replaced; an active or ending check-in is returned as it is.
 */
export function beginSetup(db: Db, input: { clientKey: string; minutes: number; language: string; now: number }): CheckinRow {
  return db.$client.transaction(() => {
    const existing = findCheckin(db, input.clientKey);
    if (existing && existing.state !== 'setup' && existing.state !== 'plan') return existing;
    if (existing) db.delete(checkins).where(eq(checkins.id, existing.id)).run();
    return db
      .insert(checkins)
      .values({ clientKey: input.clientKey, state: 'setup', minutes: input.minutes, language: input.language, updatedAt: input.now })
      .returning()
      .get();
  })();
}

/** The client's consent to alerting their buddy / the team, while setting up. */
export function setConsent(db: Db, clientKey: string, consent: { withBuddy?: boolean; withTeam?: boolean }, now: number): CheckinRow | undefined {
  return db
    .update(checkins)
    .set({ ...consent, state: 'setup', updatedAt: now })
    .where(and(eq(checkins.clientKey, clientKey), inArray(checkins.state, ['setup', 'plan'])))
    .returning()
    .get();
}

/** The client's next text becomes the plan. */
export function awaitPlan(db: Db, clientKey: string, now: number): CheckinRow | undefined {
  return db.update(checkins).set({ state: 'plan', updatedAt: now }).where(and(eq(checkins.clientKey, clientKey), inArray(checkins.state, ['setup', 'plan']))).returning().get();
}

/** Seals the plan into the setup (cut to MAX_PLAN_CHARS). */
export function savePlan(db: Db, privacy: Privacy, clientKey: string, text: string, now: number): CheckinRow | undefined {
  const row = findCheckin(db, clientKey);
  if (!row || row.state !== 'plan') return undefined;
  const sealedPlan = privacy.checkinPlan.seal(text.trim().slice(0, MAX_PLAN_CHARS), planAad(row));
  return db.update(checkins).set({ sealedPlan, state: 'setup', updatedAt: now }).where(and(eq(checkins.id, row.id), eq(checkins.state, 'plan'))).returning().get();
}

/** The plan in clear (only to show it to whoever is alerted, or to the client); undefined if none or unreadable. */
export function openPlan(privacy: Privacy, row: CheckinRow): string | undefined {
  if (row.sealedPlan === null) return undefined;
  try {
    return privacy.checkinPlan.open(row.sealedPlan, planAad(row));
  } catch {
    return undefined;
  }
}

/** Starts the check-in: the first ask is due after the chosen time. */
export function startCheckin(db: Db, clientKey: string, now: number, timing: CheckinTiming): CheckinRow | undefined {
  return transition(db, clientKey, ['setup', 'plan'], (row) => ({ state: 'running', dueAt: now + row.minutes * timing.minuteMs, updatedAt: now }));
}

/** More time before the next ask (only before an escalation: after it, an answer ends the check-in). */
export function extendCheckin(db: Db, clientKey: string, minutes: number, now: number, timing: CheckinTiming): CheckinRow | undefined {
  return transition(db, clientKey, ['running', 'asked', 'asked-again'], () => ({ state: 'running', dueAt: now + minutes * timing.minuteMs, updatedAt: now }));
}

function transition(db: Db, clientKey: string, from: CheckinState[], set: (row: CheckinRow) => Partial<CheckinRow>): CheckinRow | undefined {
  return db.$client.transaction(() => {
    const row = findCheckin(db, clientKey);
    if (!row || !from.includes(row.state as CheckinState)) return undefined;
    return db.update(checkins).set(set(row)).where(and(eq(checkins.id, row.id), eq(checkins.state, row.state))).returning().get();
  })();
}

/**
 * The check-in ends (the client answered, ended it, or it expired). Nobody alerted: the row is deleted at
 * once. Otherwise it waits as `ended`, its plan already deleted, until the buddy is told; returns it.
 */
export function endCheckin(db: Db, clientKey: string, reason: 'ok' | 'ended' | 'expired', now: number): { ended: CheckinRow; kept: boolean } | undefined {
  return db.$client.transaction(() => {
    const row = findCheckin(db, clientKey);
    if (!row || row.state === 'ended') return undefined;
    if (!row.buddyAlerted) {
      db.delete(checkins).where(eq(checkins.id, row.id)).run();
      return { ended: row, kept: false };
    }
    const ended = db
      .update(checkins)
      .set({ state: 'ended', endReason: reason, sealedPlan: null, dueAt: null, step: row.step + 1, sentParts: 0, updatedAt: now })
      .where(and(eq(checkins.id, row.id), eq(checkins.state, row.state)))
      .returning()
      .get();
    return ended ? { ended: { ...ended, caseId: row.caseId }, kept: true } : undefined;
  })();
}

/** Check-ins whose next step is due. */
export function dueCheckins(db: Db, now: number): CheckinRow[] {
  return db
    .select()
    .from(checkins)
    .where(and(isNotNull(checkins.dueAt), lte(checkins.dueAt, now), inArray(checkins.state, ACTIVE as CheckinState[])))
    .all();
}

/**
 * Moves a due check-in one step on, once (guarded by the state and step it had); `extra` is what the
 * step records besides (who was alerted). Returns the new row, or undefined if another caller was first.
 */
export function advance(db: Db, row: CheckinRow, now: number, timing: CheckinTiming, extra: Partial<CheckinRow> = {}): CheckinRow | undefined {
  const next = nextStep(row.state as CheckinState, now, timing);
  if (!next) return undefined;
  return db
    .update(checkins)
    .set({ state: next.state, dueAt: next.dueAt, step: row.step + 1, sentParts: 0, updatedAt: now, ...extra })
    .where(and(eq(checkins.id, row.id), eq(checkins.state, row.state), eq(checkins.step, row.step)))
    .returning()
    .get();
}

/** Check-ins whose last step's messages have not all gone yet. */
export function undelivered(db: Db): CheckinRow[] {
  return db.select().from(checkins).where(ne(checkins.deliveredStep, checkins.step)).all();
}

/** One more message of the step went (only if the check-in is still at that step). */
export function partSent(db: Db, row: CheckinRow, parts: number): void {
  db.update(checkins).set({ sentParts: parts }).where(and(eq(checkins.id, row.id), eq(checkins.step, row.step))).run();
}

/** Every message of the step went: an ended check-in goes now. */
export function stepDelivered(db: Db, row: CheckinRow): void {
  if (row.state === 'ended') db.delete(checkins).where(and(eq(checkins.id, row.id), eq(checkins.step, row.step))).run();
  else db.update(checkins).set({ deliveredStep: row.step, sentParts: 0 }).where(and(eq(checkins.id, row.id), eq(checkins.step, row.step))).run();
}

/** Setups never started, older than SETUP_KEEP_MS, go (their plan with them). */
export function purgeStaleSetups(db: Db, now: number): number {
  return db.delete(checkins).where(and(inArray(checkins.state, ['setup', 'plan']), lte(checkins.updatedAt, now - SETUP_KEEP_MS))).run().changes;
}

/** The plan of the escalated check-in that opened (or raised) this case, for its card; undefined otherwise. */
export function escalatedPlanOfCase(db: Db, privacy: Privacy, caseId: number): { plan?: string } | undefined {
  const row = db.select().from(checkins).where(and(eq(checkins.caseId, caseId), eq(checkins.state, 'escalated'))).get();
  return row ? { plan: openPlan(privacy, row) } : undefined;
}
