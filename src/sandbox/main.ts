/**
 * npm run sandbox: the real bot (dist/main.js, in a child process) against the Bot API simulator, with
 * a web page on 127.0.0.1 showing the client's phone, the team's inbox and the channel at once.
 * Needs no .env, no token and no network; everything it stores lives in a temporary folder that is
 * deleted when it stops. Never part of a deployment: the Docker image leaves src/sandbox out, and the
 * bot's own start (npm start, dist/main.js) never imports this folder.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { previewSavedPosts } from './preview.js';
import { showAlertsDemo } from './alerts-demo.js';
import { createScene, introduceConsultants, sandboxToken, sceneEnv } from './scene.js';
import { FakeTelegram } from './telegram-sim/index.js';
import { loadScenarios } from './training/scenario.js';
import { TrainingRunner } from './training/runner.js';
import { startSandboxWeb, type SandboxWeb } from './web-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_PORT = 8090;

function fail(message: string): never {
  process.stderr.write(`Sandbox: ${message}\n`);
  process.exit(1);
}

function sandboxPort(): { port: number; fixed: boolean } {
  const raw = process.env.SANDBOX_PORT;
  if (raw === undefined || raw === '') return { port: DEFAULT_PORT, fixed: false };
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`SANDBOX_PORT must be a port number (0–65535, 0 = any free port), got "${raw}"`);
  return { port, fixed: true };
}

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') fail('refusing to start with NODE_ENV=production: the sandbox simulates Telegram and is not a deployment. Use npm start.');
  if (process.env.BOT_TOKEN) {
    process.stderr.write('Sandbox: BOT_TOKEN is set, but the sandbox never uses it (nor .env): its bot talks only to the simulator. `npm start` runs the real bot.\n');
  }
  const language = process.env.DEFAULT_LANGUAGE ?? 'en';
  if (!['ru', 'kk', 'en'].includes(language)) fail(`DEFAULT_LANGUAGE must be ru, kk or en, got "${language}"`);
  const dir = mkdtempSync(join(tmpdir(), 'peer-help-sandbox-'));
  // A token of its own for each run: a web page cannot know it, so cannot call the simulator as the bot.
  const fake = await FakeTelegram.start({ token: sandboxToken(), botUsername: 'sandbox_help_bot', botFirstName: 'Peer help (sandbox)' });
  const scene = createScene(fake);

  const contentDir = process.env.CONTENT_DIR ?? join(ROOT, 'content');
  const log = createWriteStream(join(dir, 'bot.log'));
  let output = '';
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
    cwd: dir, // no .env of a real deployment is read
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      ...sceneEnv(scene),
      BOT_SECRET: randomBytes(32).toString('hex'),
      DATABASE_PATH: join(dir, 'data', 'bot.db'),
      CONTENT_DIR: contentDir,
      DEFAULT_LANGUAGE: language,
      PORT: '0',
      OUTGOING_PACING: 'off', // the simulator has no flood limits unless asked
      // Shifts to try within minutes: the sample roster (a draft) applies, an unanswered case is nudged
      // after 2 minutes (urgent: 1) and offered back 2 minutes later, a waiting one reminded after 3.
      APPLY_DRAFT_ROSTER: 'true',
      ANSWER_DUE_MINUTES: '2',
      ANSWER_DUE_URGENT_MINUTES: '1',
      REMINDER_MINUTES: '3',
      SURVEY_DRAFTS: 'offered', // the sample survey is a draft: try it here before the organisation approves it
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    log.write(chunk);
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  let web: SandboxWeb | undefined;
  let stopPreview = () => {};
  let stopping = false;
  const cleanUp = async () => {
    stopPreview();
    await web?.close();
    await fake.stop();
    log.end();
    rmSync(dir, { recursive: true, force: true });
  };
  child.once('exit', (code) => {
    if (stopping) return;
    process.stderr.write(`Sandbox: the bot stopped (exit code ${code}). Its last output:\n${output.split('\n').slice(-20).join('\n')}\n`);
    void cleanUp().finally(() => process.exit(1));
  });
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await cleanUp();
    process.stdout.write('Sandbox stopped; its temporary folder is deleted.\n');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  await new Promise<void>((resolve) => {
    const check = () => {
      if (!output.includes('bot started')) return;
      child.stdout.off('data', check);
      resolve();
    };
    child.stdout.on('data', check);
  });

  introduceConsultants(scene); // their aliases: the names clients see, and the roster's
  stopPreview = previewSavedPosts(scene, contentDir);
  // A subscriber and a sample drug alert, drafted and approved by two consultants (SANDBOX_ALERTS_DEMO=off: none).
  if (process.env.SANDBOX_ALERTS_DEMO !== 'off') {
    await showAlertsDemo(scene).catch((error: unknown) => process.stderr.write(`Sandbox: the drug alerts demo did not complete: ${(error as Error).message}\n`));
  }
  const { scenarios, problems } = loadScenarios(contentDir);
  for (const problem of problems) process.stderr.write(`Sandbox: training scenario skipped: ${problem}\n`);
  let broadcast = () => {};
  const training = new TrainingRunner(scene, scenarios, problems, () => broadcast());
  const { port, fixed } = sandboxPort();
  try {
    web = await startSandboxWeb(scene, { port, training });
  } catch (error) {
    if (fixed || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    web = await startSandboxWeb(scene, { port: 0, training }); // the default port is taken: any free one will do
  }
  broadcast = web.changed;
  process.stdout.write(
    [
      '',
      `Sandbox ready: ${web.url}`,
      '  The real bot runs against a simulated Telegram on this machine; no account, token or network needed.',
      `  Everything it stores is in ${dir} and is deleted when you stop it (Ctrl+C).`,
      `  Save a post file under ${join(contentDir, 'posts')} and its preview shows in the editors chat.`,
      '  A client\'s "Share your story" lands in the editors chat: approve it as two different consultants and it shows in the Channel pane.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
