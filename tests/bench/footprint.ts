/**
 * npm run bench — footprint: resident memory of the real bot process with 10,000 known clients and
 * 1,000 open cases, and start-up time with 1,000 content files, against the fake Bot API server.
 * Prints a table and writes the figures to BENCHMARKS.md. (Throughput, limits and crash scenarios of
 * the full benchmark are not written yet; see BENCHMARKS.md.)
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegram } from '../support/fake-telegram/index.js';
import { PROJECT_ROOT, startBot } from '../support/bot-process.js';
import { closeDatabase, openDatabase } from '../../src/db/connection.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { ensureClient } from '../../src/db/clients.js';
import { attachTopic, openCase } from '../../src/inbox/cases.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10_000);
const OPEN_CASES = Number(process.env.BENCH_OPEN_CASES ?? 1_000);
const POSTS = Number(process.env.BENCH_POSTS ?? 1_000);
const SECRET = 'bench-secret-bench-secret-bench-secret-01';

function seedDatabase(path: string): void {
  const db = openDatabase(path);
  const privacy = createPrivacy(SECRET);
  db.$client.transaction(() => {
    for (let i = 0; i < CLIENTS; i++) {
      const id = 5_000_000 + i;
      const key = privacy.clientKey(id);
      ensureClient(db, privacy, key, id);
      if (i < OPEN_CASES) {
        const row = openCase(db, { clientKey: key, topic: 'other', urgent: false, now: Date.now() }).case;
        attachTopic(db, row.id, 100_000 + i);
      }
    }
  })();
  closeDatabase(db);
}

function contentWithPosts(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-content-'));
  cpSync(join(PROJECT_ROOT, 'content'), dir, { recursive: true });
  mkdirSync(join(dir, 'posts', 'bench'), { recursive: true });
  for (let i = 0; i < POSTS; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    writeFileSync(
      join(dir, 'posts', 'bench', `post-${i}.md`),
      `---\nchannel: news\npublish_at: 2031-01-${day} 12:00\nbuttons:\n  - text: Talk\n    consult: true\n---\n**Tip ${i}.** ${'Stay safe, drink water, do not use alone. '.repeat(8)}\n`,
    );
  }
  return dir;
}

async function rssOf(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/process_resident_memory_bytes (\d+)/.exec(text)?.[1] ?? 0);
}

const fake = await FakeTelegram.start();
const staff = fake.createSupergroup({ title: 'Inbox', isForum: true });
fake.createChannel({ title: 'News', username: 'bench_news' });
const dataDir = mkdtempSync(join(tmpdir(), 'bench-db-'));
const databasePath = join(dataDir, 'bot.db');
const seedStart = performance.now();
seedDatabase(databasePath);
const seedMs = performance.now() - seedStart;
const contentDir = contentWithPosts();

const env = {
  BOT_TOKEN: fake.token,
  BOT_SECRET: SECRET,
  TELEGRAM_API_ROOT: fake.apiRoot,
  STAFF_CHAT_ID: String(staff.id),
  CHANNELS: 'news=@bench_news',
  CONTENT_DIR: contentDir,
  DATABASE_PATH: databasePath,
  LOG_LEVEL: 'info',
};
const runs: number[] = [];
let rss = 0;
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  const bot = await startBot(env, { timeoutMs: 60_000 });
  runs.push(performance.now() - started);
  await new Promise((r) => setTimeout(r, 3_000)); // settle: first jobs, queue board
  rss = Math.max(rss, await rssOf(bot.port));
  await bot.stop();
}
await fake.stop();

const startup = runs.sort((a, b) => a - b)[1]!; // median of three
const rows: [string, string, string, string][] = [
  ['Resident memory, 10,000 clients and 1,000 open cases', `${(rss / 1024 / 1024).toFixed(0)} MB`, '< 150 MB', rss < 150 * 1024 * 1024 ? 'met' : 'missed'],
  ['Start-up to polling, 1,000 post files (median of 3, incl. tsx)', `${(startup / 1000).toFixed(2)} s`, '< 2 s', startup < 2000 ? 'met' : 'missed'],
];
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
const table = ['| measure | result | target | |', '|---|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
process.stdout.write(`\nFootprint (seeding the database took ${(seedMs / 1000).toFixed(1)} s)\n${table}\n\nMachine: ${machine}\n`);

const path = join(PROJECT_ROOT, 'BENCHMARKS.md');
const header = '## Footprint';
const section = `${header}\n\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine}, by \`npm run bench\`.\n\n${table}\n`;
let existing = '';
try {
  existing = readFileSync(path, 'utf8');
} catch {
  existing = '';
}
const before = existing.includes(header) ? existing.slice(0, existing.indexOf(header)) : existing;
const after = existing.includes(header) ? existing.slice(existing.indexOf(header)).replace(/^## Footprint[\s\S]*?(?=\n## |$)/, '') : '';
writeFileSync(path, `${before}${section}${after}`);
