import { asc, eq, sql } from 'drizzle-orm';
import type { Bot, Context } from 'grammy';
import type { Update } from 'grammy/types';
import { createConcurrentSink, createRunner, createSource, type RunnerHandle } from '@grammyjs/runner';
import type { Db } from '../db/connection.js';
import { updateJournal } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { getJobState, setJobState } from '../db/job-state.js';
import { isSealed, type Sealer } from '../privacy/sealing.js';

const LAST_FETCHED = 'runner.last_fetched_update_id';

/** Binds a sealed payload to its row: moved to another update_id, it does not open. */
const journalAad = (updateId: number) => `update_journal:${updateId}`;

/**
 * Long polling with @grammyjs/runner, but crash-safe: each fetched batch is written to the journal
 * before the next getUpdates confirms it to Telegram, each update leaves the journal once handled,
 * and after a crash the journal is replayed first. Handlers are idempotent where it matters (the
 * relay outbox is keyed by the source message), so a replay does not double a copy.
 *
 * Raw updates carry the client's id, names, phone and texts, and SQLite's WAL keeps old page images
 * after a row is deleted, so each payload is sealed (AES-256-GCM, bound to its update_id) before it
 * touches the disk.
 */
export function runJournaled<C extends Context>(
  bot: Bot<C>,
  db: Db,
  sealer: Sealer,
  logger: Logger,
  allowedUpdates: readonly string[],
): RunnerHandle {
  let replayed = false;
  const journalMax = db.select().from(updateJournal).orderBy(asc(updateJournal.updateId)).all().at(-1)?.updateId ?? 0;
  let offset = Math.max(journalMax, Number(getJobState(db, LAST_FETCHED) ?? 0)) + 1;

  const journal = db
    .insert(updateJournal)
    .values({ updateId: sql.placeholder('updateId'), payload: sql.placeholder('payload') })
    .onConflictDoNothing()
    .prepare();
  const handled = db.delete(updateJournal).where(eq(updateJournal.updateId, sql.placeholder('updateId'))).prepare();

  const source = createSource<Update>({
    async supply(batchSize, signal) {
      if (!replayed) {
        replayed = true;
        const pending = openJournal(db, sealer, logger);
        if (pending.length > 0) {
          logger.info({ count: pending.length }, 'replaying updates received before the last stop');
          return pending;
        }
      }
      const updates = await bot.api.getUpdates(
        { offset, limit: batchSize, timeout: 30, allowed_updates: [...allowedUpdates] as never },
        signal,
      );
      if (updates.length > 0) {
        const last = updates[updates.length - 1]!.update_id;
        db.$client.transaction(() => {
          for (const update of updates) {
            journal.run({ updateId: update.update_id, payload: sealer.seal(JSON.stringify(update), journalAad(update.update_id)) });
          }
          setJobState(db, LAST_FETCHED, String(last));
        })();
        offset = last + 1;
      }
      return updates;
    },
  });

  const sink = createConcurrentSink<Update>(
    {
      consume: async (update) => {
        try {
          await bot.handleUpdate(update);
        } finally {
          handled.run({ updateId: update.update_id });
        }
      },
    },
    async (error) => {
      await Promise.resolve(bot.errorHandler(error as never)).catch((e: unknown) => logger.error({ err: e }, 'error handler failed'));
    },
  );

  const runner = createRunner(source, sink);
  runner.start();
  return runner;
}


/**
 * Journal rows written before the journal was encrypted hold plain JSON: sealed in place at start, so
 * they are replayed like any other. Returns how many there were.
 */
export function sealLegacyJournal(db: Db, sealer: Sealer): number {
  const legacy = db.select().from(updateJournal).all().filter((row) => !isSealed(row.payload));
  if (legacy.length === 0) return 0;
  db.$client.transaction(() => {
    for (const row of legacy) {
      db.update(updateJournal)
        .set({ payload: sealer.seal(row.payload, journalAad(row.updateId)) })
        .where(eq(updateJournal.updateId, row.updateId))
        .run();
    }
  })();
  return legacy.length;
}

/** Unhandled updates in order. One that does not open (BOT_SECRET changed, or the row was altered) cannot be handled: it is dropped. */
function openJournal(db: Db, sealer: Sealer, logger: Logger): Update[] {
  const updates: Update[] = [];
  let unreadable = 0;
  for (const row of db.select().from(updateJournal).orderBy(asc(updateJournal.updateId)).all()) {
    try {
      updates.push(JSON.parse(sealer.open(row.payload, journalAad(row.updateId))) as Update);
    } catch {
      unreadable++;
      db.delete(updateJournal).where(eq(updateJournal.updateId, row.updateId)).run();
    }
  }
  if (unreadable > 0) logger.warn({ count: unreadable }, 'dropped journal rows that do not open with this BOT_SECRET');
  return updates;
}
