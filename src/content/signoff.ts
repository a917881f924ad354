import type { ContentProblem, LineOf } from './front-matter.js';

/**
 * Who signed a text, as written in its front matter:
 *
 *   topic: medical                 # what the card is about; decides who must sign
 *   review:                        # who signed what; absent = nobody signed
 *     clinician: { by: "A.K.", on: 2027-01-15 }
 *     lawyer:    { by: "B.S.", on: 2027-01-20 }
 *     peer:      { by: "D.N.", on: 2027-01-22, language: kk }
 *   needs: [clinician, peer]       # optional: overrides what the topic needs
 *   verify:                        # notes for the organisation; content:check prints them, clients never see them
 *     - "Check where PEP is given at night in Almaty"
 *
 * A sign-off is a record (initials and day), never a bare date: the bot tells a client a card was
 * checked only when the role its topic needs has signed within the last year.
 */

export const ROLES = ['clinician', 'lawyer', 'peer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Which sign-off a card's topic needs. A native-speaking peer (language) is never required by default:
 * add `needs: [clinician, peer]` to a card to require one.
 */
export const TOPIC_NEEDS = {
  medical: ['clinician'],
  mental: ['clinician'],
  legal: ['lawyer'],
  social: ['lawyer'],
  digital: [],
} as const satisfies Record<string, readonly Role[]>;
export type Topic = keyof typeof TOPIC_NEEDS;
export const TOPICS = Object.keys(TOPIC_NEEDS) as Topic[];

/** A sign-off older than this no longer counts: the text needs a new one. */
export const SIGNOFF_MAX_AGE_DAYS = 365;
const DAY_MS = 86_400_000;

export interface SignOff {
  by: string;
  /** The day it was signed, YYYY-MM-DD. */
  on: string;
  /** For a peer's language check: the language they read. */
  language?: string;
}

export type SignOffs = Partial<Record<Role, SignOff>>;

/** The sign-off metadata of one text, validated; problems name the file, the field and what was expected. */
export interface SignOffRecord {
  topic?: Topic;
  review: SignOffs;
  /** What must be signed: `needs:` if given, else from the topic; undefined when neither says. */
  needs?: Role[];
  /** Notes for the organisation (front matter `verify:`); never shown to clients. */
  verify: string[];
  /** The old `reviewed: YYYY-MM-DD` field, if still there: it is not a sign-off. */
  legacyReviewed?: unknown;
}

export interface RawSignOff {
  topic?: unknown;
  review?: unknown;
  needs?: unknown;
  verify?: unknown;
  reviewed?: unknown;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day written YYYY-MM-DD (YAML may also hand back a Date). */
export function dayOf(value: unknown): string | undefined {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !DATE.test(text.trim())) return undefined;
  const date = new Date(`${text.trim()}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text.trim() ? undefined : text.trim();
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates the sign-off fields of a front matter. Never throws; a bad field is dropped (so it
 * counts as not signed) and reported.
 */
export function parseSignOff(file: string, raw: RawSignOff, lineOf: LineOf = () => undefined, now = new Date()): { record: SignOffRecord; problems: ContentProblem[] } {
  const problems: ContentProblem[] = [];
  /** Records a problem; returns false, so `ok = problem(…)` marks the sign-off as not counting. */
  const problem = (path: (string | number)[], message: string): false => {
    problems.push({ file, field: path.join('.'), line: lineOf(path), message });
    return false;
  };
  const today = now.toISOString().slice(0, 10);

  let topic: Topic | undefined;
  if (raw.topic !== undefined) {
    if (typeof raw.topic === 'string' && raw.topic in TOPIC_NEEDS) topic = raw.topic as Topic;
    else problem(['topic'], `must be one of ${TOPICS.join(', ')} (it decides who must sign), not ${JSON.stringify(raw.topic)}`);
  }

  const review: SignOffs = {};
  if (raw.review !== undefined && raw.review !== null) {
    if (!isRecord(raw.review)) {
      problem(['review'], 'must be sign-offs by role, e.g. review: { clinician: { by: "A.K.", on: 2027-01-15 } }');
    } else {
      for (const [role, value] of Object.entries(raw.review)) {
        const at = ['review', role];
        if (!(ROLES as readonly string[]).includes(role)) {
          problem(at, `"${role}" is not a role: use ${ROLES.join(', ')}`);
          continue;
        }
        if (!isRecord(value)) {
          problem(at, 'must be { by: "initials", on: YYYY-MM-DD }');
          continue;
        }
        const by = typeof value.by === 'string' ? value.by.trim() : '';
        const on = dayOf(value.on);
        const language = value.language;
        let ok = true;
        if (!by) ok = problem([...at, 'by'], 'is missing: who signed (name or initials), e.g. by: "A.K."');
        if (value.on === undefined) ok = problem([...at, 'on'], 'is missing: the day it was signed, e.g. on: 2027-01-15');
        else if (!on) ok = problem([...at, 'on'], `must be a date like 2027-01-15, not ${JSON.stringify(value.on)}`);
        else if (on > today) ok = problem([...at, 'on'], `is in the future (${on}): write the day it was actually signed`);
        if (language !== undefined && (typeof language !== 'string' || !/^[a-z]{2}$/.test(language))) {
          ok = problem([...at, 'language'], 'must be a two-letter language code, e.g. kk');
        }
        for (const key of Object.keys(value).filter((k) => !['by', 'on', 'language'].includes(k))) {
          ok = problem([...at, key], 'is not a sign-off field: use by, on (and language for a peer)');
        }
        if (ok && on) review[role as Role] = { by, on, ...(typeof language === 'string' ? { language } : {}) };
      }
    }
  }

  let needs: Role[] | undefined = topic ? [...TOPIC_NEEDS[topic]] : undefined;
  if (raw.needs !== undefined) {
    const list = Array.isArray(raw.needs) ? raw.needs : [raw.needs];
    const bad = list.filter((role) => typeof role !== 'string' || !(ROLES as readonly string[]).includes(role));
    if (bad.length > 0) problem(['needs'], `must be a list of roles (${ROLES.join(', ')}), e.g. needs: [clinician, peer]; ${JSON.stringify(bad[0])} is not one`);
    else needs = [...new Set(list as Role[])];
  }

  const verify: string[] = [];
  if (raw.verify !== undefined && raw.verify !== null) {
    const list = Array.isArray(raw.verify) ? raw.verify : [raw.verify];
    list.forEach((note, index) => {
      if (typeof note === 'string' && note.trim()) verify.push(note.trim());
      else problem(['verify', index], 'must be a note in words, e.g. - "Check the PEP place in Almaty"');
    });
  }

  return { record: { topic, review, needs, verify, ...(raw.reviewed !== undefined ? { legacyReviewed: raw.reviewed } : {}) }, problems };
}

/** A sign-off that still counts on `now`: signed, and not older than a year. */
export function isCurrent(signOff: SignOff | undefined, now = new Date()): signOff is SignOff {
  if (!signOff) return false;
  const age = now.getTime() - new Date(`${signOff.on}T00:00:00Z`).getTime();
  return age <= SIGNOFF_MAX_AGE_DAYS * DAY_MS;
}

export type SignOffStatus =
  | { state: 'signed'; roles: Role[] }
  | { state: 'unsigned'; missing: Role[] }
  | { state: 'expired'; expired: Role[]; missing: Role[] }
  /** Neither a topic nor `needs:` says who must sign. */
  | { state: 'undetermined' };

/** Whether a text has every sign-off it needs, current on `now`. */
export function signOffStatus(record: SignOffRecord, now = new Date()): SignOffStatus {
  if (!record.needs) return { state: 'undetermined' };
  const expired = record.needs.filter((role) => record.review[role] && !isCurrent(record.review[role], now));
  const missing = record.needs.filter((role) => !record.review[role]);
  if (expired.length > 0) return { state: 'expired', expired, missing };
  if (missing.length > 0) return { state: 'unsigned', missing };
  return { state: 'signed', roles: record.needs };
}

/**
 * What a client may be told about a text's checking: the expert sign-offs (clinician, lawyer) that
 * are current. A peer's language check is not a claim about the facts, so it is never shown.
 */
export function currentExpertSignOffs(record: SignOffRecord, now = new Date()): { role: 'clinician' | 'lawyer'; on: string }[] {
  return (['clinician', 'lawyer'] as const).flatMap((role) => {
    const signOff = record.review[role];
    return isCurrent(signOff, now) ? [{ role, on: signOff.on }] : [];
  });
}

/** 2027-01-15 → 15.01.2027, the way dates are written in the bot's languages. */
export function displayDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}.${m}.${y}`;
}

/** A line a client may read under a text about its checking: a Fluent message id and its date. */
export interface ReviewLine {
  key: 'review-checked-clinician' | 'review-checked-lawyer' | 'review-not-checked-clinician' | 'review-not-checked-lawyer';
  date?: string;
}

/**
 * What a client is told about who checked a text: "checked by the organisation's doctor on …" only for a
 * current sign-off; for an expert role the topic needs that has not (or no longer) signed, a neutral
 * "written from … guidance, not yet reviewed by our doctor". Nothing when the topic needs no expert.
 * `claimsOnly` drops the neutral lines (the emergency screen: no distraction in a crisis).
 */
export function reviewLines(record: SignOffRecord, now = new Date(), claimsOnly = false): ReviewLine[] {
  const current = currentExpertSignOffs(record, now);
  const lines: ReviewLine[] = current.map(({ role, on }) => ({ key: `review-checked-${role}`, date: displayDay(on) }));
  if (claimsOnly) return lines;
  for (const role of ['clinician', 'lawyer'] as const) {
    if (record.needs?.includes(role) && !current.some((c) => c.role === role)) lines.push({ key: `review-not-checked-${role}` });
  }
  return lines;
}
