import type { Db } from '../db/connection.js';
import type { Logger } from '../logger.js';
import type { Privacy } from '../privacy/keys.js';
import { sealLegacyConversations } from '../bot/conversations/storage.js';
import { sealLegacyJournal } from './journaled-runner.js';

/**
 * Upgrade from a version that wrote raw updates and conversation state in clear: seals those rows in
 * place (so pending updates are still replayed and intakes under way go on), then folds the WAL back
 * into the file so the old page images with the clear text go too; secure_delete has already zeroed
 * the old cells in the file. Runs at every start; it finds nothing after the first.
 */
export function sealLegacyRows(db: Db, privacy: Privacy, logger: Logger): void {
  const journal = sealLegacyJournal(db, privacy.journal);
  const conversations = sealLegacyConversations(db, privacy.conversations);
  if (journal + conversations === 0) return;
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  logger.info({ journal, conversations }, 'sealed rows an earlier version wrote in clear');
}
