import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { PROJECT_ROOT, startBot, type BotProcess } from '../support/bot-process.js';
import { until } from '../support/wait.js';

/** A non-loopback IPv4 address of this machine, if it has one. */
function outsideAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

/** The script of the Docker image's HEALTHCHECK (`node -e "…"`), run as Docker would run it. */
function dockerHealthcheck(env: Record<string, string>): number {
  const dockerfile = readFileSync(`${PROJECT_ROOT}/Dockerfile`, 'utf8');
  const script = /HEALTHCHECK[^\n]*\\\n\s*CMD node -e "([^\n]*)"\n/.exec(dockerfile)?.[1];
  if (!script) throw new Error('no HEALTHCHECK CMD node -e "…" in the Dockerfile');
  try {
    execFileSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 10_000 });
    return 0;
  } catch (error) {
    return (error as { status?: number }).status ?? 1;
  }
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

type Mode = 'forward' | 'reset' | 'drop' | 'garbage';

/**
 * Stands between the bot and the fake Bot API and misbehaves on demand: resets connections, drops
 * them without an answer, or answers something that is not JSON. Switching mode also cuts every
 * connection open at that moment (the long poll in flight).
 */
async function flakyProxy(
  target: string,
): Promise<{ root: string; setMode: (mode: Mode) => void; resetTimes: (n: number) => void; close: () => Promise<void> }> {
  let mode: Mode = 'forward';
  let resetsLeft = 0;
  const sockets = new Set<Socket>();
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    if (mode === 'reset') return void req.socket.resetAndDestroy();
    if (resetsLeft > 0) {
      resetsLeft--;
      return void req.socket.resetAndDestroy();
    }
    if (mode === 'drop') return void req.socket.destroy();
    if (mode === 'garbage') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
    const out = request(
      // As a reverse proxy does: addressed to the upstream (the simulator answers only on its own address).
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => req.socket.destroy());
    req.pipe(out);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    root: `http://127.0.0.1:${port}`,
    setMode(next) {
      mode = next;
      for (const socket of sockets) socket.destroy();
    },
    /** Resets the next `n` requests, then forwards again (however slowly the bot starts). */
    resetTimes(n) {
      resetsLeft = n;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const TOKEN = '5550001234:AAE-operations_exposure_secret_token_part9';
const SECRET_PART = TOKEN.split(':')[1]!;

let fake: FakeTelegram;

beforeAll(async () => {
  fake = await FakeTelegram.start({ token: TOKEN });
});

afterAll(async () => {
  await fake?.stop();
});

describe('operator endpoint exposure', () => {
  it('listens on 127.0.0.1 by default; METRICS_TOKEN guards /metrics and the counters of /healthz', async () => {
    const staff = fake.createSupergroup({ title: 'Staff', isForum: true });
    const metricsToken = 'metrics-token-0123456789abcdef';
    const bot: BotProcess = await startBot({
      BOT_TOKEN: TOKEN,
      BOT_SECRET: 'expo-secret-expo-secret-expo-secret-0001',
      TELEGRAM_API_ROOT: fake.apiRoot,
      STAFF_CHAT_ID: String(staff.id),
      METRICS_TOKEN: metricsToken,
    });
    try {
      expect(bot.output()).toMatch(/"host":"127\.0\.0\.1"/);
      expect(await accepts('127.0.0.1', bot.port)).toBe(true);
      const outside = outsideAddress();
      if (outside) expect(await accepts(outside, bot.port)).toBe(false);

      const url = `http://127.0.0.1:${bot.port}`;
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token-00' } })).status).toBe(401);
      expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}x` } })).status).toBe(401);
      expect((await fetch(`${url}/metrics`, { headers: { authorization: metricsToken } })).status).toBe(401);
      const metrics = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/bot_queue_length 0/);

      // Probes need no secret, but see only whether the bot is healthy, not the traffic figures.
      const open = await fetch(`${url}/healthz`);
      expect(open.status).toBe(200);
      const openBody = (await open.json()) as Record<string, unknown>;
      expect(openBody).toMatchObject({ ok: true, checks: { database: { ok: true } } });
      expect(openBody).not.toHaveProperty('backlog');
      expect(openBody).not.toHaveProperty('queue');
      const full = await fetch(`${url}/healthz`, { headers: { authorization: `Bearer ${metricsToken}` } });
      expect(await full.json()).toMatchObject({ ok: true, backlog: { toInbox: 0, toClients: 0 }, queue: { waiting: 0 } });

      // The Docker image's HEALTHCHECK still gets through (no token needed), and fails on a dead port.
      expect(dockerHealthcheck({ PORT: String(bot.port), HTTP_HOST: '127.0.0.1' })).toBe(0);
      expect(dockerHealthcheck({ PORT: String(bot.port) })).toBe(0);
      expect(dockerHealthcheck({ PORT: '1', HTTP_HOST: '127.0.0.1' })).not.toBe(0);
    } finally {
      expect(await bot.stop()).toBe(0);
    }
  }, 30_000);

  it('binds where HTTP_HOST says', async () => {
    const outside = outsideAddress();
    const staff = fake.createSupergroup({ title: 'Staff 2', isForum: true });
    const bot = await startBot({
      BOT_TOKEN: TOKEN,
      BOT_SECRET: 'expo-secret-expo-secret-expo-secret-0002',
      TELEGRAM_API_ROOT: fake.apiRoot,
      STAFF_CHAT_ID: String(staff.id),
      HTTP_HOST: '0.0.0.0',
      METRICS_TOKEN: 'expo-metrics-token-0002', // required beyond loopback
    });
    try {
      expect(bot.output()).toMatch(/"host":"0\.0\.0\.0"/);
      expect(await accepts('127.0.0.1', bot.port)).toBe(true);
      if (outside) expect(await accepts(outside, bot.port)).toBe(true);
      expect(dockerHealthcheck({ PORT: String(bot.port), HTTP_HOST: '0.0.0.0' })).toBe(0);
    } finally {
      expect(await bot.stop()).toBe(0);
    }
  }, 30_000);
});

describe('the bot token in the output', () => {
  it('never appears, while the Bot API resets, drops or garbles requests at start-up and while polling', async () => {
    const proxy = await flakyProxy(fake.apiRoot);
    const staff = fake.createSupergroup({ title: 'Staff 3', isForum: true });
    const client = fake.createUser({ first_name: 'Leaky', language_code: 'en' });
    proxy.resetTimes(2); // start-up retries getMe, then gets through
    const bot = await startBot(
      {
        BOT_TOKEN: TOKEN,
        BOT_SECRET: 'leak-secret-leak-secret-leak-secret-0001',
        TELEGRAM_API_ROOT: proxy.root,
        STAFF_CHAT_ID: String(staff.id),
      },
      { timeoutMs: 30_000 },
    );
    try {
      const warnings = () => bot.output().split('\n').filter((line) => line.includes('cannot reach the Bot API')).length;
      expect(warnings()).toBeGreaterThanOrEqual(1);

      // While polling: the long poll in flight is cut, and the next calls are dropped, then garbled.
      proxy.setMode('drop');
      fake.sendText(client, '/start');
      await until(() => warnings() >= 2, 'a warning about the dropped connections', 20_000);
      proxy.setMode('garbage');
      await new Promise((r) => setTimeout(r, 4_000));
      proxy.setMode('forward');
      await until(() => bot.output().includes('the Bot API can be reached again'), 'the bot to reconnect', 30_000);
      expect((await fake.nextBotMessage(client.id, { timeoutMs: 15_000 })).text).toBeTruthy();
    } finally {
      expect(await bot.stop()).toBe(0);
      await proxy.close();
    }
    const output = bot.output();
    // The errors did quote the request URL: the token was there to leak, and was scrubbed.
    expect(output).toMatch(/\/bot\[redacted\]\/getMe/);
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain(SECRET_PART);
    expect(output).not.toContain(encodeURIComponent(TOKEN));
  }, 90_000);

  it('never appears in what a library prints with console.error or writes to stdout itself', () => {
    const script = `import { scrubProcessOutput } from ${JSON.stringify(`${PROJECT_ROOT}/dist/logger.js`)};
      scrubProcessOutput([${JSON.stringify(TOKEN)}]);
      console.error('[grammY runner]', new Error('request to http://x/bot${TOKEN}/getUpdates failed'));
      process.stdout.write(Buffer.from('raw ${SECRET_PART}\\n'));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('/bot[redacted]/getUpdates');
    expect(result.stdout).toContain('raw [redacted]');
    expect(result.stderr + result.stdout).not.toContain(SECRET_PART);
  });
});
