import { ALERT_FIELDS } from '../content/alert-templates.js';
import { parseDateTime } from '../time/zoned.js';
import { SEVERITIES, type NewAlert, type Severity } from './store.js';

/**
 * The text of `/alert`: one `field: value` per line, e.g.
 *
 *   /alert
 *   regions: north, almaty        (or: all)
 *   severity: high                (high | medium | low)
 *   substance: nitazene in "heroin"
 *   sold as: heroin
 *   effects: people stop breathing after one dose
 *   action: test dose, never alone, naloxone at hand
 *   expires: 48h                  (90m, 3d, or 2026-12-10 18:00 in TIMEZONE)
 *   channel: news                 (optional: a CHANNELS alias)
 *   effects.kk: …                 (optional: a field's wording for one language)
 *
 * Every problem names the field and what was expected.
 */
export interface DraftContext {
  regions: readonly string[];
  languages: readonly string[];
  channels: readonly string[];
  timezone: string;
  now: number;
  /** Fields an update must not change but a draft needs. */
  partial?: boolean;
}

export const MAX_ALERT_DAYS = 30;
const MAX_FIELD = 600;
const FIELD_NAMES: readonly string[] = ALERT_FIELDS;

export type ParsedDraft = { ok: true; alert: NewAlert } | { ok: false; problems: string[] };

/** Just the `field: value` lines (keys lowercased, spaces and dashes as _). */
export function fieldLines(text: string): { fields: Map<string, string>; problems: string[] } {
  const fields = new Map<string, string>();
  const problems: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const match = /^([A-Za-z][A-Za-z _.-]{0,30}?)\s*:\s*(.*)$/.exec(line);
    if (!match) {
      problems.push(`"${line.slice(0, 40)}" is not a field line: write field: value, e.g. substance: nitazene`);
      continue;
    }
    const key = match[1]!.trim().toLowerCase().replace(/[ -]+/g, '_');
    if (fields.has(key)) problems.push(`${key} is given twice`);
    fields.set(key, match[2]!.trim());
  }
  return { fields, problems };
}

export function parseExpiry(value: string, timezone: string, now: number): number | string {
  const relative = /^(\d{1,4})\s*(m|min|h|d)$/i.exec(value.trim());
  const at = relative
    ? now + Number(relative[1]) * { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2]!.toLowerCase() as 'm']!
    : parseDateTime(value, timezone)?.getTime();
  if (at === undefined) return `expires must be a duration like 48h, 90m or 3d, or a local time like 2026-12-10 18:00 (${timezone}); not "${value}"`;
  if (at <= now + 5 * 60_000) return 'expires must be at least 5 minutes from now';
  if (at > now + MAX_ALERT_DAYS * 86_400_000) return `expires must be within ${MAX_ALERT_DAYS} days (an alert that never ends is the complaint alerts exist to avoid)`;
  return at;
}

export function parseDraft(text: string, context: DraftContext): ParsedDraft {
  const { fields, problems } = fieldLines(text);
  const known = new Set(['regions', 'region', 'severity', 'expires', 'channel', 'report', ...FIELD_NAMES]);
  const alertFields: Record<string, string> = {};
  for (const [key, value] of fields) {
    const [base, language] = key.split('.') as [string, string | undefined];
    if (language !== undefined) {
      if (!FIELD_NAMES.includes(base)) problems.push(`${key}: only ${FIELD_NAMES.join(', ')} can be given per language`);
      else if (!context.languages.includes(language)) problems.push(`${key}: ${language} is not a language of the bot (${context.languages.join(', ')})`);
      else alertFields[key] = value;
      continue;
    }
    if (!known.has(key)) {
      problems.push(`${key} is not a field of alerts: use regions, severity, ${FIELD_NAMES.join(', ')}, expires, channel`);
      continue;
    }
    if (FIELD_NAMES.includes(key)) alertFields[key] = value;
  }
  for (const [key, value] of Object.entries(alertFields)) if (value.length > MAX_FIELD) problems.push(`${key} is too long (${value.length} characters, at most ${MAX_FIELD})`);
  if (!context.partial && !alertFields.substance) problems.push('substance is required: what was found, e.g. substance: nitazene');
  if (!context.partial && !alertFields.effects) problems.push('effects is required: what it does, e.g. effects: stops breathing after one dose');

  let regions: string[] = [];
  const regionText = fields.get('regions') ?? fields.get('region');
  if (regionText !== undefined) {
    const asked = regionText.split(/[,\s]+/).map((r) => r.trim().toLowerCase()).filter(Boolean);
    if (asked.length === 1 && asked[0] === 'all') regions = [...context.regions];
    else {
      const unknown = asked.filter((r) => !context.regions.includes(r));
      if (unknown.length > 0) problems.push(`regions: ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not in alert_regions of settings.yml (${context.regions.join(', ') || 'none set'}), or write all`);
      regions = [...new Set(asked.filter((r) => context.regions.includes(r)))];
    }
  }
  if (!context.partial && regions.length === 0 && regionText === undefined) problems.push(`regions is required: some of ${context.regions.join(', ') || '(none: set alert_regions in settings.yml)'}, or all`);

  const severity = (fields.get('severity') ?? 'high').toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(severity)) problems.push(`severity must be one of ${SEVERITIES.join(', ')}; not "${severity}"`);

  let expiresAt = 0;
  const expires = fields.get('expires');
  if (expires === undefined) {
    if (!context.partial) problems.push('expires is required: e.g. expires: 48h (every alert ends)');
  } else {
    const at = parseExpiry(expires, context.timezone, context.now);
    if (typeof at === 'string') problems.push(at);
    else expiresAt = at;
  }

  const channel = fields.get('channel')?.toLowerCase();
  if (channel !== undefined && channel !== '' && channel !== 'none' && !context.channels.includes(channel)) {
    problems.push(`channel must be one of CHANNELS (${context.channels.join(', ') || 'none configured'}), or none; not "${channel}"`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    alert: {
      regions,
      severity: severity as Severity,
      fields: alertFields,
      expiresAt,
      ...(channel && channel !== 'none' ? { channel } : {}),
      ...(fields.get('report') ? { reportNo: fields.get('report')! } : {}),
    },
  };
}
