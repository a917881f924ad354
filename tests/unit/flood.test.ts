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
});
