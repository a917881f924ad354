import { existsSync } from 'node:fs';
import { z } from 'zod';
import { configSchema } from '../config.js';
import { closeDatabase, openDatabase } from '../db/connection.js';
import { purgeAbandonedConversations } from '../db/conversations.js';
import { purgeClosedCases } from '../inbox/cases.js';

/**
 * npm run purge: the retention purge now (the bot also runs it daily). Closed cases older than
 * RETENTION_DAYS go with their relay mappings; abandoned intakes go; anonymous figures stay.
 */
if (existsSync('.env')) process.loadEnvFile('.env');
const shape = configSchema.in.shape;
const parsed = z
  .object({ DATABASE_PATH: shape.DATABASE_PATH, RETENTION_DAYS: shape.RETENTION_DAYS })
  .safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v.trim() !== '')));
if (!parsed.success) {
  for (const issue of parsed.error.issues) process.stderr.write(`${issue.message}\n`);
  process.exit(1);
}
const { DATABASE_PATH, RETENTION_DAYS } = parsed.data;
if (!existsSync(DATABASE_PATH)) {
  process.stderr.write(`DATABASE_PATH ${DATABASE_PATH} does not exist: nothing to purge\n`);
  process.exit(1);
}
const db = openDatabase(DATABASE_PATH);
const cases = purgeClosedCases(db, Date.now(), RETENTION_DAYS);
const conversations = purgeAbandonedConversations(db, Date.now());
db.$client.exec('VACUUM'); // rewrite the file so erased pages do not linger
closeDatabase(db);
process.stdout.write(`Purged ${cases} closed case(s) older than ${RETENTION_DAYS} days and ${conversations} abandoned intake(s).\n`);
