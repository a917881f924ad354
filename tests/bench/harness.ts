/** Shared parts of `npm run bench`: seeding, the processes under test, timing arrivals in the inbox. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { closeDatabase, openDatabase } from '../../src/db/connection.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { ensureClient } from '../../src/db/clients.js';
import { attachTopic, claimCase, openCase } from '../../src/inbox/cases.js';

export const SECRET = 'bench-secret-bench-secret-bench-secret-01';
type User = ReturnType<FakeTelegram['createUser']>;

export interface Seeded {
  staffId: number;
  clients: { user: User; threadId: number }[];
}

async function createTopic(fake: FakeTelegram, chatId: number, name: string): Promise<number> {
  const res = await fetch(`${fake.apiRoot}/bot${fake.token}/createForumTopic`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chat_id: chatId, name }),
  });
  const body = (await res.json()) as { ok: boolean; result: { message_thread_id: number } };
  if (!body.ok) throw new Error(`createForumTopic failed: ${JSON.stringify(body)}`);
  return body.result.message_thread_id;
}

/**
 * A forum inbox with `count` clients, each with an open case (taken by a consultant) and its topic.
 * With `databasePath`, the bot's database is seeded to match (what the bot would have after intakes).
 */
export async function seedCases(fake: FakeTelegram, count: number, databasePath?: string): Promise<Seeded> {
  const consultant = fake.createUser({ first_name: 'Consultant' });
  const staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [consultant] });
  const clients: Seeded['clients'] = [];
  for (let i = 0; i < count; i++) {
    const user = fake.createUser({ first_name: `Client${i}`, language_code: 'ru' });
    clients.push({ user, threadId: await createTopic(fake, staff.id, `Client ${i}`) });
  }
  if (databasePath) {
    const db = openDatabase(databasePath);
    const privacy = createPrivacy(SECRET);
    const now = Date.now();
    db.$client.transaction(() => {
      for (const { user, threadId } of clients) {
        const key = privacy.clientKey(user.id);
        ensureClient(db, privacy, key, user.id);
        const row = openCase(db, { clientKey: key, topic: 'substances', inbox: 'main', urgent: false, now }).case;
        attachTopic(db, row.id, staff.id, threadId);
        claimCase(db, row.id, consultant.id, now);
      }
    })();
    closeDatabase(db);
  }
  return { staffId: staff.id, clients };
}

export function botEnv(fake: FakeTelegram, staffId: number, databasePath: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    BOT_TOKEN: fake.token,
    BOT_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    STAFF_CHAT_ID: String(staffId),
    DATABASE_PATH: databasePath,
    DEFAULT_LANGUAGE: 'ru',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** The bare grammY relay (tests/bench/bare-relay.ts) as its own process, like the bot. */
export async function startBareRelay(fake: FakeTelegram, seeded: Seeded): Promise<{ child: ChildProcess; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bare-'));
  const topicsFile = join(dir, 'topics.json');
  writeFileSync(topicsFile, JSON.stringify(seeded.clients.map((c) => [c.user.id, c.threadId])));
  const loader = pathToFileURL(join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const child = spawn(process.execPath, ['--import', loader, join(PROJECT_ROOT, 'tests', 'bench', 'bare-relay.ts')], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, STAFF_CHAT_ID: String(seeded.staffId), TOPICS_FILE: topicsFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bare relay did not start:\n${output}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('bare relay started')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The highest resident memory the process has had (VmHWM), in bytes. */
export function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

export function fileSize(...paths: string[]): number {
  return paths.reduce((sum, path) => {
    try {
      return sum + statSync(path).size;
    } catch {
      return sum;
    }
  }, 0);
}

/**
 * Times client messages from the moment the update is available (pushed to the fake server) until
 * their copy reaches the inbox (the fake answers the copy), counting each part of a joined message,
 * and notices what never arrived or arrived twice.
 */
export class Arrivals {
  private readonly pushed = new Map<string, { text: string; at: number }>();
  private readonly pushedAt = new Map<string, number>();
  private readonly arrived = new Map<string, number[]>();
  /** Messages the relay created in the inbox (each Telegram call that makes one). */
  inboxCalls = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly fake: FakeTelegram,
    private readonly staffId: number,
  ) {
    this.unsubscribe = fake.onCall((call) => {
      if (!call.ok || Number(call.params.chat_id) !== staffId) return;
      const now = performance.now();
      let texts: string[] = [];
      if (call.method === 'copyMessage') {
        const source = this.pushed.get(`${String(call.params.from_chat_id)}:${String(call.params.message_id)}`);
        if (source) texts = [source.text];
      } else if (call.method === 'sendMessage') {
        texts = String(call.params.text).split('\n\n').filter((t) => this.pushedAt.has(t));
      }
      if (texts.length === 0) return;
      this.inboxCalls++;
      for (const text of texts) {
        const list = this.arrived.get(text) ?? [];
        list.push(now);
        this.arrived.set(text, list);
      }
    });
  }

  push(user: User, text: string): void {
    const message = this.fake.sendText(user, text);
    const at = performance.now();
    this.pushed.set(`${user.id}:${message.message_id}`, { text, at });
    this.pushedAt.set(text, at);
  }

  get total(): number {
    return this.pushedAt.size;
  }

  get delivered(): number {
    return this.arrived.size;
  }

  get lost(): number {
    return this.total - this.delivered;
  }

  get duplicated(): number {
    return [...this.arrived.values()].reduce((sum, list) => sum + list.length - 1, 0);
  }

  /** A few of the messages that have not arrived (for diagnostics). */
  missing(count = 5): string[] {
    return [...this.pushedAt.keys()].filter((text) => !this.arrived.has(text)).slice(0, count);
  }

  /** Latency of each delivered message (first arrival − push), ms. */
  latencies(): number[] {
    return [...this.arrived].map(([text, list]) => list[0]! - this.pushedAt.get(text)!);
  }

  lastArrival(): number {
    return Math.max(...[...this.arrived.values()].map((list) => list[0]!));
  }

  async allDelivered(timeoutMs: number): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (this.delivered < this.total) {
      if (Date.now() > end) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
    return true;
  }

  close(): void {
    this.unsubscribe();
  }
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const mb = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KB` : `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
