/**
 * Scenario 3: kill -9 at random moments while clients write, restart at once, again and again; then
 * count what never reached the inbox and what reached it twice.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { startBot } from '../support/bot-process.js';
import { Arrivals, botEnv, seedCases, sleep } from './harness.js';

export interface CrashFigures {
  messages: number;
  kills: number;
  lost: number;
  duplicated: number;
}

export async function crashLoop(options: { clients: number; perClient: number; ratePerSecond: number }): Promise<CrashFigures> {
  const fake = await FakeTelegram.start();
  const databasePath = join(mkdtempSync(join(tmpdir(), 'bench-crash-')), 'bot.db');
  const seeded = await seedCases(fake, options.clients, databasePath);
  const env = botEnv(fake, seeded.staffId, databasePath, { OUTGOING_PACING: 'off' });
  let bot = await startBot(env, { timeoutMs: 60_000 });
  const arrivals = new Arrivals(fake, seeded.staffId);

  let writing = true;
  const typing = (async () => {
    const perTick = options.ratePerSecond / 20;
    let carry = 0;
    for (let k = 1; k <= options.perClient; k++) {
      for (const [i, c] of seeded.clients.entries()) {
        arrivals.push(c.user, `crash c${i} m${k}`);
        if (++carry >= perTick) {
          carry = 0;
          await sleep(50);
        }
      }
    }
    writing = false;
  })();

  let kills = 0;
  while (writing) {
    await sleep(500 + Math.random() * 2_000); // a random moment
    if (!writing) break;
    await bot.crash();
    kills++;
    bot = await startBot(env, { timeoutMs: 60_000 });
  }
  await typing;
  await arrivals.allDelivered(120_000);
  await sleep(2_000); // anything doubled would show up by now
  const figures = { messages: arrivals.total, kills, lost: arrivals.lost, duplicated: arrivals.duplicated };
  arrivals.close();
  await bot.stop();
  await fake.stop();
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await crashLoop({ clients: Number(process.env.BENCH_CLIENTS ?? 200), perClient: 10, ratePerSecond: 100 }));
}
