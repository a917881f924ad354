// npm start / npm run sandbox: make sure dist/ matches src/ (a fast esbuild transpile when it does not),
// then run the bot (or the sandbox) in this same process, so that signals reach it directly.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from './build.mjs';

const sandbox = process.argv[2] === 'sandbox';
try {
  await ensureBuilt({ log: (line) => process.stderr.write(`${line}\n`) });
} catch (error) {
  process.stderr.write(`Cannot build dist/ from src/: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
await import(pathToFileURL(join(ROOT, 'dist', sandbox ? 'sandbox/main.js' : 'main.js')).href);
