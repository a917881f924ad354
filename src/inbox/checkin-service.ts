import { eq } from 'drizzle-orm';
import { InlineKeyboard, type Api } from 'grammy';
import type { I18n } from '@grammyjs/i18n';
import type { Db } from '../db/connection.js';
import { checkins as checkinsTable, clients, type CheckinRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Privacy } from '../privacy/keys.js';
import { clientChatId } from '../db/clients.js';
import { escapeHtml } from '../content/markdown.js';
import { classifyError } from '../telegram/errors.js';
import { Every } from '../time/every.js';
import { buddyChatId, isPaired, pairingOf, purgeExpiredInvitations } from './buddies.js';
import { advance, dueCheckins, endCheckin, findCheckin, openPlan, partSent, purgeStaleSetups, stepDelivered, undelivered, type CheckinTiming } from './checkins.js';
import { findCase, findOpenCase, openCase } from './cases.js';
import { markUrgent } from './urgency.js';
import { readLockdown } from './lockdown.js';
import type { InboxService } from './service.js';

/** The urgent reason a check-in gives a case (its label: staff-risk-checkin). */
export const CHECKIN_REASON = 'checkin';

export interface CheckinDeps {
  db: Db;
  api: Api;
  privacy: Privacy;
  logger: Logger;
  i18n: I18n<never>;
  clock: () => number;
  timing: CheckinTiming;
}

interface Part {
  chatId: () => number;
  text: string;
  keyboard?: InlineKeyboard;
  /** Edit this message of the chat instead of sending (the buddy's alert, its plan taken out). */
  editMessageId?: number;
  /** The buddy's alert: its id is kept, to edit the plan out when the check-in ends. */
  isBuddyAlert?: boolean;
}

/**
 * Runs the check-ins: each due step once (asked, asked again, escalated, expired), and delivers each
 * step's messages (to the client, to their buddy) until all went, resuming after a restart where it
 * stopped. The team's side of an escalation goes through the relay's outbox in the same transaction as
 * the step, as urgent as the emergency button: a topic first in line, its card showing the plan while
 * the check-in lasts.
 */
export class CheckinService {
  private readonly every: Every;

  constructor(
    private readonly deps: CheckinDeps,
    private readonly inbox: InboxService,
  ) {
    const interval = Math.min(5_000, Math.max(50, Math.round(deps.timing.minuteMs / 12)));
    this.every = new Every(interval, () => this.runOnce(), (error: unknown) => deps.logger.error({ err: error }, 'check-in round failed'));
  }

  /** Starts the rhythm with a round at once: steps that came due while the bot was down go now. */
  start(): void {
    this.every.start();
    void this.run();
  }

  async stop(): Promise<void> {
    await this.every.stop();
  }

  /** One round now (or the one under way, then another: a change just made is seen). */
  async run(): Promise<void> {
    await this.every.runNow();
    await this.every.runNow();
  }

  /** The client answered (or ended it): the check-in ends, whoever was alerted is told. Returns whether one was on. */
  end(clientKey: string, reason: 'ok' | 'ended' | 'expired'): { wasEscalated: boolean } | undefined {
    const { db, clock } = this.deps;
    const result = db.$client.transaction(() => {
      const result = endCheckin(db, clientKey, reason, clock());
      if (!result) return undefined;
      const { ended } = result;
      if (ended.caseId !== null) {
        // The card shows the plan no more (the check-in is gone); a note says how it ended.
        const row = findCase(db, ended.caseId);
        if (row && row.status !== 'closed') {
          this.inbox.noteInTopic(row, this.inbox.st(`staff-checkin-${reason}`));
          this.inbox.refreshCard(row.id);
        }
      }
      return { wasEscalated: ended.state === 'escalated' || ended.buddyAlerted || ended.caseId !== null };
    })();
    void this.run();
    return result;
  }

  private async runOnce(): Promise<void> {
    const { db, clock, logger } = this.deps;
    purgeStaleSetups(db, clock());
    purgeExpiredInvitations(db, clock());
    for (const row of dueCheckins(db, clock())) {
      try {
        if (row.state === 'escalated') this.end(row.clientKey, 'expired');
        else this.step(row);
      } catch (error) {
        logger.error({ err: error }, 'a check-in step failed');
      }
    }
    for (const row of undelivered(db)) {
      if (!(await this.deliver(row))) break; // Telegram unreachable or busy: the next round goes on
    }
  }

  /** One step of a due check-in; an escalation alerts in the same transaction. */
  private step(row: CheckinRow): void {
    const { db, clock, timing } = this.deps;
    db.$client.transaction(() => {
      if (row.state !== 'asked-again') return void advance(db, row, clock(), timing);
      const buddyAlerted = row.withBuddy && isPaired(pairingOf(db, row.clientKey));
      const next = advance(db, row, clock(), timing, { buddyAlerted });
      if (!next || !row.withTeam) return;
      const caseId = this.alertTeam(row.clientKey);
      db.update(checkinsTable).set({ caseId }).where(eq(checkinsTable.id, row.id)).run();
    })();
  }

  /** An urgent case for the client (or their open case raised), with a note; the card shows the plan. */
  private alertTeam(clientKey: string): number {
    const { db, clock } = this.deps;
    const note = this.inbox.st('staff-checkin-escalated');
    const existing = findOpenCase(db, clientKey);
    if (existing) {
      const raised = markUrgent(db, existing.id, CHECKIN_REASON) ?? existing;
      this.inbox.urgencyChanged(raised, note, false);
      return existing.id;
    }
    const opened = openCase(db, { clientKey, topic: 'substances', urgent: true, inbox: this.inbox.inboxes.route({ topic: 'substances', urgent: true }), now: clock() });
    const row = markUrgent(db, opened.case.id, CHECKIN_REASON) ?? opened.case;
    // During a lockdown the topic waits for /unlock, like any case's.
    if (!readLockdown(db)) this.inbox.createTopic(row);
    this.inbox.noteInTopic(row, note);
    return row.id;
  }

  /** Sends what the check-in's current step says, from where it stopped; false if Telegram could not be reached. */
  private async deliver(row: CheckinRow): Promise<boolean> {
    const { db, api, logger } = this.deps;
    const parts = this.parts(row);
    for (let i = row.sentParts; i < parts.length; i++) {
      const fresh = db.select().from(checkinsTable).where(eq(checkinsTable.id, row.id)).get();
      if (!fresh || fresh.step !== row.step) return true; // answered meanwhile: the new step has its own messages
      const part = parts[i]!;
      let chatId: number;
      try {
        chatId = part.chatId();
      } catch {
        logger.error('a check-in recipient\'s chat cannot be read with this BOT_SECRET; skipped');
        partSent(db, row, i + 1);
        continue;
      }
      try {
        if (part.editMessageId !== undefined) {
          await api.editMessageText(chatId, part.editMessageId, part.text, { parse_mode: 'HTML' });
        } else {
          const sent = await api.sendMessage(chatId, part.text, { parse_mode: 'HTML', ...(part.keyboard ? { reply_markup: part.keyboard } : {}) });
          if (part.isBuddyAlert) db.update(checkinsTable).set({ buddyAlertMessageId: sent.message_id }).where(eq(checkinsTable.id, row.id)).run();
        }
      } catch (error) {
        const failure = classifyError(error);
        if (failure.kind === 'network' || failure.kind === 'rate-limited') {
          logger.warn({ reason: failure.kind }, 'a check-in message could not be sent yet; retried');
          return false;
        }
        // Blocked, or refused: trying again would not reach it.
        logger.warn({ reason: failure.kind }, 'a check-in message could not be delivered');
      }
      partSent(db, row, i + 1);
    }
    stepDelivered(db, row);
    return true;
  }

  /** The messages of the step the check-in is at. */
  private parts(row: CheckinRow): Part[] {
    const { db, privacy, i18n } = this.deps;
    const t = (lang: string, key: string, vars?: Record<string, string | number>) => i18n.t(lang, key, vars);
    const lang = row.language;
    const client = db.select().from(clients).where(eq(clients.key, row.clientKey)).get();
    const toClient = (text: string, keyboard?: InlineKeyboard): Part[] => (client ? [{ chatId: () => clientChatId(privacy, client), text, keyboard }] : []);
    const pairing = pairingOf(db, row.clientKey);
    const toBuddy = (key: string, vars?: Record<string, string | number>, extra: Partial<Part> = {}): Part[] =>
      row.buddyAlerted && isPaired(pairing) ? [{ chatId: () => buddyChatId(privacy, pairing), text: t(pairing.buddyLanguage ?? lang, key, vars), ...extra }] : [];
    const ok = () => new InlineKeyboard().text(t(lang, 'checkin-button-ok'), 'ck:ok');
    switch (row.state) {
      case 'asked':
      case 'asked-again':
        return toClient(t(lang, row.state === 'asked' ? 'checkin-ask' : 'checkin-ask-again'), ok().row().text(t(lang, 'checkin-button-extend'), 'ck:ext'));
      case 'escalated': {
        const who = row.buddyAlerted && row.caseId !== null ? 'both' : row.buddyAlerted ? 'buddy' : row.caseId !== null ? 'team' : 'none';
        const plan = openPlan(privacy, row);
        return [
          ...toClient(t(lang, 'checkin-escalated', { who }), ok()),
          ...toBuddy('checkin-buddy-alert', { plan: plan ? escapeHtml(plan) : '', hasPlan: plan ? 'yes' : 'no' }, { isBuddyAlert: true }),
        ];
      }
      case 'ended':
        // The plan leaves the buddy's chat too: the alert is edited to say it is over.
        return [
          ...(row.buddyAlertMessageId !== null ? toBuddy('checkin-buddy-alert-over', undefined, { editMessageId: row.buddyAlertMessageId }) : []),
          ...toBuddy(`checkin-buddy-${row.endReason ?? 'ended'}`),
        ];
      default:
        return [];
    }
  }

  /** The check-in of a client, if any (for the screens). */
  find(clientKey: string): CheckinRow | undefined {
    return findCheckin(this.deps.db, clientKey);
  }
}
