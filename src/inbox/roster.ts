import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseYamlFile, type ContentProblem } from '../content/front-matter.js';
import { readContentFile } from '../content/paths.js';
import { cleanAlias } from './alias.js';
import { localTime, nextOpening, parseWorkingHours, type WorkingHours } from './working-hours.js';

/**
 * The duty roster (content/roster.yml): who is on duty when, by alias (the name a consultant set with
 * /alias), as weekly slots in TIMEZONE in the WORKING_HOURS format. At each slot's start and end the
 * bot puts the consultant on or off duty; a /duty by hand wins until the next such boundary.
 *
 * ```yaml
 * draft: true          # validated, not applied (unless APPLY_DRAFT_ROSTER=true, as in the sandbox)
 * shifts:
 *   - alias: Aigerim
 *     when: Mon-Fri 09:00-15:00
 *     inbox: main      # optional: the default inbox
 * ```
 */
export const ROSTER_FILE = 'roster.yml';

export interface RosterShift {
  /** Its place in the file's list, for problems found later. */
  entry: number;
  alias: string;
  inbox?: string;
  when: WorkingHours;
}

export interface Roster {
  draft: boolean;
  shifts: RosterShift[];
}

const shiftSchema = z.strictObject({
  alias: z.string({ error: 'alias is required: the name the consultant set with /alias, e.g. Aigerim' }),
  when: z.string({ error: 'when is required: weekly hours like "Mon-Fri 09:00-15:00, Sat 10:00-14:00"' }),
  inbox: z.string({ error: 'inbox must be the name of an inbox (INBOXES), e.g. main' }).optional(),
});
const rosterSchema = z.strictObject({
  draft: z.boolean({ error: 'draft must be true or false' }).optional(),
  shifts: z.array(z.unknown(), { error: 'shifts must be a list of { alias, when } entries' }),
});

/** Parses the roster's text; a bad entry is left out and named (file, field, what was expected), the rest still applies. */
export function parseRoster(source: string, file = ROSTER_FILE): { roster?: Roster; problems: ContentProblem[] } {
  const parsed = parseYamlFile(file, source, rosterSchema);
  if (!parsed.ok) return { problems: parsed.problems };
  const problems: ContentProblem[] = [];
  const shifts: RosterShift[] = [];
  parsed.data.shifts.forEach((raw, i) => {
    const entry = shiftSchema.safeParse(raw);
    if (!entry.success) {
      for (const issue of entry.error.issues) {
        const field = ['shifts', i, ...issue.path].join('.');
        problems.push({ file, field, message: issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}; expected alias, when and optionally inbox` : issue.message });
      }
      return;
    }
    const alias = cleanAlias(entry.data.alias);
    if (!alias) return void problems.push({ file, field: `shifts.${i}.alias`, message: 'must be a consultant\'s alias (1–32 visible characters), as set with /alias' });
    let when: WorkingHours | null;
    try {
      when = parseWorkingHours(entry.data.when);
    } catch (error) {
      return void problems.push({ file, field: `shifts.${i}.when`, message: `${(error as Error).message}` });
    }
    if (!when) return void problems.push({ file, field: `shifts.${i}.when`, message: 'must name days and hours, like "Mon-Fri 09:00-15:00" (a roster slot cannot be "always")' });
    shifts.push({ entry: i, alias, when, ...(entry.data.inbox ? { inbox: entry.data.inbox.trim() } : {}) });
  });
  return { roster: { draft: parsed.data.draft === true, shifts }, problems };
}

/** content/roster.yml if there is one (undefined, no problem, without it). */
export function loadRoster(contentDir: string): { roster?: Roster; problems: ContentProblem[] } {
  const path = join(contentDir, ROSTER_FILE);
  if (!existsSync(path)) return { problems: [] };
  try {
    return parseRoster(readContentFile(contentDir, path, 256 * 1024).toString('utf8'));
  } catch (error) {
    return { problems: [{ file: ROSTER_FILE, message: `cannot be read: ${(error as Error).message}` }] };
  }
}

/** Problems that need the configuration: inboxes the roster names that do not exist. */
export function rosterInboxProblems(roster: Roster, inboxes: readonly string[]): ContentProblem[] {
  return roster.shifts.flatMap((s) =>
    s.inbox !== undefined && !inboxes.includes(s.inbox) ? [{ file: ROSTER_FILE, field: `shifts.${s.entry}.inbox`, message: `"${s.inbox}" is not an inbox; expected one of ${inboxes.join(', ')}` }] : [],
  );
}

/** Whether the roster has `alias` on duty in `inbox` now (lowercase match; a shift without inbox is the default inbox's). */
export function rosteredOn(roster: Roster, alias: string, inbox: string, defaultInbox: string, date: Date, timeZone: string): boolean {
  return rosterSlot(roster, alias, inbox, defaultInbox, date, timeZone) !== 0;
}

/**
 * When the shift `alias` is in now began (ms, to the minute; the earliest of overlapping ones), or 0 if
 * they are not rostered now. Two looks that differ are a boundary, even with no look in between.
 */
export function rosterSlot(roster: Roster, alias: string, inbox: string, defaultInbox: string, date: Date, timeZone: string): number {
  const name = alias.toLowerCase();
  const { day, minutes } = localTime(date, timeZone);
  const minute = Math.floor(date.getTime() / 60_000) * 60_000;
  let start = 0;
  for (const shift of roster.shifts) {
    if (shift.alias.toLowerCase() !== name || (shift.inbox ?? defaultInbox) !== inbox) continue;
    for (const period of shift.when) {
      if (!period.days.includes(day) || minutes < period.from || minutes >= period.to) continue;
      const began = minute - (minutes - period.from) * 60_000;
      if (start === 0 || began < start) start = began;
    }
  }
  return start;
}

/** Whether the roster has any shift in `inbox`. */
export function rosterCovers(roster: Roster, inbox: string, defaultInbox: string): boolean {
  return roster.shifts.some((s) => (s.inbox ?? defaultInbox) === inbox);
}

/** The next moment a shift of `inbox` starts (within a week), or null. */
export function nextShiftStart(roster: Roster, inbox: string, defaultInbox: string, date: Date, timeZone: string): Date | null {
  const periods = roster.shifts.filter((s) => (s.inbox ?? defaultInbox) === inbox).flatMap((s) => s.when);
  return periods.length ? nextOpening(periods, date, timeZone) : null;
}
