/**
 * Scenario 8, "busy team" (issue #12): a team at work under Telegram's real limits, enforced by the fake
 * server (20 messages a minute per group, 1 a second per private chat with a burst of 3, 30 a second
 * overall), the bot pacing as in production. A dozen clients open cases (a few through the emergency
 * screen) and write together at about twice what one group takes; consultants take cases (button or
 * first reply), answer every client message, transfer one case and close some along the way, then all
 * after the traffic has drained. Optionally with two inboxes, and with kill -9s in the middle.
 *
 * Measured from the fake server's clock: when a person's update was created, when the bot's call that
 * made the copy or the notice arrived. Copies are traced to their source by tokens (busy-ledger.ts).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegram, type Message } from '../../src/sandbox/telegram-sim/index.js';
import { PROJECT_ROOT, startBot, type BotProcess } from '../support/bot-process.js';
import { buttons } from '../support/chat.js';
import { SECRET, sleep } from './harness.js';
import { latency, Ledger, pairWithNotices, type Latency } from './busy-ledger.js';

export interface BusyOptions {
  /** Minutes of client traffic (then it drains). */
  minutes: number;
  clients: number;
  consultants: number;
  /** Client messages a minute, all clients together (one group takes 20). */
  perMinute: number;
  inboxes: 1 | 2;
  /** kill -9 and restart this many times during the traffic (0–2). */
  kills: number;
  seed: number;
}

export interface BusyFigures {
  options: BusyOptions;
  casesOpened: number;
  clientMessages: number;
  replies: number;
  consultantToClient: Latency;
  take: Latency & { missing: number };
  closeToRating: Latency & { missing: number };
  clientToTopic: Latency;
  /** Messages the bot put into each team chat per minute while the clients wrote. */
  team: { name: string; perMinute: number }[];
  calls: number;
  refused: number;
  /** "sendMessage team 3, copyMessage private 1": where the 429s were. */
  refusedWhere: string;
  lost: { client: number; reply: number };
  unmarkedDoubles: number;
  markedRepeats: number;
  kills: number;
  /** From the end of the traffic until every message had arrived (NaN: not within the wait). */
  drainMs: number;
  runMs: number;
}

type User = ReturnType<FakeTelegram['createUser']>;
type Where = { chatId: number; threadId?: number };

interface Client {
  index: number;
  user: User;
  random: () => number;
  /** Message numbers, unique across the client's cases. */
  sent: number;
  /** Not writing while a consultant waits for the case to settle before a /transfer or /close. */
  quiet: boolean;
}

interface Case {
  client: Client;
  consultant: User;
  urgent: boolean;
  topic: string;
  takeBy: 'button' | 'reply';
  taken: boolean;
  takeQueued: boolean;
  closed: boolean;
  /** The topic of the latest copy of the client's words. */
  where?: Where;
  tokens: string[];
  replies: string[];
  pendingReplies: number;
  /** The consultant's actions on this case, one after another. */
  chain: Promise<void>;
}

/** mulberry32: a small seeded generator, so every run makes the same choices. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (random: () => number, low: number, high: number) => low + random() * (high - low);
const text = (m: Message) => String(m.text ?? m.caption ?? '');
const log = (line: string): void => void process.stderr.write(`${new Date().toISOString().slice(11, 19)}   busy-team: ${line}\n`);

async function waitUntil(probe: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) return false;
    await sleep(50);
  }
  return true;
}

/** Whether this build knows INBOXES (the multi-inbox configuration of issue #12). */
export function supportsInboxes(): boolean {
  const config = join(PROJECT_ROOT, 'dist', 'config.js');
  return existsSync(config) && readFileSync(config, 'utf8').includes('INBOXES');
}

export async function busyTeam(options: BusyOptions): Promise<BusyFigures> {
  const began = Date.now();
  const fake = await FakeTelegram.start();
  const databasePath = join(mkdtempSync(join(tmpdir(), 'bench-busy-')), 'bot.db');
  const staff = Array.from({ length: options.consultants }, (_, k) => fake.createUser({ first_name: `Consultant${k}` }));
  const groups = [
    { name: 'main', chat: fake.createSupergroup({ title: 'Inbox', isForum: true, members: staff }) },
    ...(options.inboxes === 2 ? [{ name: 'lawyers', chat: fake.createSupergroup({ title: 'Lawyers', isForum: true, members: staff }) }] : []),
  ];
  const clients: Client[] = Array.from({ length: options.clients }, (_, index) => ({
    index,
    user: fake.createUser({ first_name: `Client${index}`, language_code: 'en' }),
    random: seeded(options.seed * 1_000 + index),
    sent: 0,
    quiet: false,
  }));
  fake.setRateLimits({ groupPerMinute: 20, privatePerSecond: 1, privateBurst: 3, globalPerSecond: 30 });
  const env: Record<string, string> = {
    BOT_TOKEN: fake.token,
    BOT_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATABASE_PATH: databasePath,
    DEFAULT_LANGUAGE: 'en',
    LOG_LEVEL: 'info',
    OUTGOING_PACING: 'on',
    // Half the cases (the legal ones) go to the second inbox; STAFF_CHAT_ID is left out so that a build
    // without INBOXES could not quietly run with one.
    ...(options.inboxes === 1
      ? { STAFF_CHAT_ID: String(groups[0]!.chat.id) }
      : { INBOXES: groups.map((g) => `${g.name}=${g.chat.id}`).join(','), INBOX_ROUTES: 'topic:legal=lawyers' }),
  };
  let bot: BotProcess = await startBot(env, { timeoutMs: 60_000 });
  const ledger = new Ledger(fake, groups.map((g) => g.chat.id));

  const trafficMs = options.minutes * 60_000;
  const t0 = Date.now();
  const tEnd = t0 + trafficMs;
  const cases: Case[] = [];
  const caseOfToken = new Map<string, Case>();
  const currentCase = new Map<Client, Case>();
  const takes: { clientId: number; at: number }[] = [];
  const closes: { clientId: number; at: number }[] = [];

  const act = (kase: Case, step: () => Promise<void> | void): Promise<void> => {
    kase.chain = kase.chain.then(step).catch((error: unknown) => log(`client ${kase.client.index}: ${String(error)}`));
    return kase.chain;
  };
  const say = (user: User, words: string, where: Where) => fake.sendText(user, words, { chatId: where.chatId, ...(where.threadId !== undefined ? { threadId: where.threadId } : {}) });

  // ——— clients ———

  /** Reads the client's chat in order until a message matches; undefined when nothing did in time. */
  async function readUntil(client: Client, match: (m: Message) => boolean, timeoutMs = 180_000): Promise<Message | undefined> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const m = await fake.nextBotMessage(client.user.id, { timeoutMs: Math.max(1, end - Date.now()) }).catch(() => undefined);
      if (m && match(m)) return m;
    }
    return undefined;
  }

  function write(client: Client, kase: Case): void {
    const token = `c${client.index}-m${++client.sent}`;
    const pushedAt = Date.now();
    const message = fake.sendText(client.user, token);
    ledger.sent(token, 'client', client.user.id, client.user.id, message.message_id, pushedAt);
    kase.tokens.push(token);
    caseOfToken.set(token, kase);
  }

  async function openCase(client: Client, kase: Case): Promise<boolean> {
    const { user } = client;
    if (kase.urgent) {
      fake.sendText(user, '/help');
      const page = await readUntil(client, (m) => buttons(m).includes('n:consult:urgent'));
      if (!page) return false;
      fake.pressButton(user, page, 'n:consult:urgent');
      return !!(await readUntil(client, (m) => /first in line/.test(text(m))));
    }
    fake.sendText(user, '/consult');
    let described = false;
    for (;;) {
      const m = await readUntil(client, (x) => buttons(x).length > 0 || /You are in the queue/.test(text(x)));
      if (!m) return false;
      const data = buttons(m);
      if (/You are in the queue/.test(text(m))) return true;
      if (data.includes(`intake:topic:${kase.topic}`)) fake.pressButton(user, m, `intake:topic:${kase.topic}`);
      else if (data.includes('intake:skip') && !described) {
        described = true;
        write(client, kase); // the description, copied into the topic like any message
      } else if (data.includes('intake:go')) fake.pressButton(user, m, 'intake:go');
      else {
        const skip = data.find((d) => /skip/.test(d)); // an optional step a later build may add
        if (skip) fake.pressButton(user, m, skip);
      }
    }
  }

  const urgentClient = (client: Client) => client.index % 4 === 0;
  // Legal cases are half of all (and go to the second inbox when there is one).
  const topicOf = (client: Client) => (client.index % 4 === 2 || client.index % 4 === 3 ? 'legal' : 'substances');

  async function runClient(client: Client): Promise<void> {
    await sleep(Math.max(0, t0 + client.index * 2_500 - Date.now()));
    let first = true;
    const meanGap = (options.clients * 60_000) / options.perMinute;
    while (Date.now() < tEnd - 20_000) {
      const kase: Case = {
        client,
        consultant: staff[client.index % staff.length]!,
        urgent: first && urgentClient(client),
        topic: topicOf(client),
        takeBy: urgentClient(client) || client.index % 2 === 0 ? 'button' : 'reply',
        taken: false,
        takeQueued: false,
        closed: false,
        tokens: [],
        replies: [],
        pendingReplies: 0,
        chain: Promise.resolve(),
      };
      first = false;
      cases.push(kase);
      currentCase.set(client, kase);
      if (!(await openCase(client, kase))) return log(`client ${client.index}: could not open a case`);
      while (!kase.closed && Date.now() < tEnd) {
        await sleep(between(client.random, 0.5, 1.5) * meanGap);
        if (!kase.closed && !client.quiet && Date.now() < tEnd) write(client, kase);
      }
      if (!kase.closed) return;
      await readUntil(client, (m) => /conversation has ended/.test(text(m)));
      await sleep(8_000); // then comes back with something new
    }
  }

  // ——— consultants ———

  function reply(kase: Case, token: string): void {
    const where = kase.where!;
    const words = `r${kase.client.index}-${token.split('-m')[1]!}`;
    const pushedAt = Date.now();
    const message = say(kase.consultant, words, where);
    ledger.sent(words, 'reply', kase.client.user.id, where.chatId, message.message_id, pushedAt);
    kase.replies.push(words);
    if (!kase.taken) {
      takes.push({ clientId: kase.client.user.id, at: pushedAt }); // the first reply takes the case
      kase.taken = true;
    }
  }

  async function pressTake(kase: Case): Promise<void> {
    await sleep(between(kase.client.random, 1_000, 3_000));
    const where = kase.where!;
    const isCard = (m: Message) => m.message_thread_id === where.threadId && buttons(m).some((b) => b.startsWith('case:take:'));
    let card: Message | undefined;
    await waitUntil(() => !!(card = fake.messages(where.chatId).find(isCard)), 60_000);
    if (!card) return log(`client ${kase.client.index}: no card with a Take button; the first reply takes the case`);
    const pushedAt = Date.now();
    fake.pressButton(kase.consultant, card, buttons(card).find((b) => b.startsWith('case:take:'))!);
    takes.push({ clientId: kase.client.user.id, at: pushedAt });
    kase.taken = true;
  }

  // A consultant answers every client message a few seconds after it shows up in the topic.
  ledger.onArrival((token, arrival) => {
    const kase = caseOfToken.get(token);
    if (!kase) return;
    kase.where = { chatId: arrival.chatId, ...(arrival.threadId !== undefined ? { threadId: arrival.threadId } : {}) };
    if (kase.takeBy === 'button' && !kase.taken && !kase.takeQueued) {
      kase.takeQueued = true;
      void act(kase, () => pressTake(kase));
    }
    const replyAt = arrival.at + between(kase.client.random, 2_000, 6_000);
    kase.pendingReplies++;
    void act(kase, async () => {
      await sleep(Math.max(0, replyAt - Date.now()));
      if (!kase.closed) reply(kase, token);
      kase.pendingReplies--;
    });
  });

  /** Everything the client wrote is in the topic and every answer reached them. */
  const settled = (kase: Case) => kase.pendingReplies === 0 && kase.tokens.every((t) => ledger.arrived(t)) && kase.replies.every((r) => ledger.arrived(r));

  /** The consultant lets the case settle (the client pauses), then sends `command` in its topic. */
  async function command(kase: Case, words: string, after: () => void): Promise<void> {
    kase.client.quiet = true;
    if (!(await waitUntil(() => settled(kase), 300_000))) log(`client ${kase.client.index}: not settled before "${words}"`);
    await act(kase, () => {
      after();
      say(kase.consultant, words, kase.where!);
    });
    kase.client.quiet = false;
  }
  const close = (kase: Case) =>
    command(kase, '/close', () => {
      closes.push({ clientId: kase.client.user.id, at: Date.now() });
      kase.closed = true;
    });

  async function midRun(fraction: number, clientIndex: number, what: (kase: Case) => Promise<void>, name: string): Promise<void> {
    await sleep(Math.max(0, t0 + fraction * trafficMs - Date.now()));
    const kase = currentCase.get(clients[clientIndex % clients.length]!);
    if (!kase || kase.closed || !kase.where || !kase.taken) return log(`${name} skipped: client ${clientIndex}'s case not ready`);
    await what(kase);
  }
  const transfer = (kase: Case) =>
    command(kase, options.inboxes === 2 ? '/transfer lawyers' : '/transfer lawyer', () => {
      // With one inbox the case goes back to the queue for a lawyer: the next reply takes it again.
      if (options.inboxes === 1) kase.taken = false;
    });

  let kills = 0;
  async function killer(): Promise<void> {
    for (let k = 1; k <= options.kills; k++) {
      await sleep(Math.max(0, t0 + (k / (options.kills + 1)) * trafficMs + 7_000 - Date.now()));
      log(`kill -9 #${k}`);
      await bot.crash();
      kills++;
      bot = await startBot(env, { timeoutMs: 60_000 });
    }
  }

  log(`${options.clients} clients, ${options.consultants} consultants, ${options.inboxes} inbox(es), ${options.minutes} min of traffic, ${options.kills} kill(s)`);
  await Promise.all([
    ...clients.map((c) => runClient(c).catch((error: unknown) => log(`client ${c.index}: ${String(error)}`))),
    midRun(0.3, 1, transfer, 'transfer'),
    midRun(0.5, 5, close, 'close'),
    midRun(0.65, 3, close, 'close'),
    killer(),
  ]);

  log('traffic over; draining');
  const drained = await waitUntil(() => ledger.pending().length === 0 && cases.every((c) => c.pendingReplies === 0), 5 * 60_000);
  const drainMs = drained ? Date.now() - tEnd : Number.NaN;
  if (!drained) log(`not delivered: ${ledger.pending().slice(0, 10).join(', ')}`);
  const open = cases.filter((c) => !c.closed && c.where);
  for (const kase of open) {
    void close(kase);
    await sleep(300);
  }
  await waitUntil(() => ledger.notices.filter((n) => n.kind === 'rating').length >= closes.length, 120_000);
  await sleep(3_000); // anything doubled would show up by now

  const joined = pairWithNotices(takes, ledger.notices.filter((n) => n.kind === 'joined'));
  const rated = pairWithNotices(closes, ledger.notices.filter((n) => n.kind === 'rating'));
  const client = ledger.integrity('client');
  const replies = ledger.integrity('reply');
  const figures: BusyFigures = {
    options,
    casesOpened: cases.length,
    clientMessages: client.sources,
    replies: replies.sources,
    consultantToClient: latency(ledger.latencies('reply')),
    take: { ...latency(joined.delays), missing: joined.missing },
    closeToRating: { ...latency(rated.delays), missing: rated.missing },
    clientToTopic: latency(ledger.latencies('client')),
    team: groups.map((g) => ({ name: g.name, perMinute: ledger.teamPerMinute(g.chat.id, t0, tEnd) })),
    calls: ledger.calls,
    refused: ledger.refused,
    refusedWhere: [...ledger.refusedBy].map(([what, count]) => `${what} ${count}`).join(', '),
    lost: { client: client.lost, reply: replies.lost },
    unmarkedDoubles: client.unmarkedDoubles + replies.unmarkedDoubles,
    markedRepeats: client.markedRepeats + replies.markedRepeats,
    kills,
    drainMs,
    runMs: Date.now() - began,
  };
  ledger.close();
  await bot.stop();
  await fake.stop();
  return figures;
}

export const BUSY_DEFAULTS = { clients: 12, consultants: 4, perMinute: 40, seed: 12 } as const;

if (import.meta.url === `file://${process.argv[1]}`) {
  const minutes = Number(process.env.BUSY_MINUTES ?? 4);
  const inboxes = process.env.BUSY_INBOXES === '2' ? 2 : 1;
  if (inboxes === 2 && !supportsInboxes()) console.log('two inboxes: not supported by this build');
  else console.log(await busyTeam({ ...BUSY_DEFAULTS, minutes, inboxes, kills: Number(process.env.BUSY_KILLS ?? 0) }));
}
