import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Message, type User } from '../../src/sandbox/telegram-sim/index.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { until } from '../support/wait.js';
import { buttons, chatHelpers } from '../support/chat.js';

/**
 * Shifts (issue 21.3, 21.4, 21.6) through Telegram, with a clock the test owns: /duty and /break, nudges
 * and offers only to those on duty, the off-duty notice when the last one leaves, /handover, /team,
 * /mine, /assign and /takeover by a supervisor, /tapout, the weekly hours, and the roster's boundaries.
 */

let fake: FakeTelegram;
let bot: InProcessBot;
let staff: ReturnType<FakeTelegram['createSupergroup']>;
let anna: User; // an administrator: a supervisor
let boris: User;
let contentDir: string;
// Monday 14 December 2026, 08:00 in Almaty (UTC+5), the bot's TIMEZONE.
let now = Date.parse('2026-12-14T08:00:00+05:00');
const MIN = 60_000;

const { clientSees, intake } = chatHelpers(() => fake);
const inTopic = (threadId: number) => fake.messages(staff.id).filter((m) => m.message_thread_id === threadId);
const general = () => fake.botMessages(staff.id).filter((m) => m.message_thread_id === undefined);
const card = (threadId: number) => inTopic(threadId).find((m) => /case #/.test(String(m.text)));
const takeButton = (m: Message | undefined) => (m ? buttons(m).find((b) => b.startsWith('case:take:')) : undefined);

/** Moves the bot's clock and runs one round of the inbox jobs (duty, board, reminders, unanswered cases). */
async function advance(ms: number): Promise<void> {
  now += ms;
  await bot.tickAt(new Date(now));
  await bot.created.inboxJobs.run();
}

/** Sends a command in the General topic (or a topic) and waits for the bot's reply to it. */
async function command(user: User, text: string, threadId?: number): Promise<string> {
  const sent = fake.sendText(user, text, { chatId: staff.id, ...(threadId !== undefined ? { threadId } : {}) });
  const answer = await until(() => fake.botMessages(staff.id).find((m) => m.reply_to_message?.message_id === sent.message_id), `the reply to ${text}`);
  return String(answer.text);
}

let queued: Message | undefined; // what the client of the latest case was told on joining the queue

async function openCase(client: User): Promise<number> {
  const before = new Set(fake.chat(staff.id).topics.map((t) => t.message_thread_id));
  await intake(client, 'other');
  queued = await clientSees(client, /You are in the queue/);
  return until(() => fake.chat(staff.id).topics.find((t) => !before.has(t.message_thread_id))?.message_thread_id, 'the case topic');
}

async function take(by: User, threadId: number): Promise<void> {
  const withTake = await until(() => inTopic(threadId).find((m) => takeButton(m)), 'the card with Take');
  fake.pressButton(by, withTake, takeButton(withTake)!);
  await until(() => (takeButton(card(threadId)) === undefined ? true : undefined), 'the card without Take');
}

beforeAll(async () => {
  // A copy of the content folder: the roster is written into it later in the test.
  contentDir = mkdtempSync(join(tmpdir(), 'shifts-content-'));
  cpSync(join(PROJECT_ROOT, 'content'), contentDir, { recursive: true });
  rmSync(join(contentDir, 'roster.yml'), { force: true });
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  anna = fake.createUser({ first_name: 'Anna' });
  boris = fake.createUser({ first_name: 'Boris' });
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, admins: [anna], members: [boris] });
  bot = await startInProcessBot({
    BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    STAFF_CHAT_ID: String(staff.id),
    DEFAULT_LANGUAGE: 'en',
    CASE_OPEN_MINUTES: '0',
    CONTENT_DIR: contentDir,
    WEEKLY_HOURS_LIMIT: '2',
  });
  await bot.tickAt(new Date(now));
  await command(anna, '/alias Anna');
  await command(boris, '/alias Boris');
}, 30_000);

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
  rmSync(contentDir, { recursive: true, force: true });
});

describe('shifts', () => {
  it('without any duty the bot behaves as before: /team says so, clients are told the team is there', async () => {
    expect(await command(boris, '/team')).toMatch(/Duty is not used here/);
    expect(await command(boris, '/break 15')).toMatch(/not on duty/);
    const client = fake.createUser({ first_name: 'Before', language_code: 'en' });
    await openCase(client);
    expect(queued?.text).toMatch(/Consultants are on duty now/);
    await command(anna, '/duty on'); // from here duty is used
    fake.sendText(client, '/end');
    const confirm = await until(() => fake.botMessages(client).find((m) => buttons(m).some((b) => b.startsWith('end:yes:'))), 'the confirmation');
    fake.pressButton(client, confirm, buttons(confirm).find((b) => b.startsWith('end:yes:'))!);
    await clientSees(client, /ended/i);
  }, 60_000);

  it('a consultant on a break is not nudged: the unanswered case goes back to the queue, the break ends by itself', async () => {
    expect(await command(anna, '/duty')).toMatch(/You are on duty here/);
    expect(await command(anna, '/break 0')).toMatch(/from 1 to 120 minutes/);
    const client = fake.createUser({ first_name: 'Breaker', language_code: 'en' });
    const threadId = await openCase(client);
    await take(anna, threadId);
    expect(await command(anna, '/mine')).toMatch(/Your cases<\/b>: 1|Your cases: 1/);
    expect(await command(anna, '/break 15')).toMatch(/A break of 15 min: back on duty at 08:\d\d/);
    fake.sendText(client, 'Are you there?');
    await until(() => inTopic(threadId).find((m) => /Are you there/.test(String(m.text))), 'the copy');
    await advance(10 * MIN + 1000);
    const back = await until(() => inTopic(threadId).find((m) => /Anna is on a break and the client waited too long/.test(String(m.text))), 'the note that it went back');
    expect(back.text).toMatch(/Nobody is on duty now/); // the offer names those on duty: none (Anna is away, Boris off)
    expect(inTopic(threadId).some((m) => /waited \d+ min for an answer/.test(String(m.text)))).toBe(false); // no nudge
    await clientSees(client, /someone else may answer you/);
    await advance(6 * MIN);
    expect(await command(anna, '/duty')).toMatch(/You are on duty here/);
    await until(() => general().find((m) => /Anna is back from the break/.test(String(m.text))), 'the note in General');

    // Boris, off duty, takes it from the queue: taking a case puts him on duty.
    await take(boris, threadId);
    await until(() => inTopic(threadId).find((m) => /Boris took a case and is on duty now/.test(String(m.text))), 'the note');
    fake.sendText(boris, 'Boris here', { chatId: staff.id, threadId });
    await clientSees(client, /Boris here/);
    fake.sendText(client, 'thanks, one more question');
    await until(() => inTopic(threadId).find((m) => /one more question/.test(String(m.text))), 'the copy');
    await advance(3 * MIN);

    // /team: who is on duty, cases per consultant, unanswered first; no client identity.
    const second = fake.createUser({ first_name: 'Queued', language_code: 'en' });
    await openCase(second);
    const team = await command(boris, '/team');
    expect(team).toMatch(/On duty: (Anna \(0 case\(s\).*Boris \(1 case\(s\)|Boris \(1 case\(s\).*Anna \(0 case\(s\))/);
    const lines = team.split('\n').filter((l) => /Client [0-9A-Z]{4}/.test(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^⏰ Client [0-9A-Z]{4} · Other · Boris · waits 3 min · last 3 min ago$/);
    expect(lines[1]).toMatch(/^⏳ Client [0-9A-Z]{4} · Other · queue · waits 0 min/);
    expect(team).not.toMatch(/Breaker|Queued|tg:\/\/user\?id=\d+/);

    // A supervisor only: /assign and /takeover; to someone on duty.
    expect(await command(boris, '/assign Anna', threadId)).toMatch(/Only the group's administrators/);
    expect(await command(boris, '/takeover', threadId)).toMatch(/Only the group's administrators/);
    expect(await command(anna, '/assign Boris', threadId)).toMatch(/already with Boris/);
    expect(await command(anna, '/assign Nobody', threadId)).toMatch(/Nobody here has the alias "Nobody"/);
    fake.sendText(anna, '/takeover', { chatId: staff.id, threadId });
    await until(() => inTopic(threadId).find((m) => /Anna gave the case to Anna/.test(String(m.text))), 'the takeover');
    await clientSees(client, /Anna has joined/);
    fake.sendText(anna, '/assign Boris', { chatId: staff.id, threadId });
    await until(() => inTopic(threadId).find((m) => /Anna gave the case to Boris/.test(String(m.text))), 'the assignment');
    await clientSees(client, /Boris has joined/);
    fake.sendText(anna, '/takeover', { chatId: staff.id, threadId });
    await until(() => inTopic(threadId).filter((m) => /Anna gave the case to Anna/.test(String(m.text))).length === 2 || undefined, 'the second takeover');
    expect(await command(anna, '/mine')).toMatch(/Your cases<\/b>: 1|Your cases: 1/);

    // /handover at the end of Anna's shift: the summary in General, the case back in the queue, Anna off duty.
    fake.sendText(anna, '/handover client asked about mixing; follow up', { chatId: staff.id });
    const handover = await until(() => general().find((m) => /Handover from Anna: 1 case\(s\), to queue/.test(String(m.text))), 'the handover summary');
    expect(handover.text).toMatch(/client asked about mixing; follow up/);
    expect(handover.text).toMatch(/Client [0-9A-Z]{4} · Other · answered|Client [0-9A-Z]{4} · Other · waits/);
    // The pseudonym links to the topic, where the internal notes are.
    expect(handover.entities?.some((e) => e.type === 'text_link' && /^https:\/\/t\.me\/c\/\d+\/\d+$/.test(String((e as { url?: string }).url)))).toBe(true);
    await until(() => inTopic(threadId).find((m) => /Anna went off duty: the case is back in the queue/.test(String(m.text))), 'the note in the topic');
    await clientSees(client, /shift has ended/);
    expect(await command(anna, '/duty')).toMatch(/off duty/);
  }, 90_000);

  it('the last one off duty: clients with open cases are told the team is off duty, with the emergency numbers', async () => {
    const holdClient = fake.createUser({ first_name: 'Holding', language_code: 'en' });
    const threadId = await openCase(holdClient);
    await take(boris, threadId);
    expect(await command(boris, '/duty off')).toMatch(/off duty/);
    await until(() => inTopic(threadId).find((m) => /Boris went off duty/.test(String(m.text))), 'the case back in the queue');
    await clientSees(holdClient, /The team is off duty now/);
    await until(() => general().find((m) => /Nobody is on duty any more/.test(String(m.text))), 'the note in General');
    const late = fake.createUser({ first_name: 'Late', language_code: 'en' });
    await intake(late, 'other');
    const told = await clientSees(late, /You are in the queue/);
    expect(told.text).toMatch(/The team is off duty now/);
    expect(told.text).toMatch(/103|112/); // the emergency numbers
  }, 60_000);

  it('/tapout hands every case back with the note; the weekly hours warn the consultant and the supervisors once', async () => {
    expect(await command(boris, '/duty on')).toMatch(/You are on duty/);
    const client = fake.createUser({ first_name: 'Tapped', language_code: 'en' });
    const threadId = await openCase(client);
    await take(boris, threadId);
    expect(await command(boris, '/tapout hard call, need air')).toMatch(/your cases are back with the team/);
    await until(() => inTopic(threadId).find((m) => /Boris tapped out: .*Their note: hard call, need air/.test(String(m.text))), 'the note in the topic');
    await until(() => general().find((m) => /Boris tapped out: 1 case\(s\)/.test(String(m.text))), 'the note in General');

    // Anna on duty for over 2 hours (WEEKLY_HOURS_LIMIT=2) this week: one warning, naming the supervisors.
    expect(await command(anna, '/duty on')).toMatch(/You are on duty/);
    for (let i = 0; i < 26; i++) await advance(5 * MIN);
    const warning = await until(() => general().find((m) => /Anna has been on duty 2\.\d h this week \(limit 2 h\)/.test(String(m.text))), 'the weekly warning');
    expect(warning.text).toMatch(/Supervisors: /);
    // Reminders of cases still waiting call those on duty (a mention notifies them).
    const reminder = await until(() => general().find((m) => /has been waiting \d+ min\.\n👥 On duty: Anna$/.test(String(m.text))), 'a reminder naming Anna');
    expect(reminder.entities?.some((e) => e.type === 'text_mention' && (e as { user?: { id: number } }).user?.id === anna.id)).toBe(true);
    await advance(5 * MIN);
    expect(general().filter((m) => /this week \(limit 2 h\)/.test(String(m.text)))).toHaveLength(1);
    expect(await command(anna, '/duty off')).toMatch(/off duty/);
  }, 90_000);

  it('the roster puts people on and off duty at its boundaries; a /duty by hand stands until the next one', async () => {
    const at = (hhmm: string) => Date.parse(`2026-12-14T${hhmm}:00+05:00`) - now;
    writeFileSync(join(contentDir, 'roster.yml'), 'shifts:\n  - alias: Boris\n    when: Mon 14:00-14:30, Mon 15:30-16:30\n');
    await advance(at('13:55'));
    expect(await command(boris, '/duty')).toMatch(/off duty/);
    await advance(at('14:05')); // the shift began
    expect(await command(boris, '/duty')).toMatch(/You are on duty/);
    await until(() => general().find((m) => /Boris is on duty now \(roster\)/.test(String(m.text))), 'the roster note in General');
    await command(boris, '/duty off'); // by hand, within the shift
    await advance(at('14:10'));
    expect(await command(boris, '/duty')).toMatch(/off duty/); // stands
    await advance(at('15:31')); // the next shift starts
    expect(await command(boris, '/duty')).toMatch(/You are on duty/);
    const client = fake.createUser({ first_name: 'Rostered', language_code: 'en' });
    const threadId = await openCase(client);
    await take(boris, threadId);
    await advance(at('16:31')); // the shift ended: off duty by the roster, his case released, the client told when the team is back
    await until(() => inTopic(threadId).find((m) => /Boris went off duty/.test(String(m.text))), 'the case back in the queue');
    await clientSees(client, /The team is off duty now and will be back on 2026-12-21 14:00/);

    // A supervisor stops using duty: WORKING_HOURS (always open here) decides again.
    expect(await command(boris, '/duty reset')).toMatch(/Only the group's administrators/);
    expect(await command(anna, '/duty reset')).toMatch(/Duty is no longer used here/);
    expect(await command(boris, '/team')).toMatch(/Duty is not used here/);
    const after = fake.createUser({ first_name: 'After', language_code: 'en' });
    await openCase(after);
    expect(queued?.text).toMatch(/Consultants are on duty now/);
  }, 90_000);
});
