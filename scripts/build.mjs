// Builds dist/ from src/ by transpiling each TypeScript file with esbuild (the copy tsx depends on), without
// type checking: `npm test` and `npm run typecheck` do that. tsc needed about 7.7 s and 490 MB here before
// the bot could start; esbuild needs a fraction of a second and runs outside the Node heap.
//
// `ensureBuilt()` rebuilds only when the sources differ from those of the last build (a hash of every
// file's path and content, kept in dist/.sources), so `npm start` after a `git pull` is fresh and
// every other start costs one hash of ~200 small files.
//
// Plain JavaScript on purpose: it must run before anything is compiled.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.sources');
/** Browser code: the sandbox page. Everything else under src/ runs on Node. */
const WEB = join(SRC, 'sandbox', 'web');

/** Every .ts file under `dir` (declaration files excluded), sorted so the hash is stable. */
function sources(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sources(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(path);
  }
  return found.sort();
}

function hashOf(files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(SRC, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** esbuild as tsx brings it (a dependency, so it is there in production installs too). */
async function loadEsbuild() {
  const fromTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
  return import(fromTsx.resolve('esbuild'));
}

/**
 * Transpiles src/ into dist/ unless dist/ was built from exactly these sources (or `force`).
 * Returns whether it built and how long the check (and build) took.
 */
export async function ensureBuilt({ force = false, log = () => {} } = {}) {
  const started = performance.now();
  const files = sources(SRC);
  const hash = hashOf(files);
  if (!force && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) {
    return { built: false, ms: performance.now() - started };
  }
  log('Building dist/ from src/ (esbuild, no type check)…');
  const esbuild = await loadEsbuild();
  // A clean folder: no module of a deleted source file may linger and be imported.
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST, { recursive: true });
  const common = { outdir: DIST, outbase: SRC, bundle: false, sourcemap: true, logLevel: 'warning' };
  const node = files.filter((f) => !f.startsWith(WEB + '/'));
  const web = files.filter((f) => f.startsWith(WEB + '/'));
  await esbuild.build({ ...common, entryPoints: node, format: 'esm', platform: 'node', target: 'node20' });
  if (web.length > 0) await esbuild.build({ ...common, entryPoints: web, format: 'esm', platform: 'browser', target: 'es2022' });
  await esbuild.stop?.();
  writeFileSync(STAMP, hash);
  return { built: true, ms: performance.now() - started };
}

// `node scripts/build.mjs` (npm run build): always rebuild.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { ms } = await ensureBuilt({ force: true });
  process.stdout.write(`dist/ built in ${Math.round(ms)} ms\n`);
}
