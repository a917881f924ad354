/**
 * Scenario 11: `clients` clients answer a 10-question survey at once, through the real bot process and
 * the fake Bot API (one tap per question, as a person would, each waiting for the next screen), then
 * each asks for it again and must be refused. Counted: responses, markers and unfinished rows in the
 * database (each answer stored exactly once), the counts per answer against what the clients chose, taps
 * per second and the p50/p95 of a tap → the next screen.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegram, type Message } from '../../src/sandbox/telegram-sim/index.js';
import { PROJECT_ROOT, startBot } from '../support/bot-process.js';
import { closeDatabase, openDatabase } from '../../src/db/connection.js';
import { parseSurvey } from '../../src/content/surveys.js';
import { surveyTally } from '../../src/inbox/survey-results.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { SECRET, botEnv } from './harness.js';

const QUESTIONS = 10;
const OPTIONS = 3;

function benchSurvey(): string {
  const t = (text: string) => `{ ru: "${text}", en: "${text}" }`;
  const questions = Array.from({ length: QUESTIONS }, (_, q) =>
    [`  - id: q${q}`, '    type: single', `    text: ${t(`Question ${q + 1}`)}`, '    options:', ...Array.from({ length: OPTIONS }, (_, o) => `      - { id: o${o}, text: ${t(`Answer ${o + 1}`)} }`)].join('\n'),
  );
  return [`title: ${t('Bench survey')}`, `intro: ${t('Ten questions')}`, 'closes: 2099-12-31', 'ready: { by: "bench", on: 2026-01-01 }', 'questions:', ...questions].join('\n');
}

export interface SurveyFigures {
  clients: number;
  responses: number;
  markers: number;
  unfinished: number;
  refusedAgain: number;
  /** Questions whose counts per answer match what the clients chose. */
  correctQuestions: number;
  tapsPerSecond: number;
  p50: number;
  p95: number;
  seconds: number;
}

export async function surveyUnderLoad(options: { clients: number }): Promise<SurveyFigures> {
  const content = mkdtempSync(join(tmpdir(), 'bench-survey-content-'));
  cpSync(join(PROJECT_ROOT, 'content'), content, { recursive: true });
  const source = benchSurvey();
  writeFileSync(join(content, 'surveys', 'bench.yml'), source);
  const fake = await FakeTelegram.start();
  const databasePath = join(mkdtempSync(join(tmpdir(), 'bench-survey-')), 'bot.db');
  const staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [] });
  const bot = await startBot(botEnv(fake, staff.id, databasePath, { CONTENT_DIR: content, OUTGOING_PACING: 'off' }), { timeoutMs: 60_000 });
  const users = Array.from({ length: options.clients }, (_, i) => fake.createUser({ first_name: `S${i}`, language_code: 'en' }));
  const latencies: number[] = [];
  const choice = (client: number, q: number) => (client + q * 7) % OPTIONS;
  const buttons = (m: Message) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data ?? '');
  const next = async (user: (typeof users)[number], pattern: (m: Message) => boolean): Promise<Message> => {
    for (;;) {
      const m = await fake.nextBotMessage(user.id, { timeoutMs: 180_000 });
      if (pattern(m)) return m;
    }
  };
  let refusedAgain = 0;

  const started = performance.now();
  await Promise.all(
    users.map(async (user, i) => {
      fake.sendText(user, '/start survey-bench');
      let screen = await next(user, (m) => buttons(m).some((b) => b.startsWith('sv:c:bench:0:')));
      for (let q = 0; q < QUESTIONS; q++) {
        const at = performance.now();
        fake.pressButton(user, screen, `sv:c:bench:${q}:${choice(i, q)}`);
        screen = await next(user, (m) => (q + 1 < QUESTIONS ? buttons(m).some((b) => b.startsWith(`sv:c:bench:${q + 1}:`)) : /Thank you/.test(String(m.text))));
        latencies.push(performance.now() - at);
      }
      fake.sendText(user, '/start survey-bench');
      await next(user, (m) => /already answered/.test(String(m.text)));
      refusedAgain++;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await bot.stop();
  await fake.stop();

  const db = openDatabase(databasePath, { migrate: false });
  const count = (table: string) => (db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const survey = parseSurvey('surveys/bench.yml', 'bench', source).survey!;
  const tally = surveyTally(db, createPrivacy(SECRET), survey, 'en');
  const correctQuestions = tally.questions.filter((q, qi) => q.counts.every((c, o) => c.n === users.filter((_, i) => choice(i, qi) === o).length)).length;
  const figures = { responses: count('survey_responses'), markers: count('survey_markers'), unfinished: count('survey_progress') };
  closeDatabase(db);
  latencies.sort((a, b) => a - b);
  return {
    clients: users.length,
    ...figures,
    refusedAgain,
    correctQuestions,
    tapsPerSecond: (users.length * QUESTIONS) / seconds,
    p50: latencies[Math.floor(latencies.length * 0.5)] ?? NaN,
    p95: latencies[Math.floor(latencies.length * 0.95)] ?? NaN,
    seconds,
  };
}
