import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { startBot, type BotProcess } from '../support/bot-process.js';

let fake: FakeTelegram;
let bot: BotProcess | undefined;

beforeAll(async () => {
  fake = await FakeTelegram.start();
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('operations endpoint', () => {
  it('reports health and Prometheus metrics, and fails health when Telegram is unreachable', async () => {
    const staff = fake.createSupergroup({ title: 'Staff', isForum: true });
    bot = await startBot({ BOT_TOKEN: fake.token, BOT_SECRET: 'ops-secret-ops-secret-ops-secret-000001', TELEGRAM_API_ROOT: fake.apiRoot, STAFF_CHAT_ID: String(staff.id) });
    expect(bot.port).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${bot.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      ok: true,
      checks: { database: { ok: true }, telegram: { ok: true }, scheduler: { ok: true } },
      backlog: { toInbox: 0, toClients: 0 },
      queue: { waiting: 0 },
    });
    const client = fake.createUser({ first_name: 'Metric' });
    fake.sendText(client, '/start');
    await fake.nextBotMessage(client.id);
    const metrics = await (await fetch(`http://127.0.0.1:${bot.port}/metrics`)).text();
    expect(metrics).toMatch(/bot_updates_total\{type="message"\} [1-9]/);
    expect(metrics).toMatch(/bot_queue_length 0/);
    expect(metrics).toMatch(/process_resident_memory_bytes/);
    expect(metrics).not.toContain('Metric');
    expect((await fetch(`http://127.0.0.1:${bot.port}/nope`)).status).toBe(404);

    // Telegram goes away: health turns 503 once calls fail.
    await fake.stop();
    let status = 200;
    for (let i = 0; i < 80 && status === 200; i++) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await fetch(`http://127.0.0.1:${bot.port}/healthz`)).status;
    }
    expect(status).toBe(503);
  }, 60_000);
});

describe('webhook mode', () => {
  it('registers the webhook with its secret and answers updates posted to it; refuses a wrong secret', async () => {
    const webhookFake = await FakeTelegram.start();
    const staff = webhookFake.createSupergroup({ title: 'Staff', isForum: true });
    const secret = 'webhook-secret-0123456789';
    const hooked = await startBot({
      BOT_TOKEN: webhookFake.token,
      BOT_SECRET: 'hook-secret-hook-secret-hook-secret-0001',
      TELEGRAM_API_ROOT: webhookFake.apiRoot,
      STAFF_CHAT_ID: String(staff.id),
      WEBHOOK_URL: 'https://bot.example.org/telegram/hook',
      WEBHOOK_SECRET: secret,
      HTTP_HOST: '127.0.0.1', // where the reverse proxy reaches the bot
    });
    try {
      const setWebhook = await webhookFake.waitForCall('setWebhook');
      expect(setWebhook.params).toMatchObject({ url: 'https://bot.example.org/telegram/hook', secret_token: secret });
      expect(webhookFake.calls.some((c) => c.method === 'getUpdates')).toBe(false);
      const user = webhookFake.createUser({ first_name: 'Hooked', language_code: 'en' });
      const update = {
        update_id: 1,
        message: { message_id: 1, date: 0, chat: { id: user.id, type: 'private', first_name: 'Hooked' }, from: user, text: '/privacy', entities: [{ type: 'bot_command', offset: 0, length: 8 }] },
      };
      const post = (token: string) =>
        fetch(`http://127.0.0.1:${hooked.port}/telegram/hook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': token },
          body: JSON.stringify(update),
        });
      expect((await post('wrong-secret-wrong-secret')).status).toBe(401);
      expect((await post(secret)).status).toBe(200);
      expect((await webhookFake.nextBotMessage(user.id)).text).toMatch(/What is kept, where/);
    } finally {
      await hooked.stop();
      await webhookFake.stop();
    }
  }, 30_000);
});

describe('outgoing pacing', () => {
  it('stays within a private chat limit without ever being answered 429', async () => {
    const paced = await FakeTelegram.start();
    const staff = paced.createSupergroup({ title: 'Staff', isForum: true });
    const hurried = await startBot({
      BOT_TOKEN: paced.token,
      BOT_SECRET: 'pace-secret-pace-secret-pace-secret-00001',
      TELEGRAM_API_ROOT: paced.apiRoot,
      STAFF_CHAT_ID: String(staff.id),
      OUTGOING_PACING: 'on',
    });
    try {
      paced.setRateLimits({ privatePerSecond: 1, privateBurst: 5 });
      const client = paced.createUser({ first_name: 'Hurried', language_code: 'en' });
      const started = Date.now();
      for (let i = 0; i < 10; i++) paced.sendText(client, '/privacy');
      for (let i = 0; i < 10; i++) await paced.nextBotMessage(client.id, { timeoutMs: 20_000 });
      expect(Date.now() - started).toBeGreaterThan(3_000); // paced, not sent at once
      expect(paced.stats.rateLimited).toBe(0);
      expect(paced.failedCalls()).toEqual([]);
    } finally {
      await hurried.stop();
      await paced.stop();
    }
  }, 60_000);
});
