import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { pino } from 'pino';
import { pendingDeletions } from '../../src/db/schema.js';
import { queueDeletions } from '../../src/db/deletions.js';
import { purgeOldTraces, recordTraces, tracesOf } from '../../src/db/traces.js';
import { Erasure } from '../../src/inbox/erasure.js';
import { CHAT_REF_BINDING, createPrivacy } from '../../src/privacy/keys.js';
import { installRowIntegrity } from '../../src/db/row-integrity.js';
import { memoryDb } from '../support/db.js';
import { recordingApi, type RecordedCall } from '../support/recording-api.js';

const privacy = createPrivacy('erasure-secret-erasure-secret-erasure-01');
const HOUR = 3_600_000;
const now = Date.parse('2026-12-01T12:30:00Z');

function setup(fail?: (call: RecordedCall) => { error_code: number; description: string } | undefined) {
  const db = memoryDb();
  installRowIntegrity(db, privacy);
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
    expect(result).toEqual({ topics: 0, topicsLeft: 0, messages: 150, refused: 0, notReached: 0 });
    expect(calls.map((c) => [c.method, (c.payload.message_ids as number[]).length])).toEqual([['deleteMessages', 100], ['deleteMessages', 50]]);
    expect(tracesOf(db, 'k', now).ids).toEqual([]);
  });

  it('are deleted in parts when Telegram refuses a batch for one of them: every deletable one goes, the rest are counted', async () => {
    const undeletable = new Set([3, 57, 58, 120]); // past 48 hours, or a dice younger than a day
    const deleted = new Set<number>();
    const { db, erasure } = setup((call) => {
      const ids = call.method === 'deleteMessages' ? (call.payload.message_ids as number[]) : [call.payload.message_id as number];
      // Like Telegram: one message that cannot be deleted refuses the whole batch, and nothing of it goes.
      if (ids.some((id) => undeletable.has(id))) return { error_code: 400, description: "Bad Request: message can't be deleted for everyone" };
      ids.forEach((id) => deleted.add(id));
      return undefined;
    });
    recordTraces(db, 'k', Array.from({ length: 150 }, (_, i) => i + 1), now);
    const result = await erasure.clearClientChat('k', 42);
    expect(result).toEqual({ topics: 0, topicsLeft: 0, messages: 146, refused: 4, notReached: 0 });
    expect(deleted.size).toBe(146);
    for (const id of undeletable) expect(deleted.has(id)).toBe(false);
  });

  it('stop at a chat that cannot be reached, and say how many were not reached', async () => {
    const { db, erasure } = setup((call) => (call.method === 'deleteMessages' ? { error_code: 403, description: 'Forbidden: bot was blocked by the user' } : undefined));
    recordTraces(db, 'k', Array.from({ length: 150 }, (_, i) => i + 1), now);
    expect(await erasure.clearClientChat('k', 42)).toEqual({ topics: 0, topicsLeft: 0, messages: 0, refused: 0, notReached: 150 });
  });
});

describe('queued deletions', () => {
  const team = privacy.encryptChatId(-100123, CHAT_REF_BINDING.deletion);
  const client = privacy.encryptChatId(777, CHAT_REF_BINDING.deletion);

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
    expect(run).toEqual({ done: 3, waiting: 2, teamChatUnreachable: 0, missingRights: ['Delete messages (can_delete_messages)'] });
    expect(calls.map((c) => c.payload.chat_id)).toEqual([-100123, -100123, -100123, 777, -100123]);
    const left = db.select().from(pendingDeletions).all();
    expect(left).toMatchObject([
      { threadId: 10, attempts: 1, lastError: 'can_delete_messages' },
      { messageId: 99, attempts: 1, lastError: 'can_delete_messages' },
    ]);
    // Nothing identifying in the queue: chat ids are sealed.
    expect(JSON.stringify(left)).not.toContain('100123');
  });

  it('in a team chat that answers 403 (the bot removed from the group) stay queued and are reported; a private chat\'s 403 drops them', async () => {
    let removed = true;
    const { db, erasure } = setup((call) => (call.payload.chat_id === -100123 && removed ? { error_code: 403, description: 'Forbidden: bot was kicked from the supergroup chat' } : call.payload.chat_id === 777 ? { error_code: 403, description: 'Forbidden: bot was blocked by the user' } : undefined));
    queueDeletions(db, [{ chatRef: team, threadId: 10 }, { chatRef: client, threadId: 5 }]);
    expect(await erasure.runPending()).toEqual({ done: 1, waiting: 1, teamChatUnreachable: 1, missingRights: [] });
    expect(db.select().from(pendingDeletions).all()).toMatchObject([{ threadId: 10, attempts: 1 }]);
    removed = false; // the bot is back in the group: the topic goes at the next run
    expect(await erasure.runPending()).toEqual({ done: 1, waiting: 0, teamChatUnreachable: 0, missingRights: [] });
  });

  it('are refused when the row was changed without the bot (another chat, another topic), and never carried out', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'erasure-')), 'bot.db');
    const db = openDatabase(path);
    installRowIntegrity(db, privacy);
    const { api, calls } = recordingApi();
    const erasure = new Erasure({ db, api, privacy, logger: pino({ level: 'silent' }), clock: () => now });
    queueDeletions(db, [{ chatRef: team, threadId: 10 }, { chatRef: team, threadId: 11 }]);
    // Someone with write access to the file, but without BOT_SECRET, points a deletion at another topic…
    const outside = new Database(path);
    outside.prepare('UPDATE pending_deletions SET thread_id = 99 WHERE thread_id = 10').run();
    // …or copies a sealed ref from a client row (it does not open as a deletion's, and has no MAC).
    outside.prepare('INSERT INTO pending_deletions (chat_ref, thread_id) VALUES (?, 12)').run(privacy.encryptChatId(-100123, 'clients:x'));
    outside.close();
    const run = await erasure.runPending();
    expect(calls.map((c) => c.payload.message_thread_id)).toEqual([11]);
    expect(run.done).toBe(3);
    expect(db.select().from(pendingDeletions).all()).toEqual([]);
  });
});
