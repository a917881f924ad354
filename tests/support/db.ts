import { openDatabase, type Db } from '../../src/db/connection.js';

/** A fresh in-memory database with the real migrations applied. */
export function memoryDb(): Db {
  return openDatabase(':memory:');
}
