import { existsSync } from 'node:fs';
import { z } from 'zod';
import { configSchema } from '../config.js';
import { closeDatabase, openDatabase } from '../db/connection.js';
import { purgeAbandonedConversations } from '../db/conversations.js';
import { purgeClosedCases } from '../inbox/cases.js';
import { purgeExpiredBans } from '../inbox/bans.js';

/**
 * npm run purge: the retention purge now (the bot also runs it daily). Closed cases older than
 * RETENTION_DAYS go with their relay mappings; abandoned intakes go; bans older than BAN_DAYS go;
 * anonymous figures stay.
 */
if (existsSync('.env')) process.loadEnvFile('.env');
const shape = configSchema.in.shape;
const parsed = z
  .object({ DATABASE_PATH: shape.DATABASE_PATH, RETENTION_DAYS: shape.RETENTION_DAYS, BAN_DAYS: shape.BAN_DAYS })
  .safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v.trim() !== '')));
if (!parsed.success) {
  for (const issue of parsed.error.issues) process.stderr.write(`${issue.message}\n`);
  process.exit(1);
}
const { DATABASE_PATH, RETENTION_DAYS, BAN_DAYS } = parsed.data;
if (!existsSync(DATABASE_PATH)) {
  process.stderr.write(`DATABASE_PATH ${DATABASE_PATH} does not exist: nothing to purge\n`);
  process.exit(1);
}
const db = openDatabase(DATABASE_PATH);
const cases = purgeClosedCases(db, Date.now(), RETENTION_DAYS);
const conversations = purgeAbandonedConversations(db, Date.now());
const bans = purgeExpiredBans(db, Date.now(), BAN_DAYS);
db.$client.exec('VACUUM'); // rewrite the file so erased pages do not linger
closeDatabase(db);
process.stdout.write(`Purged ${cases} closed case(s) older than ${RETENTION_DAYS} days, ${conversations} abandoned intake(s) and ${bans} ban(s) older than ${BAN_DAYS} days.\n`);
