import { chmodSync, existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { configSchema } from '../config.js';
import { createOwnerOnlyFile } from '../db/file-modes.js';

/**
 * npm run backup -- FILE: a consistent copy of the live database through SQLite's online backup,
 * safe while the bot runs. The copy is as anonymous as the original: without BOT_SECRET it links to
 * nobody, so keep the secret somewhere else than the backups. The copy is created owner-only (0600)
 * before a byte goes into it; SQLite gives its temporary journal the same mode.
 */
if (existsSync('.env')) process.loadEnvFile('.env');
const target = process.argv[2];
if (!target) {
  process.stderr.write('Usage: npm run backup -- FILE   (e.g. npm run backup -- backups/bot-2026-11-23.db)\n');
  process.exit(1);
}
const { DATABASE_PATH } = z.object({ DATABASE_PATH: configSchema.in.shape.DATABASE_PATH }).parse({
  DATABASE_PATH: process.env.DATABASE_PATH || undefined,
});
if (!existsSync(DATABASE_PATH)) {
  process.stderr.write(`DATABASE_PATH ${DATABASE_PATH} does not exist: nothing to back up\n`);
  process.exit(1);
}
if (!createOwnerOnlyFile(target)) {
  process.stderr.write(`${target} already exists: choose a new file name, backups are never overwritten\n`);
  process.exit(1);
}
const db = new Database(DATABASE_PATH, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
try {
  const result = await db.backup(target);
  chmodSync(target, 0o600); // in case the file system ignored the mode at creation
  process.stdout.write(`Backed up ${DATABASE_PATH} to ${resolve(target)} (${result.totalPages} pages)\n`);
} catch (error) {
  rmSync(target, { force: true }); // no half copy left behind
  throw error;
} finally {
  db.close();
}
