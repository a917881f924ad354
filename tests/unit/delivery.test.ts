import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ensureClient } from '../../src/db/clients.js';
import { outbox, relayMessages } from '../../src/db/schema.js';
import { attachTopic, openCase } from '../../src/inbox/cases.js';
import { Delivery, enqueueCopy, findCounterpart, isJoinedCopy, joinTexts } from '../../src/inbox/delivery.js';
import { NO_LIMITS, Pacer } from '../../src/inbox/pacing.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { memoryDb } from '../support/db.js';
import { recordingApi, type RecordedCall } from '../support/recording-api.js';

const privacy = createPrivacy('delivery-secret-delivery-secret-delivery-1');
const STAFF = -1001000000001;

function setup(fail?: (call: RecordedCall) => { error_code: number; description: string; parameters?: { retry_after: number } } | undefined, pacer?: Pacer) {
  const db = memoryDb();
  const key = privacy.clientKey(500);
  ensureClient(db, privacy, key, 500);
  const row = openCase(db, { clientKey: key, topic: 'substances', inbox: 'main', urgent: false, now: 0 }).case;
  attachTopic(db, row.id, 77);
  const { api, calls } = recordingApi(fail as never);
  let now = 10_000;
  const gone: number[] = [];
  let newThread = 88;
  const delivery = new Delivery({
    db,
    api,
    logger: pino({ level: 'silent' }),
    privacy,
    chatOf: () => STAFF,
    pacer,
    clock: () => now,
    onClientGone: async (c) => void gone.push(c.id),
    onTopicMissing: async (c) => {
      attachTopic(db, c.id, newThread);
      return newThread++;
    },
  });
  return {
    db,
    row,
    calls,
    gone,
    delivery,
    copies: () => calls.filter((c) => c.method.startsWith('copy')),
    advance: async (ms: number) => {
      now += ms;
      await (delivery as unknown as { deliverDue(): Promise<number | undefined> })['deliverDue']();
    },
    enqueue: (sourceMessageId: number, extra: { toClient?: boolean; mediaGroupId?: string; replyToSourceId?: number } = {}) =>
      enqueueCopy(db, { caseId: row.id, toClient: false, sourceMessageId, ...extra }, now),
    /** A client text, queued as the relay does: the row in SQLite, the text in memory only. */
    enqueueText: (sourceMessageId: number, text: string, extra: { replyToSourceId?: number; entities?: { type: 'bold'; offset: number; length: number }[] } = {}) => {
      enqueueCopy(db, { caseId: row.id, toClient: false, sourceMessageId, replyToSourceId: extra.replyToSourceId }, now);
      delivery.rememberText(row.id, sourceMessageId, { text, entities: extra.entities });
    },
  };
}

describe('relay delivery', () => {
  it('copies client messages into the case topic in order and records the pairs', async () => {
    const t = setup();
    t.enqueue(1);
    t.enqueue(2);
    t.enqueue(2); // the same message twice is queued once
    await t.advance(0);
    expect(t.copies().map((c) => [c.method, c.payload.chat_id, c.payload.from_chat_id, c.payload.message_id, c.payload.message_thread_id])).toEqual([
      ['copyMessage', STAFF, 500, 1, 77],
      ['copyMessage', STAFF, 500, 2, 77],
    ]);
    expect(t.db.select().from(outbox).all()).toEqual([]);
    expect(findCounterpart(t.db, t.row.id, true, 2)).toBeDefined();
  });

  it('does not copy again what was already copied when an update is replayed after a crash, either way', async () => {
    const t = setup();
    t.enqueue(1);
    await t.advance(0);
    const inboxCopy = findCounterpart(t.db, t.row.id, true, 1)!;
    enqueueCopy(t.db, { caseId: t.row.id, toClient: true, sourceMessageId: 900 }, 0);
    await t.advance(0);
    expect(t.copies()).toHaveLength(2);
    // The same two updates handled again (the journal still held them when the process died).
    expect(t.enqueue(1)).toBe(false);
    expect(enqueueCopy(t.db, { caseId: t.row.id, toClient: true, sourceMessageId: 900 }, 0)).toBe(false);
    await t.advance(0);
    expect(t.copies()).toHaveLength(2);
    expect(t.db.select().from(outbox).all()).toEqual([]);
    expect(findCounterpart(t.db, t.row.id, true, 1)).toBe(inboxCopy);
  });

  it('threads replies across, both ways', async () => {
    const t = setup();
    t.enqueue(1);
    await t.advance(0);
    const inboxCopy = findCounterpart(t.db, t.row.id, true, 1)!;
    enqueueCopy(t.db, { caseId: t.row.id, toClient: true, sourceMessageId: 900, replyToSourceId: inboxCopy }, 10_000);
    await t.advance(1_000);
    expect(t.copies().at(-1)?.payload).toMatchObject({ chat_id: 500, from_chat_id: STAFF, message_id: 900, reply_parameters: { message_id: 1 } });
  });

  it('keeps to 20 messages a minute into the inbox (a backlog leaves 3 for other cases), and delivers the rest later', async () => {
    const t = setup();
    for (let i = 1; i <= 25; i++) t.enqueue(i);
    await t.advance(0);
    expect(t.copies()).toHaveLength(17);
    await t.advance(30_000);
    expect(t.copies()).toHaveLength(17);
    await t.advance(31_000);
    expect(t.copies().map((c) => c.payload.message_id)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('delivers several cases at once, without overdrawing the inbox budget', async () => {
    let inFlight = 0;
    let most = 0;
    const t = setup();
    // Every copy takes a while to be answered, as over a real network.
    t.delivery['deps'].api.config.use(async (prev, method, payload, signal) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return prev(method, payload, signal);
    });
    for (let i = 1; i <= 30; i++) {
      const key = privacy.clientKey(600 + i);
      ensureClient(t.db, privacy, key, 600 + i);
      const other = openCase(t.db, { clientKey: key, topic: 'other', inbox: 'main', urgent: false, now: 0 }).case;
      attachTopic(t.db, other.id, 1_000 + i);
      enqueueCopy(t.db, { caseId: other.id, toClient: false, sourceMessageId: 1 }, 10_000);
    }
    await t.advance(0);
    expect(most).toBeGreaterThan(1);
    expect(t.copies()).toHaveLength(20); // the 20-a-minute budget holds with lanes running side by side
    await t.advance(61_000);
    expect(t.copies()).toHaveLength(30);
  });

  it('comes back for a case that has to wait while other cases are still being delivered', async () => {
    const t = setup();
    t.delivery['deps'].api.config.use(async (prev, method, payload, signal) => {
      await new Promise((r) => setTimeout(r, 10)); // slower than the waiting case's answer
      return prev(method, payload, signal);
    });
    const key = privacy.clientKey(701);
    ensureClient(t.db, privacy, key, 701);
    const other = openCase(t.db, { clientKey: key, topic: 'other', inbox: 'main', urgent: false, now: 0 }).case;
    attachTopic(t.db, other.id, 1_701);
    enqueueCopy(t.db, { caseId: other.id, toClient: false, sourceMessageId: 1 }, 10_000 + 30_000); // due in 30 s
    t.enqueue(1);
    const nextIn = await (t.delivery as unknown as { deliverDue(): Promise<number | undefined> })['deliverDue']();
    expect(t.copies()).toHaveLength(1);
    expect(nextIn).toBe(30_000);
  });

  it('waits out a 429 and then delivers everything once', async () => {
    let refusals = 2;
    const t = setup((call) =>
      call.method === 'copyMessage' && refusals-- > 0 ? { error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } } : undefined,
    );
    t.enqueue(1);
    t.enqueue(2);
    await t.advance(0);
    await t.advance(3_000);
    expect(t.db.select().from(outbox).all()).toHaveLength(2);
    await t.advance(5_000);
    await t.advance(8_000);
    await t.advance(8_000);
    const delivered = t.db.select().from(relayMessages).all().map((r) => r.clientMessageId).sort();
    expect(delivered).toEqual([1, 2]);
    expect(t.db.select().from(outbox).all()).toEqual([]);
  });

  it('copies an album in one call once all its parts are in', async () => {
    const t = setup();
    t.enqueue(10, { mediaGroupId: 'g1' });
    t.enqueue(11, { mediaGroupId: 'g1' });
    await t.advance(0);
    expect(t.copies()).toHaveLength(0);
    t.enqueue(12, { mediaGroupId: 'g1' });
    await t.advance(2_000);
    expect(t.copies().map((c) => [c.method, c.payload.message_ids])).toEqual([['copyMessages', [10, 11, 12]]]);
  });

  it('recreates a deleted topic and carries on', async () => {
    let missing = true;
    const t = setup((call) => (call.method === 'copyMessage' && missing ? ((missing = false), { error_code: 400, description: 'Bad Request: message thread not found' }) : undefined));
    t.enqueue(1);
    await t.advance(0);
    await t.advance(10);
    expect(t.copies().map((c) => c.payload.message_thread_id)).toEqual([77, 88]);
    expect(t.db.select().from(outbox).all()).toEqual([]);
  });

  it('closes the case when the client blocked the bot', async () => {
    const t = setup((call) => (call.payload.chat_id === 500 ? { error_code: 403, description: 'Forbidden: bot was blocked by the user' } : undefined));
    enqueueCopy(t.db, { caseId: t.row.id, toClient: true, sourceMessageId: 5 }, 0);
    await t.advance(0);
    expect(t.gone).toEqual([t.row.id]);
    expect(t.db.select().from(outbox).all()).toEqual([]);
  });
});

describe('joining texts waiting in the inbox backlog', () => {
  it('sends consecutive waiting texts as one message, every part paired with it for replies', async () => {
    const t = setup();
    for (let i = 1; i <= 21; i++) t.enqueueText(i, `text ${i}`);
    await t.advance(0); // all 21 due at once: one message
    const sends = t.calls.filter((c) => c.method === 'sendMessage');
    expect(t.copies()).toHaveLength(0);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.payload).toMatchObject({ chat_id: STAFF, message_thread_id: 77, text: Array.from({ length: 21 }, (_, i) => `text ${i + 1}`).join('\n\n') });
    expect(t.db.select().from(outbox).all()).toEqual([]);
    const joinedId = findCounterpart(t.db, t.row.id, true, 1)!;
    expect(findCounterpart(t.db, t.row.id, true, 21)).toBe(joinedId);
    expect(isJoinedCopy(t.db, t.row.id, joinedId)).toBe(true);
    // A consultant's reply to the joined message is threaded to its last part on the client's side.
    enqueueCopy(t.db, { caseId: t.row.id, toClient: true, sourceMessageId: 900, replyToSourceId: joinedId }, 10_000);
    await t.advance(1_000);
    expect(t.copies().at(-1)?.payload).toMatchObject({ chat_id: 500, reply_parameters: { message_id: 21 } });
  });

  it('joins only within the budget: what is over 20 a minute waits, then goes as one message', async () => {
    const t = setup();
    for (let i = 1; i <= 20; i++) t.enqueue(i); // media, say: copied one by one, filling the minute
    await t.advance(0);
    for (let i = 21; i <= 25; i++) t.enqueueText(i, `late ${i}`);
    await t.advance(1_000);
    expect(t.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(0);
    await t.advance(60_000);
    expect(t.calls.filter((c) => c.method === 'sendMessage').map((c) => c.payload.text)).toEqual(['late 21\n\nlate 22\n\nlate 23\n\nlate 24\n\nlate 25']);
  });

  it('never joins across media, a reply or a text it no longer holds (after a restart), and keeps the order', async () => {
    const t = setup();
    t.enqueueText(1, 'one');
    t.enqueueText(2, 'two');
    t.enqueue(3); // a photo
    t.enqueueText(4, 'four');
    t.enqueueText(5, 'five', { replyToSourceId: 1 }); // a reply starts a new run
    t.enqueueText(6, 'six');
    t.enqueue(7); // queued before a restart: its text is gone from memory
    t.enqueueText(8, 'eight');
    await t.advance(0);
    const sent = t.calls.filter((c) => c.method === 'sendMessage' || c.method === 'copyMessage').map((c) => c.payload.text ?? c.payload.message_id);
    expect(sent).toEqual(['one\n\ntwo', 3, 4, 'five\n\nsix', 7, 8]);
    const five = t.calls.find((c) => c.payload.text === 'five\n\nsix')!;
    expect(five.payload).toMatchObject({ reply_parameters: { message_id: findCounterpart(t.db, t.row.id, true, 1) } });
  });

  it('keeps passing over the outbox until everything is out, also when it holds more than one pass takes', async () => {
    const t = setup();
    for (let i = 1; i <= 1_200; i++) t.enqueueText(i, `text ${i}`);
    t.delivery.start();
    for (let i = 0; i < 100 && t.db.select().from(outbox).all().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    await t.delivery.stop();
    expect(t.db.select().from(outbox).all()).toEqual([]);
    const parts = t.calls.filter((c) => c.method === 'sendMessage').flatMap((c) => String(c.payload.text).split('\n\n'));
    expect(parts).toEqual(Array.from({ length: 1_200 }, (_, i) => `text ${i + 1}`));
  });

  it('sends a message at once when its case has nothing on the way, and joins what piles up behind it', async () => {
    const t = setup();
    t.delivery['deps'].api.config.use(async (prev, method, payload, signal) => {
      await new Promise((r) => setTimeout(r, 20)); // the first copy takes a while
      return prev(method, payload, signal);
    });
    t.delivery.start();
    t.enqueueText(1, 'one');
    t.delivery.queued(t.row.id, false);
    for (const [id, text] of [[2, 'two'], [3, 'three'], [4, 'four']] as const) {
      t.enqueueText(id, text);
      t.delivery.queued(t.row.id, false);
    }
    for (let i = 0; i < 50 && t.db.select().from(outbox).all().length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    await t.delivery.stop();
    const sent = t.calls.filter((c) => c.method === 'sendMessage' || c.method === 'copyMessage').map((c) => c.payload.text ?? c.payload.message_id);
    expect(sent).toEqual([1, 'two\n\nthree\n\nfour']);
  });

  it('stays within 4,096 characters and keeps each part\'s formatting in place', () => {
    const joined = joinTexts([{ text: 'hi 👋' }, { text: 'bold here', entities: [{ type: 'bold', offset: 0, length: 4 }] }]);
    expect(joined.text).toBe('hi 👋\n\nbold here');
    expect(joined.entities).toEqual([{ type: 'bold', offset: 7, length: 4 }]); // the emoji counts two UTF-16 units
  });

  it('splits a run that would be too long for one message', async () => {
    const t = setup();
    const long = 'x'.repeat(2_000);
    for (let i = 1; i <= 3; i++) t.enqueueText(i, long);
    await t.advance(0);
    const texts = t.calls.filter((c) => c.method === 'sendMessage' || c.method === 'copyMessage').map((c) => String(c.payload.text ?? c.payload.message_id));
    expect(texts.map((x) => x.length)).toEqual([4_002, 1]);
    expect(t.copies().map((c) => c.payload.message_id)).toEqual([3]); // the last one alone, copied
  });

  it('keeps a text in memory only while its message waits (not past a /forget)', async () => {
    const t = setup();
    const held = (t.delivery as unknown as { texts: Map<number, Map<number, unknown>> }).texts;
    t.enqueueText(1, 'secret words');
    await t.advance(0);
    expect(held.size).toBe(0); // copied: gone from memory
    t.enqueueText(2, 'more secret words');
    t.db.delete(outbox).run(); // what /forget's cascade does to the waiting copies
    expect(held.size).toBe(1);
    await t.advance(0);
    expect(held.size).toBe(0);
    expect(t.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(0);
    t.enqueueText(3, 'said just before /forget');
    t.delivery.forgetCase(t.row.id); // what the /forget handler does, without waiting for a pass
    expect(held.size).toBe(0);
  });
});

describe('pacing', () => {
  it('allows about one message a second per private chat and 30 a second overall', () => {
    const pacer = new Pacer();
    expect(pacer.delay(1, 0)).toBe(0);
    pacer.record(1, 0);
    expect(pacer.delay(1, 500)).toBe(500);
    for (let chat = 2; chat < 31; chat++) pacer.record(chat, 10);
    expect(pacer.delay(99, 20)).toBe(980);
  });

  it('honours a 429 for that chat only, with or without limits of its own', () => {
    for (const pacer of [new Pacer(), new Pacer(NO_LIMITS)]) {
      pacer.block(-100, 7_000);
      expect(pacer.delay(-100, 2_000)).toBe(5_000);
      expect(pacer.delay(5, 2_000)).toBe(0);
      expect(pacer.delay(-100, 7_000)).toBe(0);
    }
  });

  it('can keep a few slots of a group\'s minute free', () => {
    const pacer = new Pacer();
    for (let i = 0; i < 17; i++) pacer.record(-100, i * 1_000);
    expect(pacer.delay(-100, 20_000, 3)).toBe(60_500 - 20_000); // until the first of the 17 leaves the window
    expect(pacer.delay(-100, 20_000)).toBe(0);
  });

  it('never holds anything back when pacing is off', () => {
    const pacer = new Pacer(NO_LIMITS);
    for (let i = 0; i < 1_000; i++) pacer.record(-100, 0);
    expect(pacer.delay(-100, 0)).toBe(0);
  });
});

describe('fairness between cases in the inbox', () => {
  /** Another client's case with its topic; returns a function that queues its messages. */
  function otherCase(t: ReturnType<typeof setup>, userId: number, urgent = false) {
    const key = privacy.clientKey(userId);
    ensureClient(t.db, privacy, key, userId);
    const row = openCase(t.db, { clientKey: key, topic: 'other', inbox: 'main', urgent, now: 0 }).case;
    attachTopic(t.db, row.id, 2_000 + userId);
    return {
      row,
      enqueue: (sourceMessageId: number) => enqueueCopy(t.db, { caseId: row.id, toClient: false, sourceMessageId }, 10_000),
    };
  }
  /** Which client each copy into the inbox came from, in order. */
  const senders = (t: ReturnType<typeof setup>) => t.copies().filter((c) => c.payload.chat_id === STAFF).map((c) => Number(c.payload.from_chat_id));

  it('a flood of 1,000 messages in one case does not hide or hold up another case\'s first message', async () => {
    const t = setup();
    for (let i = 1; i <= 1_000; i++) t.enqueue(i); // stickers, say: nothing to join
    await t.advance(0);
    expect(senders(t)).toEqual(Array(17).fill(500)); // the backlog leaves 3 of the minute's 20 slots
    const other = otherCase(t, 501);
    other.enqueue(1);
    await t.advance(1_000); // a pass, as after a restart: the newcomer is seen behind 983 waiting rows
    expect(senders(t)).toEqual([...Array(17).fill(500), 501]);
    expect(t.copies().at(-1)?.payload).toMatchObject({ message_thread_id: 2_501 });
  });

  it('a message queued while a backlog is on its way goes at once, not after it', async () => {
    const t = setup();
    t.delivery['deps'].api.config.use(async (prev, method, payload, signal) => {
      await new Promise((r) => setTimeout(r, 2)); // answers take a moment, as over a network
      return prev(method, payload, signal);
    });
    for (let i = 1; i <= 300; i++) t.enqueue(i);
    t.delivery.start();
    t.delivery.queued(t.row.id, false);
    const other = otherCase(t, 502);
    other.enqueue(7);
    t.delivery.queued(other.row.id, false);
    for (let i = 0; i < 100 && !senders(t).includes(502); i++) await new Promise((r) => setTimeout(r, 5));
    await t.delivery.stop();
    expect(senders(t)).toContain(502);
    expect(senders(t).filter((s) => s === 500).length).toBeLessThanOrEqual(17);
  });

  it('hands out each freed slot: first messages, then urgent cases, then round-robin between backlogs', async () => {
    const pacer = new Pacer();
    // The last minute's 20 slots are taken, one every 3 s, so one frees every 3 s from now on.
    for (let k = 0; k < 20; k++) pacer.record(STAFF, 10_000 - 60_500 + 1 + k * 3_000);
    const t = setup(undefined, pacer);
    const a = otherCase(t, 601);
    const urgent = otherCase(t, 602, true);
    const c = otherCase(t, 603);
    for (let i = 1; i <= 4; i++) {
      a.enqueue(i);
      urgent.enqueue(i);
      c.enqueue(i);
    }
    await t.advance(0);
    expect(senders(t)).toEqual([]);
    for (let step = 0; step < 30 && t.db.select().from(outbox).all().length > 0; step++) await t.advance(3_000);
    // One each for the cases' first messages (urgent first), then the urgent backlog, then A and C in turn.
    expect(senders(t)).toEqual([602, 601, 603, 602, 602, 602, 601, 603, 601, 603, 601, 603]);
    // Every message went, and in order within its case.
    for (const client of [601, 602, 603]) {
      expect(t.copies().filter((x) => x.payload.from_chat_id === client).map((x) => x.payload.message_id)).toEqual([1, 2, 3, 4]);
    }
  });

  it('never lets a backlog take the slots kept for first messages, yet uses them for first messages', async () => {
    const t = setup();
    for (let i = 1; i <= 50; i++) t.enqueue(i);
    await t.advance(0);
    const others = [701, 702, 703, 704].map((id) => otherCase(t, id));
    others.forEach((o) => o.enqueue(1));
    await t.advance(1_000);
    // Three newcomers use the three kept slots; the fourth waits for the next free ones (a minute on,
    // here), where it shares the first two with the backlog, which has waited a whole minute as well.
    expect(senders(t).slice(17)).toEqual([701, 702, 703]);
    await t.advance(60_000);
    expect(senders(t).slice(20, 22)).toEqual([500, 704]);
  });
});
