/**
 * Scenarios 9 and 10 (issue #19, review H3): one or two client accounts trying to keep every other
 * client's words from the team, against the real bot process under Telegram's limits (the fake server
 * refuses like Telegram: 20 messages a minute per group, 1 a second per private chat with a burst of 3,
 * 30 a second overall), the bot pacing as in production.
 *
 * - "emergency cycling": two attacker accounts press emergency, send /end and confirm, again and again,
 *   as fast as the bot answers.
 * - "edit flood": an attacker edits one message already copied into their topic 60 times at once.
 *
 * One victim with an open case writes every few seconds, first without the attack (the usual latency),
 * then while it runs. Measured: the victim's message → its copy in the topic, p50 / p95, both ways; the
 * posts the bot actually made for the attackers in the team's chat; the team's backlog when the attack
 * stops.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FakeTelegram, type Message } from '../../src/sandbox/telegram-sim/index.js';
import { startBot } from '../support/bot-process.js';
import { buttons } from '../support/chat.js';
import { Arrivals, botEnv, percentile, seedCases, sleep } from './harness.js';

export interface AttackOptions {
  /** Seconds the victim writes without the attack, then with it. */
  baselineSeconds: number;
  attackSeconds: number;
  /** The victim writes every this many seconds. */
  victimEverySeconds: number;
  /** Edit flood: edits of the one message. */
  edits: number;
}

export const ATTACK_DEFAULTS: AttackOptions = { baselineSeconds: 24, attackSeconds: 64, victimEverySeconds: 8, edits: 60 };

export interface AttackFigures {
  baseline: { p50: number; p95: number; count: number };
  attacked: { p50: number; p95: number; count: number; lost: number };
  /** Emergency cycles (press, /end, answer) the attackers got through, and presses answered with the guidance only. */
  cycles: number;
  refused: number;
  /** Edit flood: edits made by the attacker. */
  edits: number;
  /** Calls into the team's chat made for the attackers while the attack ran (topics, notes, edits, cards…). */
  attackerPosts: number;
  /** Edit flood: whether the attacker's copy ended with the newest text. */
  lastEditShown?: boolean;
  /** Rows waiting for the team's chat when the attack stopped. */
  backlogAfter: number;
  runMs: number;
}

const log = (line: string): void => void process.stderr.write(`${new Date().toISOString().slice(11, 19)}   attacks: ${line}\n`);
const CHANGES_CHAT = /^(send(?!ChatAction)|copyMessage|forwardMessage|edit|createForumTopic|closeForumTopic|reopenForumTopic|delete)/;

function teamBacklog(databasePath: string): number {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM outbox WHERE to_client = 0').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The victim writes every few seconds for `seconds`; returns their latencies. */
async function victimWrites(arrivals: Arrivals, user: Parameters<Arrivals['push']>[0], label: string, seconds: number, everySeconds: number): Promise<string[]> {
  const texts: string[] = [];
  for (let i = 0; i * everySeconds < seconds; i++) {
    const text = `${label}-${i}: my friend is not breathing properly`;
    arrivals.push(user, text);
    texts.push(text);
    await sleep(everySeconds * 1_000);
  }
  return texts;
}

function figuresOf(arrivals: Arrivals, texts: string[]): { p50: number; p95: number; count: number; lost: number } {
  const all = new Map(arrivals.latenciesByText());
  const values = texts.map((t) => all.get(t)).filter((v): v is number => v !== undefined);
  return { p50: percentile(values, 50), p95: percentile(values, 95), count: values.length, lost: texts.length - values.length };
}

export async function attackScenario(kind: 'emergency-cycling' | 'edit-flood', options: AttackOptions = ATTACK_DEFAULTS): Promise<AttackFigures> {
  const started = Date.now();
  const fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  const databasePath = join(mkdtempSync(join(tmpdir(), `bench-${kind}-`)), 'bot.db');
  // The victim (and, for the edit flood, the attacker) with an open, taken case and its topic.
  const seeded = await seedCases(fake, kind === 'edit-flood' ? 2 : 1, databasePath);
  const victim = seeded.clients[0]!;
  fake.setRateLimits({ groupPerMinute: 20, privatePerSecond: 1, privateBurst: 3, globalPerSecond: 30 });
  const bot = await startBot(botEnv(fake, seeded.staffId, databasePath, { OUTGOING_PACING: 'on', DEFAULT_LANGUAGE: 'en' }), { timeoutMs: 60_000 });
  const arrivals = new Arrivals(fake, seeded.staffId);
  const firstCall = fake.calls.length;
  try {
    log(`${kind}: the victim writes every ${options.victimEverySeconds} s, ${options.baselineSeconds} s without the attack…`);
    const baselineTexts = await victimWrites(arrivals, victim.user, 'calm', options.baselineSeconds, options.victimEverySeconds);
    await arrivals.allDelivered(30_000);
    const attackFrom = fake.calls.length;

    let stop = false;
    let cycles = 0;
    let refused = 0;
    let edits = 0;
    let attack: Promise<unknown>;
    let lastEditShown: (() => boolean) | undefined;
    if (kind === 'emergency-cycling') {
      const attackers = [0, 1].map((i) => fake.createUser({ first_name: `Attacker${i}`, language_code: 'en' }));
      attack = Promise.all(
        attackers.map(async (attacker) => {
          fake.sendText(attacker, '/help');
          let sos: Message;
          for (;;) {
            sos = await fake.nextBotMessage(attacker.id, { timeoutMs: 30_000 });
            if (buttons(sos).includes('n:consult:urgent')) break;
          }
          while (!stop) {
            fake.pressButton(attacker, sos, 'n:consult:urgent');
            fake.sendText(attacker, '/end');
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
      ).catch((error: unknown) => log(`an attacker stopped: ${String(error)}`));
    } else {
      const attacker = seeded.clients[1]!;
      const msg = fake.sendText(attacker.user, 'edit me');
      const inTopic = () => fake.messages(seeded.staffId).filter((m) => m.message_thread_id === attacker.threadId);
      while (!inTopic().some((m) => m.text === 'edit me')) await sleep(50);
      for (let i = 0; i < options.edits; i++) {
        fake.editUserMessage(attacker.user, msg, `edit me ${i}`);
        edits++;
      }
      const last = `edit me ${options.edits - 1}`;
      lastEditShown = () => inTopic().some((m) => m.text === last);
      attack = Promise.resolve();
    }
    log(`${kind}: attack running; the victim writes on for ${options.attackSeconds} s…`);
    await sleep(kind === 'emergency-cycling' ? 10_000 : 500); // the attack under way before the victim writes
    const attackedTexts = await victimWrites(arrivals, victim.user, 'attacked', options.attackSeconds, options.victimEverySeconds);
    await sleep(5_000);
    stop = true;
    const backlogAfter = teamBacklog(databasePath);
    await attack;
    const victimThread = victim.threadId;
    const attackerPosts = fake.calls
      .slice(attackFrom)
      .filter((c) => c.ok && Number(c.params.chat_id) === seeded.staffId && CHANGES_CHAT.test(c.method) && Number(c.params.message_thread_id) !== victimThread).length;
    const figures: AttackFigures = {
      baseline: figuresOf(arrivals, baselineTexts),
      attacked: figuresOf(arrivals, attackedTexts),
      cycles,
      refused,
      edits,
      attackerPosts,
      ...(lastEditShown ? { lastEditShown: lastEditShown() } : {}),
      backlogAfter,
      runMs: Date.now() - started,
    };
    if (process.env.BENCH_TRACE === '1') {
      const t0 = fake.calls[attackFrom]?.at ?? 0;
      for (const c of fake.calls.slice(firstCall)) {
        if (Number(c.params.chat_id) !== seeded.staffId || !CHANGES_CHAT.test(c.method)) continue;
        log(`${((c.at - t0) / 1000).toFixed(1)} ${c.method} thread ${String(c.params.message_thread_id)} ${c.ok ? '' : 'REFUSED'} ${String(c.params.text ?? '').slice(0, 40)}`);
      }
      log(JSON.stringify(arrivals.latenciesByText()));
    }
    const refusedCalls = fake.calls.slice(firstCall).filter((c) => c.error?.error_code === 429).length;
    if (refusedCalls > 0) log(`${kind}: ${refusedCalls} calls answered 429`);
    return figures;
  } finally {
    arrivals.close();
    await bot.stop();
    await fake.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const which = (process.argv[2] ?? 'edit-flood') as 'emergency-cycling' | 'edit-flood';
  console.log(JSON.stringify(await attackScenario(which), null, 2));
}
