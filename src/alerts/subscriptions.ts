import { eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { alertDeliveries, alertSubscriptions, type AlertSubscriptionRow } from '../db/schema.js';
import { CHAT_REF_BINDING, type Privacy } from '../privacy/keys.js';
import { joinRegions, overlaps, splitRegions } from './regions.js';

/**
 * A client's opt-in to drug alerts: the regions, the sealed chat id and the language, under a key of its
 * own (privacy.subscriptionKey of the client key). Nothing else is asked or kept.
 */
export class Subscriptions {
  constructor(
    private readonly db: Db,
    private readonly privacy: Privacy,
  ) {}

  keyOf(clientKey: string): string {
    return this.privacy.subscriptionKey(clientKey);
  }

  find(clientKey: string): (AlertSubscriptionRow & { list: string[] }) | undefined {
    const row = this.db.select().from(alertSubscriptions).where(eq(alertSubscriptions.key, this.keyOf(clientKey))).get();
    return row ? { ...row, list: splitRegions(row.regions) } : undefined;
  }

  /**
   * Sets the client's regions (none: unsubscribed, the row goes). Alerts still running for a region they
   * added are queued for them; queued ones for a region they left are dropped. Returns the regions kept.
   */
  set(clientKey: string, chatId: number, regions: readonly string[], language: string, now: number): string[] {
    const key = this.keyOf(clientKey);
    const stored = joinRegions(regions);
    return this.db.$client.transaction(() => {
      if (stored === '') {
        this.db.delete(alertSubscriptions).where(eq(alertSubscriptions.key, key)).run();
        return [];
      }
      const chatRef = this.privacy.encryptChatId(chatId, CHAT_REF_BINDING.subscription(key));
      this.db
        .insert(alertSubscriptions)
        .values({ key, chatRef, regions: stored, language })
        .onConflictDoUpdate({ target: alertSubscriptions.key, set: { regions: stored, language } })
        .run();
      // Alerts still running: queued for a region they added; dropped (if not yet sent) for one they left.
      const running = this.db.$client
        .prepare<[number], { id: number; regions: string; status: string }>("SELECT id, regions, status FROM alerts WHERE status IN ('sending', 'sent') AND expires_at > ?")
        .all(now);
      for (const alert of running) {
        if (overlaps(alert.regions, stored)) {
          // A newcomer gets an alert that still holds (its figures count them; its time to finish stays the broadcast's).
          this.db.insert(alertDeliveries).values({ alertId: alert.id, subscriptionKey: key, state: 'queued' }).onConflictDoNothing().run();
        } else {
          this.db.$client.prepare("DELETE FROM alert_deliveries WHERE alert_id = ? AND subscription_key = ? AND state = 'queued'").run(alert.id, key);
        }
      }
      return splitRegions(stored);
    })();
  }

  /** The language they use now, if subscribed (they changed it since). */
  refreshLanguage(clientKey: string, language: string): void {
    this.db.update(alertSubscriptions).set({ language }).where(eq(alertSubscriptions.key, this.keyOf(clientKey))).run();
  }

  /** /forget and "unsubscribe": the row goes, with every delivery row that names it. Whether there was one. */
  forget(clientKey: string): boolean {
    return this.db.delete(alertSubscriptions).where(eq(alertSubscriptions.key, this.keyOf(clientKey))).run().changes > 0;
  }

  /** The subscriber's chat id; throws if the sealed ref is not this row's own. */
  chatOf(row: Pick<AlertSubscriptionRow, 'key' | 'chatRef'>): number {
    return this.privacy.decryptChatId(row.chatRef, CHAT_REF_BINDING.subscription(row.key));
  }

  count(): number {
    return this.db.$client.prepare<[], { n: number }>('SELECT count(*) AS n FROM alert_subscriptions').get()!.n;
  }
}
