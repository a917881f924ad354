import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LANGUAGE_CODE, type Language } from '../config.js';
import { parseYamlFile, type ContentProblem, type LineOf } from './front-matter.js';
import { readContentFile } from './paths.js';
import { dayOf } from './signoff.js';

/**
 * Surveys (content/surveys/<id>.yml): a title, an intro, questions of four kinds and the texts of
 * every one in each of the survey's languages, inside the one file:
 *
 *   title: { ru: "…", kk: "…", en: "…" }
 *   intro: { ru: "…", kk: "…", en: "…" }
 *   languages: [ru, kk, en]          # optional: default, the languages the texts are written in
 *   opens: 2027-01-10                # first day (TIMEZONE), optional
 *   closes: 2027-02-10               # last day (TIMEZONE), required: the "answered" markers expire then
 *   audience: everyone               # everyone (from the link or the menu) | opted-in (only clients who asked to be invited)
 *   ready: { by: "A.K.", on: 2027-01-05 }   # the organisation's go; absent = a draft, never offered to clients
 *   questions:
 *     - id: often
 *       type: single                 # single | multiple | scale | text
 *       text: { ru: "…", kk: "…", en: "…" }
 *       options:
 *         - { id: never, text: { … }, next: end }   # next: branch to a later question id, or end
 *         - { id: weekly, text: { … } }
 *     - id: safety
 *       type: scale
 *       min: 1
 *       max: 5
 *       text: { … }
 *
 * Every question can be skipped. Problems name the file, line and field, and what was expected.
 */

export const SURVEYS_DIR = 'surveys';
export const QUESTION_TYPES = ['single', 'multiple', 'scale', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const AUDIENCES = ['everyone', 'opted-in'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** Limits that keep a survey a few taps long and its buttons within Telegram's 64 bytes of callback data. */
export const SURVEY_LIMITS = { questions: 30, options: 10, textLength: 600, scaleSpan: 10, idLength: 24 } as const;

/** A text in each of the survey's languages. */
export type Texts = Record<Language, string>;

export interface SurveyOption {
  id: string;
  text: Texts;
  /** Where a single-choice answer leads: a later question's index, or 'end'; undefined = the next question. */
  next?: number | 'end';
}

export interface SurveyQuestion {
  id: string;
  type: QuestionType;
  text: Texts;
  /** single and multiple. */
  options: SurveyOption[];
  /** scale: the values min..max, with optional words under the ends. */
  min: number;
  max: number;
  minLabel?: Texts;
  maxLabel?: Texts;
}

export interface Survey {
  id: string;
  file: string;
  title: Texts;
  intro: Texts;
  thanks?: Texts;
  languages: Language[];
  /** YYYY-MM-DD, in TIMEZONE; opens at the start of `opens`, closes at the end of `closes`. */
  opens?: string;
  closes: string;
  audience: Audience;
  /** The organisation's go (by, on); undefined = a draft. */
  ready?: { by: string; on: string };
  questions: SurveyQuestion[];
}

const ID = /^[a-z0-9][a-z0-9-]*$/;
const idText = (what: string) =>
  z
    .string({ error: `${what} must be lowercase latin letters, digits and dashes, e.g. often` })
    .regex(ID, `${what} must be lowercase latin letters, digits and dashes, e.g. often`)
    .max(SURVEY_LIMITS.idLength, `${what} must be at most ${SURVEY_LIMITS.idLength} characters`);
const texts = z.record(z.string(), z.string({ error: 'each language needs a text' }).trim().min(1, 'must not be empty'), {
  error: 'must be a text per language, e.g. { ru: "…", kk: "…", en: "…" }',
});
const day = z.unknown();

const optionSchema = z.strictObject({ id: idText('option id'), text: texts, next: z.string({ error: 'next must be a later question id, or end' }).optional() });
const questionSchema = z.strictObject({
  id: idText('question id'),
  type: z.enum(QUESTION_TYPES, { error: `type must be one of ${QUESTION_TYPES.join(', ')}` }),
  text: texts,
  options: z.array(optionSchema, { error: 'options must be a list of { id, text }' }).optional(),
  min: z.number({ error: 'min must be a whole number, e.g. 1' }).int('min must be a whole number').min(0, 'min must be 0 or more').optional(),
  max: z.number({ error: 'max must be a whole number, e.g. 5' }).int('max must be a whole number').optional(),
  min_label: texts.optional(),
  max_label: texts.optional(),
});
const surveySchema = z.strictObject({
  title: texts,
  intro: texts,
  thanks: texts.optional(),
  languages: z.array(z.string(), { error: 'languages must be a list of language codes, e.g. [ru, kk, en]' }).optional(),
  opens: day.optional(),
  closes: day,
  audience: z.enum(AUDIENCES, { error: `audience must be one of ${AUDIENCES.join(', ')}` }).default('everyone'),
  ready: z.unknown().optional(),
  questions: z.array(questionSchema, { error: 'questions must be a list of questions' }).min(1, 'questions must hold at least one question'),
});

const MAX_FILE_BYTES = 256 * 1024;

/** The survey text in `lang`, else its first language's. */
export function textIn(value: Texts, lang: Language, survey: Pick<Survey, 'languages'>): string {
  return value[lang] ?? value[survey.languages[0]!] ?? Object.values(value)[0] ?? '';
}

/** The language a client answers in: theirs if the survey has it, else the survey's first. */
export function surveyLanguage(survey: Pick<Survey, 'languages'>, lang: Language): Language {
  return survey.languages.includes(lang) ? lang : survey.languages[0]!;
}

/** Validates one survey file's text; `id` comes from the file name. */
export function parseSurvey(file: string, id: string, source: string): { survey?: Survey; problems: ContentProblem[] } {
  const problems: ContentProblem[] = [];
  if (!ID.test(id) || id.length > SURVEY_LIMITS.idLength) {
    return { problems: [{ file, message: `file name must be lowercase latin letters, digits and dashes (at most ${SURVEY_LIMITS.idLength}), e.g. drug-checking-2027.yml: it is the survey's id in its link` }] };
  }
  const parsed = parseYamlFile(file, source, surveySchema);
  if (!parsed.ok) return { problems: parsed.problems };
  const { data, lineOf } = parsed;
  const problem = (path: (string | number)[], message: string) => problems.push({ file, field: path.join('.'), line: lineOf(path), message });

  // Languages: those listed, else those the title is written in; every text must have each of them.
  const languages = data.languages ?? Object.keys(data.title);
  for (const [i, lang] of languages.entries()) if (!LANGUAGE_CODE.test(lang)) problem(['languages', i], `"${lang}" is not a language code like ru, kk or en`);
  if (languages.length === 0) problem(['languages'], 'must name at least one language');
  const checkTexts = (value: Texts | undefined, path: (string | number)[]) => {
    if (!value) return;
    for (const lang of languages) if (!value[lang]) problem(path, `lacks the ${lang} text (the survey's languages are ${languages.join(', ')})`);
    for (const lang of Object.keys(value)) if (!languages.includes(lang)) problem([...path, lang], `is not one of the survey's languages (${languages.join(', ')})`);
  };
  checkTexts(data.title, ['title']);
  checkTexts(data.intro, ['intro']);
  checkTexts(data.thanks, ['thanks']);

  const opens = data.opens === undefined ? undefined : dayOf(data.opens);
  if (data.opens !== undefined && !opens) problem(['opens'], `must be a date like 2027-01-10, not ${JSON.stringify(data.opens)}`);
  const closes = dayOf(data.closes);
  if (data.closes === undefined) problem(['closes'], 'is required: the last day answers are taken, e.g. closes: 2027-02-10');
  else if (!closes) problem(['closes'], `must be a date like 2027-02-10, not ${JSON.stringify(data.closes)}`);
  if (opens && closes && closes < opens) problem(['closes'], `is before opens (${opens})`);

  let ready: Survey['ready'];
  if (data.ready !== undefined && data.ready !== null) {
    const value = data.ready as Record<string, unknown>;
    const by = typeof value?.by === 'string' ? value.by.trim() : '';
    const on = dayOf(value?.on);
    if (typeof data.ready !== 'object' || Array.isArray(data.ready) || !by || !on) problem(['ready'], 'must be the organisation\'s go, e.g. ready: { by: "A.K.", on: 2027-01-05 } (leave it out while the survey is a draft)');
    else ready = { by, on };
  }

  if (data.questions.length > SURVEY_LIMITS.questions) problem(['questions'], `has ${data.questions.length} questions; at most ${SURVEY_LIMITS.questions} (a survey is a few taps)`);
  const index = new Map<string, number>();
  data.questions.forEach((q, i) => {
    if (index.has(q.id)) problem(['questions', i, 'id'], `"${q.id}" is used by another question too`);
    else index.set(q.id, i);
  });
  const questions: SurveyQuestion[] = data.questions.map((q, i) => {
    const at = ['questions', i];
    checkTexts(q.text, [...at, 'text']);
    const question: SurveyQuestion = { id: q.id, type: q.type, text: q.text, options: [], min: q.min ?? 1, max: q.max ?? 5 };
    if (q.type === 'single' || q.type === 'multiple') {
      const options = q.options ?? [];
      if (options.length < 2) problem([...at, 'options'], `a ${q.type} choice question needs at least 2 options`);
      if (options.length > SURVEY_LIMITS.options) problem([...at, 'options'], `has ${options.length} options; at most ${SURVEY_LIMITS.options}`);
      const seen = new Set<string>();
      question.options = options.map((o, j) => {
        const oat = [...at, 'options', j];
        if (seen.has(o.id)) problem([...oat, 'id'], `"${o.id}" is used by another option of this question`);
        seen.add(o.id);
        checkTexts(o.text, [...oat, 'text']);
        let next: SurveyOption['next'];
        if (o.next !== undefined) {
          if (q.type !== 'single') problem([...oat, 'next'], 'only an option of a single choice question can branch');
          else if (o.next === 'end') next = 'end';
          else if (!index.has(o.next)) problem([...oat, 'next'], `"${o.next}" is not a question id of this survey (or end)`);
          else if (index.get(o.next)! <= i) problem([...oat, 'next'], `"${o.next}" is not after this question: a branch may only skip ahead`);
          else next = index.get(o.next)!;
        }
        return { id: o.id, text: o.text, ...(next !== undefined ? { next } : {}) };
      });
    } else if (q.options !== undefined) {
      problem([...at, 'options'], `a ${q.type} question has no options`);
    }
    if (q.type === 'scale') {
      if (!(question.max > question.min)) problem([...at, 'max'], `must be more than min (${question.min})`);
      else if (question.max - question.min + 1 > SURVEY_LIMITS.scaleSpan) problem([...at, 'max'], `a scale has at most ${SURVEY_LIMITS.scaleSpan} points`);
      checkTexts(q.min_label, [...at, 'min_label']);
      checkTexts(q.max_label, [...at, 'max_label']);
      if (q.min_label) question.minLabel = q.min_label;
      if (q.max_label) question.maxLabel = q.max_label;
    } else {
      for (const field of ['min', 'max', 'min_label', 'max_label'] as const) if (q[field] !== undefined) problem([...at, field], `only a scale question has ${field}`);
    }
    return question;
  });
  if (problems.length > 0 || !closes) return { problems };
  return {
    survey: { id, file, title: data.title, intro: data.intro, ...(data.thanks ? { thanks: data.thanks } : {}), languages, ...(opens ? { opens } : {}), closes, audience: data.audience, ...(ready ? { ready } : {}), questions },
    problems,
  };
}

/** Loads every content/surveys/*.yml; a bad file is left out and its problems named. */
export function loadSurveys(root: string): { surveys: Survey[]; problems: ContentProblem[] } {
  const dir = join(root, SURVEYS_DIR);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { surveys: [], problems: [] };
  const surveys: Survey[] = [];
  const problems: ContentProblem[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name.startsWith('_')) continue;
    const file = `${SURVEYS_DIR}/${name}`;
    if (!/\.ya?ml$/.test(name)) {
      if (name.endsWith('.md')) problems.push({ file, message: 'a survey is a .yml file (YAML), not markdown' });
      continue;
    }
    let source: string;
    try {
      source = readContentFile(root, join(dir, name), MAX_FILE_BYTES).toString('utf8');
    } catch (error) {
      problems.push({ file, message: `cannot be read: ${(error as Error).message}` });
      continue;
    }
    const result = parseSurvey(file, name.replace(/\.ya?ml$/, ''), source);
    problems.push(...result.problems);
    if (result.survey) surveys.push(result.survey);
  }
  return { surveys, problems };
}

/** Where an answer leads: the next question's index, or undefined at the end. */
export function nextQuestion(survey: Survey, at: number, choice?: number): number | undefined {
  const question = survey.questions[at];
  const branch = question?.type === 'single' && choice !== undefined ? question.options[choice]?.next : undefined;
  if (branch === 'end') return undefined;
  const next = branch ?? at + 1;
  return next < survey.questions.length ? next : undefined;
}
