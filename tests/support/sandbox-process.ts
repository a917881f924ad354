import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './bot-process.js';

export interface SandboxProcess {
  child: ChildProcess;
  url: string;
  /** The temporary folder the sandbox said it keeps everything in. */
  dataDir: string;
  output(): string;
  stop(): Promise<number | null>;
}

/**
 * Runs `npm run sandbox` as a newcomer would (the build in dist/, an empty working directory, no
 * .env, no token, no network needed) and resolves once it prints its URL.
 */
export async function startSandbox(env: Record<string, string> = {}, timeoutMs = 30_000): Promise<SandboxProcess> {
  const cwd = mkdtempSync(join(tmpdir(), 'sandbox-e2e-'));
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', 'sandbox', 'main.js')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, SANDBOX_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start in time; output:\n${output}`)), timeoutMs);
    child.stdout.on('data', () => {
      const found = /Sandbox ready: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited with ${code}; output:\n${output}`));
    });
  });
  const dataDir = /stores is in (\S+) and/.exec(output)?.[1] ?? '';
  return {
    child, url, dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
  };
}
