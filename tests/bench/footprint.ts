/**
 * Scenario 4: footprint. Resident memory of the real bot process with 10,000 known clients and 1,000
 * open cases (and, for comparison, with none), and start-up time with 1,000 post files.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { PROJECT_ROOT, startBot } from '../support/bot-process.js';
import { closeDatabase, openDatabase } from '../../src/db/connection.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { ensureClient } from '../../src/db/clients.js';
import { attachTopic, openCase } from '../../src/inbox/cases.js';

import { SECRET } from './harness.js';

export interface FootprintOptions {
  clients: number;
  openCases: number;
  posts: number;
}

export interface FootprintFigures {
  rss: number;
  baselineRss: number;
  startupMs: number;
}

function seedDatabase(path: string, staffChatId: number, { clients: CLIENTS, openCases: OPEN_CASES }: FootprintOptions): void {
  const db = openDatabase(path);
  const privacy = createPrivacy(SECRET);
  db.$client.transaction(() => {
    for (let i = 0; i < CLIENTS; i++) {
      const id = 5_000_000 + i;
      const key = privacy.clientKey(id);
      ensureClient(db, privacy, key, id);
      if (i < OPEN_CASES) {
        const row = openCase(db, { clientKey: key, topic: 'other', inbox: 'main', urgent: false, now: Date.now() }).case;
        attachTopic(db, row.id, staffChatId, 100_000 + i);
      }
    }
  })();
  closeDatabase(db);
}

function contentWithPosts(POSTS: number): string {
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

export async function footprint(options: FootprintOptions): Promise<FootprintFigures> {
  const fake = await FakeTelegram.start();
  const staff = fake.createSupergroup({ title: 'Inbox', isForum: true });
  fake.createChannel({ title: 'News', username: 'bench_news' });
  const measure = async (seed: boolean): Promise<{ rss: number; startups: number[] }> => {
    const databasePath = join(mkdtempSync(join(tmpdir(), 'bench-db-')), 'bot.db');
    if (seed) seedDatabase(databasePath, staff.id, options);
    const env = {
      BOT_TOKEN: fake.token,
      BOT_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      STAFF_CHAT_ID: String(staff.id),
      CHANNELS: 'news=@bench_news',
      CONTENT_DIR: seed ? contentWithPosts(options.posts) : join(PROJECT_ROOT, 'content'),
      DATABASE_PATH: databasePath,
      LOG_LEVEL: 'info',
    };
    const startups: number[] = [];
    let rss = 0;
    for (let i = 0; i < (seed ? 3 : 1); i++) {
      const started = performance.now();
      const bot = await startBot(env, { timeoutMs: 60_000 });
      startups.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 3_000)); // settle: first jobs, queue board
      rss = Math.max(rss, await rssOf(bot.port));
      await bot.stop();
    }
    return { rss, startups };
  };
  const baseline = await measure(false);
  const loaded = await measure(true);
  await fake.stop();
  return { rss: loaded.rss, baselineRss: baseline.rss, startupMs: loaded.startups.sort((a, b) => a - b)[1]! };
}
