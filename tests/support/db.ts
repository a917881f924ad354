import { openDatabase, type Db } from '../../src/db/connection.js';
import { installRowIntegrity } from '../../src/db/row-integrity.js';
import type { Privacy } from '../../src/privacy/keys.js';

/**
 * A fresh in-memory database with the real migrations applied; with `privacy`, row integrity is
 * installed as the bot does at start (needed wherever the relay or the erasure reads rows).
 */
export function memoryDb(privacy?: Privacy): Db {
  const db = openDatabase(':memory:');
  if (privacy) installRowIntegrity(db, privacy);
  return db;
}
