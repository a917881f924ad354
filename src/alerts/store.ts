import { eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { alertApprovals, alerts, type AlertRow } from '../db/schema.js';
import { joinRegions, splitRegions } from './regions.js';

/**
 * The alerts' SQL, and nothing else: drafts and approvals, the delivery rows of a broadcast and their
 * states, expiry, update and withdrawal, and the figures. A delivery is a row per (alert, subscriber):
 *
 *   queued ──(committed before the request)──▶ sending ──▶ sent (message id kept while the alert lives)
 *                                                  │──▶ failed (Telegram refused it for good)
 *                                                  │──▶ (blocked: the subscription and its rows go)
 *                                                  └──▶ uncertain (the process died meanwhile: never sent again)
 *
 * Telegram has no idempotency key, so the one message on its way at a crash is either possibly doubled or
 * possibly lost; alerts choose at most once (a second copy of a warning teaches people to ignore them):
 * it is counted as uncertain in the figures.
 */

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type AlertStatus = 'draft' | 'sending' | 'sent' | 'expired' | 'withdrawn' | 'cancelled';

export interface NewAlert {
  regions: string[];
  severity: Severity;
  fields: Record<string, string>;
  expiresAt: number;
  channel?: string;
  reportNo?: string;
}

export function findAlert(db: Db, id: number): AlertRow | undefined {
  return db.select().from(alerts).where(eq(alerts.id, id)).get();
}

/**
 * A draft, with the drafter's agreement counted as the first. If that is all it needs (ALERT_APPROVALS=1),
 * it starts at once: `started` says for how many subscribers.
 */
export function createDraft(db: Db, alert: NewAlert, by: { chatId: number; staffKey: string; approvalsNeeded: number }, now: number): { row: AlertRow; started?: number } {
  return db.$client.transaction(() => {
    const row = db
      .insert(alerts)
      .values({
        status: 'draft',
        regions: joinRegions(alert.regions),
        severity: alert.severity,
        fields: JSON.stringify(alert.fields),
        channel: alert.channel ?? null,
        expiresAt: alert.expiresAt,
        chatId: by.chatId,
        draftedBy: by.staffKey,
        approvalsNeeded: by.approvalsNeeded,
        reportNo: alert.reportNo ?? null,
        createdAt: now,
      })
      .returning()
      .get();
    db.insert(alertApprovals).values({ alertId: row.id, staffKey: by.staffKey }).run();
    if (by.approvalsNeeded > 1) return { row };
    const started = startBroadcast(db, row, now);
    return { row: findAlert(db, row.id)!, started };
  })();
}

export function approvalsOf(db: Db, id: number): number {
  return db.$client.prepare<[number], { n: number }>('SELECT count(*) AS n FROM alert_approvals WHERE alert_id = ?').get(id)!.n;
}

export type Approval =
  | { outcome: 'started'; alert: AlertRow; subscribers: number }
  | { outcome: 'counted'; have: number; need: number }
  | { outcome: 'already' }
  | { outcome: 'not-draft'; status: string }
  | { outcome: 'expired' }
  | { outcome: 'missing' };

/**
 * One more person agrees. The last agreement needed starts the broadcast: one delivery row per subscriber
 * of the alert's regions, in the same transaction (so a crash right after it loses nobody).
 */
export function approve(db: Db, id: number, staffKey: string, now: number): Approval {
  return db.$client.transaction((): Approval => {
    const alert = findAlert(db, id);
    if (!alert) return { outcome: 'missing' };
    if (alert.status !== 'draft') return { outcome: 'not-draft', status: alert.status };
    if (alert.expiresAt <= now) return { outcome: 'expired' };
    const added = db.insert(alertApprovals).values({ alertId: id, staffKey }).onConflictDoNothing().run().changes;
    if (added === 0) return { outcome: 'already' };
    const have = approvalsOf(db, id);
    if (have < alert.approvalsNeeded) return { outcome: 'counted', have, need: alert.approvalsNeeded };
    const subscribers = startBroadcast(db, alert, now);
    return { outcome: 'started', alert: findAlert(db, id)!, subscribers };
  })();
}

/** Queues the alert for every subscriber of its regions (and its channel copy). Returns how many. */
function startBroadcast(db: Db, alert: AlertRow, now: number): number {
  const regions = splitRegions(alert.regions);
  const match = regions.map(() => "instr(regions, ',' || ? || ',') > 0").join(' OR ');
  const queued = db.$client
    .prepare(`INSERT OR IGNORE INTO alert_deliveries (alert_id, subscription_key, state, not_before) SELECT ?, key, 'queued', 0 FROM alert_subscriptions WHERE ${match}`)
    .run(alert.id, ...regions).changes;
  db.update(alerts)
    .set({ status: 'sending', approvedAt: now, channelState: alert.channel ? 'queued' : null })
    .where(eq(alerts.id, alert.id))
    .run();
  return queued;
}

/** A draft nobody should approve any more. */
export function cancelDraft(db: Db, id: number, now: number): boolean {
  return db.update(alerts).set({ status: 'cancelled', endedAt: now }).where(eq(alerts.id, id)).run().changes > 0 && findAlert(db, id)?.status === 'cancelled';
}

/** Is the alert still going out or out there (not ended)? */
export function isLive(alert: Pick<AlertRow, 'status'>): boolean {
  return alert.status === 'sending' || alert.status === 'sent';
}

/**
 * New wording (fields merged): the version goes up; subscribers not reached yet get the new text, those
 * who got it have their message edited (the broadcaster finds them by version).
 */
export function updateAlert(db: Db, id: number, fields: Record<string, string>, expiresAt: number | undefined): AlertRow | undefined {
  const alert = findAlert(db, id);
  if (!alert || !isLive(alert)) return undefined;
  const merged = { ...(JSON.parse(alert.fields) as Record<string, string>), ...fields };
  return db
    .update(alerts)
    .set({ fields: JSON.stringify(merged), version: alert.version + 1, ...(expiresAt !== undefined ? { expiresAt } : {}) })
    .where(eq(alerts.id, id))
    .returning()
    .get();
}

/** What became of a proposed change to a live alert, or of an agreement to one. */
export type Revision =
  | { outcome: 'missing' }
  | { outcome: 'not-live'; status: string }
  | { outcome: 'none' }
  | { outcome: 'already' }
  | { outcome: 'counted'; have: number; need: number }
  | { outcome: 'applied'; alert: AlertRow };

function applyPending(db: Db, alert: AlertRow): Revision {
  const updated = updateAlert(db, alert.id, JSON.parse(alert.pendingFields ?? '{}') as Record<string, string>, alert.pendingExpiresAt ?? undefined)!;
  db.update(alerts).set({ pendingFields: null, pendingExpiresAt: null, pendingApprovals: null }).where(eq(alerts.id, alert.id)).run();
  return { outcome: 'applied', alert: { ...updated, pendingFields: null, pendingExpiresAt: null, pendingApprovals: null } };
}

/**
 * A change to a live alert's words or expiry is held until as many people agree as the alert needed
 * (the proposer counting as the first), so that no one person can change what thousands receive. A new
 * proposal replaces one still waiting. With ALERT_APPROVALS=1 it applies at once.
 */
export function proposeUpdate(db: Db, id: number, fields: Record<string, string>, expiresAt: number | undefined, staffKey: string): Revision {
  return db.$client.transaction((): Revision => {
    const alert = findAlert(db, id);
    if (!alert) return { outcome: 'missing' };
    if (!isLive(alert)) return { outcome: 'not-live', status: alert.status };
    const pending = { pendingFields: JSON.stringify(fields), pendingExpiresAt: expiresAt ?? null, pendingApprovals: JSON.stringify([staffKey]) };
    db.update(alerts).set(pending).where(eq(alerts.id, id)).run();
    if (alert.approvalsNeeded <= 1) return applyPending(db, { ...alert, ...pending });
    return { outcome: 'counted', have: 1, need: alert.approvalsNeeded };
  })();
}

/** Another person agrees to the change waiting on a live alert; the last one needed applies it. */
export function approveUpdate(db: Db, id: number, staffKey: string): Revision {
  return db.$client.transaction((): Revision => {
    const alert = findAlert(db, id);
    if (!alert) return { outcome: 'missing' };
    if (!isLive(alert)) return { outcome: 'not-live', status: alert.status };
    if (alert.pendingFields === null) return { outcome: 'none' };
    const agreed = JSON.parse(alert.pendingApprovals ?? '[]') as string[];
    if (agreed.includes(staffKey)) return { outcome: 'already' };
    agreed.push(staffKey);
    if (agreed.length >= alert.approvalsNeeded) return applyPending(db, alert);
    db.update(alerts).set({ pendingApprovals: JSON.stringify(agreed) }).where(eq(alerts.id, id)).run();
    return { outcome: 'counted', have: agreed.length, need: alert.approvalsNeeded };
  })();
}

/**
 * Withdrawn: nothing more goes out; whoever got it is told, under the message they got. Returns how many
 * will be told, or undefined if the alert is not live.
 */
export function withdrawAlert(db: Db, id: number, now: number): number | undefined {
  return db.$client.transaction(() => {
    const alert = findAlert(db, id);
    if (!alert || !isLive(alert)) return undefined;
    const unsent = db.$client.prepare("DELETE FROM alert_deliveries WHERE alert_id = ? AND state = 'queued'").run(id).changes;
    const told = db.$client.prepare("UPDATE alert_deliveries SET notice = 'queued', not_before = 0, attempts = 0 WHERE alert_id = ? AND state = 'sent' AND message_id IS NOT NULL").run(id).changes;
    db.$client.prepare("DELETE FROM alert_deliveries WHERE alert_id = ? AND state IN ('failed', 'uncertain')").run(id);
    db.update(alerts)
      .set({ status: 'withdrawn', endedAt: now, unsent: alert.unsent + unsent, channelState: alert.channelState === 'sent' ? 'withdraw' : alert.channelState === 'queued' ? null : alert.channelState })
      .where(eq(alerts.id, id))
      .run();
    dropSettledRows(db, id);
    return told;
  })();
}

/**
 * Alerts past their time: marked expired; what had not gone is not sent; the delivered message ids go
 * (nothing will edit or answer them now). Returns the alerts that expired.
 */
export function expireDue(db: Db, now: number): AlertRow[] {
  return db.$client.transaction(() => {
    const due = db.$client.prepare<[number], { id: number }>("SELECT id FROM alerts WHERE status IN ('draft', 'sending', 'sent') AND expires_at <= ?").all(now);
    const ended: AlertRow[] = [];
    for (const { id } of due) {
      const alert = findAlert(db, id)!;
      const unsent = db.$client.prepare("DELETE FROM alert_deliveries WHERE alert_id = ? AND state = 'queued'").run(id).changes;
      db.update(alerts)
        .set({ status: alert.status === 'draft' ? 'cancelled' : 'expired', endedAt: now, unsent: alert.unsent + unsent, finishedAt: alert.finishedAt ?? (alert.status === 'draft' ? null : now) })
        .where(eq(alerts.id, id))
        .run();
      dropSettledRows(db, id);
      if (alert.status !== 'draft') ended.push(findAlert(db, id)!);
    }
    return ended;
  })();
}

/** Once an alert has ended, its delivery rows go as soon as nothing is on its way for them. */
export function dropSettledRows(db: Db, id: number): void {
  const alert = findAlert(db, id);
  if (!alert || isLive(alert) || alert.status === 'draft') return;
  db.$client.prepare("DELETE FROM alert_deliveries WHERE alert_id = ? AND state <> 'sending' AND (notice IS NULL OR notice NOT IN ('queued', 'sending'))").run(id);
  if (alert.channelState === 'sent' || alert.channelState === 'unknown' || alert.channelState === 'failed') {
    db.update(alerts).set({ channelMessageId: null, channelChatId: null }).where(eq(alerts.id, id)).run();
  }
}

/** The soonest end of a live alert or draft (for the expiry timer). */
export function nextExpiry(db: Db): number | undefined {
  return db.$client.prepare<[], { at: number | null }>("SELECT min(expires_at) AS at FROM alerts WHERE status IN ('draft', 'sending', 'sent')").get()?.at ?? undefined;
}

/** At start: whatever was on its way when the process stopped is uncertain, never sent again. Returns how many. */
export function recoverInFlight(db: Db): number {
  return db.$client.transaction(() => {
    const rows = db.$client.prepare<[], { alertId: number; n: number }>("SELECT alert_id AS alertId, count(*) AS n FROM alert_deliveries WHERE state = 'sending' GROUP BY alert_id").all();
    for (const { alertId, n } of rows) db.$client.prepare('UPDATE alerts SET uncertain = uncertain + ? WHERE id = ?').run(n, alertId);
    db.$client.prepare("UPDATE alert_deliveries SET state = 'uncertain' WHERE state = 'sending'").run();
    const notices = db.$client.prepare("UPDATE alert_deliveries SET notice = 'uncertain' WHERE notice = 'sending'").run().changes;
    db.$client.prepare("UPDATE alerts SET channel_state = 'unknown' WHERE channel_state = 'sending'").run();
    db.$client.prepare("UPDATE alerts SET channel_state = 'withdrawn-unknown' WHERE channel_state = 'withdrawing'").run();
    db.$client.prepare("UPDATE alerts SET channel_state = 'edit' WHERE channel_state = 'editing'").run(); // an edit can be made again
    for (const { id } of db.$client.prepare<[], { id: number }>("SELECT id FROM alerts WHERE status IN ('expired', 'withdrawn')").all()) dropSettledRows(db, id);
    return rows.reduce((sum, r) => sum + r.n, 0) + notices;
  })();
}

/** A unit of the broadcaster's work: one subscriber's delivery (a send, an edit or a withdrawal notice). */
export interface DeliveryWork {
  kind: 'send' | 'edit' | 'notice';
  alertId: number;
  subscriptionKey: string;
  chatRef: string;
  language: string;
  messageId: number | null;
  attempts: number;
  notBefore: number;
  /** The alert's version to show (edits). */
  version: number;
}

/**
 * What may go next, in order: withdrawal notices first (a warning taken back matters most), then first
 * deliveries (higher severity first, older alerts first), then edits after an update.
 */
export function nextWork(db: Db, now: number, limit: number, skip: ReadonlySet<string>): DeliveryWork[] {
  const rows = db.$client
    .prepare<[number, number, number, number], Omit<DeliveryWork, 'kind'> & { kind: string }>(
      `SELECT * FROM (
         SELECT 'notice' AS kind, 0 AS rank, 0 AS sev, d.alert_id AS alertId, d.subscription_key AS subscriptionKey, s.chat_ref AS chatRef, s.language,
                d.message_id AS messageId, d.attempts, d.not_before AS notBefore, a.version
           FROM alert_deliveries d JOIN alert_subscriptions s ON s.key = d.subscription_key JOIN alerts a ON a.id = d.alert_id
          WHERE d.notice = 'queued' AND d.not_before <= ?
         UNION ALL
         SELECT 'send', 1, CASE a.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, d.alert_id, d.subscription_key, s.chat_ref, s.language,
                d.message_id, d.attempts, d.not_before, a.version
           FROM alert_deliveries d JOIN alert_subscriptions s ON s.key = d.subscription_key JOIN alerts a ON a.id = d.alert_id
          WHERE d.state = 'queued' AND d.not_before <= ? AND a.status IN ('sending', 'sent')
         UNION ALL
         SELECT 'edit', 2, 0, d.alert_id, d.subscription_key, s.chat_ref, s.language,
                d.message_id, d.attempts, d.not_before, a.version
           FROM alert_deliveries d JOIN alert_subscriptions s ON s.key = d.subscription_key JOIN alerts a ON a.id = d.alert_id
          WHERE d.state = 'sent' AND d.version < a.version AND d.message_id IS NOT NULL AND d.not_before <= ? AND a.status IN ('sending', 'sent')
       ) ORDER BY rank, sev, alertId LIMIT ?`,
    )
    .all(now, now, now, limit + skip.size);
  return rows.filter((r) => !skip.has(workKey(r))).slice(0, limit) as DeliveryWork[];
}

export const workKey = (w: Pick<DeliveryWork, 'alertId' | 'subscriptionKey'>) => `${w.alertId}:${w.subscriptionKey}`;

/** The earliest time postponed work is due (after a 429 or a retry), if any. */
export function nextDue(db: Db): number | undefined {
  const row = db.$client
    .prepare<[], { at: number | null }>(
      "SELECT min(d.not_before) AS at FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id WHERE (d.state = 'queued' AND a.status IN ('sending', 'sent')) OR d.notice = 'queued' OR (d.state = 'sent' AND d.version < a.version AND a.status IN ('sending', 'sent'))",
    )
    .get();
  return row?.at ?? undefined;
}

/** Committed before the request: a crash from here on leaves the row uncertain, never sent twice. */
export function markSending(db: Db, work: DeliveryWork): boolean {
  const column = work.kind === 'notice' ? 'notice' : 'state';
  return db.$client.prepare(`UPDATE alert_deliveries SET ${column} = 'sending' WHERE alert_id = ? AND subscription_key = ? AND ${column} = 'queued'`).run(work.alertId, work.subscriptionKey).changes > 0;
}

/** The alert reached the subscriber as `messageId` (showing `version`). */
export function markSent(db: Db, work: DeliveryWork, messageId: number, version: number): void {
  db.$client.transaction(() => {
    db.$client.prepare("UPDATE alert_deliveries SET state = 'sent', message_id = ?, version = ? WHERE alert_id = ? AND subscription_key = ?").run(messageId, version, work.alertId, work.subscriptionKey);
    db.$client.prepare('UPDATE alerts SET sent = sent + 1 WHERE id = ?').run(work.alertId);
    const alert = findAlert(db, work.alertId);
    // Withdrawn while it was on its way: the subscriber is told too.
    if (alert?.status === 'withdrawn') db.$client.prepare("UPDATE alert_deliveries SET notice = 'queued' WHERE alert_id = ? AND subscription_key = ?").run(work.alertId, work.subscriptionKey);
    else if (alert && !isLive(alert)) dropSettledRows(db, alert.id);
  })();
}

export function markEdited(db: Db, work: DeliveryWork, version: number): void {
  db.$client.prepare('UPDATE alert_deliveries SET version = max(version, ?) WHERE alert_id = ? AND subscription_key = ?').run(version, work.alertId, work.subscriptionKey);
}

export function markNoticeDone(db: Db, work: DeliveryWork, state: 'done' | 'uncertain' = 'done'): void {
  db.$client.transaction(() => {
    db.$client.prepare('UPDATE alert_deliveries SET notice = ? WHERE alert_id = ? AND subscription_key = ?').run(state, work.alertId, work.subscriptionKey);
    dropSettledRows(db, work.alertId);
  })();
}

/** Telegram refused it for good (or after every retry): counted, not tried again. */
export function markFailed(db: Db, work: DeliveryWork, uncertain = false): void {
  db.$client.transaction(() => {
    if (work.kind === 'notice') {
      markNoticeDone(db, work, uncertain ? 'uncertain' : 'done');
      return;
    }
    if (work.kind === 'edit') {
      markEdited(db, work, work.version); // an edit that cannot be made is not tried again
      return;
    }
    db.$client.prepare('UPDATE alert_deliveries SET state = ? WHERE alert_id = ? AND subscription_key = ?').run(uncertain ? 'uncertain' : 'failed', work.alertId, work.subscriptionKey);
    db.$client.prepare(`UPDATE alerts SET ${uncertain ? 'uncertain = uncertain + 1' : 'failed = failed + 1'} WHERE id = ?`).run(work.alertId);
    dropSettledRows(db, work.alertId);
  })();
}

/** Not sent (a 429, a network error before the request left): back in the queue, due at `at`. */
export function postpone(db: Db, work: DeliveryWork, at: number, attempts: number): void {
  const column = work.kind === 'notice' ? 'notice' : 'state';
  const back = work.kind === 'edit' ? 'sent' : 'queued';
  db.$client
    .prepare(`UPDATE alert_deliveries SET ${column} = ?, not_before = ?, attempts = ? WHERE alert_id = ? AND subscription_key = ?`)
    .run(back, at, attempts, work.alertId, work.subscriptionKey);
}

/** The subscriber blocked the bot: their subscription goes (every row of theirs with it), counted once. */
export function dropBlocked(db: Db, work: DeliveryWork): void {
  db.$client.transaction(() => {
    if (work.kind === 'send') db.$client.prepare('UPDATE alerts SET blocked = blocked + 1 WHERE id = ?').run(work.alertId);
    db.$client.prepare('DELETE FROM alert_subscriptions WHERE key = ?').run(work.subscriptionKey);
  })();
}

/**
 * Alerts whose every delivery is settled: marked sent with the time it took. Returns them (their figures
 * go to the chat they were drafted in).
 */
export function finishDone(db: Db, now: number): AlertRow[] {
  const done = db.$client
    .prepare<[], { id: number }>(
      "SELECT id FROM alerts a WHERE status = 'sending' AND (channel_state IS NULL OR channel_state NOT IN ('queued', 'sending')) AND NOT EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = a.id AND d.state IN ('queued', 'sending'))",
    )
    .all();
  return done.map(({ id }) => db.update(alerts).set({ status: 'sent', finishedAt: now }).where(eq(alerts.id, id)).returning().get());
}

export interface AlertFigures {
  alert: AlertRow;
  approvals: number;
  queued: number;
  inFlight: number;
}

export function figuresOf(db: Db, id: number): AlertFigures | undefined {
  const alert = findAlert(db, id);
  if (!alert) return undefined;
  const counts = db.$client
    .prepare<[number], { queued: number; inFlight: number }>("SELECT coalesce(sum(state = 'queued'), 0) AS queued, coalesce(sum(state = 'sending'), 0) AS inFlight FROM alert_deliveries WHERE alert_id = ?")
    .get(id)!;
  return { alert, approvals: approvalsOf(db, id), ...counts };
}

/** The latest alerts drafted in a chat (for /alert list). */
export function recentAlerts(db: Db, chatId: number, limit = 10): AlertRow[] {
  return db.$client.prepare<[number, number], { id: number }>('SELECT id FROM alerts WHERE chat_id = ? ORDER BY id DESC LIMIT ?').all(chatId, limit).map(({ id }) => findAlert(db, id)!);
}

/** The channel copy: claimed (committed as sending) before it is posted; never posted twice. */
export function claimChannel(db: Db, id: number, from: string, to: string): boolean {
  return db.$client.prepare('UPDATE alerts SET channel_state = ? WHERE id = ? AND channel_state = ?').run(to, id, from).changes > 0;
}

/** `posted`: the message and the chat it is in, recorded together (null forgets both). */
export function setChannel(db: Db, id: number, state: string | null, posted?: { chatId: number; messageId: number } | null): void {
  const where = posted === undefined ? {} : { channelMessageId: posted?.messageId ?? null, channelChatId: posted?.chatId ?? null };
  db.update(alerts).set({ channelState: state, ...where }).where(eq(alerts.id, id)).run();
}
