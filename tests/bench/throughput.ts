/**
 * Scenario 1: throughput and latency of the relay, the real bot against a bare grammY relay, each
 * as its own process against its own fake Bot API server without limits (OUTGOING_PACING=off).
 *  - saturation: every client's messages are available at once; messages relayed per second;
 *  - steady load: messages arrive at a fixed rate below both capacities; latency from the update
 *    being available to the copy reaching the inbox (p50/p95/p99).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { startBot } from '../support/bot-process.js';
import { Arrivals, botEnv, fileSize, peakRss, percentile, seedCases, sleep, startBareRelay, type Seeded } from './harness.js';

export interface RelayFigures {
  perSecond: number;
  inboxCalls: number;
  messages: number;
  p50: number;
  p95: number;
  p99: number;
  peakRss: number;
  databaseBytes?: number;
  lost: number;
  duplicated: number;
}

export interface ThroughputOptions {
  clients: number;
  perClient: number;
  /** Messages per second offered in the steady-load phase. */
  steadyRate: number;
}

/** Every client's k-th message before anyone's (k+1)-th: many conversations at once, as in real life. */
function roundRobin(seeded: Seeded, perClient: number, tag: string): { user: Seeded['clients'][number]['user']; text: string }[] {
  const out = [];
  for (let k = 1; k <= perClient; k++) for (const [i, c] of seeded.clients.entries()) out.push({ user: c.user, text: `${tag} c${i} m${k}` });
  return out;
}

async function measure(kind: 'bot' | 'bare', options: ThroughputOptions): Promise<RelayFigures> {
  const fake = await FakeTelegram.start();
  const databasePath = join(mkdtempSync(join(tmpdir(), 'bench-relay-')), 'bot.db');
  const seeded = await seedCases(fake, options.clients, kind === 'bot' ? databasePath : undefined);
  const subject =
    kind === 'bot'
      ? await startBot(botEnv(fake, seeded.staffId, databasePath, { OUTGOING_PACING: 'off' }), { timeoutMs: 60_000 })
      : await startBareRelay(fake, seeded);
  const pid = subject.child.pid!;
  const delivered = async (arrivals: Arrivals) => {
    if (!(await arrivals.allDelivered(Number(process.env.BENCH_TIMEOUT_MS ?? 300_000))) && 'output' in subject) {
      console.error(`${kind}: ${arrivals.lost} of ${arrivals.total} not delivered (${arrivals.missing().join(', ')}); the process said:\n${subject.output().split('\n').slice(-40).join('\n')}`);
    }
  };

  // Saturation.
  const burst = new Arrivals(fake, seeded.staffId);
  const started = performance.now();
  for (const { user, text } of roundRobin(seeded, options.perClient, 'sat')) burst.push(user, text);
  await delivered(burst);
  const perSecond = burst.delivered / ((burst.lastArrival() - started) / 1000);
  burst.close();
  await sleep(1_000);

  // Steady load, in 10 ms ticks.
  const steady = new Arrivals(fake, seeded.staffId);
  const messages = roundRobin(seeded, options.perClient, 'steady');
  const perTick = options.steadyRate / 100;
  const t0 = performance.now();
  let next = 0;
  while (next < messages.length) {
    const due = Math.min(messages.length, Math.floor(((performance.now() - t0) / 10 + 1) * perTick));
    for (; next < due; next++) steady.push(messages[next]!.user, messages[next]!.text);
    await sleep(10);
  }
  await delivered(steady);
  await sleep(1_000); // anything doubled would show up by now
  const latencies = steady.latencies();
  const figures: RelayFigures = {
    perSecond,
    inboxCalls: burst.inboxCalls,
    messages: burst.total,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    peakRss: peakRss(pid),
    lost: burst.lost + steady.lost,
    duplicated: burst.duplicated + steady.duplicated,
  };
  steady.close();
  await subject.stop();
  if (kind === 'bot') figures.databaseBytes = fileSize(databasePath, `${databasePath}-wal`);
  await fake.stop();
  return figures;
}

export async function throughput(options: ThroughputOptions): Promise<{ bot: RelayFigures; bare: RelayFigures }> {
  const bare = await measure('bare', options);
  const bot = await measure('bot', options);
  return { bot, bare };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await throughput({
    clients: Number(process.env.BENCH_CLIENTS ?? 100),
    perClient: Number(process.env.BENCH_PER_CLIENT ?? 10),
    steadyRate: Number(process.env.BENCH_RATE ?? 200),
  });
  console.log(JSON.stringify(result, null, 2));
}
