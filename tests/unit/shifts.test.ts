import { describe, expect, it } from 'vitest';
import { parseRoster, rosteredOn, rosterSlot, nextShiftStart, rosterInboxProblems } from '../../src/inbox/roster.js';
import { availableIn, countDutyTime, dutyInUse, endedBreaks, parseBreakMinutes, rosterChange, setDuty, teamPresent, weekHours, weekOf } from '../../src/inbox/duty.js';
import { memoryDb } from '../support/db.js';
import { fitMessage, MESSAGE_LIMIT } from '../../src/inbox/shifts.js';

const TZ = 'Asia/Almaty'; // UTC+5 all year
/** A local time in Almaty on Monday 7 December 2026 (+ days). */
const almaty = (hhmm: string, days = 0) => new Date(Date.parse(`2026-12-${String(7 + days).padStart(2, '0')}T${hhmm}:00+05:00`));

describe('the roster file', () => {
  it('reads shifts by alias with weekly hours, and knows who is on when, in TIMEZONE', () => {
    const { roster, problems } = parseRoster('shifts:\n  - alias: Aigerim\n    when: Mon-Fri 09:00-15:00\n  - alias: dmitry\n    when: Sat 10:00-14:00\n    inbox: lawyers\n');
    expect(problems).toEqual([]);
    expect(roster!.draft).toBe(false);
    expect(rosteredOn(roster!, 'aigerim', 'main', 'main', almaty('09:00'), TZ)).toBe(true);
    expect(rosteredOn(roster!, 'Aigerim', 'main', 'main', almaty('15:00'), TZ)).toBe(false); // the end is exclusive
    expect(rosteredOn(roster!, 'Aigerim', 'lawyers', 'main', almaty('10:00'), TZ)).toBe(false); // another inbox
    expect(rosteredOn(roster!, 'Dmitry', 'lawyers', 'main', almaty('11:00', 5), TZ)).toBe(true);
    // The next start of a shift of the inbox, for the clients' "back at".
    expect(nextShiftStart(roster!, 'main', 'main', almaty('16:00'), TZ)?.toISOString()).toBe(almaty('09:00', 1).toISOString());
    expect(rosterInboxProblems(roster!, ['main'])).toEqual([{ file: 'roster.yml', field: 'shifts.1.inbox', message: '"lawyers" is not an inbox; expected one of main' }]);
  });

  it('names each bad entry by file and field and keeps the good ones', () => {
    const { roster, problems } = parseRoster(
      'draft: true\nshifts:\n  - alias: Aigerim\n    when: Mon-Fri 9-15\n  - when: Mon 10:00-12:00\n  - alias: Sam\n    when: always\n  - alias: Dana\n    when: Tue 10:00-12:00\n    shift: night\n  - alias: Kim\n    when: Wed 18:00-22:00\n',
    );
    expect(roster!.draft).toBe(true);
    expect(roster!.shifts.map((s) => s.alias)).toEqual(['Kim']);
    const fields = problems.map((p) => `${p.file}: ${p.field}: ${p.message}`);
    expect(fields[0]).toMatch(/^roster\.yml: shifts\.0\.when: part "Mon-Fri 9-15" must look like "Mon-Fri 10:00-20:00"/);
    expect(fields[1]).toMatch(/^roster\.yml: shifts\.1\.alias: alias is required/);
    expect(fields[2]).toMatch(/^roster\.yml: shifts\.2\.when: must name days and hours/);
    expect(fields[3]).toMatch(/^roster\.yml: shifts\.3: unknown field\(s\) shift/);
    expect(parseRoster('shifts: nobody\n').problems[0]?.message).toMatch(/shifts must be a list/);
  });
});

describe('duty', () => {
  it('is unused until someone goes on duty; a break keeps the team present but not available', () => {
    const db = memoryDb();
    expect(dutyInUse(db, 'main')).toBe(false);
    expect(availableIn(db, 7, 'main')).toBe(true); // as before shifts: everyone
    setDuty(db, 7, 'main', 'on', 1000);
    expect(dutyInUse(db, 'main')).toBe(true);
    expect(availableIn(db, 7, 'main')).toBe(true);
    expect(availableIn(db, 8, 'main')).toBe(false);
    setDuty(db, 7, 'main', 'break', 2000, { breakUntil: 5000 });
    expect(teamPresent(db, 'main')).toBe(true);
    expect(availableIn(db, 7, 'main')).toBe(false);
    expect(endedBreaks(db, 4999)).toEqual([]);
    expect(endedBreaks(db, 5000).map((r) => r.consultantId)).toEqual([7]);
    setDuty(db, 7, 'main', 'off', 6000);
    expect(teamPresent(db, 'main')).toBe(false);
    expect(dutyInUse(db, 'lawyers')).toBe(false); // per inbox
  });

  it('follows the roster only at its boundaries, so a /duty by hand stands until then', () => {
    expect(rosterChange(undefined, 0)).toBeUndefined();
    expect(rosterChange(undefined, 1000)).toBe('on');
    expect(rosterChange({ rosterSlot: 1000 }, 1000)).toBeUndefined(); // still in the shift: a /duty off by hand stands
    expect(rosterChange({ rosterSlot: 1000 }, 0)).toBe('off');
    expect(rosterChange({ rosterSlot: 1000 }, 9000)).toBe('on'); // another shift, even with no look in between
    expect(rosterChange({ rosterSlot: null }, 0)).toBeUndefined(); // on by hand, not in the roster: stays on
  });

  it('knows when the shift someone is in began', () => {
    const { roster } = parseRoster('shifts:\n  - alias: Kim\n    when: Mon 09:00-12:00, Mon 11:00-13:00, Tue 09:00-10:00\n');
    expect(rosterSlot(roster!, 'kim', 'main', 'main', almaty('11:30'), TZ)).toBe(almaty('09:00').getTime()); // the earliest of overlapping ones
    expect(rosterSlot(roster!, 'kim', 'main', 'main', almaty('12:30'), TZ)).toBe(almaty('11:00').getTime());
    expect(rosterSlot(roster!, 'kim', 'main', 'main', almaty('09:59:30'.slice(0, 5), 1), TZ)).toBe(almaty('09:00', 1).getTime());
    expect(rosterSlot(roster!, 'kim', 'main', 'main', almaty('13:00'), TZ)).toBe(0);
  });

  it('takes breaks of 1 to 120 whole minutes', () => {
    expect(parseBreakMinutes('15')).toBe(15);
    expect(parseBreakMinutes(' 120 ')).toBe(120);
    for (const bad of ['0', '121', '1.5', '-5', 'ten', '', '15m']) expect(parseBreakMinutes(bad)).toBeUndefined();
  });

  it('counts duty time per week and warns once when the limit is crossed', () => {
    const db = memoryDb();
    const week = weekOf(almaty('10:00').getTime(), TZ);
    expect(week).toBe('2026-12-07');
    expect(weekOf(almaty('23:59', 6).getTime(), TZ)).toBe('2026-12-07');
    expect(weekOf(almaty('00:00', 7).getTime(), TZ)).toBe('2026-12-14');
    const hour = 3_600_000;
    expect(countDutyTime(db, [7, 8], 3 * hour, week, 4 * hour, 1)).toEqual([]);
    expect(countDutyTime(db, [7], 1 * hour, week, 4 * hour, 2)).toEqual([{ consultantId: 7, dutyMs: 4 * hour }]);
    expect(countDutyTime(db, [7, 7], 1 * hour, week, 4 * hour, 3)).toEqual([]); // once a week; one person counted once
    expect(weekHours(db, week)).toEqual(new Map([[7, 5 * hour], [8, 3 * hour]]));
    expect(countDutyTime(db, [7], 1 * hour, '2026-12-14', 4 * hour, 4)).toEqual([]); // a new week starts from zero
  });
});

describe('/team in one message', () => {
  it('keeps within 4096 characters and counts the cases left out', () => {
    const more = (n: number) => `…and ${n} more`;
    const lines = Array.from({ length: 200 }, (_, i) => `⏰ Client ${String(i).padStart(4, '0')} · Substances and safety · Aigerim · waits ${i} min · last ${i} min ago`);
    const text = fitMessage('👥 Team', lines, more);
    expect(text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    const shown = text.split('\n').filter((l) => l.startsWith('⏰')).length;
    expect(shown).toBeGreaterThan(30);
    expect(text.endsWith(`…and ${200 - shown} more`)).toBe(true);
    expect(fitMessage('head', ['a', 'b'], more)).toBe('head\na\nb'); // all fit: no count
    expect(fitMessage('head', ['a'.repeat(10), 'b'.repeat(20)], more, 30)).toBe(`head\n${'a'.repeat(10)}\n…and 1 more`);
  });
});

describe('shifts survive a restart', () => {
  it('a break recorded before a restart ends on time after it; the hours counted go on, the time the bot was down does not count', async () => {
    const { pino } = await import('pino');
    const { I18n } = await import('@grammyjs/i18n');
    const { loadConfig } = await import('../../src/config.js');
    const { createPrivacy } = await import('../../src/privacy/keys.js');
    const { Shifts } = await import('../../src/inbox/shifts.js');
    const { inboxStack } = await import('../support/inbox-stack.js');
    const { recordingApi } = await import('../support/recording-api.js');
    const { PROJECT_ROOT } = await import('../support/bot-process.js');
    const { join } = await import('node:path');
    const privacy = createPrivacy('shifts-secret-shifts-secret-shifts-0001');
    const db = memoryDb(privacy);
    let now = almaty('10:00').getTime();
    const config = loadConfig({ BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', BOT_SECRET: 'x'.repeat(40), STAFF_CHAT_ID: '-100777', DEFAULT_LANGUAGE: 'en' });
    const start = () => {
      const deps = { db, api: recordingApi().api, config, privacy, logger: pino({ level: 'silent' }), i18n: new I18n({ defaultLocale: 'en', directory: join(PROJECT_ROOT, 'content', 'locales'), fluentBundleOptions: { useIsolating: false } }) as never, clock: () => now };
      const stack = inboxStack(deps);
      return { shifts: new Shifts({ ...deps, contentDir: join(PROJECT_ROOT, 'content'), applyDraftRoster: false }, stack.inbox), stack };
    };
    const first = start();
    first.shifts.change(7, 'main', 'on');
    await first.shifts.tick();
    now += 4 * 60_000;
    await first.shifts.tick(); // 4 minutes on duty
    first.shifts.change(7, 'main', 'break', { breakUntil: now + 15 * 60_000 });
    await first.stack.relay.stop();

    now += 60 * 60_000; // the bot was down for an hour
    const second = start();
    expect(second.shifts.stateOf(7, 'main')).toBe('break'); // the break is in the database…
    await second.shifts.tick();
    expect(second.shifts.stateOf(7, 'main')).toBe('on'); // …and over: back on duty
    now += 60_000;
    await second.shifts.tick();
    // 4 minutes before, at most 5 for the round after the restart (the hour down is not counted), 1 after.
    expect(weekHours(db, weekOf(now, TZ)).get(7)).toBe(10 * 60_000);
    await second.stack.relay.stop();
  });
});
