import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from './bot-process.js';

/**
 * The end-to-end tests run the bot as `npm start` and the Docker image do: the JavaScript in dist/,
 * built by the same script (esbuild, no type check: `npm test` runs tsc first). Built afresh once,
 * before any test file starts, so that no test runs a stale build.
 */
export default function setup(): void {
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'build.mjs')], { cwd: PROJECT_ROOT, stdio: 'inherit' });
}
