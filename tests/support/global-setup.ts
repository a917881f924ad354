import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from './bot-process.js';

/**
 * The end-to-end tests run the bot as `npm start` and the Docker image do: the compiled JavaScript
 * in dist/. Build it once, before any test file starts, so that no test runs a stale build.
 */
export default function setup(): void {
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(PROJECT_ROOT, 'tsconfig.build.json')], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
  });
}
