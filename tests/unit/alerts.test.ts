import { GrammyError, HttpError, type Api } from 'grammy';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Broadcaster, type AlertTexts } from '../../src/alerts/broadcaster.js';
import { parseDraft } from '../../src/alerts/draft.js';
import { approve, approveUpdate, claimChannel, createDraft, expireDue, findAlert, markSending, nextWork, proposeUpdate, withdrawAlert } from '../../src/alerts/store.js';
import { Subscriptions } from '../../src/alerts/subscriptions.js';
import type { Db } from '../../src/db/connection.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { NO_LIMITS, Pacer, TELEGRAM_LIMITS } from '../../src/relay/pacing.js';
import { memoryDb } from '../support/db.js';

const privacy = createPrivacy('unit-test-secret-unit-test-secret-0001');
const texts: AlertTexts = { alert: (a, lang) => `alert ${a.id} v${a.version} ${lang}`, withdrawn: (a) => `withdrawn ${a.id}`, channel: (a) => `channel ${a.id}` };
const NOW = Date.UTC(2026, 11, 8, 6, 0);
const FIELDS = { substance: 'nitazene', effects: 'stops breathing' };

interface Call {
  method: string;
  chat: number | string;
  text: string;
}

/** A Bot API stand-in: records every call; `fail` may throw for a chat (once or always). */
function fakeApi(fail: (call: Call, n: number) => unknown = () => undefined): { api: Api; calls: Call[] } {
  const calls: Call[] = [];
  let id = 100;
  const seen = new Map<string, number>();
  const call = async (method: string, chat: number | string, text: string) => {
    const record = { method, chat, text };
    const key = `${method}:${chat}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    const error = fail(record, n);
    if (error) throw error;
    calls.push(record);
    return { message_id: ++id, chat: { id: typeof chat === 'number' ? chat : -100_999 } };
  };
  const api = {
    sendMessage: (chat: number, text: string) => call('sendMessage', chat, text),
    editMessageText: (chat: number, _id: number, text: string) => call('editMessageText', chat, text),
  } as unknown as Api;
  return { api, calls };
}

function setup(subscribers: { chat: number; regions: string[]; lang?: string }[]) {
  const db = memoryDb(privacy);
  const subscriptions = new Subscriptions(db, privacy);
  for (const s of subscribers) subscriptions.set(privacy.clientKey(s.chat), s.chat, s.regions, s.lang ?? 'en', NOW);
  return { db, subscriptions };
}

function broadcaster(db: Db, subscriptions: Subscriptions, api: Api, pacer = new Pacer(NO_LIMITS), clock = () => NOW, channels: Record<string, string | number> = {}) {
  return new Broadcaster({ db, api, pacer, logger: pino({ level: 'silent' }), subscriptions, texts, channels, clock, steady: clock, headroom: 5, concurrency: 4 });
}

function approved(db: Db, regions: string[], approvalsNeeded = 2): number {
  const { row } = createDraft(db, { regions, severity: 'high', fields: FIELDS, expiresAt: NOW + 3_600_000 }, { chatId: -100, staffKey: 'drafter', approvalsNeeded }, NOW);
  if (approvalsNeeded > 1) approve(db, row.id, 'second', NOW);
  return row.id;
}

const count = (db: Db, sql: string, ...args: unknown[]) => (db.$client.prepare(sql).get(...args) as { n: number }).n;

describe('drug alerts: approvals', () => {
  it('the drafter counts once and cannot approve their own draft; the last agreement needed starts it for the subscribers of its regions only', () => {
    const { db } = setup([{ chat: 1, regions: ['north'] }, { chat: 2, regions: ['south'] }, { chat: 3, regions: ['south', 'almaty'] }]);
    const { row } = createDraft(db, { regions: ['north', 'almaty'], severity: 'high', fields: FIELDS, expiresAt: NOW + 3_600_000 }, { chatId: -100, staffKey: 'a', approvalsNeeded: 3 }, NOW);
    expect(approve(db, row.id, 'a', NOW)).toEqual({ outcome: 'already' });
    expect(approve(db, row.id, 'b', NOW)).toEqual({ outcome: 'counted', have: 2, need: 3 });
    expect(approve(db, row.id, 'b', NOW)).toEqual({ outcome: 'already' });
    expect(count(db, 'SELECT count(*) AS n FROM alert_deliveries')).toBe(0);
    const started = approve(db, row.id, 'c', NOW);
    expect(started.outcome === 'started' && started.subscribers).toBe(2);
    expect(approve(db, row.id, 'd', NOW)).toEqual({ outcome: 'not-draft', status: 'sending' });
    // A draft past its time is never started.
    const { row: late } = createDraft(db, { regions: ['north'], severity: 'low', fields: FIELDS, expiresAt: NOW + 1 }, { chatId: -100, staffKey: 'a', approvalsNeeded: 2 }, NOW);
    expect(approve(db, late.id, 'b', NOW + 10)).toEqual({ outcome: 'expired' });
  });

  it('a change to a live alert waits for as many people as the alert needed; one person cannot change what went out', () => {
    const { db } = setup([{ chat: 1, regions: ['north'] }]);
    const id = approved(db, ['north'], 2);
    const action = () => (JSON.parse(findAlert(db, id)!.fields) as Record<string, string>).action;
    const before = action();
    expect(proposeUpdate(db, id, { action: 'carry naloxone' }, undefined, 'drafter')).toEqual({ outcome: 'counted', have: 1, need: 2 });
    expect([action(), findAlert(db, id)!.version]).toEqual([before, 1]);
    expect(approveUpdate(db, id, 'drafter')).toEqual({ outcome: 'already' });
    const applied = approveUpdate(db, id, 'second');
    expect(applied.outcome).toBe('applied');
    expect([action(), findAlert(db, id)!.version, findAlert(db, id)!.pendingFields]).toEqual(['carry naloxone', 2, null]);
    expect(approveUpdate(db, id, 'third')).toEqual({ outcome: 'none' });
    // A new proposal replaces one still waiting; withdrawn, nothing can be changed.
    proposeUpdate(db, id, { action: 'first idea' }, undefined, 'drafter');
    proposeUpdate(db, id, { action: 'second idea' }, undefined, 'third');
    approveUpdate(db, id, 'drafter');
    expect(action()).toBe('second idea');
    withdrawAlert(db, id, NOW);
    expect(proposeUpdate(db, id, { action: 'late' }, undefined, 'drafter')).toEqual({ outcome: 'not-live', status: 'withdrawn' });
    // With ALERT_APPROVALS=1 a change applies at once.
    const solo = approved(db, ['north'], 1);
    expect(proposeUpdate(db, solo, { action: 'now' }, undefined, 'drafter').outcome).toBe('applied');
  });

  it('a draft names every bad field and what was expected', () => {
    const context = { regions: ['north', 'south'], languages: ['ru', 'kk', 'en'], channels: ['news'], timezone: 'Asia/Almaty', now: NOW };
    const bad = parseDraft('regions: mars\nseverity: extreme\nsubstance: x\nexpires: 90d\nchannel: tv\ncolour: red\neffects.de: y', context);
    expect(bad.ok).toBe(false);
    const problems = bad.ok ? [] : bad.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^regions: mars is not in alert_regions/),
        expect.stringMatching(/^severity must be one of high, medium, low/),
        expect.stringMatching(/^expires must be within 30 days/),
        expect.stringMatching(/^channel must be one of CHANNELS \(news\)/),
        expect.stringMatching(/^colour is not a field of alerts/),
        expect.stringMatching(/^effects\.de: de is not a language/),
        expect.stringMatching(/^effects is required/),
      ]),
    );
    const good = parseDraft('regions: all\nsubstance: x\nsold as: y\neffects: z\nexpires: 48h', context);
    expect(good.ok && good.alert).toMatchObject({ regions: ['north', 'south'], severity: 'high', fields: { substance: 'x', sold_as: 'y', effects: 'z' }, expiresAt: NOW + 48 * 3_600_000 });
  });
});

describe('drug alerts: the broadcast', () => {
  it('sends each subscriber the alert once in their language; a crash while one was on its way leaves it uncertain and never sends it again', async () => {
    const { db, subscriptions } = setup([
      { chat: 1, regions: ['north'], lang: 'ru' },
      { chat: 2, regions: ['north'], lang: 'kk' },
      { chat: 3, regions: ['north'] },
      { chat: 4, regions: ['south'] },
    ]);
    const id = approved(db, ['north']);
    // The process "dies" with subscriber 2's message on its way: its row was committed as sending.
    const onTheWay = nextWork(db, NOW, 10, new Set()).find((w) => w.subscriptionKey === subscriptions.keyOf(privacy.clientKey(2)))!;
    expect(markSending(db, onTheWay)).toBe(true);
    const { api, calls } = fakeApi();
    const b = broadcaster(db, subscriptions, api);
    b.start(); // recovers: what was on its way is uncertain
    expect(await b.drain(5_000)).toBe(true);
    await b.stop();
    expect(calls.map((c) => [c.chat, c.text]).sort()).toEqual([
      [1, `alert ${id} v1 ru`],
      [3, `alert ${id} v1 en`],
    ]);
    const alert = findAlert(db, id)!;
    expect({ sent: alert.sent, uncertain: alert.uncertain, status: alert.status }).toEqual({ sent: 2, uncertain: 1, status: 'sent' });
    // Started again: nothing more goes out.
    const again = broadcaster(db, subscriptions, api);
    again.start();
    expect(await again.drain(2_000)).toBe(true);
    await again.stop();
    expect(calls).toHaveLength(2);
  });

  it('the channel copy is edited and answered in the chat it was posted in, even after CHANNELS names another', async () => {
    const { db, subscriptions } = setup([]);
    const { row } = createDraft(db, { regions: ['north'], severity: 'high', fields: FIELDS, expiresAt: NOW + 3_600_000, channel: 'news' }, { chatId: -100, staffKey: 'drafter', approvalsNeeded: 1 }, NOW);
    approve(db, row.id, 'drafter', NOW);
    const { api, calls } = fakeApi();
    const channels: Record<string, number> = { news: -100_111 };
    const b = broadcaster(db, subscriptions, api, new Pacer(NO_LIMITS), () => NOW, channels);
    const callsReach = async (n: number) => {
      for (let i = 0; i < 250 && calls.length < n; i++) await new Promise((r) => setTimeout(r, 20));
    };
    b.start();
    await callsReach(1);
    expect(calls).toEqual([{ method: 'sendMessage', chat: -100_111, text: `channel ${row.id}` }]);
    channels.news = -100_222; // re-pointed while the alert holds
    proposeUpdate(db, row.id, { action: 'carry naloxone' }, undefined, 'drafter');
    claimChannel(db, row.id, 'sent', 'edit');
    b.wake();
    await callsReach(2);
    withdrawAlert(db, row.id, NOW);
    b.wake();
    await callsReach(3);
    await b.stop();
    expect(calls.slice(1).map((c) => [c.method, c.chat])).toEqual([['editMessageText', -100_111], ['sendMessage', -100_111]]);
  });

  it('403 drops the subscription; 429 waits and sends once; a request that may have left is not sent again', async () => {
    const { db, subscriptions } = setup([{ chat: 1, regions: ['north'] }, { chat: 2, regions: ['north'] }, { chat: 3, regions: ['north'] }, { chat: 4, regions: ['north'] }]);
    const id = approved(db, ['north']);
    const { api, calls } = fakeApi((call, n) => {
      if (call.chat === 1) return new GrammyError('blocked', { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }, 'sendMessage', {});
      if (call.chat === 2 && n === 1) return new GrammyError('flood', { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }, 'sendMessage', {});
      if (call.chat === 3) return new HttpError('Network request for sendMessage failed', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      return undefined;
    });
    let now = NOW;
    const b = broadcaster(db, subscriptions, api, new Pacer(NO_LIMITS), () => now);
    b.start();
    const ticking = setInterval(() => (now += 250), 20);
    expect(await b.drain(5_000)).toBe(true);
    clearInterval(ticking);
    await b.stop();
    expect(calls.map((c) => c.chat).sort()).toEqual([2, 4]);
    const alert = findAlert(db, id)!;
    expect({ sent: alert.sent, blocked: alert.blocked, uncertain: alert.uncertain }).toEqual({ sent: 2, blocked: 1, uncertain: 1 });
    expect(subscriptions.find(privacy.clientKey(1))).toBeUndefined();
    expect(subscriptions.find(privacy.clientKey(2))).toBeDefined();
  });

  it('withdrawn: what had not gone is not sent, those who got it are told, then nothing of the deliveries is kept; expiry likewise', async () => {
    const { db, subscriptions } = setup([{ chat: 1, regions: ['north'] }, { chat: 2, regions: ['north'] }]);
    const id = approved(db, ['north']);
    const { api, calls } = fakeApi();
    const b = broadcaster(db, subscriptions, api);
    // One delivered by hand (as if the broadcast had reached it), then withdrawn.
    const first = nextWork(db, NOW, 1, new Set())[0]!;
    markSending(db, first);
    db.$client.prepare("UPDATE alert_deliveries SET state = 'sent', message_id = 7, version = 1 WHERE subscription_key = ?").run(first.subscriptionKey);
    expect(withdrawAlert(db, id, NOW)).toBe(1);
    b.start();
    expect(await b.drain(2_000)).toBe(true);
    await b.stop();
    expect(calls).toEqual([{ method: 'sendMessage', chat: first.subscriptionKey === subscriptions.keyOf(privacy.clientKey(1)) ? 1 : 2, text: `withdrawn ${id}` }]);
    expect(findAlert(db, id)).toMatchObject({ status: 'withdrawn', unsent: 1 });
    expect(count(db, 'SELECT count(*) AS n FROM alert_deliveries')).toBe(0);

    const other = approved(db, ['north']);
    const ended = expireDue(db, NOW + 3_600_000);
    expect(ended.map((a) => a.id)).toEqual([other]);
    expect(findAlert(db, other)).toMatchObject({ status: 'expired', unsent: 2 });
    expect(count(db, 'SELECT count(*) AS n FROM alert_deliveries')).toBe(0);
  });

  it('a broadcast leaves a sixth of the overall second free: a consultation or the emergency screen never waits behind it', () => {
    const pacer = new Pacer(TELEGRAM_LIMITS);
    let sent = 0;
    for (let chat = 1; chat <= 100; chat++) {
      if (pacer.delay(chat, 0, 0, 5) > 0) break;
      pacer.record(chat, 0);
      sent++;
    }
    expect(sent).toBe(25);
    // A client's reply, a case's copy into the team's group: at once.
    expect(pacer.delay(5_000, 0)).toBe(0);
    expect(pacer.delay(-100, 0)).toBe(0);
    // The broadcast itself waits for the next second.
    expect(pacer.delay(101, 0, 0, 5)).toBe(1_000);
  });
});

describe('drug alerts: configuration', () => {
  it('ALERT_APPROVALS out of range is refused, naming the variable and what it means', async () => {
    const { loadConfig } = await import('../../src/config.js');
    const env = { BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', BOT_SECRET: 'x'.repeat(32), STAFF_CHAT_ID: '-1001234567890' };
    expect(loadConfig(env).alertApprovals).toBe(2);
    expect(() => loadConfig({ ...env, ALERT_APPROVALS: '0' })).toThrow(/ALERT_APPROVALS must be a whole number from 1 to 5: how many different members/);
    expect(() => loadConfig({ ...env, OUTGOING_GLOBAL_PER_SECOND: 'fast' })).toThrow(/OUTGOING_GLOBAL_PER_SECOND must be a whole number/);
  });
});
