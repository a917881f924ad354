import { describe, expect, it } from 'vitest';
import { floodBrake } from '../../src/bot/flood.js';
import type { BotContext } from '../../src/bot/context.js';

function ctxFor(key: string, text: string, replies: string[]): BotContext {
  return { client: { key }, message: { text }, t: (k: string) => k, reply: async (t: string) => void replies.push(t) } as unknown as BotContext;
}

describe('flood brake', () => {
  it('asks a flooding client once to slow down, keeps commands and case messages flowing', async () => {
    let now = 0;
    let inCase = false;
    const brake = floodBrake(() => inCase, () => now);
    const replies: string[] = [];
    let handled = 0;
    const next = async () => void handled++;
    for (let i = 0; i < 25; i++) await brake(ctxFor('k', `hi ${i}`, replies), next);
    expect(handled).toBe(20);
    expect(replies).toEqual(['flood-slow-down']);
    await brake(ctxFor('k', '/privacy', replies), next);
    expect(handled).toBe(21);
    inCase = true;
    await brake(ctxFor('k', 'for the consultant', replies), next);
    expect(handled).toBe(22);
    now += 11_000;
    inCase = false;
    await brake(ctxFor('k', 'calm again', replies), next);
    expect(handled).toBe(23);
    expect(replies).toEqual(['flood-slow-down']);
    await brake(ctxFor('other', 'hello', replies), next);
    expect(handled).toBe(24);
  });

  it('over the limit, answers one command per window and drops the rest, but /start and the emergency screen each get an answer', async () => {
    let now = 0;
    const brake = floodBrake(() => false, () => now);
    const replies: string[] = [];
    const handled: string[] = [];
    const send = (text: string) => brake(ctxFor('k', text, replies), async () => void handled.push(text));
    for (let i = 0; i < 20; i++) await send(`/menu ${i}`);
    expect(handled).toHaveLength(20); // within the limit every command is answered
    handled.length = 0;
    for (let i = 0; i < 30; i++) await send('/privacy');
    expect(handled).toEqual(['/privacy']); // beyond it: one, the other 29 dropped
    await send('/help');
    await send('/help');
    await send('/sos');
    await send('/start');
    await send('/start');
    await send('/language');
    expect(handled).toEqual(['/privacy', '/help', '/start']);
    expect(replies).toEqual(['flood-slow-down']);
    // The next window: each again once, while the flood goes on.
    now = 5_000;
    for (let i = 0; i < 20; i++) await send(`flood ${i}`);
    now = 10_001;
    for (let i = 0; i < 5; i++) await send('/help');
    for (let i = 0; i < 5; i++) await send('/privacy');
    expect(handled).toEqual(['/privacy', '/help', '/start', '/help', '/privacy']); // the plain texts were not answered
    expect(replies).toEqual(['flood-slow-down', 'flood-slow-down']);
  });
});
