import type { Db } from '../db/connection.js';
import { hasAnswered, readProgress, storeResponse, writeProgress } from '../db/surveys.js';
import type { Privacy } from '../privacy/keys.js';
import { nextQuestion, SURVEY_LIMITS, type Survey } from '../content/surveys.js';
import { zonedTimeToUtc } from '../time/zoned.js';

/**
 * A client answering a survey, independent of Telegram: where they are, what they answered so far, and
 * what happens on each tap. The state is kept sealed under the client key until the survey is finished;
 * then the answers are written unlinked (see src/db/surveys.ts) and the state deleted.
 */

/** One question's answer; a skipped question has none. */
export type Answer = { skipped: true } | { choice: number } | { choices: number[] } | { value: number } | { text: string };

export interface SurveyState {
  /** The id of the question on screen. */
  at: string;
  /** Answers by question id (ids, not positions: an edited file keeps them where they belong). */
  answers: Record<string, Answer>;
  /** Options ticked so far on a multiple choice question. */
  picked?: number[];
  /** When a text question was put on screen (ms): the client's next message, for a while, is the answer. */
  textSince?: number;
}

/** An unfinished survey is kept at most this long after the last tap (and never past the close). */
export const PROGRESS_DAYS = 7;
const DAY = 86_400_000;

export type SurveyAvailability = 'open' | 'draft' | 'not-yet' | 'closed';

const dayStarts = new Map<string, number>();

/** Start of `day` (YYYY-MM-DD) in `timeZone`, ms (remembered: every private update asks whether a survey is open). */
function startOf(day: string, timeZone: string): number {
  const key = `${day}|${timeZone}`;
  let start = dayStarts.get(key);
  if (start === undefined) {
    const [year, month, d] = day.split('-').map(Number) as [number, number, number];
    start = zonedTimeToUtc({ year, month, day: d, hour: 0, minute: 0, second: 0 }, timeZone).getTime();
    if (dayStarts.size > 1000) dayStarts.clear();
    dayStarts.set(key, start);
  }
  return start;
}

/** The moment the survey closes: the end of its `closes` day in `timeZone`. */
export function closesAt(survey: Pick<Survey, 'closes'>, timeZone: string): number {
  return startOf(survey.closes, timeZone) + DAY;
}

/** Whether a client may answer now: a draft only where drafts are offered (the sandbox). */
export function availability(survey: Survey, now: number, timeZone: string, offerDrafts = false): SurveyAvailability {
  if (!survey.ready && !offerDrafts) return 'draft';
  if (survey.opens && now < startOf(survey.opens, timeZone)) return 'not-yet';
  if (now >= closesAt(survey, timeZone)) return 'closed';
  return 'open';
}

export function questionIndex(survey: Survey, id: string): number {
  return survey.questions.findIndex((q) => q.id === id);
}

export interface SurveyStore {
  db: Db;
  privacy: Privacy;
  timeZone: string;
}

export type Started = { kind: 'answered' } | { kind: 'new'; state: SurveyState } | { kind: 'resume'; state: SurveyState };

/** Starts the survey, or picks up where the client stopped; refuses a second answer. Nothing is written yet. */
export function startSurvey(store: SurveyStore, survey: Survey, clientKey: string, now: number): Started {
  if (hasAnswered(store.db, store.privacy, clientKey, survey.id, now)) return { kind: 'answered' };
  const saved = loadState(store, survey, clientKey, now);
  if (saved) return { kind: 'resume', state: saved };
  return { kind: 'new', state: { at: survey.questions[0]!.id, answers: {} } };
}

/** The saved state, if it still fits the survey (a question removed from the file since: start again). */
export function loadState(store: SurveyStore, survey: Survey, clientKey: string, now: number): SurveyState | undefined {
  const text = readProgress(store.db, store.privacy, clientKey, survey.id, now);
  if (!text) return undefined;
  try {
    const state = JSON.parse(text) as SurveyState;
    return questionIndex(survey, state.at) >= 0 ? state : undefined;
  } catch {
    return undefined;
  }
}

export function saveState(store: SurveyStore, survey: Survey, clientKey: string, state: SurveyState, now: number): void {
  const expiresAt = Math.min(now + PROGRESS_DAYS * DAY, closesAt(survey, store.timeZone));
  writeProgress(store.db, store.privacy, clientKey, survey.id, JSON.stringify(state), expiresAt);
}

/** A tap (or a typed text) on the question on screen. */
export type Tap = { kind: 'skip' } | { kind: 'choose'; option: number } | { kind: 'toggle'; option: number } | { kind: 'done' } | { kind: 'scale'; value: number } | { kind: 'text'; text: string };

export type Step = { kind: 'question'; state: SurveyState } | { kind: 'finished'; state: SurveyState } | { kind: 'invalid' };

/** What a tap does to the state (pure). A tap that does not fit the question on screen is 'invalid' (a stale button). */
export function applyTap(survey: Survey, state: SurveyState, tap: Tap): Step {
  const at = questionIndex(survey, state.at);
  const question = survey.questions[at];
  if (!question) return { kind: 'invalid' };
  const advance = (answer: Answer, choice?: number): Step => {
    const answers = { ...state.answers, [question.id]: answer };
    const next = nextQuestion(survey, at, choice);
    // Answers on a path no longer taken (the client went back and chose another branch) do not count.
    const done: SurveyState = { at: next === undefined ? question.id : survey.questions[next]!.id, answers };
    return next === undefined ? { kind: 'finished', state: done } : { kind: 'question', state: done };
  };
  switch (tap.kind) {
    case 'skip':
      return advance({ skipped: true });
    case 'choose':
      if (question.type !== 'single' || !question.options[tap.option]) return { kind: 'invalid' };
      return advance({ choice: tap.option }, tap.option);
    case 'toggle': {
      if (question.type !== 'multiple' || !question.options[tap.option]) return { kind: 'invalid' };
      const picked = new Set(state.picked ?? []);
      if (picked.has(tap.option)) picked.delete(tap.option);
      else picked.add(tap.option);
      return { kind: 'question', state: { ...state, picked: [...picked].sort((a, b) => a - b) } };
    }
    case 'done':
      if (question.type !== 'multiple') return { kind: 'invalid' };
      return advance((state.picked ?? []).length > 0 ? { choices: state.picked! } : { skipped: true });
    case 'scale':
      if (question.type !== 'scale' || tap.value < question.min || tap.value > question.max) return { kind: 'invalid' };
      return advance({ value: tap.value });
    case 'text': {
      if (question.type !== 'text') return { kind: 'invalid' };
      const text = tap.text.trim().slice(0, SURVEY_LIMITS.textLength);
      return advance(text ? { text } : { skipped: true });
    }
  }
}

/** Only the answers on the path the client took (a branch skips questions: their answers, if any, are dropped). */
export function answersOnPath(survey: Survey, answers: Record<string, Answer>): Record<string, Answer> {
  const kept: Record<string, Answer> = {};
  let at: number | undefined = 0;
  while (at !== undefined) {
    const question = survey.questions[at]!;
    const answer = answers[question.id];
    if (answer) kept[question.id] = answer;
    at = nextQuestion(survey, at, answer && 'choice' in answer ? answer.choice : undefined);
  }
  return kept;
}

/** Writes the finished answers unlinked (one transaction with the marker); false if this client had answered already. */
export function finishSurvey(store: SurveyStore, survey: Survey, clientKey: string, state: SurveyState, now: number): boolean {
  // Stored as option ids, not positions, so a later edit of the file does not move answers between options.
  const stored: Record<string, unknown> = {};
  for (const [id, answer] of Object.entries(answersOnPath(survey, state.answers))) {
    const question = survey.questions[questionIndex(survey, id)]!;
    if ('choice' in answer) stored[id] = question.options[answer.choice]?.id ?? null;
    else if ('choices' in answer) stored[id] = answer.choices.map((c) => question.options[c]?.id ?? null);
    else if ('value' in answer) stored[id] = answer.value;
    else if ('text' in answer) stored[id] = { text: answer.text };
    else stored[id] = null;
  }
  return storeResponse(store.db, store.privacy, {
    clientKey,
    surveyId: survey.id,
    answers: JSON.stringify(stored),
    answeredOn: new Date(now).toISOString().slice(0, 10),
    markerExpiresAt: closesAt(survey, store.timeZone),
    now,
  });
}
