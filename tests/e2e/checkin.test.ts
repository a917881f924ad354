import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Message, type User } from '../../src/sandbox/telegram-sim/index.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { until } from '../support/wait.js';
import { buttons } from '../support/chat.js';
import { databaseFiles, scanFiles } from '../support/byte-scan.js';
import { buddies, checkins } from '../../src/db/schema.js';

/**
 * "Check on me" (issue 22) through Telegram, with a clock the test owns: pairing a buddy by a one-time
 * link, a check-in answered, extended and ended, one that escalates to the buddy and the team (the plan on
 * the card only while it lasts) and stops at the client's answer, and /forget on both sides.
 */

let fake: FakeTelegram;
let bot: InProcessBot;
let staff: ReturnType<FakeTelegram['createSupergroup']>;
let anna: User;
let kai: User;
let bea: User;
let now = Date.now();
const MIN = 60_000;
const PLAN = 'Flat 12, third floor, key under the mat';

const textOf = (m: Message) => String(m.text ?? m.caption ?? '');
const seen = (user: User, pattern: RegExp) => fake.botMessages(user.id).filter((m) => pattern.test(textOf(m)));
const sees = (user: User, pattern: RegExp, what = String(pattern)) => until(() => seen(user, pattern).at(-1), `${what} in ${user.first_name}'s chat`);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Presses the newest button with this data in the user's chat. */
async function press(user: User, data: string): Promise<void> {
  const message = await until(() => [...fake.botMessages(user.id)].reverse().find((m) => buttons(m).includes(data)), `a button ${data} for ${user.first_name}`);
  fake.pressButton(user, message, data);
}

/** Moves the bot's clock and runs the check-ins' round; then lets the relay and the sends finish. */
async function advance(ms: number): Promise<void> {
  now += ms;
  await bot.tickAt(new Date(now));
  await bot.created.checkins.run();
  await bot.created.relay.drain(5_000);
}

const rows = () => bot.db.select().from(checkins).all();
const staffTexts = () => fake.messages(staff.id).map(textOf);

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  anna = fake.createUser({ first_name: 'Anna' });
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [anna] });
  kai = fake.createUser({ first_name: 'Kairat', username: 'kairat_secret', language_code: 'en' });
  bea = fake.createUser({ first_name: 'Beatrisa', username: 'bea_secret', language_code: 'en' });
  bot = await startInProcessBot({ BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, STAFF_CHAT_ID: String(staff.id), DEFAULT_LANGUAGE: 'en', CHECKIN_ANSWER_MINUTES: '5' });
  await bot.tickAt(new Date(now));
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('check on me', () => {
  it('pairs a buddy through a one-time start link with their consent; neither sees the other\'s account', async () => {
    fake.sendText(kai, '/buddy');
    await press(kai, 'bd:new');
    const link = await sees(kai, /start=bd_/, 'the invitation link');
    const token = /start=bd_([A-Za-z0-9_-]{16})/.exec(textOf(link))![1]!;

    fake.sendText(kai, `/start bd_${token}`);
    await sees(kai, /your own invitation/);

    fake.sendText(bea, `/start bd_${token}`);
    await sees(bea, /asks you to be their check-in buddy/);
    await press(bea, `bd:y:${token}`);
    await sees(bea, /You are now a check-in buddy/);
    await sees(kai, /Your buddy has agreed/);

    // Once only.
    const carl = fake.createUser({ first_name: 'Carl', language_code: 'en' });
    fake.sendText(carl, `/start bd_${token}`);
    await sees(carl, /does not work/);

    // At rest: the buddy is kept under a key of their own, their chat id sealed.
    const pairing = bot.db.select().from(buddies).all();
    expect(pairing).toHaveLength(1);
    expect(pairing[0]!.tokenHash).toBeNull();
    expect(pairing[0]!.buddyChatRef).not.toContain(String(bea.id));
    for (const m of fake.botMessages(bea.id)) expect(textOf(m)).not.toMatch(/Kairat|kairat_secret|${kai.id}/);
    for (const m of fake.botMessages(kai.id)) expect(textOf(m)).not.toMatch(/Beatrisa|bea_secret|${bea.id}/);
  });

  it('asks at the chosen time; +15 min moves the next ask; "I\'m OK" ends it; "End" ends it; nothing stays', async () => {
    fake.sendText(kai, '/checkin');
    await sees(kai, /cannot call 103/);
    await press(kai, 'ck:t:15');
    await press(kai, 'ck:go');
    await sees(kai, /Check-in started/);
    await advance(14 * MIN);
    expect(seen(kai, /Are you OK\?/)).toHaveLength(0);
    await advance(1 * MIN);
    await sees(kai, /Are you OK\?/);
    fake.sendText(kai, '/consult'); // in the middle of an intake, the check-in's buttons still work
    await sees(kai, /What is it about/);
    await press(kai, 'ck:ext');
    await sees(kai, /the next "are you OK\?" comes at/);
    await advance(14 * MIN);
    expect(seen(kai, /Are you OK\?/)).toHaveLength(1);
    await advance(1 * MIN);
    await until(() => seen(kai, /Are you OK\?/).length === 2, 'the ask after the extension');
    await press(kai, 'ck:ok');
    await sees(kai, /Good to hear/);
    await until(() => rows().length === 0, 'the check-in deleted');

    fake.sendText(kai, '/checkin');
    await press(kai, 'ck:t:30');
    await press(kai, 'ck:go');
    await until(() => seen(kai, /Check-in started/).length === 2, 'the second start');
    await press(kai, 'ck:end');
    await sees(kai, /^The check-in has ended/);
    await until(() => rows().length === 0, 'the check-in deleted');
    await advance(60 * MIN);
    expect(seen(kai, /Are you OK\?/)).toHaveLength(2); // an ended check-in asks nothing
    expect(seen(bea, /Check-in alert/)).toHaveLength(0);
  });

  it('escalates to the buddy and the team after two unanswered asks, once; the plan is sealed, on the card only while it lasts; an answer stops it and tells them', async () => {
    fake.sendText(kai, '/checkin');
    await press(kai, 'ck:t:30');
    await press(kai, 'ck:b');
    await press(kai, 'ck:tm');
    await press(kai, 'ck:plan');
    await sees(kai, /Write your plan/);
    const planMessage = fake.sendText(kai, PLAN);
    await sees(kai, /Plan saved/);
    await until(() => !fake.messages(kai.id).some((m) => m.message_id === planMessage.message_id), 'the plan deleted from the client\'s chat');
    expect(rows()[0]!.sealedPlan).not.toContain('key under');
    await press(kai, 'ck:go');
    await until(() => seen(kai, /Check-in started/).length === 3, 'the start');

    await advance(30 * MIN);
    await until(() => seen(kai, /Are you OK\?/).length === 3, 'the first ask');
    await advance(5 * MIN);
    await sees(kai, /second ask/);
    expect(seen(bea, /Check-in alert/)).toHaveLength(0);
    await advance(5 * MIN);

    await sees(kai, /Your buddy and the on-duty team have been alerted/);
    const alert = await sees(bea, /Check-in alert/);
    expect(textOf(alert)).toContain(PLAN);
    expect(textOf(alert)).toMatch(/cannot call anyone/);
    expect(textOf(alert)).not.toMatch(/Kairat|kairat_secret/);
    const card = await until(() => fake.messages(staff.id).find((m) => /Check-in plan/.test(textOf(m))), 'the card with the plan');
    expect(textOf(card)).toContain(PLAN);
    const topic = fake.chat(staff.id).topics.find((t) => t.message_thread_id === card.message_thread_id)!;
    expect(topic.name).toMatch(/^🆘/);
    await until(() => staffTexts().some((t) => /Check-in not answered/.test(t)), 'the note in the topic');
    expect(staffTexts().join('\n')).not.toMatch(/Kairat|kairat_secret|Beatrisa/);

    // At rest: neither the plan nor the buddy's id in clear anywhere in the database files.
    const needles = [PLAN, 'key under the mat', String(bea.id)].map((s) => ({ label: s, bytes: Buffer.from(s, 'utf8') }));
    expect(scanFiles(databaseFiles(bot.config.databasePath), needles)).toEqual([]);

    // More rounds, later: nothing twice.
    await advance(1 * MIN);
    await advance(1 * MIN);
    await pause(100);
    expect(seen(bea, /Check-in alert/)).toHaveLength(1);
    expect(seen(kai, /have been alerted/)).toHaveLength(1);
    expect(staffTexts().filter((t) => /Check-in not answered/.test(t))).toHaveLength(1);

    // Any message is an answer: the check-in ends, the buddy and the team are told, the plan leaves the card.
    fake.sendText(kai, 'sorry, I was asleep');
    await sees(kai, /Good to hear.*Whoever was alerted/s);
    await sees(bea, /has answered that they are OK/);
    await until(() => !fake.messages(bea.id).some((m) => textOf(m).includes(PLAN)), 'the plan gone from the buddy\'s chat');
    await sees(bea, /Check-in alert: over/);
    await until(() => staffTexts().some((t) => /answered the check-in: they are OK/.test(t)), 'the team told');
    await until(() => !fake.messages(staff.id).some((m) => textOf(m).includes(PLAN)), 'the plan gone from the team\'s chat');
    await bot.created.checkins.run();
    expect(rows()).toEqual([]);
    await advance(60 * MIN);
    expect(seen(bea, /Check-in alert/)).toHaveLength(1);
  });

  it('/forget by the buddy ends the pairing and tells the client; /forget by the client leaves no check-in or pairing', async () => {
    fake.sendText(bea, '/forget');
    await press(bea, 'forget:yes');
    await sees(kai, /Your buddy has ended the pairing/);
    expect(bot.db.select().from(buddies).all()).toEqual([]);

    fake.sendText(kai, '/buddy');
    await until(() => seen(kai, /A buddy is someone you trust/).length > 0, 'the buddy screen without a buddy');
    await press(kai, 'bd:new');
    await until(() => seen(kai, /start=bd_/).length === 2, 'a second link');
    fake.sendText(kai, '/checkin');
    await press(kai, 'ck:t:60');
    await until(() => rows().length === 1, 'the setup');
    fake.sendText(kai, '/forget');
    await press(kai, 'forget:yes');
    const done = await sees(kai, /Erased/i);
    expect(textOf(done)).toMatch(/your check-in with its plan/);
    expect(rows()).toEqual([]);
    expect(bot.db.select().from(buddies).all()).toEqual([]);
  });
});
