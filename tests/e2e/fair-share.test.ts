import { afterEach, describe, expect, it } from 'vitest';
import { FakeTelegram, type Chat, type Message, type User } from '../../src/sandbox/telegram-sim/index.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { buttons, chatHelpers } from '../support/chat.js';
import { until } from '../support/wait.js';

/**
 * The attacks of the December review (H3), as an attacker would run them against the real bot with
 * Telegram's pacing on: one or two ordinary client accounts trying to keep every other client's words
 * from the team. The victim's message must reach its topic within a pacing slot or two, attack or not.
 */
const VICTIM_BOUND_MS = 10_000;

let fake: FakeTelegram;
let bot: InProcessBot;
let staff: Chat;
let ticker: NodeJS.Timeout;
const { intake, withButton } = chatHelpers(() => fake, 30_000);
const inTopic = (thread: number) => fake.messages(staff.id).filter((m) => m.message_thread_id === thread);

async function start(): Promise<void> {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  const anna = fake.createUser({ first_name: 'Anna' });
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [anna] });
  bot = await startInProcessBot({ BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, STAFF_CHAT_ID: String(staff.id), DEFAULT_LANGUAGE: 'en', OUTGOING_PACING: 'on' });
  ticker = setInterval(() => void bot.tickAt(new Date()), 50); // the in-process bot's clock is the test's: keep it real
}

afterEach(async () => {
  clearInterval(ticker);
  await bot?.stop();
  await fake?.stop();
});

/** Waits until the text shows up in the topic; returns how long it took from `since`, or undefined after `bound`. */
async function arrival(thread: number, prefix: string, since: number, bound: number): Promise<number | undefined> {
  while (Date.now() < since + bound) {
    if (inTopic(thread).some((m) => String(m.text).startsWith(prefix))) return Date.now() - since;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

const teamOutbox = () => (bot.db.$client.prepare('SELECT count(*) n FROM outbox WHERE to_client = 0').get() as { n: number }).n;

describe('no client can drown the others in the team chat', () => {
  it('two accounts cycling emergency → /end → yes as fast as the bot answers: the victim\'s words still reach the team within seconds', async () => {
    await start();
    const victim = fake.createUser({ first_name: 'Victim', language_code: 'en' });
    await intake(victim, 'substances');
    const topic = await until(() => fake.chat(staff.id).topics[0], 'the victim\'s topic', 30_000);
    await until(() => inTopic(topic.message_thread_id).find((m) => /case #/.test(String(m.text))), 'the victim\'s card', 30_000);

    let stop = false;
    let cycles = 0;
    let refused = 0;
    const attackers = [0, 1].map((i) => fake.createUser({ first_name: `Attacker${i}`, language_code: 'en' }));
    const attack = Promise.all(
      attackers.map(async (attacker) => {
        fake.sendText(attacker, '/help');
        const sos = await withButton(attacker, 'n:consult:urgent');
        while (!stop) {
          fake.pressButton(attacker, sos, 'n:consult:urgent');
          fake.sendText(attacker, '/end');
          // Whatever the bot answers: a confirmation to press, or "no open conversation".
          let confirm: Message | undefined;
          for (;;) {
            const m = await fake.nextBotMessage(attacker.id, { timeoutMs: 30_000 });
            if (/alerted a few minutes ago/.test(String(m.text))) refused++;
            if (buttons(m).some((b) => b.startsWith('end:yes:'))) confirm = m;
            if (confirm || /no open conversation/i.test(String(m.text))) break;
          }
          if (confirm) fake.pressButton(attacker, confirm, buttons(confirm).find((b) => b.startsWith('end:yes:'))!);
          cycles++;
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 20_000));
    const sentAt = Date.now();
    fake.sendText(victim, 'VICTIM: my friend is not breathing properly');
    const took = await arrival(topic.message_thread_id, 'VICTIM:', sentAt, VICTIM_BOUND_MS);
    stop = true;
    await attack.catch(() => undefined);

    expect(cycles).toBeGreaterThan(10); // the attack ran all along
    expect(took, `victim's message not in the topic within ${VICTIM_BOUND_MS} ms`).toBeDefined();
    // Each attacker got one urgent topic; every press after it was answered with the guidance, not a post.
    expect(refused).toBeGreaterThan(5);
    expect(fake.chat(staff.id).topics.length).toBe(3);
    expect(teamOutbox()).toBeLessThan(10);
  }, 120_000);

  it('one client editing a copied message 60 times: the victim\'s next message still reaches the team within seconds, and the copy shows the last edit', async () => {
    await start();
    const victim = fake.createUser({ first_name: 'Victim', language_code: 'en' });
    const attacker = fake.createUser({ first_name: 'Attacker', language_code: 'en' });
    await intake(victim, 'substances');
    const vTopic = await until(() => fake.chat(staff.id).topics[0], 'the victim\'s topic', 30_000);
    fake.sendText(victim, 'VICTIM-1: hello');
    await until(() => inTopic(vTopic.message_thread_id).find((m) => m.text === 'VICTIM-1: hello'), 'the victim\'s first message', 30_000);
    await intake(attacker, 'other');
    const aTopic = await until(() => fake.chat(staff.id).topics[1], 'the attacker\'s topic', 30_000);
    const msg = fake.sendText(attacker, 'edit me');
    await until(() => inTopic(aTopic.message_thread_id).find((m) => m.text === 'edit me'), 'the attacker\'s copy', 60_000);

    for (let i = 0; i < 60; i++) fake.editUserMessage(attacker, msg, `edit me ${i}`);
    await new Promise((r) => setTimeout(r, 500));
    const sentAt = Date.now();
    fake.sendText(victim, 'VICTIM-2: my friend is not breathing properly, what do I do');
    const took = await arrival(vTopic.message_thread_id, 'VICTIM-2', sentAt, VICTIM_BOUND_MS);
    expect(took, `victim's message not in the topic within ${VICTIM_BOUND_MS} ms`).toBeDefined();

    // The 60 edits were merged: the copy ends with the newest text, after a few edits at most.
    await until(() => inTopic(aTopic.message_thread_id).find((m) => m.text === 'edit me 59'), 'the last edit on the copy', 30_000);
    const edits = fake.calls.filter((c) => c.method === 'editMessageText' && c.params.chat_id === staff.id && c.ok).length;
    expect(edits).toBeLessThanOrEqual(3);
    // Nothing is left stuck behind them (the board and other team posts may still be on their way
    // under the chat's 20-a-minute budget on a loaded machine: they drain).
    await until(() => teamOutbox() === 0 || undefined, 'the team outbox drained', 30_000);
  }, 120_000);
});
