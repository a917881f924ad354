/**
 * Scenario 5: fairness under Telegram-like limits. One client floods `flood` stickers (nothing to join,
 * each needs its own slot of the inbox's 20 a minute); once the bot has taken them in and the flood has
 * used its share of the minute, a second client writes one message. Measured: how long that message
 * takes to reach its topic, with the fake server refusing like Telegram and the bot pacing as in
 * production.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { startBot } from '../support/bot-process.js';
import { botEnv, seedCases, sleep } from './harness.js';

export interface FairnessFigures {
  flood: number;
  /** Flood messages in the inbox when the second client wrote. */
  floodArrivedBefore: number;
  /** From the second client's update being available to its copy in its topic, ms (NaN: never). */
  secondLatencyMs: number;
  calls: number;
  refused: number;
}

const STICKER = { type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } as const;
const CREATES_MESSAGES = /^(send(?!ChatAction)|copyMessage|forwardMessage)/;

async function waitFor(probe: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) return false;
    await sleep(20);
  }
  return true;
}

export async function fairness(options: { flood: number }): Promise<FairnessFigures> {
  const fake = await FakeTelegram.start();
  const databasePath = join(mkdtempSync(join(tmpdir(), 'bench-fairness-')), 'bot.db');
  const seeded = await seedCases(fake, 2, databasePath);
  const [flooder, second] = seeded.clients as [Seeded, Seeded];
  fake.setRateLimits({ groupPerMinute: 20, privatePerSecond: 1, globalPerSecond: 30 });
  const bot = await startBot(botEnv(fake, seeded.staffId, databasePath, { OUTGOING_PACING: 'on' }), { timeoutMs: 60_000 });
  const firstCall = fake.calls.length;

  let floodArrived = 0;
  let secondArrivedAt: number | undefined;
  const unsubscribe = fake.onCall((call) => {
    if (!call.ok || Number(call.params.chat_id) !== seeded.staffId || !CREATES_MESSAGES.test(call.method)) return;
    const thread = Number(call.params.message_thread_id);
    if (thread === flooder.threadId) floodArrived++;
    if (thread === second.threadId && secondArrivedAt === undefined) secondArrivedAt = performance.now();
  });

  for (let i = 0; i < options.flood; i++) {
    fake.sendMessage(flooder.user, { sticker: { ...STICKER, file_id: `flood${i}`, file_unique_id: `flood${i}u` } });
  }
  // The flood has its first copies in the inbox and the bot has had time to take in every update.
  await waitFor(() => floodArrived > 0, 30_000);
  await sleep(3_000);
  const floodArrivedBefore = floodArrived;
  fake.sendText(second.user, 'hello from the second client');
  const pushedAt = performance.now();
  await waitFor(() => secondArrivedAt !== undefined, 180_000);
  await sleep(1_000);

  unsubscribe();
  const calls = fake.calls.slice(firstCall).filter((c) => c.method !== 'getUpdates');
  const figures: FairnessFigures = {
    flood: options.flood,
    floodArrivedBefore,
    secondLatencyMs: secondArrivedAt === undefined ? Number.NaN : secondArrivedAt - pushedAt,
    calls: calls.length,
    refused: calls.filter((c) => c.error?.error_code === 429).length,
  };
  await bot.stop();
  await fake.stop();
  return figures;
}

type Seeded = Awaited<ReturnType<typeof seedCases>>['clients'][number];

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await fairness({ flood: Number(process.env.BENCH_FLOOD ?? 1_000) }));
}
