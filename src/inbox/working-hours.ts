/** Opening hours of the consultants' team, e.g. `Mon-Fri 10:00-20:00, Sat 12:00-16:00`. */
export interface WorkingPeriod {
  /** Days of the week, 0 = Monday … 6 = Sunday. */
  days: number[];
  /** Minutes since local midnight. */
  from: number;
  to: number;
}
export type WorkingHours = WorkingPeriod[];

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function parseDay(name: string): number {
  const index = DAYS.indexOf(name.toLowerCase().slice(0, 3));
  if (index < 0 || name.length < 3) throw new Error(`has an unknown day "${name}" (expected Mon, Tue, Wed, Thu, Fri, Sat or Sun)`);
  return index;
}

function parseTime(value: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(value);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) {
    throw new Error(`has an invalid time "${value}" (expected HH:MM, 00:00–24:00)`);
  }
  return hours * 60 + minutes;
}

/** Parses the WORKING_HOURS format; an empty value means "always open" (null). Throws with a readable reason. */
export function parseWorkingHours(value: string): WorkingHours | null {
  const trimmed = value.trim();
  if (trimmed === '' || /^(always|24\/7)$/i.test(trimmed)) return null;
  return trimmed.split(',').map((part) => {
    const match = /^\s*([A-Za-z]+)(?:\s*-\s*([A-Za-z]+))?\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/.exec(part);
    if (!match) throw new Error(`part "${part.trim()}" must look like "Mon-Fri 10:00-20:00"`);
    const [, first, last, fromText, toText] = match as unknown as [string, string, string | undefined, string, string];
    const start = parseDay(first);
    const end = last ? parseDay(last) : start;
    const days: number[] = [];
    for (let day = start; ; day = (day + 1) % 7) {
      days.push(day);
      if (day === end) break;
    }
    const from = parseTime(fromText);
    const to = parseTime(toText);
    if (to <= from) throw new Error(`part "${part.trim()}" must end after it starts`);
    return { days, from, to };
  });
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local weekday (0 = Monday) and minutes since midnight of `date` in `timeZone`. */
export function localTime(date: Date, timeZone: string): { day: number; minutes: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    // Made once per zone: nextOpening asks minute by minute.
    format = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: DAYS.indexOf(get('weekday').toLowerCase()), minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

export function isOpen(hours: WorkingHours | null, date: Date, timeZone: string): boolean {
  if (!hours) return true;
  const { day, minutes } = localTime(date, timeZone);
  return hours.some((p) => p.days.includes(day) && minutes >= p.from && minutes < p.to);
}

/** The next moment the team is on duty (null when always open or already open). Minute precision, within a week. */
export function nextOpening(hours: WorkingHours | null, date: Date, timeZone: string): Date | null {
  if (!hours || isOpen(hours, date, timeZone)) return null;
  const start = Math.ceil(date.getTime() / 60_000) * 60_000;
  for (let t = start; t < start + 8 * 24 * 60 * 60_000; t += 60_000) {
    if (isOpen(hours, new Date(t), timeZone)) return new Date(t);
  }
  return null;
}
