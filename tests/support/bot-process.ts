import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/**
 * What `npm start` and the Docker image run: the build in dist/ (made by the tests' global setup),
 * as one node process, so that a signal (or kill -9) reaches the bot itself.
 */
const ENTRY = [join(PROJECT_ROOT, 'dist', 'main.js')];

export interface BotProcess {
  child: ChildProcess;
  /** The operator HTTP port (/healthz, /metrics, webhook). */
  port: number;
  dir: string;
  databasePath: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<number | null>;
  /** kill -9: no shutdown at all, as in a power cut. */
  crash(): Promise<void>;
}

/**
 * Runs the real bot (dist/main.js, as `npm start` does) in a child process, in an empty working
 * directory so that no developer's .env gets in the way. Resolves once it reports that polling started.
 */
export async function startBot(env: Record<string, string>, options: { timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<BotProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'bot-e2e-'));
  const databasePath = join(dir, 'data', 'bot.db');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...ENTRY], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      DATABASE_PATH: databasePath,
      CONTENT_DIR: join(PROJECT_ROOT, 'content'),
      LOG_LEVEL: 'debug',
      PORT: '0', // any free port: test files run in parallel
      OUTGOING_PACING: 'off', // tests page through many screens quickly; pacing has its own tests
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start in time; output:\n${output}`)), options.timeoutMs ?? 20_000);
    const check = () => {
      if (output.includes('bot started')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`bot exited with ${code} before starting; output:\n${output}`));
    });
  });

  const port = Number(/"port":(\d+)/.exec(output)?.[1] ?? 0);
  return {
    child,
    port,
    dir,
    databasePath,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
    async crash() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs the bot to completion (for start-up failures); returns its exit code and output. */
export async function runMain(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bot-main-'));
  const child = spawn(process.execPath, ENTRY, { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, PORT: '0', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}
