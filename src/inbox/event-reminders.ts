import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Api, InlineKeyboard } from 'grammy';
import type { Db } from '../db/connection.js';
import { eventCounts, eventReminders } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { CHAT_REF_BINDING, type Privacy } from '../privacy/keys.js';
import { classifyError } from '../telegram/errors.js';
import { Every } from '../time/every.js';

/**
 * Reminders before the events of invitation posts, for clients who asked for them in private. A row
 * holds only what sending needs: the sealed chat id (bound to the holder), the language, when. It is
 * claimed before the request goes (so a restart never sends it twice) and deleted once sent, on cancel,
 * on /forget, and when the event is over. The editors see counts (event_counts), never who.
 */

/** A client can wait for reminders of this many events at once (a flood of RSVPs goes nowhere). */
export const MAX_EVENTS_PER_CLIENT = 5;
/** A reminder due sooner than this after confirming is not worth one. */
const MIN_LEAD_MS = 5 * 60_000;
/** Reminders per pass: they are the lowest priority of what the bot sends, after clients' words. */
const PER_PASS = 20;

export interface RsvpInput {
  clientKey: string;
  chatId: number;
  eventId: string;
  eventAt: number;
  lang: string;
  remindBefore: readonly number[];
  now: number;
}

export type RsvpOutcome = { status: 'confirmed'; times: number[] } | { status: 'already'; times: number[] } | { status: 'too-late' } | { status: 'too-many' };

/** The reminder times still ahead for an event. */
export function reminderTimes(eventAt: number, remindBefore: readonly number[], now: number): number[] {
  return remindBefore.map((b) => eventAt - b).filter((t) => t > now + MIN_LEAD_MS).sort((a, b) => a - b);
}

function waitingTimes(db: Db, holderKey: string, eventId: string): number[] {
  return db
    .select({ at: eventReminders.remindAt })
    .from(eventReminders)
    .where(and(eq(eventReminders.holderKey, holderKey), eq(eventReminders.eventId, eventId), isNull(eventReminders.sendingAt)))
    .orderBy(asc(eventReminders.remindAt))
    .all()
    .map((r) => r.at);
}

/** The client's reminders still to come for the event (none: they have not asked, or cancelled). */
export function rsvpTimes(db: Db, privacy: Privacy, clientKey: string, eventId: string): number[] {
  return waitingTimes(db, privacy.rsvpKey(clientKey), eventId);
}

/** How many clients wait for a reminder of the event (rows are per reminder; this counts holders). */
export function waitingHolders(db: Db, eventId: string): number {
  const [row] = db.select({ n: sql<number>`count(DISTINCT ${eventReminders.holderKey})` }).from(eventReminders).where(eq(eventReminders.eventId, eventId)).all();
  return row?.n ?? 0;
}

/** The client asks for the event's reminders: one row per reminder time, counted once per client and event. */
export function confirmRsvp(db: Db, privacy: Privacy, input: RsvpInput): RsvpOutcome {
  const holderKey = privacy.rsvpKey(input.clientKey);
  return db.$client.transaction((): RsvpOutcome => {
    const existing = waitingTimes(db, holderKey, input.eventId);
    if (existing.length > 0) return { status: 'already', times: existing };
    const times = reminderTimes(input.eventAt, input.remindBefore, input.now);
    if (times.length === 0) return { status: 'too-late' };
    const [events] = db
      .select({ n: sql<number>`count(DISTINCT ${eventReminders.eventId})` })
      .from(eventReminders)
      .where(eq(eventReminders.holderKey, holderKey))
      .all();
    if ((events?.n ?? 0) >= MAX_EVENTS_PER_CLIENT) return { status: 'too-many' };
    for (const remindAt of times) {
      db.insert(eventReminders)
        .values({
          eventId: input.eventId,
          holderKey,
          chatRef: privacy.encryptChatId(input.chatId, CHAT_REF_BINDING.rsvp(holderKey)),
          lang: input.lang,
          remindAt,
          eventAt: input.eventAt,
        })
        .onConflictDoNothing()
        .run();
    }
    db.insert(eventCounts)
      .values({ eventId: input.eventId, confirmed: 1 })
      .onConflictDoUpdate({ target: eventCounts.eventId, set: { confirmed: sql`${eventCounts.confirmed} + 1` } })
      .run();
    return { status: 'confirmed', times };
  })();
}

/** The client cancels: their rows for the event go; counted as a cancellation if there were any. */
export function cancelRsvp(db: Db, privacy: Privacy, clientKey: string, eventId: string): boolean {
  return db.$client.transaction(() => {
    const gone = db.delete(eventReminders).where(and(eq(eventReminders.holderKey, privacy.rsvpKey(clientKey)), eq(eventReminders.eventId, eventId))).run().changes;
    if (gone > 0) {
      db.insert(eventCounts)
        .values({ eventId, cancelled: 1 })
        .onConflictDoUpdate({ target: eventCounts.eventId, set: { cancelled: sql`${eventCounts.cancelled} + 1` } })
        .run();
    }
    return gone > 0;
  })();
}

/** /forget: every reminder of the client, for every event (the counts stay: they name nobody). Returns the events. */
export function forgetRsvps(db: Db, privacy: Privacy, clientKey: string): number {
  const holderKey = privacy.rsvpKey(clientKey);
  const [row] = db.select({ n: sql<number>`count(DISTINCT ${eventReminders.eventId})` }).from(eventReminders).where(eq(eventReminders.holderKey, holderKey)).all();
  db.delete(eventReminders).where(eq(eventReminders.holderKey, holderKey)).run();
  return row?.n ?? 0;
}

/** After the event nothing of it is kept but the counts. */
export function purgePastReminders(db: Db, now: number): number {
  return db.delete(eventReminders).where(lte(eventReminders.eventAt, now)).run().changes;
}

export function eventCountsOf(db: Db): Map<string, { confirmed: number; cancelled: number }> {
  return new Map(db.select().from(eventCounts).all().map((r) => [r.eventId, { confirmed: r.confirmed, cancelled: r.cancelled }]));
}


export interface ReminderMessage {
  html: string;
  keyboard?: InlineKeyboard;
}

export interface EventRemindersDeps {
  db: Db;
  api: Api;
  privacy: Privacy;
  logger: Logger;
  clock: () => number;
  /** The reminder as the client reads it, or undefined when the event is no longer in the content (then none goes). */
  render: (eventId: string, lang: string, eventAt: number) => ReminderMessage | undefined;
}

/**
 * Sends the reminders that are due, every 20 seconds, at most PER_PASS a pass. Each row is claimed
 * (sending_at) in its own write before the request, and deleted after it: a crash in between leaves a
 * claimed row that is never sent again, and goes when the event is over.
 */
export class EventReminders {
  private readonly every: Every;

  constructor(private readonly deps: EventRemindersDeps) {
    this.every = new Every(20_000, () => this.sendDue(), (error: unknown) => deps.logger.error({ err: error }, 'event reminders failed'));
  }

  start(): void {
    this.every.start();
  }

  async stop(): Promise<void> {
    await this.every.stop();
  }

  /** One pass now (or the one under way). */
  run(): Promise<void> {
    return this.every.runNow();
  }

  private async sendDue(): Promise<void> {
    const { db, api, privacy, logger } = this.deps;
    const now = this.deps.clock();
    purgePastReminders(db, now);
    const due = db
      .select()
      .from(eventReminders)
      .where(and(lte(eventReminders.remindAt, now), isNull(eventReminders.sendingAt)))
      .orderBy(asc(eventReminders.remindAt))
      .limit(PER_PASS)
      .all();
    for (const row of due) {
      const claimed = db.update(eventReminders).set({ sendingAt: now }).where(and(eq(eventReminders.id, row.id), isNull(eventReminders.sendingAt))).run().changes === 1;
      if (!claimed) continue;
      const message = this.deps.render(row.eventId, row.lang, row.eventAt);
      let chatId: number | undefined;
      try {
        chatId = privacy.decryptChatId(row.chatRef, CHAT_REF_BINDING.rsvp(row.holderKey));
      } catch {
        logger.error({ reminder: row.id }, 'an event reminder cannot be read with this BOT_SECRET (or was moved between rows); dropped');
      }
      if (message && chatId !== undefined) {
        try {
          await api.sendMessage(chatId, message.html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...(message.keyboard ? { reply_markup: message.keyboard } : {}) });
        } catch (error) {
          const failure = classifyError(error);
          if (failure.kind === 'rate-limited') {
            // Refused, so it did not arrive: it goes again a little later.
            db.update(eventReminders).set({ sendingAt: null, remindAt: now + failure.retryAfterMs }).where(eq(eventReminders.id, row.id)).run();
            continue;
          }
          if (failure.kind !== 'blocked') logger.warn({ reason: failure.kind }, 'an event reminder could not be sent');
        }
      }
      db.delete(eventReminders).where(eq(eventReminders.id, row.id)).run();
    }
  }
}
