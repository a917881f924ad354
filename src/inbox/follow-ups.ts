import { and, eq, isNotNull, isNull, lte, or } from 'drizzle-orm';
import { InlineKeyboard, type Api } from 'grammy';
import { classifyError } from '../telegram/errors.js';
import type { I18n } from '@grammyjs/i18n';
import type { Db } from '../db/connection.js';
import { clients, referralCodes, type ReferralCodeRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Privacy } from '../privacy/keys.js';
import { formatLocal, localParts, zonedTimeToUtc } from '../time/zoned.js';
import { formatCode } from './referral-codes.js';
import { typeLabel } from './referral-types.js';
import { clientChatId } from '../db/clients.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Reminders and questions go at this local hour: late enough not to wake anyone, early enough to act on. */
export const FOLLOW_UP_HOUR = 11;
export const ANSWERS = ['ok', 'not-ok', 'not-yet'] as const;
export type FollowUpAnswer = (typeof ANSWERS)[number];

/** The first FOLLOW_UP_HOUR:00 in `timeZone` at or after `at`. */
export function nextLocalHour(at: number, timeZone: string, hour = FOLLOW_UP_HOUR): number {
  const p = localParts(new Date(at), timeZone);
  const sameDay = zonedTimeToUtc({ year: p.year, month: p.month, day: p.day, hour, minute: 0, second: 0 }, timeZone).getTime();
  if (sameDay >= at) return sameDay;
  const next = localParts(new Date(sameDay + DAY + 2 * HOUR), timeZone); // tomorrow, whatever the DST shift
  return zonedTimeToUtc({ year: next.year, month: next.month, day: next.day, hour, minute: 0, second: 0 }, timeZone).getTime();
}

/**
 * The client opts in: one reminder two days before the code expires (if there is time for one) and one
 * question the day after it expires (sooner once it is redeemed). Only the code's own client may.
 */
export function optInFollowUp(db: Db, input: { id: number; clientKey: string; lang: string; now: number; timeZone: string }): ReferralCodeRow | undefined {
  const code = db.select().from(referralCodes).where(and(eq(referralCodes.id, input.id), eq(referralCodes.clientKey, input.clientKey))).get();
  if (!code || code.redeemedHour !== null || code.expiresAt <= input.now) return undefined;
  const remind = nextLocalHour(code.expiresAt - 2 * DAY, input.timeZone);
  const remindAt = remind > input.now + 6 * HOUR && remind < code.expiresAt - 6 * HOUR ? remind : null;
  const askAt = nextLocalHour(code.expiresAt, input.timeZone);
  return db.update(referralCodes).set({ followUpLang: input.lang, remindAt, askAt }).where(eq(referralCodes.id, code.id)).returning().get();
}

/** A redeemed code needs no reminder; the question comes the next suitable hour at least 12 hours on. */
export function followUpAfterRedeem(db: Db, id: number, now: number, timeZone: string): void {
  db.update(referralCodes)
    .set({ remindAt: null, askAt: nextLocalHour(now + 12 * HOUR, timeZone) })
    .where(and(eq(referralCodes.id, id), isNotNull(referralCodes.followUpLang), isNotNull(referralCodes.askAt)))
    .run();
}

/** Counts the answer once; only the code's own client can give it. */
export function recordFollowUpAnswer(db: Db, id: number, clientKey: string, answer: FollowUpAnswer): boolean {
  return (
    db
      .update(referralCodes)
      .set({ followUpAnswer: answer })
      .where(and(eq(referralCodes.id, id), eq(referralCodes.clientKey, clientKey), isNull(referralCodes.followUpAnswer), isNotNull(referralCodes.followUpLang)))
      .run().changes === 1
  );
}

export interface FollowUpDeps {
  db: Db;
  api: Api;
  privacy: Privacy;
  logger: Logger;
  i18n: I18n<never>;
  timezone: string;
  clock: () => number;
}

/** Sends the reminders and questions that are due; run by the inbox jobs. Codes unlinked by /forget get nothing. */
export async function sendDueFollowUps(deps: FollowUpDeps): Promise<number> {
  const { db, api, privacy, logger, i18n, timezone } = deps;
  const now = deps.clock();
  const due = db
    .select({ code: referralCodes, chatRef: clients.chatRef, key: clients.key })
    .from(referralCodes)
    .innerJoin(clients, eq(clients.key, referralCodes.clientKey))
    .where(and(isNotNull(referralCodes.followUpLang), or(lte(referralCodes.remindAt, now), lte(referralCodes.askAt, now))))
    .limit(50)
    .all();
  let sent = 0;
  for (const { code, chatRef, key } of due) {
    const remind = code.remindAt !== null && code.remindAt <= now;
    // Cleared before sending: a crash may lose one follow-up, never send it twice.
    db.update(referralCodes).set(remind ? { remindAt: null } : { askAt: null }).where(eq(referralCodes.id, code.id)).run();
    if (remind && (code.redeemedHour !== null || code.expiresAt <= now)) continue;
    const lang = code.followUpLang!;
    const t = (key: string, vars?: Record<string, string | number>) => i18n.t(lang, key, vars);
    const vars = { code: formatCode(code.code), type: typeLabel(t, code.type), until: formatLocal(new Date(code.expiresAt), timezone).slice(0, 10) };
    const keyboard = new InlineKeyboard();
    if (!remind) for (const answer of ANSWERS) keyboard.text(t(`followup-answer-${answer}`), `code:a:${code.id}:${answer}`).row();
    try {
      await api.sendMessage(clientChatId(privacy, { key, chatRef }), t(remind ? 'followup-reminder' : 'followup-question', vars), {
        parse_mode: 'HTML',
        ...(remind ? {} : { reply_markup: keyboard }),
      });
      sent++;
    } catch (error) {
      if (classifyError(error).kind !== 'blocked') logger.warn({ err: error }, 'a code follow-up could not be sent');
    }
  }
  return sent;
}

