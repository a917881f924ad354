import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { pendingDeletions } from '../../src/db/schema.js';
import { queueDeletions } from '../../src/db/deletions.js';
import { purgeOldTraces, recordTraces, tracesOf } from '../../src/db/traces.js';
import { Erasure } from '../../src/inbox/erasure.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { memoryDb } from '../support/db.js';
import { recordingApi, type RecordedCall } from '../support/recording-api.js';

const privacy = createPrivacy('erasure-secret-erasure-secret-erasure-01');
const HOUR = 3_600_000;
const now = Date.parse('2026-12-01T12:30:00Z');

function setup(fail?: (call: RecordedCall) => { error_code: number; description: string } | undefined) {
  const db = memoryDb();
  const { api, calls } = recordingApi(fail);
  const erasure = new Erasure({ db, api, privacy, logger: pino({ level: 'silent' }), clock: () => now });
  return { db, calls, erasure };
}

describe('message ids kept for "Clear this chat"', () => {
  it('are kept for Telegram\'s 48 hours only, and those that may be past it are counted', () => {
    const { db } = setup();
    recordTraces(db, 'k', [1, 2], now - 50 * HOUR);
    recordTraces(db, 'k', [3], now - 47.5 * HOUR); // rounded down to the hour: may be past 48 hours
    recordTraces(db, 'k', [4, 4], now);
    expect(tracesOf(db, 'k', now)).toEqual({ ids: [1, 2, 3, 4], maybeTooOld: 3 });
    expect(purgeOldTraces(db, now)).toBe(2);
    expect(tracesOf(db, 'k', now)).toEqual({ ids: [3, 4], maybeTooOld: 1 });
  });

  it('go to Telegram in batches of 100, and are forgotten afterwards', async () => {
    const { db, calls, erasure } = setup();
    recordTraces(db, 'k', Array.from({ length: 150 }, (_, i) => i + 1), now);
    const result = await erasure.clearClientChat('k', 42);
    expect(result).toEqual({ topics: 0, messages: 150, maybeLeft: 0 });
    expect(calls.map((c) => [c.method, (c.payload.message_ids as number[]).length])).toEqual([['deleteMessages', 100], ['deleteMessages', 50]]);
    expect(tracesOf(db, 'k', now).ids).toEqual([]);
  });
});

describe('queued deletions', () => {
  const team = privacy.encryptChatId(-100123);
  const client = privacy.encryptChatId(777);

  it('stay queued with the missing right named, are done when gone, and dropped when the chat is unreachable', async () => {
    const { db, calls, erasure } = setup((call) => {
      if (call.method === 'deleteForumTopic' && call.payload.message_thread_id === 10) return { error_code: 400, description: 'Bad Request: not enough rights to delete a topic' };
      if (call.method === 'deleteForumTopic' && call.payload.message_thread_id === 11) return { error_code: 400, description: 'Bad Request: message thread not found' };
      if (call.method === 'deleteForumTopic' && call.payload.chat_id === 777) return { error_code: 403, description: 'Forbidden: bot was blocked by the user' };
      if (call.method === 'deleteMessage') return { error_code: 400, description: "Bad Request: message can't be deleted for everyone" };
      return undefined;
    });
    queueDeletions(db, [
      { chatRef: team, threadId: 10 },
      { chatRef: team, threadId: 11 },
      { chatRef: team, threadId: 12 },
      { chatRef: client, threadId: 5 },
      { chatRef: team, messageId: 99 },
    ]);
    const run = await erasure.runPending();
    expect(run).toEqual({ done: 3, waiting: 2, missingRights: ['Delete messages (can_delete_messages)'] });
    expect(calls.map((c) => c.payload.chat_id)).toEqual([-100123, -100123, -100123, 777, -100123]);
    const left = db.select().from(pendingDeletions).all();
    expect(left).toMatchObject([
      { threadId: 10, attempts: 1, lastError: 'can_delete_messages' },
      { messageId: 99, attempts: 1, lastError: 'can_delete_messages' },
    ]);
    // Nothing identifying in the queue: chat ids are sealed.
    expect(JSON.stringify(left)).not.toContain('100123');
  });
});
