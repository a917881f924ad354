import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Message } from '../../src/sandbox/telegram-sim/index.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { buttons, chatHelpers } from '../support/chat.js';

/**
 * The mixing checker (/mix, issue 20) through Telegram: the real bot over HTTP against the fake Bot API,
 * with the shipped content/mix table. A client picks two substances with buttons and reads the risk.
 */
let fake: FakeTelegram;
let bot: InProcessBot;
type User = ReturnType<FakeTelegram['createUser']>;

const textOf = (m: Message) => String(m.text ?? m.caption ?? '');
const { clientSees } = chatHelpers(() => fake);

/** Presses a button and returns the bot's next message in that chat (the edited screen, or a new one). */
async function press(user: User, message: Message, data: string): Promise<Message> {
  expect(buttons(message), `button ${data}`).toContain(data);
  fake.pressButton(user, message, data);
  return fake.nextBotMessage(user.id, { timeoutMs: 10_000 });
}

/** /mix, then the two substances; returns the result screen. */
async function mix(user: User, first: string, second: string): Promise<Message> {
  fake.sendText(user, '/mix');
  const start = await fake.nextBotMessage(user.id, { timeoutMs: 10_000 });
  const chosen = await press(user, start, `mix:a:${first}`);
  return press(user, chosen, `mix:b:${first}:${second}`);
}

beforeAll(async () => {
  fake = await FakeTelegram.start();
  const staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [] });
  bot = await startInProcessBot({ BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, STAFF_CHAT_ID: String(staff.id), DEFAULT_LANGUAGE: 'ru' });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('/mix, end to end', () => {
  it('two depressants: "dangerous", why, what to do, the ambulance number, and that it is general guidance', async () => {
    const client = fake.createUser({ first_name: 'Mixer', language_code: 'en' });
    fake.sendText(client, '/mix');
    const start = await fake.nextBotMessage(client.id, { timeoutMs: 10_000 });
    expect(textOf(start)).toMatch(/choose the first substance/);
    expect(buttons(start).filter((b) => b.startsWith('mix:a:'))).toHaveLength(16);
    const second = await press(client, start, 'mix:a:opioids');
    expect(textOf(second)).toMatch(/First: Heroin, other opioids\. Now choose the second/);
    expect(buttons(second)).not.toContain('mix:b:opioids:opioids');
    const result = await press(client, second, 'mix:b:opioids:benzos');
    const text = textOf(result);
    expect(text).toMatch(/Heroin, other opioids \+ Benzodiazepines/);
    expect(text).toMatch(/⛔ Dangerous/);
    expect(text).toMatch(/Why: Both slow down breathing/);
    expect(text).toMatch(/What to do: /);
    expect(text).toMatch(/call 103 now \(112 from any phone\)/);
    expect(text).toMatch(/General guidance \(.*TripSit.*\), not yet reviewed by our doctor\. No mix is without risk: ask a consultant/);
    expect(text).not.toMatch(/\bsafe\b/i);
    expect(buttons(result)).toEqual(expect.arrayContaining(['n:menu:consult', 'n:menu:emergency', 'n:mix:start']));
  });

  it('"unknown" with anything: ask a consultant, with the emergency numbers', async () => {
    const client = fake.createUser({ first_name: 'Unsure', language_code: 'ru' });
    const result = await mix(client, 'unknown', 'alcohol');
    const text = textOf(result);
    expect(text).toMatch(/❓ Неизвестно: спроси консультанта/);
    expect(text).toMatch(/Прежде чем принимать, спроси консультанта здесь/);
    expect(text).toMatch(/звони 103 сейчас/);
    expect(text).not.toMatch(/безопасн/i);
  });

  it('two stimulants are high risk, in Kazakh too; the emergency screen and the mixing card offer the checker', async () => {
    const client = fake.createUser({ first_name: 'Kz', language_code: 'kk' });
    const result = await mix(client, 'cathinones', 'cocaine');
    expect(textOf(result)).toMatch(/🔴 Қаупі жоғары/);
    expect(textOf(result)).not.toMatch(/103/); // not an emergency line for a "high" mix; the menu has it
    fake.sendText(client, '/help');
    const help = await clientSees(client, /103/);
    expect(buttons(help)).toContain('n:mix:start');
    const again = await press(client, help, 'n:mix:start');
    expect(textOf(again)).toMatch(/бірінші затты таңда/);
  });

  it('the mixing card offers the checker and, unsigned, never claims a doctor checked it', async () => {
    const client = fake.createUser({ first_name: 'Reader', language_code: 'en' });
    fake.sendText(client, '/info');
    let screen = await fake.nextBotMessage(client.id, { timeoutMs: 10_000 });
    expect(textOf(screen)).not.toMatch(/checked/); // no blanket claim: each card says it for itself
    const sections = buttons(screen).filter((b) => b.startsWith('info:s:'));
    for (const section of sections) {
      screen = await press(client, screen, section);
      if (buttons(screen).includes('info:c:mixing-depressants')) break;
      screen = await press(client, screen, 'menu:info');
    }
    fake.pressButton(client, screen, 'info:c:mixing-depressants');
    const last = await clientSees(client, /Questions about this\?/);
    expect(textOf(last)).toMatch(/our doctor has not reviewed this card yet/);
    expect(textOf(last)).not.toMatch(/Checked by/);
    expect(buttons(last)).toContain('n:mix:start');
  });
});
