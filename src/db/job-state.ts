import { eq } from 'drizzle-orm';
import type { Db } from './connection.js';
import { jobState } from './schema.js';

/**
 * Small persistent state of background jobs (the scheduler's last tick, the queue board's message, the
 * lockdown): shared by the relay, the inbox and publishing, so it lives here, below all of them.
 */
export function getJobState(db: Db, key: string): string | undefined {
  return db.select().from(jobState).where(eq(jobState.key, key)).get()?.value;
}

export function setJobState(db: Db, key: string, value: string): void {
  db.insert(jobState).values({ key, value }).onConflictDoUpdate({ target: jobState.key, set: { value } }).run();
}
