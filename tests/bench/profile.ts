/**
 * npm run bench:profile: a CPU profile of the bot relaying 10,000 messages from 1,000 clients at once
 * (as in the throughput scenario), printed as the share of time spent in each of the bot's and
 * grammY's functions (inclusive). For finding where the time goes, not for figures.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { startBot } from '../support/bot-process.js';
import { Arrivals, botEnv, seedCases } from './harness.js';
const fake = await FakeTelegram.start();
const databasePath = join(mkdtempSync(join(tmpdir(), 'prof-')), 'bot.db');
const seeded = await seedCases(fake, 1000, databasePath);
const profDir = mkdtempSync(join(tmpdir(), 'cpuprof-'));
const bot = await startBot(botEnv(fake, seeded.staffId, databasePath, { OUTGOING_PACING: 'off' }), { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] });
const a = new Arrivals(fake, seeded.staffId);
for (let k = 1; k <= 10; k++) for (const [i, c] of seeded.clients.entries()) a.push(c.user, `c${i} m${k}`);
await a.allDelivered(120000);
await bot.stop(); await fake.stop();
const prof = JSON.parse(readFileSync(join(profDir, readdirSync(profDir)[0]!), 'utf8')) as { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number; children?: number[] }[] };
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: { callFrame: { functionName: string; url: string; lineNumber: number } }) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*node_modules\//, 'nm/').replace(/.*\/dist\//, 'dist/')}:${n.callFrame.lineNumber}`;
let total = 0; for (const n of prof.nodes) total += n.hitCount;
// inclusive time for dist/ functions
const incl = new Map<string, number>();
for (const n of prof.nodes) {
  if (!n.hitCount) continue;
  const seen = new Set<string>();
  for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
    const m = byId.get(id)!; const l = label(m);
    if ((m.callFrame.url.includes('/dist/') || m.callFrame.url.includes('node_modules/')) && !seen.has(l)) { seen.add(l); incl.set(l, (incl.get(l) ?? 0) + n.hitCount); }
  }
}
console.log('total', total);
for (const [k, v] of [...incl].filter(([k]) => k.includes('dist/') || k.includes('nm/grammy') || k.includes('nm/@grammyjs')).sort((x, y) => y[1] - x[1]).slice(0, 45)) console.log((100 * v / total).toFixed(1).padStart(5), k);
