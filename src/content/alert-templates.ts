import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseFrontMatter, type ContentProblem } from './front-matter.js';
import { escapeHtml, renderMarkdown } from './markdown.js';
import { readContentFile } from './paths.js';
import { parseSignOff, reviewLines, type SignOffRecord } from './signoff.js';

/**
 * content/alerts/<lang>.md: the wording of a drug alert in one language, as markdown with placeholders
 * staff fill in with /alert: {substance} {sold_as} {effects} {action} {regions} {until} {severity}.
 * Medical text (topic: medical by default): an unsigned template may be used, but the alert then says
 * nothing about being checked; a current clinician's sign-off adds the usual "checked by" line.
 */
export const ALERT_FIELDS = ['substance', 'sold_as', 'effects', 'action'] as const;
export const ALERT_PLACEHOLDERS = [...ALERT_FIELDS, 'regions', 'until', 'severity'] as const;
export type AlertPlaceholder = (typeof ALERT_PLACEHOLDERS)[number];

export interface AlertTemplate {
  language: string;
  file: string;
  /** Telegram HTML with the placeholders still in it (braces survive markdown). */
  html: string;
  signOff: SignOffRecord;
}

const schema = z.object({
  title: z.string().optional(),
  topic: z.unknown().optional(),
  review: z.unknown().optional(),
  needs: z.unknown().optional(),
  verify: z.unknown().optional(),
});

const PLACEHOLDER = /\{([a-z_]+)\}/g;

/** Reads the template of each language; a missing or broken one is a problem, the others still work. */
export function loadAlertTemplates(root: string, languages: readonly string[], numbers: Record<string, string> = {}): { templates: Map<string, AlertTemplate>; problems: ContentProblem[] } {
  const templates = new Map<string, AlertTemplate>();
  const problems: ContentProblem[] = [];
  for (const language of languages) {
    const file = join('alerts', `${language}.md`);
    const path = join(root, file);
    if (!existsSync(path)) continue;
    let source: string;
    try {
      source = readContentFile(root, path, 64 * 1024).toString('utf8');
    } catch (error) {
      problems.push({ file, message: `cannot be read: ${(error as Error).message}` });
      continue;
    }
    const parsed = parseFrontMatter(file, source, schema);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      continue;
    }
    // {{ambulance}} and the other numbers of settings.yml, as in every content file.
    const body = parsed.body.replace(/\{\{([a-z][a-z0-9_]*)\}\}/g, (whole, name: string) => numbers[name] ?? whole);
    const unknown = [...body.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !(ALERT_PLACEHOLDERS as readonly string[]).includes(name));
    if (unknown.length > 0) {
      problems.push({ file, message: `{${unknown[0]}} is not a placeholder of alerts: use ${ALERT_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}` });
      continue;
    }
    if (!body.includes('{substance}')) {
      problems.push({ file, message: 'must name the substance with {substance}' });
      continue;
    }
    const { record, problems: signOffProblems } = parseSignOff(file, { topic: 'medical', ...Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) }, parsed.lineOf);
    problems.push(...signOffProblems);
    templates.set(language, { language, file, html: renderMarkdown(body), signOff: record });
  }
  return { templates, problems };
}

/** Fills a template's placeholders with plain text (escaped here); an empty field removes its line. */
export function fillAlertTemplate(template: AlertTemplate, values: Partial<Record<AlertPlaceholder, string>>): string {
  const lines = template.html.split('\n').filter((line) => {
    const names = [...line.matchAll(PLACEHOLDER)].map((m) => m[1] as AlertPlaceholder);
    return names.every((name) => (values[name] ?? '').trim() !== '');
  });
  return lines
    .join('\n')
    .replace(PLACEHOLDER, (_, name: AlertPlaceholder) => escapeHtml(values[name] ?? ''))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** What the alert may say about its checking: only a current clinician's sign-off is claimed. */
export function alertReviewLines(template: AlertTemplate, now: Date): ReturnType<typeof reviewLines> {
  return reviewLines(template.signOff, now, true);
}
