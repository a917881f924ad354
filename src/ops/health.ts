import type { Db } from '../db/connection.js';
import { waitingQueue } from '../inbox/cases.js';
import { backlog } from '../relay/index.js';
import type { Scheduler } from '../publishing/scheduler.js';
import type { HealthReport } from './http.js';
import type { Metrics } from './metrics.js';

/** What /healthz reports; also refreshes the gauges /metrics shows. */
export function healthReport(
  db: Db,
  scheduler: Scheduler,
  metrics: Metrics,
  now = Date.now(),
  inboxNames: readonly string[] = [],
  staffGroups?: () => HealthReport['staffGroups'],
): HealthReport {
  let database = { ok: true } as { ok: boolean; detail?: string };
  try {
    db.$client.prepare('SELECT 1').get();
  } catch (error) {
    database = { ok: false, detail: (error as Error).message };
  }
  const telegram =
    metrics.lastTelegramFailure <= metrics.lastTelegramSuccess
      ? { ok: true }
      : { ok: false, detail: `no successful call since ${new Date(metrics.lastTelegramFailure).toISOString()}` };
  const schedulerCheck =
    scheduler.isRunning && now - scheduler.lastPassAt < 15_000
      ? { ok: true }
      : { ok: false, detail: scheduler.isRunning ? 'no publishing pass in the last 15 s' : 'not running' };
  const outbox = database.ok ? backlog(db) : { toInbox: 0, toClients: 0 };
  const queue = database.ok ? waitingQueue(db) : [];
  const oldest = queue.reduce((min, c) => Math.min(min, c.queuedAt), now);
  metrics.backlog.set({ direction: 'to_inbox' }, outbox.toInbox);
  metrics.backlog.set({ direction: 'to_client' }, outbox.toClients);
  metrics.queueLength.set(queue.length);
  metrics.queueOldestWait.set(Math.round((now - oldest) / 1000));
  return {
    ok: database.ok && telegram.ok && schedulerCheck.ok,
    checks: { database, telegram, scheduler: schedulerCheck },
    backlog: outbox,
    queue: { waiting: queue.length, oldestWaitSeconds: Math.round((now - oldest) / 1000) },
    inboxes: database.ok ? perInbox(db, inboxNames, queue) : {},
    // Unsafe group settings are told in the group and shown here; they do not make the bot unhealthy.
    ...(staffGroups ? { staffGroups: staffGroups() } : {}),
  };
}

/** One small grouped query: each inbox has its own Telegram budget, so its backlog is what tells. */
function perInbox(db: Db, names: readonly string[], queue: { row: { inbox: string } }[]): Record<string, { waiting: number; toInbox: number }> {
  const figures: Record<string, { waiting: number; toInbox: number }> = {};
  const of = (name: string) => (figures[name] ??= { waiting: 0, toInbox: 0 });
  for (const name of names) of(name);
  for (const { row } of queue) of(row.inbox).waiting++;
  const rows = db.$client
    .prepare('SELECT cases.inbox AS inbox, count(*) AS n FROM outbox JOIN cases ON cases.id = outbox.case_id WHERE outbox.to_client = 0 GROUP BY cases.inbox')
    .all() as { inbox: string; n: number }[];
  for (const { inbox, n } of rows) of(inbox).toInbox = n;
  return figures;
}
