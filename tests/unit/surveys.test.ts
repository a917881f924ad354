import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/content/front-matter.js';
import { loadSurveys, parseSurvey, type Survey } from '../../src/content/surveys.js';
import { ensureClient, forgetClient } from '../../src/db/clients.js';
import { surveyMarkers, surveyProgress, surveyResponses } from '../../src/db/schema.js';
import { purgeExpiredSurveyRows } from '../../src/db/surveys.js';
import { renderPng } from '../../src/inbox/cascade-chart.js';
import { protectTally, shownTexts, tallyAnswers, tallyCsv, tallySvg } from '../../src/inbox/survey-results.js';
import { answersOnPath, applyTap, availability, closesAt, finishSurvey, loadState, saveState, startSurvey, type SurveyState, type Tap } from '../../src/inbox/surveys.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { setOptIn } from '../../src/db/surveys.js';
import { inviteToSurveys } from '../../src/inbox/survey-invitations.js';
import { openCase } from '../../src/inbox/cases.js';
import { enqueuePost } from '../../src/relay/outbox-store.js';
import type { Api } from 'grammy';
import { pino } from 'pino';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { contentFolder } from '../support/content.js';
import { memoryDb } from '../support/db.js';

const privacy = createPrivacy('survey-secret-survey-secret-survey-secret');
const T = (en: string) => `{ en: "${en}" }`;

/** A small survey: q1 single (no → end, yes → q2), q2 multiple, q3 scale 1..5, q4 text. */
const SOURCE = `title: ${T('Checking')}
intro: ${T('A few questions')}
closes: 2027-02-10
questions:
  - id: q1
    type: single
    text: ${T('Ever checked?')}
    options:
      - { id: no, text: ${T('No')}, next: end }
      - { id: yes, text: ${T('Yes')} }
      - { id: skip3, text: ${T('Sometimes')}, next: q4 }
  - id: q2
    type: multiple
    text: ${T('How?')}
    options:
      - { id: reagent, text: ${T('Reagent')} }
      - { id: strips, text: ${T('Strips')} }
  - id: q3
    type: scale
    min: 1
    max: 5
    text: ${T('Interest?')}
  - id: q4
    type: text
    text: ${T('Anything else?')}
`;

function survey(source = SOURCE): Survey {
  const { survey, problems } = parseSurvey('surveys/check.yml', 'check', source);
  expect(problems.map(formatProblem)).toEqual([]);
  return survey!;
}

function run(s: Survey, taps: Tap[]): { state: SurveyState; finished: boolean } {
  let state: SurveyState = { at: s.questions[0]!.id, answers: {} };
  let finished = false;
  for (const tap of taps) {
    const step = applyTap(s, state, tap);
    if (step.kind === 'invalid') throw new Error(`invalid tap ${JSON.stringify(tap)} at ${state.at}`);
    state = step.state;
    finished = step.kind === 'finished';
  }
  return { state, finished };
}

describe('survey files', () => {
  it('the shipped sample is valid, in ru, kk and en, and a draft', () => {
    const { surveys, problems } = loadSurveys(join(PROJECT_ROOT, 'content'));
    expect(problems.map(formatProblem)).toEqual([]);
    const sample = surveys.find((s) => s.id === 'sample-drug-checking')!;
    expect(sample.languages).toEqual(['ru', 'kk', 'en']);
    expect(sample.ready).toBeUndefined();
    expect(sample.questions.map((q) => q.type)).toEqual(['single', 'multiple', 'scale', 'single', 'multiple', 'text']);
  });

  it('names file:line and field for each mistake', () => {
    const bad = `title: { ru: "Опрос", en: "Survey" }
intro: { ru: "Вступление" }
closes: 2027-13-01
audience: friends
questions:
  - id: q1
    type: single
    text: { ru: "В1", en: "Q1" }
    options:
      - { id: a, text: { ru: "А", en: "A" }, next: q1 }
      - { id: b, text: { ru: "Б", en: "B" }, next: nowhere }
  - id: q2
    type: scale
    min: 1
    max: 20
    colour: red
    text: { ru: "В2", en: "Q2" }
`;
    const root = contentFolder({ 'surveys/bad.yml': bad, 'surveys/Bad Name.yml': SOURCE, 'surveys/notes.md': '# no' });
    const problems = loadSurveys(root).problems.map(formatProblem);
    // Zod's own errors come first (the whole file is refused at the first layer), one per field.
    expect(problems).toContainEqual('surveys/bad.yml:4: audience: audience must be one of everyone, opted-in');
    expect(problems).toContainEqual(expect.stringMatching(/^surveys\/bad\.yml:16: questions\.2\.colour|^surveys\/bad\.yml:16: questions\.1: .*colour|^surveys\/bad\.yml:16: questions\.1\.colour/));
    expect(problems).toContainEqual(expect.stringMatching(/^surveys\/Bad Name\.yml: file name must be lowercase/));
    expect(problems).toContainEqual('surveys/notes.md: a survey is a .yml file (YAML), not markdown');

    const fixed = bad.replace('audience: friends\n', '').replace('    colour: red\n', '');
    const second = parseSurvey('surveys/bad.yml', 'bad', fixed).problems.map(formatProblem);
    expect(second).toEqual([
      'surveys/bad.yml:2: intro: lacks the en text (the survey\'s languages are ru, en)',
      'surveys/bad.yml:3: closes: must be a date like 2027-02-10, not "2027-13-01"',
      'surveys/bad.yml:9: questions.0.options.0.next: "q1" is not after this question: a branch may only skip ahead',
      'surveys/bad.yml:10: questions.0.options.1.next: "nowhere" is not a question id of this survey (or end)',
      'surveys/bad.yml:14: questions.1.max: a scale has at most 10 points',
    ]);
  });

  it('a ready: without initials or day is named, and the survey counts as not valid', () => {
    const { problems } = parseSurvey('surveys/x.yml', 'x', `${SOURCE}ready: { by: "" }\n`);
    expect(problems.map(formatProblem)).toEqual([expect.stringMatching(/^surveys\/x\.yml:\d+: ready: must be the organisation's go/)]);
  });
});

describe('answering', () => {
  const s = survey();

  it('branches: "no" ends at once, "sometimes" jumps to the text question, "yes" goes through all', () => {
    expect(run(s, [{ kind: 'choose', option: 0 }])).toMatchObject({ finished: true, state: { answers: { q1: { choice: 0 } } } });
    const jump = run(s, [{ kind: 'choose', option: 2 }]);
    expect(jump).toMatchObject({ finished: false, state: { at: 'q4' } });
    const all = run(s, [{ kind: 'choose', option: 1 }, { kind: 'toggle', option: 1 }, { kind: 'toggle', option: 0 }, { kind: 'toggle', option: 1 }, { kind: 'done' }, { kind: 'scale', value: 4 }, { kind: 'text', text: '  more labs  ' }]);
    expect(all.finished).toBe(true);
    expect(all.state.answers).toEqual({ q1: { choice: 1 }, q2: { choices: [0] }, q3: { value: 4 }, q4: { text: 'more labs' } });
  });

  it('every question can be skipped; "done" with nothing ticked is a skip; taps that do not fit are invalid', () => {
    expect(run(s, [{ kind: 'skip' }, { kind: 'done' }, { kind: 'skip' }, { kind: 'skip' }]).state.answers).toEqual({ q1: { skipped: true }, q2: { skipped: true }, q3: { skipped: true }, q4: { skipped: true } });
    const atScale: SurveyState = { at: 'q3', answers: {} };
    expect(applyTap(s, atScale, { kind: 'scale', value: 6 }).kind).toBe('invalid');
    expect(applyTap(s, atScale, { kind: 'choose', option: 0 }).kind).toBe('invalid');
  });

  it('answers on a branch no longer taken are dropped', () => {
    expect(answersOnPath(s, { q1: { choice: 0 }, q2: { choices: [1] }, q4: { text: 'x' } })).toEqual({ q1: { choice: 0 } });
    expect(answersOnPath(s, { q1: { choice: 2 }, q2: { choices: [1] }, q4: { text: 'x' } })).toEqual({ q1: { choice: 2 }, q4: { text: 'x' } });
  });

  it('a draft is offered only where drafts are; dates are whole days in the time zone', () => {
    const draft = survey(`${SOURCE}opens: 2027-01-10\n`);
    const ready = { ...draft, ready: { by: 'A.K.', on: '2027-01-01' } };
    const almaty = 'Asia/Almaty'; // UTC+5
    expect(availability(draft, Date.parse('2027-01-15T00:00:00Z'), almaty)).toBe('draft');
    expect(availability(draft, Date.parse('2027-01-15T00:00:00Z'), almaty, true)).toBe('open');
    expect(availability(ready, Date.parse('2027-01-09T18:59:00Z'), almaty)).toBe('not-yet');
    expect(availability(ready, Date.parse('2027-01-09T19:00:00Z'), almaty)).toBe('open');
    expect(availability(ready, Date.parse('2027-02-10T18:59:00Z'), almaty)).toBe('open');
    expect(availability(ready, Date.parse('2027-02-10T19:00:00Z'), almaty)).toBe('closed');
  });

  it('stop and continue: the state is sealed under the client key and read back; /forget deletes it', () => {
    const db = memoryDb();
    const store = { db, privacy, timeZone: 'UTC' };
    const now = Date.parse('2027-01-20T10:00:00Z');
    const key = privacy.clientKey(42);
    const { state } = run(s, [{ kind: 'choose', option: 1 }]);
    saveState(store, s, key, state, now);
    const row = db.select().from(surveyProgress).get()!;
    expect(row.sealedState.startsWith('gcm1:')).toBe(true);
    expect(row.sealedState).not.toContain('"q1"'); // base64url has no quotes: the JSON is nowhere in clear
    expect(row.expiresAt).toBe(now + 7 * 86_400_000);
    expect(startSurvey(store, s, key, now + 1000)).toEqual({ kind: 'resume', state });
    // Sealed for this client and survey: copied to another client's row, it does not open.
    db.insert(surveyProgress).values({ ...row, clientKey: privacy.clientKey(43) }).run();
    expect(loadState(store, s, privacy.clientKey(43), now)).toBeUndefined();
    // No client row needed: /forget still finds it.
    expect(forgetClient(db, key)?.rows).toEqual({ survey_progress: 1 });
    expect(startSurvey(store, s, key, now).kind).toBe('new');
    ensureClient(db, privacy, privacy.clientKey(43), 43);
    expect(forgetClient(db, privacy.clientKey(43))?.rows).toMatchObject({ survey_progress: 1, clients: 1 });
  });

  it('a finished survey is stored once, unlinked (no key, the day, a random id), and a second go is refused until the close', () => {
    const db = memoryDb();
    const store = { db, privacy, timeZone: 'UTC' };
    const now = Date.parse('2027-01-20T10:00:00Z');
    const keys = [1, 2, 3].map((id) => privacy.clientKey(id));
    for (const key of keys) {
      const { state } = run(s, [{ kind: 'choose', option: 1 }]);
      saveState(store, s, key, state, now);
      expect(finishSurvey(store, s, key, run(s, [{ kind: 'choose', option: 0 }]).state, now)).toBe(true);
    }
    expect(finishSurvey(store, s, keys[0]!, run(s, [{ kind: 'choose', option: 1 }, { kind: 'skip' }, { kind: 'skip' }, { kind: 'skip' }]).state, now)).toBe(false);
    expect(startSurvey(store, s, keys[0]!, now).kind).toBe('answered');
    expect(db.select().from(surveyProgress).all()).toEqual([]);
    const responses = db.select().from(surveyResponses).all();
    expect(responses).toHaveLength(3);
    const dump = JSON.stringify([responses, db.select().from(surveyMarkers).all()]);
    for (const key of keys) expect(dump).not.toContain(key);
    expect(responses.every((r) => r.answeredOn === '2027-01-20' && r.sealedAnswers.startsWith('gcm1:'))).toBe(true);
    // Not a sequence: the ids do not give the order the markers were written in.
    expect(responses.map((r) => r.id).some((id) => id > 1000)).toBe(true);
    // The markers go when the survey closes; then the id could be used again.
    expect(purgeExpiredSurveyRows(db, closesAt(s, 'UTC'))).toEqual({ progress: 0, markers: 3 });
    expect(startSurvey(store, s, keys[0]!, closesAt(s, 'UTC')).kind).toBe('new');
  });
});

describe('results', () => {
  const s = survey();
  const response = (q1: string | null, q2?: string[] | null, q3?: number | null, q4?: string | null) =>
    JSON.stringify({ q1, ...(q2 !== undefined ? { q2 } : {}), ...(q3 !== undefined ? { q3 } : {}), ...(q4 !== undefined ? { q4: q4 === null ? null : { text: q4 } } : {}) });

  it('counts per answer; fewer than 5 responses show nothing per question', () => {
    const few = tallyAnswers(s, [response('yes', ['reagent'], 3, 'a'), response('no')], 'en');
    expect(few.questions[0]!.counts.map((c) => c.n)).toEqual([1, 1, 0]);
    expect(protectTally(few)).toEqual({ responses: '<5', questions: [] });
    expect(tallyCsv(few)).toBe('question,answer,count\n*,responses,<5\n');
  });

  it('suppresses cells under 5, keeps 0 and 5+, and shows free text only in the CSV once 5 or more wrote, shuffled', () => {
    const many = [
      ...Array.from({ length: 6 }, (_, i) => response('yes', ['reagent', 'strips'], 5, `text ${i}`)),
      response('yes', ['strips'], 2, null),
      ...Array.from({ length: 3 }, () => response('no')),
    ];
    const tally = tallyAnswers(s, many, 'en');
    const shown = protectTally(tally);
    expect(shown.responses).toBe(10);
    expect(shown.questions[0]!.counts).toEqual([
      { key: 'no', label: 'No', n: '<5' },
      { key: 'yes', label: 'Yes', n: 7 },
      { key: 'skip3', label: 'Sometimes', n: 0 },
    ]);
    expect(shown.questions[1]!.counts.map((c) => c.n)).toEqual([6, 7]);
    expect(shown.questions[2]!.counts.map((c) => c.n)).toEqual([0, '<5', 0, 0, 6]);
    expect(shown.questions[3]).toMatchObject({ reached: 7, skipped: '<5', written: 6 });
    const csv = tallyCsv(tally);
    expect(csv).toContain('q1,no,<5\nq1,yes,7\nq1,skip3,0\n');
    expect(csv.match(/^q4,text,text \d$/gm)?.sort()).toEqual(['text 0', 'text 1', 'text 2', 'text 3', 'text 4', 'text 5'].map((t) => `q4,text,${t}`));
    // Four people writing is too few to show their words.
    const four = tallyAnswers(s, [...many.slice(2), response('yes', ['reagent'], 1, null)], 'en');
    expect(shownTexts(four, four.questions[3]!)).toEqual([]);
    expect(tallyCsv(four)).not.toMatch(/q4,text,/);
  });

  it('a text that a spreadsheet would run as a formula is written as text', () => {
    const tally = tallyAnswers(s, Array.from({ length: 5 }, () => response('yes', null, null, '=HYPERLINK("x")')), 'en');
    expect(tallyCsv(tally)).toContain(`q4,text,"'=HYPERLINK(""x"")"`);
  });

  it('the chart draws "<5" with no bar and escapes texts from the file', () => {
    const tricky = survey(SOURCE.replace('Ever checked?', 'Ever <checked> & more?'));
    const tally = tallyAnswers(tricky, [...Array.from({ length: 5 }, () => response('yes')), response('no')], 'en');
    const svg = tallySvg(tally, 'en', 'Title', 'too few');
    expect(svg).toContain('Ever &#60;checked&#62; &#38; more?');
    // "No" (one person) has no bar and reads "<5"; "Yes" (five) has its bar.
    expect(svg).toMatch(/>No<\/text><rect x="300" y="\d+" width="0" height="18" fill="#6fb9f0"\/><text x="306" y="\d+" font-size="13">&#60;5<\/text>/);
    expect(svg).toMatch(/>Yes<\/text><rect x="300" y="\d+" width="433" /); // 5 of 6 responses
    expect(svg).not.toContain('<5');
    expect(renderPng(svg).subarray(1, 4).toString()).toBe('PNG');
  });

  it('reads the sample survey file as editors would (all three languages have every text)', () => {
    const text = readFileSync(join(PROJECT_ROOT, 'content', 'surveys', 'sample-drug-checking.yml'), 'utf8');
    const { survey: sample } = parseSurvey('surveys/sample-drug-checking.yml', 'sample-drug-checking', text);
    for (const lang of ['ru', 'kk', 'en']) expect(tallyAnswers(sample!, [], lang).questions[0]!.counts.every((c) => c.label.length > 0)).toBe(true);
  });
});

describe('invitations', () => {
  it('opted-in clients are invited once per open survey, never while a message to a client waits, never after answering', async () => {
    const db = memoryDb(privacy);
    const s = { ...survey(), ready: { by: 'A.K.', on: '2027-01-01' } };
    const draft = { ...survey(), id: 'draft' };
    const now = Date.parse('2027-01-20T10:00:00Z');
    const sent: { chatId: number; text: string; data: string }[] = [];
    const api = {
      sendMessage: async (chatId: number, text: string, other: { reply_markup: { inline_keyboard: { callback_data: string }[][] } }) => {
        sent.push({ chatId, text, data: other.reply_markup.inline_keyboard[0]![0]!.callback_data });
        return {};
      },
    } as unknown as Api;
    const deps = { db, api, privacy, logger: pino({ level: 'silent' }), t: (lang: string, key: string, vars?: Record<string, string | number>) => `${lang}:${key}:${vars?.title ?? ''}`, surveys: () => [s, draft], timeZone: 'UTC', offerDrafts: false, clock: () => now };
    for (const id of [501, 502, 503]) {
      ensureClient(db, privacy, privacy.clientKey(id), id);
      if (id !== 503) setOptIn(db, privacy.clientKey(id), true, id === 501 ? 'en' : 'ru');
    }
    // 502 has answered already: no invitation for them.
    finishSurvey({ db, privacy, timeZone: 'UTC' }, s, privacy.clientKey(502), { at: 'q1', answers: { q1: { choice: 0 } } }, now);
    // A message waiting for a client (a consultation) goes first: no invitation this pass.
    const opened = openCase(db, { clientKey: privacy.clientKey(503), topic: 'hiv', inbox: 'main', urgent: false, now });
    enqueuePost(db, { kind: 'tell', toClient: true, caseId: opened.case.id, payload: { key: 'x' }, priority: 2 }, now);
    expect(await inviteToSurveys(deps)).toBe(0);
    db.$client.prepare('DELETE FROM outbox').run();
    expect(await inviteToSurveys(deps)).toBe(1);
    expect(sent).toEqual([{ chatId: 501, text: 'en:survey-invitation:Checking', data: 'sv:go:check' }]);
    expect(await inviteToSurveys(deps)).toBe(0);
    // /forget takes the opt-in with the client row.
    forgetClient(db, privacy.clientKey(501));
    expect(db.$client.prepare('SELECT count(*) AS n FROM survey_opt_ins').get()).toEqual({ n: 1 });
  });
});
