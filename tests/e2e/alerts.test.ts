import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Message } from '../../src/sandbox/telegram-sim/index.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { buttons, chatHelpers } from '../support/chat.js';
import { until } from '../support/wait.js';
import { Subscriptions } from '../../src/alerts/subscriptions.js';

/**
 * Drug alerts through Telegram (the real bot over HTTP against the fake Bot API, in this process so the
 * test owns the clock): clients subscribe to regions and change them; staff draft, a second member
 * approves (the drafter cannot), each subscriber of those regions gets it once in their language, a
 * channel copy; update, withdrawal, expiry; a client who blocked the bot is dropped; /forget; a restart
 * in the middle of a broadcast sends nobody a second copy.
 */

let fake: FakeTelegram;
let bot: InProcessBot;
type User = ReturnType<FakeTelegram['createUser']>;
let staff: ReturnType<FakeTelegram['createSupergroup']>;
let channel: ReturnType<FakeTelegram['createChannel']>;
let aigerim: User;
let dmitry: User;
let dbPath: string;
let now = Date.UTC(2026, 11, 8, 6, 0);

const { clientSees, withButton } = chatHelpers(() => fake);
const textOf = (m: Message) => String(m.text ?? m.caption ?? '');
const alertsIn = (user: User, pattern = /Drug alert:|Предупреждение:|Ескерту:/) => fake.botMessages(user.id).filter((m) => pattern.test(textOf(m)));

async function staffSees(pattern: RegExp): Promise<Message> {
  for (;;) {
    const m = await fake.nextBotMessage(staff.id, { timeoutMs: 10_000 });
    if (pattern.test(textOf(m))) return m;
  }
}

/** The client opens /alerts and taps the regions (each tap toggles one). */
async function subscribe(user: User, ...regions: string[]): Promise<Message> {
  fake.sendText(user, '/alerts');
  let screen = await withButton(user, `alerts:t:${regions[0]}`);
  for (const region of regions) {
    fake.pressButton(user, screen, `alerts:t:${region}`);
    screen = await until(() => {
      const latest = fake.botMessages(user.id).find((m) => m.message_id === screen.message_id);
      return latest && latest !== screen && textOf(latest) !== textOf(screen) ? latest : undefined;
    }, 'the screen after the tap');
  }
  return screen;
}

const DRAFT = ['/alert', 'regions: north, almaty', 'severity: high', 'substance: nitazene', 'sold as: heroin', 'effects: people stopped breathing after one dose', 'effects.ru: люди перестали дышать после одной дозы', 'action: test dose, never alone', 'expires: 48h', 'channel: news'].join('\n');

async function draftAndApprove(draft = DRAFT): Promise<number> {
  fake.sendText(aigerim, draft, { chatId: staff.id });
  const card = await staffSees(/Alert #\d+<\/b>, draft|Alert #\d+, draft/);
  const id = Number(/#(\d+)/.exec(textOf(card))![1]);
  fake.pressButton(dmitry, card, `alert:approve:${id}`);
  await staffSees(new RegExp(`Alert #${id} approved`));
  return id;
}

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  aigerim = fake.createUser({ first_name: 'Aigerim' });
  dmitry = fake.createUser({ first_name: 'Dmitry' });
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [aigerim, dmitry] });
  channel = fake.createChannel({ title: 'News', username: 'alerts_news' });
  dbPath = join(mkdtempSync(join(tmpdir(), 'alerts-db-')), 'bot.db');
  bot = await startInProcessBot(
    { BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, STAFF_CHAT_ID: String(staff.id), DEFAULT_LANGUAGE: 'en', CHANNELS: 'news=@alerts_news', ALERT_APPROVALS: '2' },
    { databasePath: dbPath },
  );
  await bot.tickAt(new Date(now));
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('drug alerts', () => {
  it('a client subscribes to regions, sees and changes them, and stops; only the regions and a sealed chat id are kept', async () => {
    const client = fake.createUser({ first_name: 'Kim', language_code: 'en' });
    let screen = await subscribe(client, 'north', 'almaty');
    expect(textOf(screen)).toMatch(/You get alerts for: North, Almaty/);
    const rows = bot.db.$client.prepare('SELECT * FROM alert_subscriptions').all() as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!).sort()).toEqual(['chat_ref', 'key', 'language', 'regions']);
    expect(rows[0]!.regions).toBe(',north,almaty,');
    expect(JSON.stringify(rows)).not.toContain(String(client.id));
    // Tapping a region again takes it off.
    fake.pressButton(client, screen, 'alerts:t:north');
    screen = await until(() => fake.botMessages(client.id).find((m) => m.message_id === screen.message_id && /for: Almaty\./.test(textOf(m))), 'north off');
    expect(buttons(screen)).toContain('alerts:off');
    fake.pressButton(client, screen, 'alerts:off');
    await clientSees(client, /no more alerts/);
    expect(bot.db.$client.prepare('SELECT count(*) AS n FROM alert_subscriptions').get()).toEqual({ n: 0 });
    // The main menu offers it.
    fake.sendText(client, '/start');
    expect(buttons(await withButton(client, 'menu:alerts'))).toContain('menu:alerts');
  });

  it('a draft needs a second member: the drafter cannot approve it; then each subscriber of its regions gets it once, in their language, and the channel a copy', async () => {
    const en = fake.createUser({ first_name: 'Alex', language_code: 'en' });
    const ru = fake.createUser({ first_name: 'Саша', language_code: 'ru' });
    const kk = fake.createUser({ first_name: 'Айдос', language_code: 'kk' });
    const both = fake.createUser({ first_name: 'Jo', language_code: 'en' });
    await subscribe(en, 'north');
    await subscribe(ru, 'almaty');
    await subscribe(kk, 'south');
    await subscribe(both, 'north', 'almaty');

    fake.sendText(aigerim, DRAFT, { chatId: staff.id });
    const card = await staffSees(/Alert #\d+<\/b>, draft|Alert #\d+, draft/);
    const id = Number(/#(\d+)/.exec(textOf(card))![1]);
    expect(textOf(card)).toMatch(/Subscribers in those regions now: 3/);
    expect(textOf(card)).toMatch(/no current clinician's sign-off/);
    // The drafter presses Approve: refused.
    fake.pressButton(aigerim, card, `alert:approve:${id}`);
    await staffSees(new RegExp(`agreed to alert #${id} already`));
    expect(alertsIn(en)).toHaveLength(0);
    // A second member approves.
    fake.pressButton(dmitry, card, `alert:approve:${id}`);
    await staffSees(new RegExp(`Alert #${id} approved: going out to 3 subscribers`));
    await clientSees(en, /Drug alert: nitazene/);
    const ruAlert = await clientSees(ru, /Предупреждение: nitazene/);
    expect(textOf(ruAlert)).toMatch(/люди перестали дышать/);
    expect(textOf(ruAlert)).not.toMatch(/проверено|checked/i);
    await clientSees(both, /Drug alert: nitazene/);
    await until(() => fake.botMessages(channel.id).some((m) => /nitazene/.test(textOf(m))), 'the channel copy');
    await staffSees(new RegExp(`Alert #${id} has reached every subscriber`));
    expect(alertsIn(en)).toHaveLength(1);
    expect(alertsIn(both)).toHaveLength(1);
    expect(alertsIn(kk, /nitazene/)).toHaveLength(0);
    expect(fake.botMessages(channel.id).filter((m) => /nitazene/.test(textOf(m)))).toHaveLength(1);

    // Figures in the chat it was drafted in.
    fake.sendText(aigerim, `/alert stats ${id}`, { chatId: staff.id });
    const stats = await staffSees(/📊/);
    expect(textOf(stats)).toMatch(/sent 3, failed 0, blocked the bot 0, uncertain 0/);
    expect(textOf(stats)).toMatch(/Time to finish: \d+ s/);

    // A new subscriber of a region while the alert holds gets it too.
    const late = fake.createUser({ first_name: 'Robin', language_code: 'en' });
    await subscribe(late, 'almaty');
    await clientSees(late, /Drug alert: nitazene/);

    // Update: held until a second person agrees (the proposer cannot agree twice), then the delivered
    // messages are edited.
    fake.sendText(aigerim, `/alert update ${id}\naction: carry naloxone`, { chatId: staff.id });
    const waiting = await staffSees(new RegExp(`change to alert #${id} waits: 1 of 2 agreed`));
    await new Promise((r) => setTimeout(r, 300));
    expect(alertsIn(en).some((m) => /carry naloxone/.test(textOf(m)))).toBe(false);
    fake.pressButton(aigerim, waiting, `alert:revise:${id}`);
    await staffSees(new RegExp(`agreed to this change to alert #${id} already`));
    fake.pressButton(dmitry, waiting, `alert:revise:${id}`);
    await staffSees(new RegExp(`Alert #${id} updated`));
    await until(() => alertsIn(en).find((m) => /carry naloxone/.test(textOf(m)) && /Updated by the team/.test(textOf(m))), 'the edited alert');
    await until(() => fake.botMessages(channel.id).find((m) => /carry naloxone/.test(textOf(m))), 'the edited channel copy');
    expect(alertsIn(en)).toHaveLength(1);

    // Withdrawal: those who got it are told, under the message they got.
    fake.sendText(aigerim, `/alert withdraw ${id}`, { chatId: staff.id });
    await staffSees(new RegExp(`Alert #${id} withdrawn: 4 subscribers`));
    const notice = await clientSees(en, /This alert was withdrawn/);
    expect(notice.reply_to_message?.message_id).toBe(alertsIn(en)[0]!.message_id);
    await clientSees(ru, /отозвано/);
    await until(() => fake.botMessages(channel.id).find((m) => /withdrawn/.test(textOf(m))), 'the channel told');
    // Nothing of who got it is kept once it has ended.
    await until(() => (bot.db.$client.prepare('SELECT count(*) AS n FROM alert_deliveries WHERE alert_id = ?').get(id) as { n: number }).n === 0, 'delivery rows gone');
    expect(alertsIn(kk, /nitazene/)).toHaveLength(0);
  });

  it('an alert expires at its time, a client who blocked the bot is dropped, and /forget removes a subscription', async () => {
    const gone = fake.createUser({ first_name: 'Valya', language_code: 'ru' });
    const stays = fake.createUser({ first_name: 'Dana', language_code: 'kk' });
    await subscribe(gone, 'east');
    await subscribe(stays, 'east');
    fake.blockBot(gone);
    const id = await draftAndApprove(['/alert', 'regions: east', 'substance: carfentanil', 'effects: deadly in tiny amounts', 'expires: 2h'].join('\n'));
    await clientSees(stays, /Ескерту: carfentanil/);
    await staffSees(new RegExp(`Alert #${id} has reached every subscriber`));
    const row = bot.db.$client.prepare('SELECT sent, blocked FROM alerts WHERE id = ?').get(id);
    expect(row).toEqual({ sent: 1, blocked: 1 });
    expect((bot.db.$client.prepare('SELECT count(*) AS n FROM alert_subscriptions').get() as { n: number }).n).toBeGreaterThan(0);
    // Expiry: two hours later it has ended and the message numbers are gone.
    now += 2 * 3_600_000 + 1_000;
    await bot.tickAt(new Date(now));
    bot.created.broadcaster.checkExpiry();
    await staffSees(new RegExp(`Alert #${id} has expired`));
    expect(bot.db.$client.prepare('SELECT status FROM alerts WHERE id = ?').get(id)).toEqual({ status: 'expired' });
    expect(bot.db.$client.prepare('SELECT count(*) AS n FROM alert_deliveries WHERE alert_id = ?').get(id)).toEqual({ n: 0 });
    // /forget takes the subscription.
    const key = bot.created.privacy.subscriptionKey(bot.created.privacy.clientKey(stays.id));
    expect(bot.db.$client.prepare('SELECT count(*) AS n FROM alert_subscriptions WHERE key = ?').get(key)).toEqual({ n: 1 });
    fake.sendText(stays, '/forget');
    fake.pressButton(stays, await withButton(stays, 'forget:yes'), 'forget:yes');
    await clientSees(stays, /ескертулерге жазылымың/);
    expect(bot.db.$client.prepare('SELECT count(*) AS n FROM alert_subscriptions WHERE key = ?').get(key)).toEqual({ n: 0 });
  });

  it('a bad draft is refused naming the field; cancel; /privacy names subscriptions', async () => {
    fake.sendText(aigerim, '/alert\nregions: mars\nsubstance: x\neffects: y\nexpires: forever', { chatId: staff.id });
    const refused = await staffSees(/Not drafted/);
    expect(textOf(refused)).toMatch(/regions: mars is not in alert_regions/);
    expect(textOf(refused)).toMatch(/expires must be a duration/);
    const client = fake.createUser({ first_name: 'Jo', language_code: 'en' });
    fake.sendText(client, '/privacy');
    await clientSees(client, /subscribe to drug alerts/);
  });

  it('a restart in the middle of a broadcast sends nobody a second copy', async () => {
    const subscribers = Array.from({ length: 150 }, (_, i) => fake.createUser({ first_name: `S${i}`, language_code: 'en' }));
    const subscriptions = new Subscriptions(bot.db, bot.created.privacy);
    for (const user of subscribers) subscriptions.set(bot.created.privacy.clientKey(user.id), user.id, ['west'], 'en', now);
    const id = await draftAndApprove(['/alert', 'regions: west', 'substance: xylazine', 'effects: wounds', 'expires: 6h'].join('\n'));
    const got = () => subscribers.filter((u) => alertsIn(u, /xylazine/).length > 0).length;
    await until(() => got() >= 20 || undefined, 'some delivered');
    await bot.stop();
    const before = got();
    bot = await startInProcessBot(
      { BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, STAFF_CHAT_ID: String(staff.id), DEFAULT_LANGUAGE: 'en', CHANNELS: 'news=@alerts_news', ALERT_APPROVALS: '2' },
      { databasePath: dbPath },
    );
    await bot.tickAt(new Date(now));
    await until(() => bot.db.$client.prepare('SELECT status FROM alerts WHERE id = ?').get(id) as { status: string } | undefined, 'alert');
    await until(() => (bot.db.$client.prepare('SELECT status FROM alerts WHERE id = ?').get(id) as { status: string }).status === 'sent', 'finished', 20_000);
    expect(before).toBeLessThan(150);
    const counts = subscribers.map((u) => alertsIn(u, /xylazine/).length);
    expect(Math.max(...counts)).toBe(1);
    expect(counts.filter((c) => c === 1)).toHaveLength(150);
  });
});
