import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { memoryDb } from '../support/db.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { ensureClient, forgetClient } from '../../src/db/clients.js';
import { checkins } from '../../src/db/schema.js';
import { advance, beginSetup, dueCheckins, endCheckin, findCheckin, nextStep, openPlan, savePlan, awaitPlan, setConsent, startCheckin, ESCALATED_KEEP_MS } from '../../src/inbox/checkins.js';
import { acceptInvitation, createInvitation, endPairingsAsBuddy, findInvitation, pairingOf, pairingsAsBuddy } from '../../src/inbox/buddies.js';

const privacy = createPrivacy('checkin-unit-secret-checkin-unit-secret-01');
const timing = { minuteMs: 60_000, answerMinutes: 5 };
const T0 = Date.UTC(2026, 11, 8, 12);

function setup() {
  const db = memoryDb(privacy);
  const a = privacy.clientKey(1001);
  const b = privacy.clientKey(1002);
  ensureClient(db, privacy, a, 1001);
  ensureClient(db, privacy, b, 1002);
  return { db, a, b };
}

describe('check-in steps', () => {
  it('go running → asked → asked-again → escalated → ended, each ask waiting CHECKIN_ANSWER_MINUTES', () => {
    expect(nextStep('running', T0, timing)).toEqual({ state: 'asked', dueAt: T0 + 5 * 60_000 });
    expect(nextStep('asked', T0, timing)).toEqual({ state: 'asked-again', dueAt: T0 + 5 * 60_000 });
    expect(nextStep('asked-again', T0, timing)).toEqual({ state: 'escalated', dueAt: T0 + ESCALATED_KEEP_MS });
    expect(nextStep('escalated', T0, timing)).toEqual({ state: 'ended', dueAt: null });
    expect(nextStep('setup', T0, timing)).toBeUndefined();
  });

  it('a due step happens once, however many callers hold the row it was due in', () => {
    const { db, a } = setup();
    beginSetup(db, { clientKey: a, minutes: 15, language: 'en', now: T0 });
    startCheckin(db, a, T0, timing);
    expect(dueCheckins(db, T0 + 14 * 60_000)).toEqual([]);
    const [due] = dueCheckins(db, T0 + 15 * 60_000);
    expect(advance(db, due!, T0 + 15 * 60_000, timing)?.state).toBe('asked');
    expect(advance(db, due!, T0 + 15 * 60_000, timing)).toBeUndefined(); // a replay or a second runner
    expect(findCheckin(db, a)).toMatchObject({ state: 'asked', step: 1 });
  });

  it('seals the plan to its row; an end without anyone alerted deletes the row, after an alert it waits as ended without the plan', () => {
    const { db, a, b } = setup();
    beginSetup(db, { clientKey: a, minutes: 15, language: 'en', now: T0 });
    awaitPlan(db, a, T0);
    const row = savePlan(db, privacy, a, 'Flat 3, key under the mat', T0)!;
    expect(row.sealedPlan).not.toContain('Flat');
    expect(openPlan(privacy, row)).toBe('Flat 3, key under the mat');
    // Copied into another client's check-in, it does not open.
    beginSetup(db, { clientKey: b, minutes: 15, language: 'en', now: T0 });
    const other = findCheckin(db, b)!;
    expect(openPlan(privacy, { ...other, sealedPlan: row.sealedPlan })).toBeUndefined();

    expect(endCheckin(db, b, 'ended', T0)?.kept).toBe(false);
    expect(findCheckin(db, b)).toBeUndefined();

    setConsent(db, a, { withBuddy: true }, T0);
    startCheckin(db, a, T0, timing);
    db.update(checkins).set({ state: 'escalated', buddyAlerted: true }).where(eq(checkins.clientKey, a)).run();
    expect(endCheckin(db, a, 'ok', T0)?.kept).toBe(true);
    expect(findCheckin(db, a)).toMatchObject({ state: 'ended', endReason: 'ok', sealedPlan: null });
    expect(endCheckin(db, a, 'ok', T0)).toBeUndefined(); // once
  });
});

describe('buddy pairing', () => {
  it('a one-time, expiring invitation; not one\'s own; kept under the buddy\'s own keyed hash; gone with either side', () => {
    const { db, a, b } = setup();
    const invitation = createInvitation(db, a, T0)!;
    expect(pairingOf(db, a)!.tokenHash).not.toContain(invitation.token);
    expect(acceptInvitation(db, privacy, { token: invitation.token, buddyClientKey: a, buddyChatId: 1001, language: 'en', now: T0 })).toEqual({ ok: false, reason: 'self' });
    expect(findInvitation(db, invitation.token, invitation.expiresAt)).toBeUndefined(); // expired
    const accepted = acceptInvitation(db, privacy, { token: invitation.token, buddyClientKey: b, buddyChatId: 1002, language: 'kk', now: T0 });
    expect(accepted.ok).toBe(true);
    const pairing = pairingOf(db, a)!;
    expect(pairing.buddyKey).not.toBe(b); // no client row matches it
    expect(pairing.buddyChatRef).not.toContain('1002');
    expect(acceptInvitation(db, privacy, { token: invitation.token, buddyClientKey: privacy.clientKey(1003), buddyChatId: 1003, language: 'en', now: T0 }).ok).toBe(false); // once
    expect(createInvitation(db, a, T0)).toBeUndefined(); // a buddy already
    expect(pairingsAsBuddy(db, privacy, b)).toHaveLength(1);
    expect(endPairingsAsBuddy(db, privacy, b)).toHaveLength(1);
    expect(pairingOf(db, a)).toBeUndefined();

    createInvitation(db, a, T0);
    beginSetup(db, { clientKey: a, minutes: 30, language: 'en', now: T0 });
    forgetClient(db, a);
    expect(pairingOf(db, a)).toBeUndefined();
    expect(findCheckin(db, a)).toBeUndefined();
  });
});
