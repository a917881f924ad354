import { describe, expect, it } from 'vitest';
import { ensureClient, forgetClient } from '../../src/db/clients.js';
import { pendingDeletions, caseStats, conversationState, outbox, relayMessages } from '../../src/db/schema.js';
import {
  addReferrals,
  claimCase,
  attachTopic,
  closeCase,
  earlierCaseCount,
  findOpenCase,
  openCase,
  purgeClosedCases,
  rateCase,
  recordFirstResponse,
  releaseCase,
  waitingQueue,
} from '../../src/inbox/cases.js';
import { queuePosition } from '../../src/inbox/queue.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { memoryDb } from '../support/db.js';

const privacy = createPrivacy('cases-secret-cases-secret-cases-secret-1');

function client(db: ReturnType<typeof memoryDb>, id: number): string {
  const key = privacy.clientKey(id);
  ensureClient(db, privacy, key, id);
  return key;
}

describe('cases', () => {
  it('keeps one open case per client', () => {
    const db = memoryDb(privacy);
    const key = client(db, 1);
    const first = openCase(db, { clientKey: key, topic: 'substances', inbox: 'main', urgent: false, now: 1000 });
    const second = openCase(db, { clientKey: key, topic: 'legal', inbox: 'main', urgent: true, now: 2000 });
    expect(first.opened).toBe(true);
    expect(second).toEqual({ opened: false, case: { ...first.case, mac: expect.any(String) } }); // stamped by the connection once inserted
  });

  it('lets exactly one of two consultants take a case, and tells the other who has it', () => {
    const db = memoryDb(privacy);
    const { case: row } = openCase(db, { clientKey: client(db, 2), topic: 'mental', inbox: 'main', urgent: false, now: 1000 });
    const a = claimCase(db, row.id, 111, 5000);
    const b = claimCase(db, row.id, 222, 5001);
    expect(a).toMatchObject({ ok: true, case: { status: 'active', consultantId: 111 } });
    expect(b).toEqual({ ok: false, reason: 'taken', consultantId: 111 });
  });

  it('protects a consultant from overload', () => {
    const db = memoryDb(privacy);
    const one = openCase(db, { clientKey: client(db, 3), topic: 'hiv', inbox: 'main', urgent: false, now: 1 }).case;
    const two = openCase(db, { clientKey: client(db, 4), topic: 'hiv', inbox: 'main', urgent: false, now: 2 }).case;
    expect(claimCase(db, one.id, 7, 10, 1).ok).toBe(true);
    expect(claimCase(db, two.id, 7, 11, 1)).toEqual({ ok: false, reason: 'overloaded', active: 1 });
  });

  it('orders the queue urgent first, and a released case goes back in', () => {
    const db = memoryDb(privacy);
    const calm = openCase(db, { clientKey: client(db, 5), topic: 'social', inbox: 'main', urgent: false, now: 100 }).case;
    const urgent = openCase(db, { clientKey: client(db, 6), topic: 'substances', inbox: 'main', urgent: true, now: 200 }).case;
    expect(queuePosition(waitingQueue(db), urgent.id)).toBe(1);
    expect(queuePosition(waitingQueue(db), calm.id)).toBe(2);
    claimCase(db, calm.id, 9, 300);
    expect(queuePosition(waitingQueue(db), calm.id)).toBeNull();
    expect(releaseCase(db, calm.id, 400, 'lawyer')).toMatchObject({ status: 'waiting', consultantId: null, specialty: 'lawyer', queuedAt: 400 });
    expect(queuePosition(waitingQueue(db), calm.id)).toBe(2);
  });

  it('records anonymous figures that survive the case, /forget and the purge', () => {
    const db = memoryDb(privacy);
    const key = client(db, 8);
    const row = openCase(db, { clientKey: key, topic: 'legal', inbox: 'main', urgent: false, now: 1_000 }).case;
    claimCase(db, row.id, 1, 61_000);
    recordFirstResponse(db, row, 121_000);
    recordFirstResponse(db, row, 999_000); // only the first counts
    expect(addReferrals(db, row, ['lawyer', 'hiv-test'])).toEqual(['lawyer', 'hiv-test']);
    expect(addReferrals(db, row, ['lawyer'])).toEqual(['lawyer', 'hiv-test']);
    closeCase(db, row.id, 181_000);
    expect(rateCase(db, row, 5)).toBe(true);
    expect(rateCase(db, row, 6)).toBe(false);
    expect(earlierCaseCount(db, key)).toBe(1);
    expect(findOpenCase(db, key)).toBeUndefined();
    const expected = { topic: 'legal', urgent: false, openedAt: 1_000, takenAt: 61_000, firstResponseAt: 121_000, closedAt: 181_000, referrals: '["lawyer","hiv-test"]', rating: 5, inbox: 'main', nextResponses: '[]' };
    expect(db.select().from(caseStats).all()).toEqual([{ id: row.statsId, ...expected }]);
    forgetClient(db, key);
    // Still there, moved to the hour it opened in (here: the epoch's first hour), durations exact.
    const shift = 1_000;
    expect(db.select().from(caseStats).all()).toEqual([
      { id: row.statsId, ...expected, openedAt: 0, takenAt: 61_000 - shift, firstResponseAt: 121_000 - shift, closedAt: 181_000 - shift },
    ]);
  });

  it('erases cases, relay pairs, pending copies and conversation state with the client on /forget', () => {
    const db = memoryDb(privacy);
    const key = client(db, 9);
    const row = openCase(db, { clientKey: key, topic: 'other', inbox: 'main', urgent: false, now: 1 }).case;
    db.insert(relayMessages).values({ caseId: row.id, clientMessageId: 5, inboxMessageId: 50, fromClient: true }).run();
    db.insert(outbox).values({ caseId: row.id, toClient: false, sourceMessageId: 6, notBefore: 0, createdAt: 0 }).run();
    db.insert(conversationState).values({ key, value: '{}' }).run();
    expect(forgetClient(db, key)?.rows).toEqual({ cases: 1, conversation_state: 1, clients: 1 });
    expect(db.select().from(relayMessages).all()).toEqual([]);
    expect(db.select().from(outbox).all()).toEqual([]);
  });

  it('purges closed cases after the retention period, with their relay pairs', () => {
    const db = memoryDb(privacy);
    const day = 86_400_000;
    const old = openCase(db, { clientKey: client(db, 10), topic: 'other', inbox: 'main', urgent: false, now: 0 }).case;
    const recent = openCase(db, { clientKey: client(db, 11), topic: 'other', inbox: 'main', urgent: false, now: 0 }).case;
    const open = openCase(db, { clientKey: client(db, 12), topic: 'other', inbox: 'main', urgent: false, now: 0 }).case;
    db.insert(relayMessages).values({ caseId: old.id, clientMessageId: 1, inboxMessageId: 2, teamChatId: -100123, fromClient: true }).run();
    closeCase(db, old.id, 1 * day);
    closeCase(db, recent.id, 25 * day);
    attachTopic(db, old.id, -100123, 555);
    expect(purgeClosedCases(db, 32 * day, 30, () => 'sealed-team-chat')).toBe(1);
    expect(db.select().from(relayMessages).all()).toEqual([]);
    // Its topic in the team's chat is queued for deletion in the same transaction.
    expect(db.select().from(pendingDeletions).all()).toMatchObject([{ chatRef: 'sealed-team-chat', threadId: 555, messageId: null }]);
    expect(findOpenCase(db, open.clientKey)).toBeDefined();
    expect(db.select().from(caseStats).all()).toHaveLength(3);
  });
});

describe('reopening a recent urgent case', () => {
  it('reopens only the client\'s urgent case closed within the window, as waiting and unassigned', () => {
    const db = memoryDb(privacy);
    const key = client(db, 31);
    const first = openCase(db, { clientKey: key, topic: 'substances', inbox: 'main', urgent: true, now: 1_000 }).case;
    claimCase(db, first.id, 7, 2_000);
    closeCase(db, first.id, 3_000);
    const again = openCase(db, { clientKey: key, topic: 'substances', inbox: 'main', urgent: true, now: 4_000, reuseUrgentSince: 2_500 });
    expect(again).toMatchObject({ opened: true, reopened: true, case: { id: first.id, status: 'waiting', consultantId: null, closedAt: null, queuedAt: 4_000 } });
    expect(db.select().from(caseStats).all()).toHaveLength(1);
    expect(db.select().from(caseStats).get()?.closedAt).toBeNull();

    closeCase(db, first.id, 5_000);
    const later = openCase(db, { clientKey: key, topic: 'substances', inbox: 'main', urgent: true, now: 9_000, reuseUrgentSince: 6_000 });
    expect(later.opened && later.case.id !== first.id && !later.reopened).toBe(true);

    // A non-urgent case is never reopened this way, nor another client's.
    const other = client(db, 32);
    const calm = openCase(db, { clientKey: other, topic: 'other', inbox: 'main', urgent: false, now: 1_000 }).case;
    closeCase(db, calm.id, 1_500);
    const next = openCase(db, { clientKey: other, topic: 'substances', inbox: 'main', urgent: true, now: 2_000, reuseUrgentSince: 0 });
    expect(next.case.id).not.toBe(calm.id);
  });

  it('keeps exact durations but only the hour once a case goes with /forget or the purge', () => {
    const db = memoryDb(privacy);
    const opened = Date.parse('2026-12-01T10:17:23.456Z');
    const row = openCase(db, { clientKey: client(db, 20), topic: 'legal', inbox: 'main', urgent: false, now: opened }).case;
    claimCase(db, row.id, 99, opened + 90_000);
    recordFirstResponse(db, findOpenCase(db, row.clientKey)!, opened + 150_000);
    closeCase(db, row.id, opened + 600_000);
    forgetClient(db, row.clientKey, () => 'sealed-team-chat');
    const [stats] = db.select().from(caseStats).all();
    const hour = Date.parse('2026-12-01T10:00:00Z');
    expect(stats).toMatchObject({ openedAt: hour, takenAt: hour + 90_000, firstResponseAt: hour + 150_000, closedAt: hour + 600_000 });
  });
});
