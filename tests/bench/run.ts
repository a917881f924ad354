/**
 * npm run bench: the real bot process (the build in dist/, as `npm start` runs it) against the fake
 * Bot API server, in eleven scenarios (select some by name: `npm run bench -- busy-team`, or BENCH_ONLY=a,b). Prints a table and rewrites the measured part of BENCHMARKS.md
 * (between its markers; the notes around it are kept). BENCH_QUICK=1 runs everything small, to check
 * that the benchmark itself works; those figures mean little.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { mb } from './harness.js';
import { throughput } from './throughput.js';
import { limits } from './limits.js';
import { crashLoop } from './crash.js';
import { footprint } from './footprint.js';
import { fairness } from './fairness.js';
import { startPath } from './start-path.js';
import { redeemUnderLoad } from './redeem.js';
import { BUSY_DEFAULTS, busyTeam, supportsInboxes, type BusyFigures } from './busy-team.js';
import { ATTACK_DEFAULTS, attackScenario } from './attacks.js';
import { surveyUnderLoad } from './survey.js';
import { alertBroadcast } from './alerts.js';

const quick = process.env.BENCH_QUICK === '1';
// Scenarios by name, from BENCH_ONLY=a,b or the command line (`npm run bench -- busy-team`).
const selected = [...(process.env.BENCH_ONLY?.split(',') ?? []), ...process.argv.slice(2)];
const only = selected.length > 0 ? selected : undefined;
const wanted = (name: string) => !only || only.includes(name);
const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

type Row = [scenario: string, measure: string, result: string, reference: string, target: string, verdict: string];
const rows: Row[] = [];
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const n = (x: number) => Math.round(x).toLocaleString('en-US');

if (wanted('throughput')) {
  const options = quick ? { clients: 50, perClient: 4, steadyRate: 100 } : { clients: 1_000, perClient: 10, steadyRate: 250 };
  log(`throughput: ${n(options.clients)} clients × ${options.perClient} messages, bare grammY relay then the bot…`);
  const { bot, bare } = await throughput(options);
  const ratio = bot.perSecond / bare.perSecond;
  const added = bot.p99 - bare.p99;
  const size = `${n(options.clients)} clients × ${options.perClient}`;
  rows.push(
    ['1. Throughput', `messages relayed per second (${size}, all waiting at once)`, `${n(bot.perSecond)}/s in ${n(bot.inboxCalls)} inbox messages`, `bare grammY: ${n(bare.perSecond)}/s in ${n(bare.inboxCalls)}`, '≥ 80% of bare', `${pct(ratio)}: ${verdict(ratio >= 0.8)}`],
    ['', `latency p50 / p95 / p99, update available → copy in the inbox (${options.steadyRate} messages/s)`, `${ms(bot.p50)} / ${ms(bot.p95)} / ${ms(bot.p99)}`, `bare: ${ms(bare.p50)} / ${ms(bare.p95)} / ${ms(bare.p99)}`, 'p99 added < 10 ms', `+${ms(added)}: ${verdict(added < 10)}`],
    ['', 'peak resident memory', mb(bot.peakRss), `bare: ${mb(bare.peakRss)}`, '', ''],
    ['', 'database size after the run', mb(bot.databaseBytes ?? 0), '', '', ''],
    ['', 'messages lost / duplicated', `${bot.lost} / ${bot.duplicated}`, `bare: ${bare.lost} / ${bare.duplicated}`, '0 / 0', verdict(bot.lost === 0 && bot.duplicated === 0)],
  );
}

if (wanted('limits')) {
  const options = quick ? { clients: 10, minutes: 1, everySeconds: 20 } : { clients: 30, minutes: 2, everySeconds: 30 };
  log(`limits: ${options.clients} clients writing every ${options.everySeconds} s for ${options.minutes} min under Telegram-like limits…`);
  const f = await limits(options);
  const share = f.refused / Math.max(1, f.calls);
  rows.push(
    ['2. Under limits', `inbox messages per minute (${n(f.offeredPerMinute)} client messages/min offered)`, `${f.inboxMessagesPerMinute.toFixed(1)}/min`, 'ceiling 20/min', '≥ 95% of the ceiling', `${pct(f.inboxMessagesPerMinute / 20)}: ${verdict(f.inboxMessagesPerMinute >= 19)}`],
    ['', 'client messages delivered per minute (texts waiting are joined)', `${f.clientMessagesPerMinute.toFixed(1)}/min`, '', '', ''],
    ['', 'calls answered 429', `${f.refused} of ${f.calls}`, '', '< 1%', `${pct(share)}: ${verdict(share < 0.01)}`],
    ['', 'messages lost / duplicated', `${f.lost} / ${f.duplicated}`, '', '0 / 0', verdict(f.lost === 0 && f.duplicated === 0)],
  );
}

if (wanted('crash')) {
  const options = quick ? { clients: 30, perClient: 5, ratePerSecond: 50 } : { clients: 200, perClient: 10, ratePerSecond: 100 };
  log(`crash: ${n(options.clients * options.perClient)} messages at ${options.ratePerSecond}/s, kill -9 at random moments…`);
  const f = await crashLoop(options);
  rows.push(['3. kill -9', `messages lost / duplicated (${n(f.messages)} messages, ${f.kills} kills and restarts)`, `${f.lost} / ${f.duplicated}`, '', '0 / 0', verdict(f.lost === 0 && f.duplicated === 0)]);
}

if (wanted('footprint')) {
  const options = quick ? { clients: 1_000, openCases: 100, posts: 100 } : { clients: 10_000, openCases: 1_000, posts: 1_000 };
  log(`footprint: ${n(options.clients)} clients, ${n(options.openCases)} open cases, ${n(options.posts)} post files…`);
  const f = await footprint(options);
  rows.push(
    ['4. Footprint', `resident memory, ${n(options.clients)} clients and ${n(options.openCases)} open cases`, mb(f.rss), `no data: ${mb(f.baselineRss)}`, '< 150 MB', verdict(f.rss < 150 * 1024 * 1024)],
    ['', `start-up to polling, ${n(options.posts)} post files (median of 3)`, `${(f.startupMs / 1000).toFixed(2)} s`, '', '< 2 s', verdict(f.startupMs < 2_000)],
  );
}

if (wanted('fairness')) {
  const options = quick ? { flood: 100 } : { flood: 1_000 };
  log(`fairness: one client floods ${n(options.flood)} stickers, then a second client writes, under Telegram-like limits…`);
  const f = await fairness(options);
  const seconds = f.secondLatencyMs / 1000;
  rows.push([
    '5. Fairness',
    `a second client's message → its topic, while one client's ${n(options.flood)} stickers wait (${f.floodArrivedBefore} in the inbox by then; 429s: ${f.refused} of ${f.calls} calls)`,
    Number.isNaN(seconds) ? 'not within 3 min' : seconds < 1 ? ms(f.secondLatencyMs) : `${seconds.toFixed(1)} s`,
    'one inbox slot: 3 s',
    '< 5 s',
    verdict(seconds < 5),
  ]);
}

if (wanted('start')) {
  log('start: npm start to polling, warm and after the sources changed, median of 3…');
  const f = await startPath(quick ? 1 : 3);
  const s = (x: number) => `${(x / 1000).toFixed(2)} s`;
  const ok = (x: { ms: number; peakBytes: number }) => verdict(x.ms < 2_000 && x.peakBytes < 150 * 1024 * 1024);
  const shown = (x: { ms: number; peakBytes: number; peakRssBytes: number }) => `${s(x.ms)} / ${mb(x.peakBytes)} (RSS sum ${mb(x.peakRssBytes)})`;
  rows.push(
    ['6. Start', '`npm start` to polling, dist/ up to date (every restart): time / peak memory of all its processes (PSS)', shown(f.npmWarm), 'tsc at every start: 7.7 s / 490 MB', '< 2 s / < 150 MB', ok(f.npmWarm)],
    ['', '`npm start` after the sources changed (esbuild transpiles src/ first)', shown(f.npmCold), '', '< 2 s / < 150 MB', ok(f.npmCold)],
    ['', '`node scripts/start.mjs` (what npm start runs, without npm itself)', shown(f.nodeWarm), '', '', ''],
  );
}

if (wanted('redeem')) {
  const options = quick ? { codes: 100, partners: 10 } : { codes: 1_000, partners: 10 };
  log(`redeem: ${n(options.codes)} codes, each sent by two of ${options.partners} partners at once…`);
  const f = await redeemUnderLoad(options);
  rows.push(
    ['7. Redeeming', `codes redeemed exactly once (${n(f.codes)} codes × 2 partners of ${options.partners}, at once; half privately)`, `${n(f.correct)} of ${n(f.codes)}; twice: ${f.twice}; in the database: ${n(f.redeemedInDb)}`, '', `all, none twice`, verdict(f.correct === f.codes && f.twice === 0 && f.redeemedInDb === f.codes)],
    ['', 'answers per second', `${n(f.perSecond)}/s (${n(f.attempts)} attempts)`, '', '', ''],
  );
}

if (wanted('busy-team')) {
  const minutes = Number(process.env.BUSY_MINUTES ?? (quick ? 1 : 4));
  const base = { ...BUSY_DEFAULTS, minutes };
  const s = (x: number) => (Number.isNaN(x) ? '—' : x < 1_000 ? ms(x) : `${(x / 1000).toFixed(1)} s`);
  const p = (l: { p50: number; p95: number; count: number }) => `${s(l.p50)} / ${s(l.p95)} (${l.count})`;
  const variants = [
    { name: 'one inbox', inboxes: 1 as const, kills: 0 },
    { name: 'two inboxes', inboxes: 2 as const, kills: 0 },
    { name: 'one inbox, kill -9 ×2', inboxes: 1 as const, kills: 2 },
  ];
  for (const [i, v] of variants.entries()) {
    const label = i === 0 ? '8. Busy team' : '';
    if (v.inboxes === 2 && !supportsInboxes()) {
      log('busy-team: two inboxes: not supported by this build');
      rows.push([label, 'two inboxes: not supported by this build', '', '', '', '']);
      continue;
    }
    log(`busy-team, ${v.name}: ${base.clients} clients (${base.perMinute} messages/min), ${base.consultants} consultants, ${minutes} min under Telegram's limits…`);
    const f: BusyFigures = await busyTeam({ ...base, inboxes: v.inboxes, kills: v.kills });
    const clean = f.lost.client + f.lost.reply === 0 && f.unmarkedDoubles === 0;
    const integrity: Row = ['', `${v.name}: lost (client → topic + consultant → client) / unmarked doubled / marked 🔁 repeats${v.kills ? ` (${f.kills} kills and restarts)` : ''}`, `${f.lost.client} + ${f.lost.reply} / ${f.unmarkedDoubles} / ${f.markedRepeats}`, '', '0 / 0', verdict(clean)];
    const refusals: Row = ['', `${v.name}: calls answered 429`, `${f.refused} of ${n(f.calls)}${f.refused ? ` (${f.refusedWhere})` : ''}`, '', '0', verdict(f.refused === 0)];
    if (v.kills) {
      const never = f.take.missing + f.closeToRating.missing;
      rows.push(integrity, refusals, ['', `${v.name}: p95 consultant → client / /close → rating prompt / take → "has joined"${never ? ` (never notified: ${f.take.missing} takes, ${f.closeToRating.missing} closes)` : ''}`, `${s(f.consultantToClient.p95)} / ${s(f.closeToRating.p95)} / ${s(f.take.p95)}`, '', '< 2 s / < 2 s / —', verdict(f.consultantToClient.p95 < 2_000 && f.closeToRating.p95 < 2_000 && f.closeToRating.missing === 0)]);
      continue;
    }
    rows.push(
      [label, `${v.name} (${f.casesOpened} cases, ${n(f.clientMessages)} client messages, ${n(f.replies)} replies; ${(f.runMs / 60_000).toFixed(1)} min): p50 / p95 (n), consultant's message → copy in the client's chat`, p(f.consultantToClient), '', 'p95 < 2 s', verdict(f.consultantToClient.p95 < 2_000)],
      ['', `${v.name}: take (button or first reply) → "has joined" at the client${f.take.missing ? ` (${f.take.missing} never)` : ''}`, p(f.take), '', '', ''],
      ['', `${v.name}: /close → rating prompt at the client${f.closeToRating.missing ? ` (${f.closeToRating.missing} never)` : ''}`, p(f.closeToRating), '', 'p95 < 2 s', verdict(f.closeToRating.p95 < 2_000 && f.closeToRating.missing === 0)],
      ['', `${v.name}: client message → its copy in the case topic`, p(f.clientToTopic), '', '', ''],
      ['', `${v.name}: team messages per minute while clients write (drained ${s(f.drainMs)} after)`, f.team.map((t) => `${t.name}: ${t.perMinute.toFixed(1)}/min`).join(', '), 'ceiling 20/min per group', '', ''],
      refusals,
      integrity,
    );
  }
}

for (const [number, kind] of [[9, 'emergency-cycling'], [10, 'edit-flood']] as const) {
  if (!wanted(kind)) continue;
  const options = quick ? { ...ATTACK_DEFAULTS, baselineSeconds: 10, attackSeconds: 20 } : ATTACK_DEFAULTS;
  log(`${kind}: a victim writes every ${options.victimEverySeconds} s, ${options.baselineSeconds} s calm then ${options.attackSeconds} s under attack…`);
  const f = await attackScenario(kind, options);
  const s = (x: number) => (Number.isNaN(x) ? '—' : x < 1_000 ? ms(x) : `${(x / 1000).toFixed(1)} s`);
  const name = kind === 'emergency-cycling' ? `${number}. Emergency cycling` : `${number}. Edit flood`;
  const attack = kind === 'emergency-cycling' ? `two accounts: emergency → /end → yes, ${f.cycles} cycles (${f.refused} presses answered with the guidance only)` : `${f.edits} edits of one copied message`;
  rows.push(
    [name, `victim's message → its topic, p50 / p95 (n), without the attack / during it (${attack}${f.attacked.lost ? `; ${f.attacked.lost} not arrived` : ''})`, `${s(f.attacked.p50)} / ${s(f.attacked.p95)} (${f.attacked.count})`, `calm: ${s(f.baseline.p50)} / ${s(f.baseline.p95)} (${f.baseline.count})`, 'p95 < one slot (3 s) over calm', verdict(f.attacked.lost === 0 && f.attacked.p95 < f.baseline.p95 + 3_000)],
    ['', `posts made for the attackers in the team chat during the attack${f.lastEditShown !== undefined ? `; the copy shows the last edit: ${f.lastEditShown ? 'yes' : 'no'}` : ''}`, n(f.attackerPosts), '', '', ''],
    ['', 'rows waiting for the team chat when the attack stopped', n(f.backlogAfter), '', '', ''],
  );
}

if (wanted('survey')) {
  const options = quick ? { clients: 100 } : { clients: 1_000 };
  log(`survey: ${n(options.clients)} clients answer a 10-question survey at once, then ask for it again…`);
  const f = await surveyUnderLoad(options);
  const stored = f.responses === f.clients && f.markers === f.clients && f.unfinished === 0;
  rows.push(
    ['11. Survey', `answers stored once each (${n(f.clients)} clients × 10 questions, at once; then each asks again)`, `responses ${n(f.responses)}, markers ${n(f.markers)}, unfinished ${f.unfinished}; refused the second time: ${n(f.refusedAgain)}`, '', `${n(f.clients)} / ${n(f.clients)} / 0`, verdict(stored && f.refusedAgain === f.clients)],
    ['', 'questions whose counts per answer match what the clients chose', `${f.correctQuestions} of 10`, '', '10 of 10', verdict(f.correctQuestions === 10)],
    ['', `taps per second (${(f.seconds).toFixed(1)} s in all); tap → next question p50 / p95`, `${n(f.tapsPerSecond)}/s; ${ms(f.p50)} / ${ms(f.p95)}`, '', '', ''],
  );
}

if (wanted('alerts')) {
  const subscribers = quick ? 1_000 : 10_000;
  // Time-scaled: the fake server and the bot both allow `scale` × 30 messages a second overall.
  const scale = Number(process.env.BENCH_ALERT_SCALE ?? 3);
  const global = 30 * scale;
  const ceiling = global - Math.max(1, Math.ceil(global / 6)); // the broadcast leaves a sixth to everything else
  const s = (x: number) => (Number.isNaN(x) ? '—' : x < 1_000 ? ms(x) : `${(x / 1000).toFixed(1)} s`);
  log(`alerts: ${n(subscribers)} subscribers, one alert to all, overall limit ${global}/s (×${scale}), with consultations during it…`);
  const clean = await alertBroadcast({ subscribers, scale, kill: false, consultations: 4 });
  log(`alerts: again, with kill -9 in the middle…`);
  const killed = await alertBroadcast({ subscribers, scale, kill: true, consultations: 0 });
  const floor = (subscribers / global) * 1000;
  const unscaled = subscribers / (clean.perSecond / scale); // seconds at the rate achieved, divided by the scale
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const worst = (xs: number[]) => (xs.length ? Math.max(...xs) : Number.NaN);
  rows.push(
    ['12. Drug alert', `${n(subscribers)} subscribers, one alert to all: time to finish (overall limit scaled ×${scale} to ${global}/s; the broadcast's own ceiling ${ceiling}/s)`, `${s(clean.finishMs)} (${clean.perSecond.toFixed(1)}/s)`, `floor ${s(floor)} at ${global}/s`, '', ''],
    ['', `the same at Telegram's real 30/s (rate ÷ ${scale}; design ceiling 25/s = 400 s, floor 333 s)`, `≈ ${unscaled.toFixed(0)} s`, 'floor 333 s', '', ''],
    ['', `kill -9 in the middle: doubled / never delivered / 429s`, `${killed.doubled} / ${killed.missed} / ${killed.refused}`, '', '0 doubled', verdict(killed.doubled === 0)],
    ['', 'a consultation message → its topic: median / worst, without a broadcast / during it', `${s(median(clean.during))} / ${s(worst(clean.during))} (${clean.during.length})`, `calm: ${s(median(clean.calm))} / ${s(worst(clean.calm))} (${clean.calm.length})`, 'during ≈ calm (< 1 s more)', verdict(median(clean.during) < median(clean.calm) + 1_000 && worst(clean.during) < 3_000)],
  );
}

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
const table = ['| scenario | measure | bot | reference | target | |', '|---|---|---|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
process.stdout.write(`\n${table}\n\nMachine: ${machine}${quick ? ' (BENCH_QUICK: small sizes, figures not meaningful)' : ''}\n`);

if (!quick && !only) {
  const path = join(PROJECT_ROOT, 'BENCHMARKS.md');
  const START = '<!-- bench:start -->';
  const END = '<!-- bench:end -->';
  const text = readFileSync(path, 'utf8');
  const measured = `${START}\nMeasured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` on ${machine}.\n\n${table}\n${END}`;
  writeFileSync(path, text.includes(START) ? text.replace(new RegExp(`${START}[\\s\\S]*?${END}`), measured) : `${text}\n${measured}\n`);
  log('BENCHMARKS.md updated');
}
