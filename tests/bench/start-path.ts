/**
 * Start-up of `npm start`: from the command to "bot started" (long polling), and the peak memory of
 * every process it runs together (npm, the shell, node, esbuild when it rebuilds: the sum of their
 * proportional set sizes), sampled every 10 ms from /proc. Warm: dist/ matches src/ (every restart by a supervisor). Cold: the sources changed
 * (after a `git pull`), so dist/ is transpiled again first.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { SECRET } from './harness.js';

export interface StartFigures {
  /** Medians over the runs. */
  ms: number;
  /** Peak of the sum of proportional set sizes. */
  peakBytes: number;
  /** Peak of the sum of resident set sizes (counts shared pages, such as the node binary, once per process). */
  peakRssBytes: number;
}

/** The pids of a process and all its descendants, from /proc (Linux). */
function tree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  const found = [root];
  for (let i = 0; i < found.length; i++) for (const [pid, parent] of parents) if (parent === found[i]) found.push(pid);
  return found;
}

/**
 * A process's proportional set size: its private memory plus its share of pages it shares with others
 * (npm and the bot map the same node binary; plain RSS would count those pages once per process).
 */
function memoryOf(pid: number): { pss: number; rss: number } {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { pss: kb('Pss'), rss: kb('Rss') };
  } catch {
    return { pss: 0, rss: 0 };
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function once(command: string, args: string[], stale: boolean): Promise<StartFigures> {
  const fake = await FakeTelegram.start();
  const staff = fake.createSupergroup({ title: 'Inbox', isForum: true });
  const dir = mkdtempSync(join(tmpdir(), 'bench-start-'));
  if (stale) writeFileSync(join(PROJECT_ROOT, 'dist', '.sources'), 'stale'); // as after a git pull
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    detached: true, // its own process group: stopped as a whole below
    env: {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir,
      BOT_TOKEN: fake.token, BOT_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot, STAFF_CHAT_ID: String(staff.id),
      DATABASE_PATH: join(dir, 'bot.db'), PORT: '0', LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let peak = 0;
  let peakRss = 0;
  // The process tree is looked up every 100 ms only: scanning /proc costs CPU the start-up needs too.
  let pids: number[] = [child.pid!];
  let ticks = 0;
  const sampler = setInterval(() => {
    if (ticks++ % 10 === 0) pids = tree(child.pid!);
    const memory = pids.map(memoryOf);
    peak = Math.max(peak, memory.reduce((sum, m) => sum + m.pss, 0));
    peakRss = Math.max(peakRss, memory.reduce((sum, m) => sum + m.rss, 0));
  }, 10);
  let output = '';
  const ms = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('bot started')) {
        clearTimeout(timer);
        resolve(performance.now() - started);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
  clearInterval(sampler);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
  await fake.stop();
  return { ms, peakBytes: peak, peakRssBytes: peakRss };
}

/** `npm start` (and `node scripts/start.mjs`, what it runs), warm and after a change of the sources. */
export async function startPath(runs = 3): Promise<{ npmWarm: StartFigures; npmCold: StartFigures; nodeWarm: StartFigures }> {
  if (!existsSync('/proc/self/status')) throw new Error('start-path: needs Linux /proc to sample memory');
  const measure = async (command: string, args: string[], stale: boolean): Promise<StartFigures> => {
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await once(command, args, stale));
    return { ms: median(results.map((r) => r.ms)), peakBytes: median(results.map((r) => r.peakBytes)), peakRssBytes: median(results.map((r) => r.peakRssBytes)) };
  };
  await once(process.execPath, ['scripts/start.mjs'], false); // a first start builds dist/ if needed
  return {
    npmWarm: await measure('npm', ['start', '--silent'], false),
    npmCold: await measure('npm', ['start', '--silent'], true),
    nodeWarm: await measure(process.execPath, ['scripts/start.mjs'], false),
  };
}
