import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { FakeTelegram, type Chat, type Message, type User } from '../../src/sandbox/telegram-sim/index.js';
import { clients } from '../../src/db/schema.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { chatHelpers } from '../support/chat.js';

/**
 * A model-based, randomised test of "nothing crosses": several inboxes whose groups number their
 * messages and topics from 1 alike (so ids overlap everywhere), several clients, and a seeded sequence
 * of what people do: clients write, edit and reply; consultants take, reply, edit and reply to clients'
 * words; cases move between inboxes (/transfer); INBOXES is re-pointed (two ids swapped) with a restart;
 * plain restarts. The model knows which case every word belongs to (each carries a unique token naming
 * its client) and after every step checks, over every chat the simulator holds:
 *  - nothing a client or a consultant wrote (or edited) is in any chat but its own case's: the client's
 *    chat, or a topic the case has had in a group its inbox had at the time;
 *  - nothing is lost: each client message reaches its case's current topic, each consultant reply its
 *    client, and an edit of something already delivered reaches the same place.
 * A failure names the seed and the step; `SEEDS=1234 npx vitest run tests/e2e/crossed-wires-model.test.ts`
 * replays it.
 */

const SEEDS = (process.env.SEEDS ?? '1,2,3').split(',').map(Number);
const STEPS = Number(process.env.STEPS ?? 32);
const INBOX_NAMES = ['north', 'south', 'east'] as const;
type InboxName = (typeof INBOX_NAMES)[number];
const ROUTES = 'topic:legal=south,topic:mental=east';
const INTAKE: Record<InboxName, string> = { north: 'substances', south: 'legal', east: 'mental' };
const TOKEN = /\b([ck])(\d+)([mreq])(\d+)\b/g;
const WAIT_MS = 8_000;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
  };
}

interface Topic {
  group: number;
  thread: number;
}

interface CaseModel {
  ci: number;
  user: User;
  pseudonym: string;
  inbox: InboxName;
  holder?: User;
  /** Every topic the case has had (where its words may be), the last being the current one. */
  topics: Topic[];
  /** The client's messages whose copy was seen in a topic: ones an edit or a reply may refer to. */
  delivered: Message[];
  /** The consultant replies written in the current topic that reached the client (editable by the holder). */
  replies: { message: Message; by: User }[];
}

let fake: FakeTelegram;
let bot: InProcessBot | undefined;
const { clientSees, intake } = chatHelpers(() => fake, WAIT_MS);

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
  await fake?.stop();
});

const textOf = (m: Message) => String(m.text ?? m.caption ?? '');
const tokensIn = (text: string) => [...text.matchAll(TOKEN)].map((m) => ({ token: m[0], owner: Number(m[2]) }));

async function waitFor<T>(probe: () => T | undefined | false, what: string): Promise<T> {
  const end = Date.now() + WAIT_MS;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`lost: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function runSeed(seed: number): Promise<void> {
  const rnd = prng(seed);
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  const consultants = ['Dana', 'Erlan', 'Gulnara'].map((first_name) => fake.createUser({ first_name }));
  const groups = INBOX_NAMES.map((name) => fake.createSupergroup({ title: name, isForum: true, members: consultants }));
  const groupOf = new Map<InboxName, Chat>(INBOX_NAMES.map((name, i) => [name, groups[i]!]));
  const databasePath = join(mkdtempSync(join(tmpdir(), 'model-db-')), 'bot.db');
  const start = async () => {
    const inboxes = INBOX_NAMES.map((name) => `${name}=${groupOf.get(name)!.id}`).join(',');
    bot = await startInProcessBot({ BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, INBOXES: inboxes, INBOX_ROUTES: ROUTES, DEFAULT_LANGUAGE: 'en' }, { databasePath });
  };
  const restart = async () => {
    await bot!.stop();
    await start();
    await bot!.created.erasure.runPending(); // the deletions the background jobs would do at start
  };
  await start();

  let counter = 0;
  const token = (kind: 'c' | 'k', ci: number, what: 'm' | 'r' | 'e' | 'q') => `${kind}${ci}${what}${++counter}`;
  const models: CaseModel[] = [];
  const current = (c: CaseModel) => c.topics[c.topics.length - 1]!;
  const inCurrentTopic = (c: CaseModel, tok: string) => {
    const { group, thread } = current(c);
    return fake.messages(group).find((m) => m.message_thread_id === thread && textOf(m).includes(tok));
  };
  const atClient = (c: CaseModel, tok: string) => fake.botMessages(c.user).find((m) => textOf(m).includes(tok));

  /** The case's newest topic in its inbox's group, once it is not one it had before (a move makes a new one). */
  const awaitNewTopic = async (c: CaseModel, what: string) => {
    const group = groupOf.get(c.inbox)!.id;
    const known = new Set(c.topics.filter((t) => t.group === group).map((t) => t.thread));
    const topic = await waitFor(
      () =>
        fake
          .chat(group)
          .topics.filter((t) => t.name.includes(c.pseudonym) && !known.has(t.message_thread_id))
          .sort((a, b) => b.message_thread_id - a.message_thread_id)[0],
      `${what}: a new topic for client ${c.ci} in ${c.inbox}`,
    );
    c.topics.push({ group, thread: topic.message_thread_id });
  };

  // Every client opens a case: at least one per inbox, some inboxes with two.
  for (let ci = 0; ci < 5; ci++) {
    const inbox = INBOX_NAMES[ci % 3]!;
    const user = fake.createUser({ first_name: `Client${ci}`, language_code: 'en' });
    await intake(user, INTAKE[inbox]);
    await clientSees(user, /in the queue/);
    const pseudonym = bot!.db.select().from(clients).where(eq(clients.key, bot!.created.privacy.clientKey(user.id))).get()!.pseudonym;
    const c: CaseModel = { ci, user, pseudonym, inbox, topics: [], delivered: [], replies: [] };
    await awaitNewTopic(c, 'intake');
    models.push(c);
  }

  /** Nothing of a case is in any chat but its own: its client's, or a topic it has had. */
  const checkNothingCrossed = () => {
    for (const group of groups) {
      for (const m of fake.messages(group.id)) {
        const seen = [...tokensIn(textOf(m)), ...(m.reply_to_message ? tokensIn(textOf(m.reply_to_message)) : [])];
        for (const { token: tok, owner } of seen) {
          const ok = models[owner]!.topics.some((t) => t.group === group.id && t.thread === m.message_thread_id);
          if (!ok) throw new Error(`crossed: "${tok}" of client ${owner} is in ${group.title}, topic ${m.message_thread_id ?? 'General'} (message ${m.message_id}: ${JSON.stringify(textOf(m))})`);
        }
      }
    }
    for (const c of models) {
      for (const m of fake.messages(c.user.id)) {
        const seen = [...tokensIn(textOf(m)), ...(m.reply_to_message ? tokensIn(textOf(m.reply_to_message)) : [])];
        for (const { token: tok, owner } of seen) {
          if (owner !== c.ci) throw new Error(`crossed: "${tok}" of client ${owner} is in the chat of client ${c.ci} (${JSON.stringify(textOf(m))})`);
        }
      }
    }
  };

  const actions: { weight: number; name: string; run: () => Promise<void> }[] = [
    {
      weight: 24,
      name: 'client writes',
      run: async () => {
        const c = rnd.pick(models);
        const tok = token('c', c.ci, 'm');
        const sent = fake.sendText(c.user, `${tok} hello`);
        await waitFor(() => inCurrentTopic(c, tok), `client ${c.ci}'s "${tok}" in their topic`);
        c.delivered.push(sent);
      },
    },
    {
      weight: 9,
      name: 'client edits an earlier message',
      run: async () => {
        const c = rnd.pick(models.filter((m) => m.delivered.length > 0));
        if (!c) return;
        const earlier = rnd.pick(c.delivered);
        const tok = token('c', c.ci, 'e');
        const edited = fake.editUserMessage(c.user, earlier, `${tok} edited`);
        c.delivered[c.delivered.indexOf(earlier)] = edited;
        await waitFor(() => inCurrentTopic(c, tok), `client ${c.ci}'s edit "${tok}" in their topic`);
      },
    },
    {
      weight: 8,
      name: 'client replies to an earlier message',
      run: async () => {
        const c = rnd.pick(models);
        const earlier = [...c.delivered, ...fake.botMessages(c.user).filter((m) => tokensIn(textOf(m)).length > 0)];
        if (earlier.length === 0) return;
        const tok = token('c', c.ci, 'q');
        const sent = fake.sendText(c.user, `${tok} about that`, { replyTo: rnd.pick(earlier) });
        await waitFor(() => inCurrentTopic(c, tok), `client ${c.ci}'s reply "${tok}" in their topic`);
        c.delivered.push(sent);
      },
    },
    {
      weight: 24,
      name: 'consultant replies',
      run: async () => {
        const c = rnd.pick(models);
        const by = c.holder ?? rnd.pick(consultants);
        const tok = token('k', c.ci, 'r');
        const { group, thread } = current(c);
        const copies = fake.messages(group).filter((m) => m.message_thread_id === thread && m.from?.is_bot && tokensIn(textOf(m)).length > 0);
        const replyTo = copies.length > 0 && rnd.next() < 0.4 ? rnd.pick(copies) : undefined;
        const sent = fake.sendText(by, `${tok} answer`, { chatId: group, threadId: thread, ...(replyTo ? { replyTo } : {}) });
        c.holder = by; // a reply to a waiting case takes it
        await waitFor(() => atClient(c, tok), `consultant reply "${tok}" at client ${c.ci}`);
        c.replies.push({ message: sent, by });
      },
    },
    {
      weight: 8,
      name: 'consultant edits a reply',
      run: async () => {
        const c = rnd.pick(models.filter((m) => m.replies.some((r) => r.by === m.holder)));
        if (!c) return;
        const reply = rnd.pick(c.replies.filter((r) => r.by === c.holder));
        const tok = token('k', c.ci, 'e');
        reply.message = fake.editUserMessage(reply.by, reply.message, `${tok} corrected`);
        await waitFor(() => atClient(c, tok), `consultant edit "${tok}" at client ${c.ci}`);
      },
    },
    {
      weight: 6,
      name: '/transfer to another inbox',
      run: async () => {
        const c = rnd.pick(models);
        const to = rnd.pick(INBOX_NAMES.filter((n) => n !== c.inbox));
        const { group, thread } = current(c);
        fake.sendText(c.holder ?? rnd.pick(consultants), `/transfer ${to}`, { chatId: group, threadId: thread });
        c.inbox = to;
        c.holder = undefined;
        c.replies = [];
        await awaitNewTopic(c, `/transfer ${to}`);
      },
    },
    {
      weight: 3,
      name: 're-point INBOXES (two ids swapped) and restart',
      run: async () => {
        const [a, b] = [rnd.pick(INBOX_NAMES), rnd.pick(INBOX_NAMES)];
        if (a === b) return;
        const ga = groupOf.get(a)!;
        groupOf.set(a, groupOf.get(b)!);
        groupOf.set(b, ga);
        await restart();
        for (const c of models.filter((m) => m.inbox === a || m.inbox === b)) {
          c.replies = [];
          await awaitNewTopic(c, `INBOXES swap ${a}<->${b}`);
        }
      },
    },
    {
      weight: 3,
      name: 'restart',
      run: restart,
    },
  ];
  const total = actions.reduce((sum, a) => sum + a.weight, 0);
  const log: string[] = [];
  for (let step = 1; step <= STEPS; step++) {
    let roll = rnd.int(total);
    const action = actions.find((a) => (roll -= a.weight) < 0)!;
    log.push(`${step}. ${action.name}`);
    try {
      await action.run();
      checkNothingCrossed();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`seed ${seed}, step ${step} (${action.name}): ${reason}\nreplay: SEEDS=${seed} STEPS=${step} npx vitest run tests/e2e/crossed-wires-model.test.ts\nsteps:\n${log.join('\n')}`);
    }
  }
  if (process.env.MODEL_LOG) console.log(`seed ${seed}:\n${log.join('\n')}`);
}

describe('nothing crosses between cases, whatever happens in whatever order (model-based, randomised)', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, () => runSeed(seed), 60_000);
  }
});
