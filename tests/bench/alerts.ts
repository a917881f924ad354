/**
 * Scenario 11: one drug alert to every subscriber, under Telegram-like limits, the bot pacing as in
 * production. Measured: the time to finish against the floor set by the overall limit (subscribers /
 * limit), doubles and misses across a kill -9 in the middle, and how long a client's consultation message
 * takes to reach its topic while the broadcast runs, against the same without it.
 *
 * Time-scaled: the fake server's overall limit and the bot's (OUTGOING_GLOBAL_PER_SECOND) are `scale`
 * times Telegram's 30 a second, so 10,000 subscribers take about a tenth of the real time; the figures
 * are also given unscaled (the rate achieved divided by the scale). The per-chat limits (1 a second in a
 * private chat, 20 a minute in a group) are not scaled: a consultation competes as it would.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { closeDatabase, openDatabase } from '../../src/db/connection.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { Subscriptions } from '../../src/alerts/subscriptions.js';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { botEnv, SECRET, seedCases, sleep } from './harness.js';

export interface AlertFigures {
  subscribers: number;
  scale: number;
  /** From the approval to the last subscriber's message, ms (including a restart when killed). */
  finishMs: number;
  /** Messages a second the broadcast achieved (scaled). */
  perSecond: number;
  doubled: number;
  missed: number;
  /** What the bot's figures call uncertain (on their way at the kill: never sent again). */
  uncertain: number;
  kills: number;
  /** A consultation message → its topic, ms: without a broadcast, and during it. */
  calm: number[];
  during: number[];
  refused: number;
  calls: number;
}

const median = (xs: number[]) => (xs.length === 0 ? Number.NaN : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);
export const p50 = median;

async function waitFor(probe: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) return false;
    await sleep(20);
  }
  return true;
}

export async function alertBroadcast(options: { subscribers: number; scale: number; kill: boolean; consultations: number }): Promise<AlertFigures> {
  const fake = await FakeTelegram.start();
  const databasePath = join(mkdtempSync(join(tmpdir(), 'bench-alerts-')), 'bot.db');
  const seeded = await seedCases(fake, 1, databasePath);
  const client = seeded.clients[0]!;
  const consultant = fake.createUser({ first_name: 'Drafter' });
  fake.setMemberStatus(seeded.staffId, consultant, 'member');
  const users = Array.from({ length: options.subscribers }, (_, i) => fake.createUser({ first_name: `Sub${i}`, language_code: i % 3 === 0 ? 'kk' : i % 3 === 1 ? 'ru' : 'en' }));
  {
    const db = openDatabase(databasePath);
    const privacy = createPrivacy(SECRET);
    const subscriptions = new Subscriptions(db, privacy);
    db.$client.transaction(() => {
      for (const [i, u] of users.entries()) subscriptions.set(privacy.clientKey(u.id), u.id, ['north'], ['kk', 'ru', 'en'][i % 3]!, Date.now());
    })();
    closeDatabase(db);
  }
  const global = 30 * options.scale;
  fake.setRateLimits({ groupPerMinute: 20, privatePerSecond: 1, globalPerSecond: global });
  const env = botEnv(fake, seeded.staffId, databasePath, { OUTGOING_PACING: 'on', OUTGOING_GLOBAL_PER_SECOND: String(global), ALERT_APPROVALS: '1' });
  let bot: BotProcess = await startBot(env, { timeoutMs: 60_000 });
  const firstCall = fake.calls.length;

  const received = new Map<number, number>();
  let last = 0;
  let approvedAt = 0;
  let finished = false;
  const arrivals: number[] = [];
  const unsubscribe = fake.onCall((call) => {
    if (!call.ok) return;
    const chat = Number(call.params.chat_id);
    if (call.method === 'sendMessage' && chat > 0 && String(call.params.text).includes('BENCHALERT')) {
      received.set(chat, (received.get(chat) ?? 0) + 1);
      last = performance.now();
    }
    if (chat === seeded.staffId && call.method === 'sendMessage' && String(call.params.text).startsWith('📣')) approvedAt ||= performance.now();
    if (chat === seeded.staffId && call.method === 'sendMessage' && String(call.params.text).startsWith('✅')) finished = true;
    if (chat === seeded.staffId && call.method === 'copyMessage' && Number(call.params.message_thread_id) === client.threadId) arrivals.push(performance.now());
  });

  /** A client's message → its copy in the topic, ms. */
  const consult = async (n: number): Promise<number> => {
    const before = arrivals.length;
    const at = performance.now();
    fake.sendText(client.user, `consultation message ${n}`);
    await waitFor(() => arrivals.length > before, 60_000);
    return (arrivals[before] ?? Number.NaN) - at;
  };

  const calm: number[] = [];
  for (let i = 0; i < options.consultations; i++) {
    calm.push(await consult(i));
    await sleep(3_500); // within the group's 20 a minute
  }

  fake.sendText(consultant, ['/alert', 'regions: north', 'severity: high', 'substance: BENCHALERT', 'effects: bench', 'expires: 6h'].join('\n'), { chatId: seeded.staffId });
  await waitFor(() => approvedAt > 0, 30_000);
  const during: number[] = [];
  let kills = 0;
  const half = options.subscribers / 2;
  const measuring = (async () => {
    await waitFor(() => received.size > options.subscribers / 10, 120_000);
    for (let i = 0; i < options.consultations && received.size < options.subscribers * 0.95; i++) {
      during.push(await consult(100 + i));
      await sleep(3_500);
    }
  })();
  if (options.kill) {
    await waitFor(() => received.size >= half, 600_000);
    await bot.crash();
    kills++;
    bot = await startBot(env, { timeoutMs: 60_000 });
  }
  // The bot tells the chat once every subscriber is settled (sent, or uncertain after the kill).
  await waitFor(() => finished, 1_200_000);
  await measuring;
  await sleep(2_000); // a double would show by now
  unsubscribe();
  const uncertain = options.subscribers - received.size;
  const calls = fake.calls.slice(firstCall).filter((c) => c.method !== 'getUpdates');
  const figures: AlertFigures = {
    subscribers: options.subscribers,
    scale: options.scale,
    finishMs: last - approvedAt,
    perSecond: received.size / ((last - approvedAt) / 1000),
    doubled: [...received.values()].filter((n) => n > 1).length,
    missed: uncertain,
    uncertain,
    kills,
    calm,
    during,
    refused: calls.filter((c) => c.error?.error_code === 429).length,
    calls: calls.length,
  };
  await bot.stop();
  await fake.stop();
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await alertBroadcast({ subscribers: Number(process.env.BENCH_SUBSCRIBERS ?? 10_000), scale: Number(process.env.BENCH_ALERT_SCALE ?? 10), kill: process.env.BENCH_KILL === '1', consultations: 4 }));
}
