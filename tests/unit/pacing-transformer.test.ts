import { describe, expect, it } from 'vitest';
import { pacingTransformer } from '../../src/ops/pacing-transformer.js';
import { Pacer } from '../../src/relay/pacing.js';

describe('pacing of outgoing messages', () => {
  it('lets a short burst into a private chat, then about one a second, in order; groups 20 a minute', async () => {
    let now = 0;
    const sent: { method: string; chat: number | string; at: number; n: number }[] = [];
    const sleep = async (ms: number) => void (now += ms);
    const transformer = pacingTransformer(new Pacer({ groupPerMinute: 20, privatePerSecond: 1, privateBurstSeconds: 3, globalPerSecond: 30 }), sleep, () => now);
    const call = (method: string, chat: number | string, n: number) =>
      transformer(async (m, p) => {
        sent.push({ method: m, chat: (p as { chat_id: number }).chat_id, at: now, n });
        return { ok: true, result: true } as never;
      }, method as never, { chat_id: chat } as never, undefined);

    await Promise.all(Array.from({ length: 6 }, (_, n) => call('sendMessage', 42, n)));
    const toClient = sent.filter((s) => s.chat === 42);
    expect(toClient.map((s) => s.n)).toEqual([0, 1, 2, 3, 4, 5]); // order kept
    expect(toClient.slice(0, 3).every((s) => s.at === 0)).toBe(true); // the burst
    // Then one a second, as the burst refills: the fourth a second after, the sixth three seconds after.
    expect(toClient[3]!.at - toClient[0]!.at).toBeGreaterThanOrEqual(1_000);
    expect(toClient[3]!.at - toClient[0]!.at).toBeLessThan(1_500);
    expect(toClient[5]!.at - toClient[0]!.at).toBeGreaterThanOrEqual(3_000);

    now = 100_000;
    sent.length = 0;
    await Promise.all(Array.from({ length: 22 }, (_, n) => call('editMessageText', '@channel', n)));
    expect(sent.filter((s) => s.at < 100_000 + 60_000)).toHaveLength(20);

    sent.length = 0;
    await call('sendChatAction', 42, 0);
    await call('getMe', 0, 0);
    expect(sent.map((s) => s.method)).toEqual(['sendChatAction', 'getMe']);
  });
});
