import type { Db } from './connection.js';

const cache = new WeakMap<Db, Map<string, unknown>>();

/**
 * A query built by drizzle and compiled by SQLite once per database, then reused with placeholders.
 * For the queries that run on every update and every relayed message: building and preparing them
 * each time costs more than running them.
 */
export function prepared<T>(db: Db, name: string, build: (db: Db) => T): T {
  let ofDb = cache.get(db);
  if (!ofDb) cache.set(db, (ofDb = new Map()));
  let statement = ofDb.get(name) as T | undefined;
  if (statement === undefined) ofDb.set(name, (statement = build(db)));
  return statement;
}
