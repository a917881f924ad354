import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';
import { secureDatabaseFiles } from './file-modes.js';
import type { Logger } from '../logger.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Resolved from this module, not the working directory, so `npm start` works from anywhere. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Opens (creating if needed) the SQLite database with the pragmas the service relies on, and applies
 * pending migrations. `path` may be ':memory:' for tests. The folder and files are made owner-only
 * first: the database holds sealed data, but its existence and size are nobody else's business.
 */
export function openDatabase(path: string, options: { migrate?: boolean; logger?: Logger } = {}): Db {
  if (path !== ':memory:') {
    const { tightened, sharedFolder } = secureDatabaseFiles(path);
    if (tightened.length > 0) options.logger?.warn({ tightened }, 'made the database files owner-only: they were open to other users');
    if (sharedFolder) {
      options.logger?.warn('the folder of DATABASE_PATH is open to other users and holds other files; left as it is: give the database a folder of its own (chmod 700)');
    }
  }
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Erased rows are overwritten with zeros instead of lingering in free pages of the file (and the WAL).
  sqlite.pragma('secure_delete = ON');
  // Sorts, temporary indexes and VACUUM's copy of the database stay in memory, not in files outside the data folder.
  sqlite.pragma('temp_store = MEMORY');
  // A -wal left by a crash (or by an earlier version, which journaled updates in clear) still holds
  // old page images of deleted rows: fold it into the file, where secure_delete has zeroed them.
  if (path !== ':memory:') sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const db = drizzle(sqlite, { schema });
  if (options.migrate !== false) migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return db;
}

export function closeDatabase(db: Db): void {
  if (!db.$client.open) return;
  // Fold the WAL back into the main file so no erased data stays in a -wal file beside it.
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.close();
}
