import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { PROJECT_ROOT, startBot, type BotProcess } from '../support/bot-process.js';
import { buttons, chatHelpers } from '../support/chat.js';
import { until } from '../support/wait.js';

/**
 * The bot's wall clock moved while it runs and between two runs (an NTP step, a restored VM snapshot, a
 * resumed laptop), by the preload tests/support/shifted-clock.mjs: timers and the monotonic clock are
 * untouched, as they are then. Forward 1 hour, 2 days and 40 days, back 1 hour; then a restart 10 days
 * on and one an hour back. Throughout, with outgoing pacing on: every client message is answered and
 * relayed, every due item (an hourly post, a reminder, a follow-up) fires once, the process goes back
 * to idle, and /healthz reports the jump.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SECRET = 'clock-secret-clock-secret-clock-secret-01';
const PRELOAD = join(PROJECT_ROOT, 'tests', 'support', 'shifted-clock.mjs');

let fake: FakeTelegram;
let bot: BotProcess | undefined;
type User = ReturnType<FakeTelegram['createUser']>;
const { clientSees, withButton } = chatHelpers(() => fake, 20_000);

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

/** CPU time (user + system, ms) the process has used so far, from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms (CLK_TCK 100)
}

async function health(port: number): Promise<{ ok: boolean; clock?: { lastJumpMs: number | null; jumps: number } }> {
  return (await fetch(`http://127.0.0.1:${port}/healthz`)).json() as never;
}

describe('when the wall clock jumps', () => {
  it('keeps answering and relaying, fires each due item once, returns to idle, and reports the jump', async () => {
    const anna = fake.createUser({ first_name: 'Anna' });
    const staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [anna] });
    const channel = fake.createChannel({ title: 'News', username: 'clock_news' });
    const waiting = fake.createUser({ first_name: 'Waiting', language_code: 'en' });
    const talking = fake.createUser({ first_name: 'Talking', language_code: 'en' });

    // The content folder without its dated posts, plus one post due at the top of every hour.
    const content = mkdtempSync(join(tmpdir(), 'clock-content-'));
    cpSync(join(PROJECT_ROOT, 'content'), content, { recursive: true, filter: (src) => !src.includes(`${join(PROJECT_ROOT, 'content', 'posts')}`) });
    mkdirSync(join(content, 'posts'), { recursive: true });
    writeFileSync(join(content, 'posts', 'hourly.md'), '---\nchannel: news\nschedule: "0 * * * *"\n---\nHourly news.\n');

    // The shifted clock starts at ten past an hour, so that the test ends long before the next one.
    const offsetFile = join(mkdtempSync(join(tmpdir(), 'clock-offset-')), 'offset');
    let offset = Math.floor(Date.now() / HOUR) * HOUR + 10 * MINUTE - Date.now();
    const shifted = () => Date.now() + offset;
    const move = (by: number) => {
      offset += by;
      writeFileSync(offsetFile, String(offset));
    };
    move(0);
    const env = {
      BOT_TOKEN: fake.token,
      BOT_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      STAFF_CHAT_ID: String(staff.id),
      CONTENT_DIR: content,
      DEFAULT_LANGUAGE: 'en',
      CHANNELS: 'news=@clock_news',
      TIMEZONE: 'Asia/Almaty',
      OUTGOING_PACING: 'on', // pacing budgets are durations: they must survive the jumps too
      SHIFTED_CLOCK_FILE: offsetFile,
      LOG_LEVEL: 'info',
    };
    const start = async (databasePath?: string) =>
      (bot = await startBot(databasePath ? { ...env, DATABASE_PATH: databasePath } : env, { nodeArgs: ['--import', PRELOAD], timeoutMs: 30_000 }));
    let running = await start();
    const databasePath = running.databasePath; // the restarts use the same database (startBot names a fresh one otherwise)

    const posts = () => fake.botMessages(channel.id).filter((m) => m.text === 'Hourly news.').length;
    const general = (pattern: RegExp) => fake.botMessages(staff.id).filter((m) => m.message_thread_id === undefined && pattern.test(String(m.text ?? ''))).length;
    const reminders = () => general(/has been waiting \d+ min/);
    const questions = () => fake.botMessages(waiting.id).filter((m) => /did you get there, and was it OK/.test(String(m.text ?? ''))).length;
    await until(() => posts() === 1, 'the post of this hour, published late at the first start', 20_000);

    // A client waits in the queue; another talks with Anna.
    const intake = async (client: User) => {
      fake.sendText(client, '/consult');
      fake.pressButton(client, await withButton(client, 'intake:topic:substances'), 'intake:topic:substances');
      fake.pressButton(client, await withButton(client, 'intake:skip'), 'intake:skip');
      fake.pressButton(client, await withButton(client, 'intake:go'), 'intake:go');
      await clientSees(client, /You are in the queue/);
    };
    await intake(waiting);
    await intake(talking);
    const card = await until(
      () => fake.botMessages(staff.id).filter((m) => buttons(m).some((b) => b.startsWith('case:take:'))).at(-1),
      'the second case card',
      30_000,
    );
    const take = buttons(card).find((b) => b.startsWith('case:take:'))!;
    fake.pressButton(anna, card, take);
    await clientSees(talking, /has joined the conversation/);
    const threadId = card.message_thread_id!;

    // The waiting client asked for a follow-up question about a code, due in half an hour.
    const db = new Database(databasePath);
    db.pragma('busy_timeout = 5000');
    db.prepare(
      "INSERT INTO referral_codes (code, type, place, source, client_key, issued_hour, expires_at, follow_up_lang, ask_at) VALUES ('K7QM4X', 'hiv-test', NULL, 'pickup', ?, ?, ?, 'en', ?)",
    ).run(createPrivacy(SECRET).clientKey(waiting.id), Math.floor(shifted() / HOUR) * HOUR, shifted() + 400 * DAY, shifted() + 30 * MINUTE);
    db.close();

    /**
     * A round of the busy relay and a newcomer's /start. The newcomer is answered within seconds; the
     * client's question reaches the topic as soon as the team chat's budget (20 a minute, shared with the
     * board, the reports and the reminders) allows, and the consultant's answers come back within seconds.
     * Returns how long the newcomer waited.
     */
    let round = 0;
    const busy = async () => {
      round++;
      fake.sendText(talking, `question ${round}`);
      // Four quick answers in a private chat: more than its burst, so its budget must refill on time.
      const began = performance.now();
      const newcomer = fake.createUser({ first_name: `New${round}`, language_code: 'en' });
      for (let i = 0; i < 4; i++) fake.sendText(newcomer, '/start');
      await until(() => fake.botMessages(newcomer.id).filter((m) => /What do you need/.test(String(m.text ?? ''))).length >= 4, `four menus for newcomer ${round}`, 15_000);
      const answered = performance.now() - began;
      await until(() => fake.messages(staff.id).find((m) => m.message_thread_id === threadId && m.text?.includes(`question ${round}`)), `question ${round} in the topic`, 70_000);
      for (let i = 1; i <= 3; i++) fake.sendText(anna, `answer ${round}.${i}`, { chatId: staff.id, threadId });
      await until(() => fake.botMessages(talking.id).some((m) => m.text?.includes(`answer ${round}.3`)), `answer ${round}.3 at the client`, 15_000);
      return answered;
    };
    /** Moves the clock while the bot runs; waits until /healthz shows that jump. */
    const jump = async (by: number) => {
      const jumpsBefore = (await health(running.port)).clock?.jumps ?? 0;
      move(by);
      let seen = await health(running.port);
      for (let i = 0; i < 100 && (seen.clock?.jumps ?? 0) <= jumpsBefore; i++) {
        await new Promise((r) => setTimeout(r, 100));
        seen = await health(running.port);
      }
      expect(seen.clock?.jumps).toBe(jumpsBefore + 1);
      expect(Math.abs(seen.clock!.lastJumpMs! - by)).toBeLessThan(5_000);
    };
    /** CPU used over 3 s of idling after things settle. */
    const idleCpu = async () => {
      await new Promise((r) => setTimeout(r, 1_000));
      const before = cpuMs(running.child.pid!);
      await new Promise((r) => setTimeout(r, 3_000));
      return cpuMs(running.child.pid!) - before;
    };
    const settle = () => new Promise((r) => setTimeout(r, 2_500));

    expect(await busy()).toBeLessThan(5_000);
    expect([posts(), reminders(), questions()]).toEqual([1, 0, 0]);

    // An hour ahead: this hour's post, the reminder for the waiting case and the follow-up question, once each.
    await jump(HOUR);
    await until(() => posts() === 2 && reminders() === 1 && questions() === 1, 'the post, the reminder and the question', 20_000);
    expect(await busy()).toBeLessThan(5_000);

    // Two days ahead: one post (the latest), not 48; the rest is named to the editors in one report.
    await jump(2 * DAY);
    await until(() => posts() === 3, 'the latest post', 20_000);
    await until(() => general(/Not published because/) === 1, 'the report of the missed posts', 20_000);
    expect(await busy()).toBeLessThan(5_000);

    // An hour back: nothing again, and pacing is not stuck an hour in the future.
    await jump(-HOUR);
    expect(await busy()).toBeLessThan(5_000);
    await settle();
    expect([posts(), reminders(), questions()]).toEqual([3, 1, 1]);

    // Forty days ahead: one post again, and the process goes back to idle.
    await jump(40 * DAY);
    await until(() => posts() === 4, 'the latest post after 40 days', 20_000);
    expect(await busy()).toBeLessThan(5_000);
    expect(await idleCpu()).toBeLessThan(1_000);
    expect([reminders(), questions()]).toEqual([1, 1]);
    expect(running.output()).toContain('the wall clock jumped');

    // Stopped, and started again 10 days later: one post, answering at once, idle soon.
    expect(await running.stop()).toBe(0);
    move(10 * DAY);
    running = await start(databasePath);
    await until(() => posts() === 5, 'the latest post after the restart', 20_000);
    expect(await busy()).toBeLessThan(5_000);
    expect(await idleCpu()).toBeLessThan(1_000);

    // Stopped, and started an hour back: nothing twice, nothing waits out the hour.
    expect(await running.stop()).toBe(0);
    move(-HOUR);
    running = await start(databasePath);
    expect(await busy()).toBeLessThan(5_000);
    await settle();
    expect([posts(), reminders(), questions()]).toEqual([5, 1, 1]);
    expect((await health(running.port)).ok).toBe(true);
  }, 300_000);
});
