import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Message, type User } from '../../src/sandbox/telegram-sim/index.js';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { until } from '../support/wait.js';
import { buttons } from '../support/chat.js';

/**
 * Check-ins across crashes (issue 22.5), the real process killed with SIGKILL: an escalation that came due
 * while the bot was down fires at start, once; a crash just after it sends nothing twice; the answer
 * afterwards still reaches the buddy and the team. A check-in minute is 200 ms here (CHECKIN_MINUTE_MS).
 */

let fake: FakeTelegram;
let bot: BotProcess;
let staff: ReturnType<FakeTelegram['createSupergroup']>;
let kai: User;
let bea: User;
const PLAN = 'Room 7, the door is open';

const textOf = (m: Message) => String(m.text ?? m.caption ?? '');
const seen = (user: User, pattern: RegExp) => fake.botMessages(user.id).filter((m) => pattern.test(textOf(m)));
const sees = (user: User, pattern: RegExp, timeoutMs = 10_000) => until(() => seen(user, pattern).at(-1), `${pattern} in ${user.first_name}'s chat`, timeoutMs);
const staffTexts = () => fake.messages(staff.id).map(textOf);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function press(user: User, data: string): Promise<void> {
  const message = await until(() => [...fake.botMessages(user.id)].reverse().find((m) => buttons(m).includes(data)), `a button ${data}`);
  fake.pressButton(user, message, data);
}

let env: Record<string, string>;

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  const anna = fake.createUser({ first_name: 'Anna' });
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [anna] });
  kai = fake.createUser({ first_name: 'Kairat', language_code: 'en' });
  bea = fake.createUser({ first_name: 'Beatrisa', language_code: 'en' });
  env = {
    BOT_TOKEN: fake.token,
    BOT_SECRET: 'checkin-restart-secret-checkin-restart-01',
    TELEGRAM_API_ROOT: fake.apiRoot,
    STAFF_CHAT_ID: String(staff.id),
    DEFAULT_LANGUAGE: 'en',
    CHECKIN_MINUTE_MS: '200',
    CHECKIN_ANSWER_MINUTES: '5',
  };
  bot = await startBot(env);
  env.DATABASE_PATH = bot.databasePath; // every restart opens the same database
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('a check-in across kill -9 at the moment of escalation', () => {
  it('escalates once, at start, after a crash before it was due; a crash just after it repeats nothing; the answer reaches everyone', async () => {
    fake.sendText(kai, '/buddy');
    await press(kai, 'bd:new');
    const token = /start=bd_([A-Za-z0-9_-]{16})/.exec(textOf(await sees(kai, /start=bd_/)))![1]!;
    fake.sendText(bea, `/start bd_${token}`);
    await press(bea, `bd:y:${token}`);
    await sees(kai, /Your buddy has agreed/);

    fake.sendText(kai, '/checkin');
    await press(kai, 'ck:t:15'); // 3 s here
    await press(kai, 'ck:b');
    await until(() => [...fake.botMessages(kai.id)].reverse().find((m) => buttons(m).includes('ck:b') && /Buddy: ☑️/.test(textOf(m))), 'the buddy ticked');
    await press(kai, 'ck:tm');
    await until(() => [...fake.botMessages(kai.id)].reverse().find((m) => /On-duty team: ☑️/.test(textOf(m))), 'the team ticked');
    await press(kai, 'ck:plan');
    await sees(kai, /Write your plan/);
    fake.sendText(kai, PLAN);
    await sees(kai, /Plan saved/);
    await press(kai, 'ck:go');
    await sees(kai, /Check-in started/);

    await sees(kai, /second ask/, 10_000);
    await bot.crash(); // the escalation is due 1 s later, while the bot is down
    await pause(1_200);
    expect(seen(bea, /Check-in alert/)).toHaveLength(0);

    bot = await startBot(env);
    const alert = await sees(bea, /Check-in alert/);
    expect(textOf(alert)).toContain(PLAN);
    await sees(kai, /Your buddy and the on-duty team have been alerted/);
    await pause(300); // the step's messages recorded as sent (Telegram's own window: see the report)
    await bot.crash();

    bot = await startBot(env);
    await until(() => fake.messages(staff.id).find((m) => textOf(m).includes(PLAN)), 'the card with the plan');
    await pause(800); // many rounds (one each 50 ms here): nothing due may fire again
    expect(seen(bea, /Check-in alert/)).toHaveLength(1);
    expect(seen(kai, /have been alerted/)).toHaveLength(1);
    expect(seen(kai, /Are you OK\?/)).toHaveLength(2);
    expect(staffTexts().filter((t) => /Check-in not answered/.test(t))).toHaveLength(1);
    expect(fake.chat(staff.id).topics.filter((t) => t.name.startsWith('🆘'))).toHaveLength(1);

    await press(kai, 'ck:ok');
    await sees(bea, /has answered that they are OK/);
    await until(() => !fake.messages(bea.id).some((m) => textOf(m).includes(PLAN)), 'the plan gone from the buddy\'s chat');
    await until(() => staffTexts().some((t) => /answered the check-in/.test(t)), 'the team told');
    await until(() => !fake.messages(staff.id).some((m) => textOf(m).includes(PLAN)), 'the plan gone from the card');
    await pause(300);
    expect(seen(bea, /has answered/)).toHaveLength(1);
  }, 45_000);
});
