import { randomInt } from 'node:crypto';
import type { Db } from '../db/connection.js';
import { readResponses } from '../db/surveys.js';
import type { Privacy } from '../privacy/keys.js';
import { textIn, type Survey } from '../content/surveys.js';
import { cell, SMALL_CELL, type Cell } from './stats.js';

/**
 * A survey's results for the editors: counts per answer, with the small-cell rule of /stats (a count
 * from fewer than 5 people shows as "<5"; a survey with fewer than 5 responses shows no answers at all).
 *
 * Free text: it can name a place, a person, a habit only one person has. It is shown only in the CSV,
 * only for a question at least 5 people answered in words, in a shuffled order and each text on a row of
 * its own, never beside the same person's other answers; /survey and the chart give only how many wrote.
 */

export interface QuestionTally {
  id: string;
  type: Survey['questions'][number]['type'];
  /** People who saw the question (answered or skipped it). */
  reached: number;
  skipped: number;
  /** Per option id (single, multiple) or scale value, in the file's order. */
  counts: { key: string; label: string; n: number }[];
  /** Free-text answers (text questions). */
  texts: string[];
}

export interface SurveyTally {
  survey: Survey;
  responses: number;
  /** Rows that did not open with this BOT_SECRET (never counted). */
  unreadable: number;
  questions: QuestionTally[];
}

type Stored = Record<string, string | string[] | number | { text: string } | null>;

/** Counts the stored responses; labels in `lang`. */
export function tallyAnswers(survey: Survey, responses: readonly string[], lang: string, unreadable = 0): SurveyTally {
  const questions: QuestionTally[] = survey.questions.map((q) => ({
    id: q.id,
    type: q.type,
    reached: 0,
    skipped: 0,
    counts:
      q.type === 'scale'
        ? Array.from({ length: q.max - q.min + 1 }, (_, i) => ({ key: String(q.min + i), label: String(q.min + i), n: 0 }))
        : q.options.map((o) => ({ key: o.id, label: textIn(o.text, lang, survey), n: 0 })),
    texts: [],
  }));
  let counted = 0;
  for (const json of responses) {
    let stored: Stored;
    try {
      stored = JSON.parse(json) as Stored;
    } catch {
      continue;
    }
    counted++;
    for (const tally of questions) {
      if (!(tally.id in stored)) continue;
      const value = stored[tally.id];
      tally.reached++;
      if (value === null || value === undefined) tally.skipped++;
      else if (typeof value === 'object' && !Array.isArray(value)) tally.texts.push(value.text);
      else for (const key of Array.isArray(value) ? value : [String(value)]) {
        const count = tally.counts.find((c) => c.key === key);
        if (count) count.n++;
      }
    }
  }
  return { survey, responses: counted, unreadable, questions };
}

export function surveyTally(db: Db, privacy: Privacy, survey: Survey, lang: string): SurveyTally {
  const { answers, unreadable } = readResponses(db, privacy, survey.id);
  return tallyAnswers(survey, answers, lang, unreadable);
}

export interface ShownQuestion {
  id: string;
  type: QuestionTally['type'];
  reached: Cell;
  skipped: Cell;
  counts: { key: string; label: string; n: Cell }[];
  /** How many answered in words. */
  written: Cell;
}

export interface ShownTally {
  responses: Cell;
  /** Empty when fewer than SMALL_CELL responses: then any count could be one person's answer. */
  questions: ShownQuestion[];
}

/** The tally as it may be shown: small cells as "<5", nothing per question below SMALL_CELL responses. */
export function protectTally(tally: SurveyTally): ShownTally {
  if (tally.responses < SMALL_CELL) return { responses: cell(tally.responses), questions: [] };
  return {
    responses: tally.responses,
    questions: tally.questions.map((q) => ({
      id: q.id,
      type: q.type,
      reached: cell(q.reached),
      skipped: cell(q.skipped),
      counts: q.counts.map((c) => ({ ...c, n: cell(c.n) })),
      written: cell(q.texts.length),
    })),
  };
}

/** Free texts that may be shown: a question SMALL_CELL people or more answered in words, shuffled. */
export function shownTexts(tally: SurveyTally, question: QuestionTally): string[] {
  if (tally.responses < SMALL_CELL || question.texts.length < SMALL_CELL) return [];
  const texts = [...question.texts];
  for (let i = texts.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [texts[i], texts[j]] = [texts[j]!, texts[i]!];
  }
  return texts;
}

function csvCell(value: string | number): string {
  let text = String(value);
  // A leading =, +, - or @ makes a spreadsheet run the cell as a formula: a client's text never does.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The results as CSV (question, answer, count), small cells suppressed; free texts per the rule above. */
export function tallyCsv(tally: SurveyTally): string {
  const shown = protectTally(tally);
  const rows: (string | number)[][] = [['question', 'answer', 'count']];
  rows.push(['*', 'responses', shown.responses]);
  for (const [i, q] of shown.questions.entries()) {
    rows.push([q.id, '(reached)', q.reached], [q.id, '(skipped)', q.skipped]);
    for (const c of q.counts) rows.push([q.id, c.key, c.n]);
    if (q.type === 'text') {
      rows.push([q.id, '(written)', q.written]);
      for (const text of shownTexts(tally, tally.questions[i]!)) rows.push([q.id, 'text', text]);
    }
  }
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const WIDTH = 900;
const LABEL = 300;
const BAR_MAX = WIDTH - LABEL - 80;
const BAR = 18;

/**
 * One bar per answer, per question, scaled to the number of responses; a small cell is drawn as no bar
 * and the label "<5". Texts from the survey file are escaped for XML.
 */
export function tallySvg(tally: SurveyTally, lang: string, title: string, noAnswers: string): string {
  const shown = protectTally(tally);
  const total = typeof shown.responses === 'number' ? Math.max(1, shown.responses) : 1;
  const parts: string[] = [];
  let y = 60;
  for (const q of shown.questions) {
    const question = tally.survey.questions.find((s) => s.id === q.id)!;
    parts.push(`<text x="10" y="${y + 14}" font-size="15" font-weight="bold">${escapeXml(clip(textIn(question.text, lang, tally.survey), 95))}</text>`);
    y += 24;
    const bars = q.type === 'text' ? [{ label: '✎', n: q.written }] : q.counts.map((c) => ({ label: c.label, n: c.n }));
    for (const bar of bars) {
      const value = typeof bar.n === 'number' ? bar.n : 0;
      const w = Math.round((value / total) * BAR_MAX);
      parts.push(
        `<text x="20" y="${y + 14}" font-size="13">${escapeXml(clip(bar.label, 38))}</text>`,
        `<rect x="${LABEL}" y="${y}" width="${w}" height="${BAR}" fill="#6fb9f0"/>`,
        `<text x="${LABEL + w + 6}" y="${y + 14}" font-size="13">${escapeXml(String(bar.n))}</text>`,
      );
      y += BAR + 6;
    }
    y += 14;
  }
  if (shown.questions.length === 0) {
    parts.push(`<text x="10" y="${y + 14}" font-size="14">${escapeXml(noAnswers)}</text>`);
    y += 30;
  }
  const height = y + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="30" font-size="18" font-weight="bold">${escapeXml(clip(title, 80))}</text>`,
    ...parts,
    '</svg>',
  ].join('');
}
