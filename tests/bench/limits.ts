/**
 * Scenario 2: Telegram-like limits enforced by the fake server (20 messages a minute per group, one a
 * second per private chat, 30 a second overall), with pacing on as in production. More clients write
 * than the inbox's 20 a minute can carry: how close delivery comes to the ceiling, how many calls are
 * refused, and whether every message still arrives exactly once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { startBot } from '../support/bot-process.js';
import { Arrivals, botEnv, seedCases, sleep } from './harness.js';

export interface LimitsFigures {
  minutes: number;
  offeredPerMinute: number;
  inboxMessagesPerMinute: number;
  clientMessagesPerMinute: number;
  calls: number;
  refused: number;
  lost: number;
  duplicated: number;
}

const CREATES_MESSAGES = /^(send(?!ChatAction)|copyMessage|forwardMessage)/;

export async function limits(options: { clients: number; minutes: number; everySeconds: number }): Promise<LimitsFigures> {
  const fake = await FakeTelegram.start();
  const databasePath = join(mkdtempSync(join(tmpdir(), 'bench-limits-')), 'bot.db');
  const seeded = await seedCases(fake, options.clients, databasePath);
  fake.setRateLimits({ groupPerMinute: 20, privatePerSecond: 1, globalPerSecond: 30 });
  const bot = await startBot(botEnv(fake, seeded.staffId, databasePath, { OUTGOING_PACING: 'on' }), { timeoutMs: 60_000 });
  const firstCall = fake.calls.length;
  const arrivals = new Arrivals(fake, seeded.staffId);

  // Each client writes every `everySeconds`, the clients spread evenly over that period.
  const t0 = Date.now();
  const end = t0 + options.minutes * 60_000;
  const sent = seeded.clients.map(() => 0);
  while (Date.now() < end) {
    const elapsed = Date.now() - t0;
    seeded.clients.forEach((c, i) => {
      const due = Math.floor((elapsed + (i * options.everySeconds * 1000) / seeded.clients.length) / (options.everySeconds * 1000)) + 1;
      for (; sent[i]! < due; sent[i]!++) arrivals.push(c.user, `limits c${i} m${sent[i]! + 1}`);
    });
    await sleep(100);
  }
  const inWindow = fake.calls
    .slice(firstCall)
    .filter((c) => c.ok && Number(c.params.chat_id) === seeded.staffId && CREATES_MESSAGES.test(c.method) && c.at >= t0 && c.at < end);
  const deliveredInWindow = arrivals.delivered;
  // Then the backlog drains, still within the limits.
  if (!(await arrivals.allDelivered(options.clients * 4_000 + 60_000))) {
    console.error(`limits: not delivered: ${arrivals.missing().join(', ')}\n${bot.output().split('\n').filter((l) => /"level":[456]0/.test(l)).slice(-10).join('\n')}`);
  }
  await sleep(2_000);
  const calls = fake.calls.slice(firstCall).filter((c) => c.method !== 'getUpdates');
  const figures: LimitsFigures = {
    minutes: options.minutes,
    offeredPerMinute: (options.clients * 60) / options.everySeconds,
    inboxMessagesPerMinute: inWindow.length / options.minutes,
    clientMessagesPerMinute: deliveredInWindow / options.minutes,
    calls: calls.length,
    refused: calls.filter((c) => c.error?.error_code === 429).length,
    lost: arrivals.lost,
    duplicated: arrivals.duplicated,
  };
  arrivals.close();
  await bot.stop();
  await fake.stop();
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await limits({ clients: Number(process.env.BENCH_CLIENTS ?? 30), minutes: Number(process.env.BENCH_MINUTES ?? 2), everySeconds: 30 }));
}
