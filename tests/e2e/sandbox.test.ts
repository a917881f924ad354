import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxProcess } from '../support/sandbox-process.js';

/** The sandbox's server without a browser: what a newcomer starts, and what another web page could try. */
let sandbox: SandboxProcess;

beforeAll(async () => {
  // A real deployment's token in the environment changes nothing: the sandbox's bot talks only to the simulator.
  sandbox = await startSandbox({ BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw' });
}, 60_000);

afterAll(async () => {
  expect(await sandbox?.stop()).toBe(0);
  expect(sandbox.dataDir).not.toBe('');
  expect(existsSync(sandbox.dataDir)).toBe(false); // the database and the random secret are gone
});

/** A raw request, so that the Host header can be set as a DNS-rebinding page would send it. */
function raw(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(path, sandbox.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('npm run sandbox', () => {
  it('starts with no .env and no token, says the token in the environment is ignored, and serves the page on 127.0.0.1', async () => {
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(sandbox.output()).toMatch(/BOT_TOKEN is set, but the sandbox never uses it/);
    const page = await raw('/');
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/aria-labelledby="client-title"/);
    expect(String(page.headers['content-security-policy'])).toMatch(/script-src 'self'/);
    expect(page.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/); // nothing from a CDN
  });

  it('answers only requests addressed to itself, and actions only as JSON', async () => {
    expect((await raw('/', { headers: { host: 'attacker.example:80' } })).status).toBe(421);
    const form = await raw('/api/clients', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'language=en' });
    expect(form.status).toBe(403);
    const crossSite = await raw('/api/clients', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://attacker.example' }, body: '{"language":"en"}' });
    expect(crossSite.status).toBe(403);
    const own = await raw('/api/clients', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"language":"kk"}' });
    expect(own.status).toBe(200);
    const bad = await raw('/api/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"chat":"team","user":1,"text":"hi"}' });
    expect(bad.status).toBe(400); // nobody can act as someone outside the scene
  });
});

describe('training from the API', () => {
  it('Start with no scenario chosen starts the first one instead of failing', async () => {
    const json = { 'content-type': 'application/json' };
    const unknown = await raw('/api/training/start', { method: 'POST', headers: json, body: '{"scenarios":["no-such"]}' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatch(/no such scenario: no-such/);
    const started = await raw('/api/training/start', { method: 'POST', headers: json, body: '{"scenarios":[]}' });
    expect(started.status).toBe(200);
    const again = await raw('/api/training/start', { method: 'POST', headers: json, body: '{"scenarios":[]}' });
    expect(again.body).toMatch(/a practice run is going on/); // the first one runs
    expect((await raw('/api/training/stop', { method: 'POST', headers: json, body: '{}' })).status).toBe(200);
  });
});

describe('a real deployment never runs the sandbox', () => {
  it('refuses to start with NODE_ENV=production', async () => {
    await expect(startSandbox({ NODE_ENV: 'production' }, 10_000)).rejects.toThrow(/refusing to start with NODE_ENV=production/);
  });
});

describe('npm run sandbox: drug alerts', () => {
  it('shows a subscriber client and a sample alert drafted by one consultant, approved by another, received', async () => {
    const url = new URL('/events', sandbox.url);
    const first = await new Promise<string>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers: { accept: 'text/event-stream' } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
          if (body.includes('\n\n')) {
            req.destroy();
            resolve(body);
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(first).toContain('Robin (alerts)');
    expect(first).toMatch(/Drug alert: SAMPLE: a nitazene/);
    expect(first).toMatch(/Alert #1 approved/);
  });
});
