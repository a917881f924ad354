import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { until } from '../support/wait.js';

let fake: FakeTelegram;
let bot: BotProcess;

beforeAll(async () => {
  fake = await FakeTelegram.start();
  const staff = fake.createSupergroup({ title: 'Staff', isForum: true, members: [] });
  bot = await startBot({
    BOT_TOKEN: fake.token,
    BOT_SECRET: 'robust-secret-robust-secret-robust-secret',
    TELEGRAM_API_ROOT: fake.apiRoot,
    STAFF_CHAT_ID: String(staff.id),
    LOG_LEVEL: 'info',
  });
});

afterAll(async () => {
  expect(await bot?.stop()).toBe(0);
  await fake?.stop();
});

describe('bad and unexpected input', () => {
  it('survives malformed, huge, forged and out-of-place updates and still answers correctly', async () => {
    const client = fake.createUser({ first_name: 'Robust', language_code: 'en' });
    const stranger = fake.createUser({ first_name: 'Stranger' });
    const group = fake.createSupergroup({ title: 'Random group', members: [stranger] });
    const menu = (fake.sendText(client, '/start'), await fake.nextBotMessage(client.id));

    const forgedData = ['', 'info:c:../../etc/passwd', 'info:s:99999', 'svc:r:nowhere', 'lang:set:de', 'forget:yes:now', 'x'.repeat(64), 'n:n:n:menu:main', 'info:c:'];
    for (let round = 0; round < 20; round++) {
      for (const data of forgedData) {
        fake.pushUpdate({ callback_query: { id: `forged-${round}-${data.length}-${Math.random()}`, from: client, chat_instance: 'ci', message: menu, data } });
      }
      fake.pushUpdate({ callback_query: { id: `inline-${round}`, from: client, chat_instance: 'ci', inline_message_id: 'AAAA', data: 'menu:main' } });
      fake.pushUpdate({ message: { message_id: 900000 + round, date: 0, chat: { id: client.id, type: 'private', first_name: 'Robust' }, text: 'no sender' } });
      fake.pushUpdate({ edited_message: { message_id: 1, date: 0, edit_date: 1, chat: { id: client.id, type: 'private' }, from: client, text: 'edited' } });
      fake.pushUpdate({ my_chat_member: { chat: { id: client.id, type: 'private' }, from: client, date: 0, old_chat_member: { status: 'member', user: fake.bot }, new_chat_member: { status: 'kicked', user: fake.bot, until_date: 0 } } });
      fake.pushUpdate({ poll: { id: `p${round}`, question: 'q', options: [], total_voter_count: 0, is_closed: false, is_anonymous: true, type: 'regular', allows_multiple_answers: false } });
      fake.sendText(client, `/start ${'x'.repeat(200)}`);
      fake.sendText(client, 'я'.repeat(4096));
      fake.sendText(client, '/forget@someone_else_bot');
      fake.sendText(client, '/upcoming');
      fake.sendText(stranger, '/start', { chatId: group.id });
      fake.sendText(stranger, '/publish anything', { chatId: group.id });
      fake.sendMessage(client, { location: { latitude: 43.2, longitude: 76.9 } });
      fake.sendMessage(client, { contact: { phone_number: '+77000000000', first_name: 'Robust' } });
      fake.sendMessage(client, { dice: { emoji: '🎲', value: 3 } });
    }
    // Everything was consumed and the bot still answers a normal request correctly.
    for (let i = 0; i < 400 && fake.updatesPending().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(fake.updatesPending()).toEqual([]);
    // Over the flood limit each kind of command gets one answer per 10 s and the rest are dropped (L4),
    // and the bot is still working through the flood at the client's pace: asked again now and then, as
    // a person would, the client is answered as usual once the flood is over.
    const privacy = () => fake.botMessages(client.id).find((m) => String(m.text).includes('What is kept, where'));
    for (let attempt = 0; attempt < 12 && !privacy(); attempt++) {
      fake.sendText(client, '/privacy');
      await until(privacy, 'the /privacy answer', 12_000).catch(() => undefined);
    }
    expect(privacy()?.text).toMatch(/never stored/);

    // The flood was noticed and the client asked, politely, to slow down.
    expect(fake.botMessages(client.id).filter((m) => /sending messages very fast/.test(String(m.text))).length).toBeGreaterThanOrEqual(1);

    // Nothing was said in the random group, nothing failed except what Telegram refuses for good reasons.
    expect(fake.botMessages(group.id)).toEqual([]);
    // The only refusal: re-editing a menu into what it already shows (forged presses repeat the same
    // screen; the bot ignores that answer).
    const unexpected = fake.failedCalls().filter((c) => !String(c.error?.description).includes('message is not modified'));
    expect(unexpected).toEqual([]);
    expect(bot.output()).not.toMatch(/"level":50.*update handling failed/);
  }, 240_000);
});
