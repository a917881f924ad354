import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { isMemberNow, MEMBERSHIP_TTL_MS, StaffMembers } from '../../src/bot/staff-members.js';
import { GroupSettingsWatch, groupProblems, type GroupInfo } from '../../src/inbox/group-settings.js';
import { getJobState } from '../../src/db/job-state.js';
import { memoryDb } from '../support/db.js';

describe('staff membership cache', () => {
  it('counts owners, administrators, members and restricted members only', () => {
    expect(['creator', 'administrator', 'member'].map((status) => isMemberNow({ status } as never))).toEqual([true, true, true]);
    expect(isMemberNow({ status: 'restricted', is_member: true } as never)).toBe(true);
    expect(isMemberNow({ status: 'restricted', is_member: false } as never)).toBe(false);
    expect(isMemberNow({ status: 'left' } as never)).toBe(false);
    expect(isMemberNow({ status: 'kicked' } as never)).toBe(false);
  });

  it('asks Telegram once per TTL, learns from member updates at once, and says "unknown" when it cannot ask', async () => {
    let now = 0;
    let status = 'member';
    let asked = 0;
    let failing = false;
    const members = new StaffMembers(async () => {
      asked++;
      if (failing) throw new Error('network');
      return { status } as never;
    }, () => now);
    // Two updates at once share one question.
    expect(await Promise.all([members.isMember(-1, 7), members.isMember(-1, 7)])).toEqual([true, true]);
    expect(asked).toBe(1);
    status = 'left';
    now += MEMBERSHIP_TTL_MS - 1;
    expect(await members.isMember(-1, 7)).toBe(true); // still trusted
    members.note(-1, 7, false); // a chat_member update: removed
    expect(await members.isMember(-1, 7)).toBe(false);
    expect(asked).toBe(1);
    now += MEMBERSHIP_TTL_MS;
    expect(await members.isMember(-1, 7)).toBe(false); // asked again: left
    expect(asked).toBe(2);
    // Another chat is another question.
    failing = true;
    expect(await members.isMember(-2, 7)).toBeUndefined();
    failing = false;
    status = 'administrator';
    expect(await members.isMember(-2, 7)).toBe(true);
  });

  it('an answer that was on its way when a member update came does not overwrite it', async () => {
    let release!: (value: unknown) => void;
    const members = new StaffMembers(() => new Promise((r) => (release = r)) as never, () => 0);
    const pending = members.isMember(-1, 9);
    members.note(-1, 9, false); // removed while Telegram was being asked
    release({ status: 'member' });
    await pending;
    expect(await members.isMember(-1, 9)).toBe(false);
  });
});

describe('staff group settings (M5)', () => {
  it('finds visible history and unprotected content; Telegram leaves out what is false', () => {
    expect(groupProblems({ has_protected_content: true })).toEqual([]);
    expect(groupProblems({})).toEqual(['not-protected']);
    expect(groupProblems({ has_visible_history: true, has_protected_content: true })).toEqual(['visible-history']);
  });

  it('tells each change once (not every poll, not again after a restart), and reports each inbox', async () => {
    const db = memoryDb();
    const told: string[] = [];
    let info: Record<string, GroupInfo> = { main: { has_visible_history: true, has_protected_content: true }, lawyers: { has_protected_content: true } };
    const chats: Record<string, number> = { main: -1, lawyers: -2 };
    const watch = () =>
      new GroupSettingsWatch({
        db,
        logger: pino({ level: 'silent' }),
        inboxes: { names: ['main', 'lawyers'], chatOf: (name) => chats[name]! },
        getChat: async (chatId) => {
          if (chatId === -2 && info.lawyers === undefined) throw new Error('Bad Request: chat not found');
          return chatId === -1 ? info.main! : info.lawyers!;
        },
        notify: (inbox, problems) => told.push(`${inbox}:${problems.join(',') || 'ok'}`),
        clock: () => 1000,
      });
    const first = watch();
    await first.check();
    await first.check();
    expect(told).toEqual(['main:visible-history']); // lawyers was fine from the start: nothing to say
    expect(first.report()).toMatchObject({ main: { problems: ['visible-history'], checkedAt: 1000 }, lawyers: { problems: [] } });
    await watch().check(); // a restart
    expect(told).toEqual(['main:visible-history']);
    info = { main: { has_protected_content: true }, lawyers: undefined as never };
    const third = watch();
    await third.check();
    expect(told).toEqual(['main:visible-history', 'main:ok']);
    expect(third.report().lawyers).toMatchObject({ error: 'Bad Request: chat not found' });
    expect(getJobState(db, 'inbox.group_settings.main')).toBe('');
  });
});
