import type { Db } from '../db/connection.js';
import type { Logger } from '../logger.js';
import type { Privacy } from '../privacy/keys.js';
import { sealLegacyConversations } from '../db/conversations.js';
import { sealLegacyJournal } from './journaled-runner.js';
import { installRowIntegrity, stampLegacyRows } from '../db/row-integrity.js';

/**
 * Upgrade from a version that wrote raw updates and conversation state in clear: seals those rows in
 * place (so pending updates are still replayed and intakes under way go on), then folds the WAL back
 * into the file so the old page images with the clear text go too; secure_delete has already zeroed
 * the old cells in the file. Runs at every start; it finds nothing after the first.
 *
 * It also installs row integrity on the connection (before anything else writes) and, once, binds
 * the rows an earlier version wrote without it: chat refs sealed again (fixed width, bound to their
 * row) and MACs stamped on cases, outbox rows and queued deletions (src/db/row-integrity.ts).
 */
export function sealLegacyRows(db: Db, privacy: Privacy, logger: Logger): void {
  installRowIntegrity(db, privacy, logger);
  const stamped = stampLegacyRows(db, privacy);
  if (stamped.rows + stamped.chatRefs > 0) {
    logger.warn(stamped, 'rows written before row integrity were bound to their rows: expected once, at the upgrade; at any other start the database was written without the bot');
  }
  const journal = sealLegacyJournal(db, privacy.journal);
  const conversations = sealLegacyConversations(db, privacy.conversations);
  if (journal + conversations + stamped.chatRefs === 0) return;
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  logger.info({ journal, conversations }, 'sealed rows an earlier version wrote in clear');
}
