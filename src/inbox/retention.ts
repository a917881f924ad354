import { foldWal, purgeIdleClients } from '../db/clients.js';
import type { Db } from '../db/connection.js';
import { purgeAbandonedConversations } from '../db/conversations.js';
import { purgeOldTraces } from '../db/traces.js';
import { CHAT_REF_BINDING, type Privacy } from '../privacy/keys.js';
import { purgeExpiredBans } from './bans.js';
import { purgeClosedCases } from './cases.js';
import { purgeOldCheckins } from './care.js';
import { purgePickupCounts, scrubOldCodes } from './referral-codes.js';
import type { DeletionRun, Erasure } from './erasure.js';
import type { Inboxes } from './inboxes.js';

export interface RetentionDeps {
  db: Db;
  erasure: Erasure;
  privacy: Privacy;
  /** Where each case's topic is: its inbox's chat. */
  inboxes: Pick<Inboxes, 'chatOf'>;
  retentionDays: number;
  banDays: number;
  /** PICKUP_PERIOD_DAYS: pick-up counts older than this go. */
  pickupPeriodDays?: number;
}

export interface PurgeReport {
  cases: number;
  clients: number;
  conversations: number;
  /** Bans older than BAN_DAYS, lifted. */
  bans: number;
  deletions: DeletionRun;
}

/**
 * The retention purge (daily in the bot, and `npm run purge`): closed cases older than RETENTION_DAYS go
 * with their relay mappings, and their topics are deleted from their inbox's chat and the client's chat;
 * clients with no case and no contact for as long go; bans older than BAN_DAYS go; abandoned intakes go; deletions that failed before
 * are tried again. The database rows go even when Telegram refuses a deletion (it stays queued).
 */
export async function purgeExpired(deps: RetentionDeps, now: number): Promise<PurgeReport> {
  const { db, privacy, retentionDays } = deps;
  const cases = purgeClosedCases(db, now, retentionDays, (teamChatId) => privacy.encryptChatId(teamChatId, CHAT_REF_BINDING.deletion));
  const clients = purgeIdleClients(db, new Date(now), retentionDays);
  const conversations = purgeAbandonedConversations(db, now);
  const bans = purgeExpiredBans(db, now, deps.banDays);
  purgeOldTraces(db, now);
  purgeOldCheckins(db, now);
  scrubOldCodes(db, now, retentionDays);
  if (deps.pickupPeriodDays !== undefined) purgePickupCounts(db, now, deps.pickupPeriodDays);
  foldWal(db); // the purged rows' old pages leave the WAL too
  const deletions = await deps.erasure.runPending();
  return { cases, clients, conversations, bans, deletions };
}
