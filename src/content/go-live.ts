import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Language } from '../config.js';
import type { ContentProblem } from './front-matter.js';
import type { Content } from './loader.js';
import { fluentJunk } from './fluent-check.js';
import { findLiteralNumbers, fluentTextLines } from './literal-numbers.js';
import { findPlaceholders } from './placeholders.js';
import { readContentFile } from './paths.js';
import { signOffStatus, type SignOffRecord } from './signoff.js';
import { SETTINGS_FILE } from './settings.js';

/**
 * The go-live checks of content:check: who signed what, the organisation's placeholders, emergency
 * numbers written out instead of `{{name}}`, and Fluent texts that would be dropped. Without
 * --strict they are warnings (except dropped texts and bad sign-off fields, which are always errors);
 * `content:check --strict` fails while any of them remains.
 */

export interface SignOffSummary {
  lang: Language;
  /** Texts a client reads on their own: the info cards and the emergency screen. */
  total: number;
  signed: number;
  unsigned: ContentProblem[];
  expired: ContentProblem[];
}

export interface GoLiveReport {
  signOff: SignOffSummary[];
  /** `[[ORG: …]]` markers: file, line, the note. */
  placeholders: ContentProblem[];
  /** Emergency numbers written out in a client text. */
  literalNumbers: ContentProblem[];
  /** Old `reviewed:` dates (not a sign-off). */
  legacyReviewed: ContentProblem[];
  /** `verify:` notes for the organisation. */
  verify: ContentProblem[];
  /** Always errors: Fluent lines that would be dropped, and malformed sign-off fields. */
  errors: ContentProblem[];
  /** The mixing table's pairs: how many are signed. */
  mix?: { total: number; signed: number };
  mixUnsigned: ContentProblem[];
}

/** Folders of client-facing markdown, scanned for placeholders and written-out numbers. */
const CLIENT_FOLDERS = ['info', 'emergency', 'snippets', 'services', 'posts'];
const MAX_BYTES = 1024 * 1024;

/** Markdown files below `dir` (hidden and `_` files left out); a linked folder is not followed. Posts are found the same way. */
export function markdownFilesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.') && !entry.name.startsWith('_'))
    .flatMap((entry) => (entry.isDirectory() ? markdownFilesBelow(join(dir, entry.name)) : entry.name.endsWith('.md') ? [join(dir, entry.name)] : []))
    .sort();
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => name.endsWith('.yml')).sort().map((name) => join(dir, name));
}

/** The markdown body of a file with its first line number (front matter skipped: sources may cite "Art. 103"). */
function bodyOf(source: string): { text: string; firstLine: number } {
  const lines = source.replace(/^\uFEFF/, '').split('\n');
  if (lines[0]?.trimEnd() !== '---') return { text: lines.join('\n'), firstLine: 1 };
  const close = lines.findIndex((line, index) => index > 0 && line.trimEnd() === '---');
  if (close < 0) return { text: lines.join('\n'), firstLine: 1 };
  return { text: lines.slice(close + 1).join('\n'), firstLine: close + 2 };
}

function readText(root: string, path: string): string | undefined {
  try {
    return readContentFile(root, path, MAX_BYTES).toString('utf8');
  } catch {
    return undefined; // the loader reports unreadable files
  }
}

function describeMissing(roles: string[]): string {
  return roles.join(' and ');
}

function signOffItem(file: string, record: SignOffRecord, now: Date): { kind: 'signed' | 'unsigned' | 'expired'; problem?: ContentProblem } {
  const status = signOffStatus(record, now);
  switch (status.state) {
    case 'signed':
      return { kind: 'signed' };
    case 'undetermined':
      return { kind: 'unsigned', problem: { file, field: 'topic', message: 'has no topic, so nobody knows who must sign: add topic: medical, mental, legal, social or digital (or needs: [...])' } };
    case 'unsigned':
      return { kind: 'unsigned', problem: { file, field: 'review', message: `not signed: needs ${describeMissing(status.missing)}${record.topic ? ` (topic ${record.topic})` : ''}` } };
    case 'expired': {
      const on = status.expired.map((role) => `${role} ${record.review[role]!.on}`).join(', ');
      return { kind: 'expired', problem: { file, field: 'review', message: `sign-off older than a year (${on}): needs a new one${status.missing.length ? `; also needs ${describeMissing(status.missing)}` : ''}` } };
    }
  }
}

export function goLiveReport(root: string, content: Content, now = new Date()): GoLiveReport {
  const report: GoLiveReport = { signOff: [], placeholders: [], literalNumbers: [], legacyReviewed: [], verify: [], errors: [...content.signOffProblems], mixUnsigned: [] };

  for (const [lang, language] of Object.entries(content.languages)) {
    const summary: SignOffSummary = { lang, total: 0, signed: 0, unsigned: [], expired: [] };
    const texts: { file: string; record: SignOffRecord }[] = [
      ...(language.emergency ? [{ file: `emergency/${lang}.md`, record: language.emergency.signOff }] : []),
      ...[...language.cards.values()].map((card) => ({ file: `info/${lang}/${card.slug}.md`, record: card.signOff })),
    ];
    for (const { file, record } of texts) {
      summary.total += 1;
      const item = signOffItem(file, record, now);
      if (item.kind === 'signed') summary.signed += 1;
      else if (item.kind === 'expired') summary.expired.push(item.problem!);
      else summary.unsigned.push(item.problem!);
      if (record.legacyReviewed !== undefined) {
        report.legacyReviewed.push({ file, field: 'reviewed', message: `${JSON.stringify(record.legacyReviewed)} is not a sign-off: use review: { clinician: { by: "initials", on: YYYY-MM-DD } } (or lawyer, peer) once someone has actually signed` });
      }
      for (const note of record.verify) report.verify.push({ file, field: 'verify', message: note });
    }
    report.signOff.push(summary);
  }
  if (content.mix) {
    const pairs = [...content.mix.pairs.values()];
    const lacking = pairs.filter((pair) => signOffStatus(pair.signOff, now).state !== 'signed').length;
    report.mix = { total: pairs.length, signed: pairs.length - lacking };
    if (lacking > 0) report.mixUnsigned.push({ file: 'mix/pairs.yml', field: 'review', message: `${lacking} of ${pairs.length} pair(s) have no current clinician sign-off (clients read them as general guidance)` });
  }

  const numbers = content.settings.emergency_numbers;
  const literal = (file: string, text: string, firstLine: number, hint: (name: string) => string) => {
    const byLine = new Map<number, { number: string; name: string }[]>();
    for (const found of findLiteralNumbers(text, numbers)) byLine.set(found.line, [...(byLine.get(found.line) ?? []), found]);
    for (const [line, list] of byLine) {
      report.literalNumbers.push({
        file,
        line: line + firstLine - 1,
        message: `${list.map((f) => `"${f.number}"`).join(', ')} written out: use ${list.map((f) => hint(f.name)).join(', ')} (emergency_numbers of settings.yml)`,
      });
    }
  };
  for (const folder of CLIENT_FOLDERS) {
    for (const path of markdownFilesBelow(join(root, folder))) {
      const source = readText(root, path);
      if (source === undefined) continue;
      const file = relative(root, path);
      for (const found of findPlaceholders(source)) report.placeholders.push({ file, line: found.line, message: found.note || '(no note)' });
      const body = bodyOf(source);
      literal(file, body.text, body.firstLine, (name) => `{{${name}}}`);
    }
  }
  // Placeholders also count where clients never read them (settings.yml, training scenarios): the
  // organisation still has to answer them before launch (support/: the consultants' support contacts).
  // The mixing texts are client text.
  for (const path of [join(root, SETTINGS_FILE), ...markdownFilesBelow(join(root, 'training')), ...markdownFilesBelow(join(root, 'support')), ...yamlFiles(join(root, 'mix'))]) {
    const source = existsSync(path) ? readText(root, path) : undefined;
    if (source === undefined) continue;
    const file = relative(root, path);
    for (const found of findPlaceholders(source)) report.placeholders.push({ file, line: found.line, message: found.note || '(no note)' });
    if (file.startsWith('mix')) literal(file, fluentTextLines(source), 1, (name) => `{{${name}}}`);
  }
  const locales = join(root, 'locales');
  if (existsSync(locales)) {
    for (const name of readdirSync(locales).filter((n) => n.endsWith('.ftl')).sort()) {
      const source = readText(root, join(locales, name));
      if (source === undefined) continue;
      const file = `locales/${name}`;
      for (const junk of fluentJunk(source)) {
        report.errors.push({ file, line: junk.line, message: `Fluent drops this line${junk.after ? ` (after ${junk.after})` : ''}, so no client ever sees it: "${junk.text}" — fix the syntax (a continuation line must be indented) or delete it` });
      }
      for (const found of findPlaceholders(fluentTextLines(source))) report.placeholders.push({ file, line: found.line, message: found.note || '(no note)' });
      literal(file, fluentTextLines(source), 1, (name) => `{ $${name} }`);
    }
  }
  return report;
}

/** The items --strict fails on (besides the errors). */
export function goLiveBlockers(report: GoLiveReport): number {
  return report.signOff.reduce((n, s) => n + s.unsigned.length + s.expired.length, 0) + report.mixUnsigned.length + report.placeholders.length + report.literalNumbers.length;
}
