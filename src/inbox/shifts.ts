import { statSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, ne } from 'drizzle-orm';
import { escapeHtml } from '../content/markdown.js';
import { formatProblem } from '../content/front-matter.js';
import { getJobState, setJobState } from '../db/job-state.js';
import { cases, consultants, type CaseRow } from '../db/schema.js';
import { formatLocal } from '../time/zoned.js';
import { casesHeldIn } from './answer-due.js';
import { transferCase } from './cases.js';
import { countDutyTime, dutyInUse, dutyRow, dutyRows, endedBreaks, MAX_COUNTED_GAP_MS, recordRoster, resetDuty, rosterChange, setDuty, teamPresent, weekHours, weekOf, type DutyState } from './duty.js';
import { loadRoster, rosterSlot, ROSTER_FILE, rosterInboxProblems, type Roster } from './roster.js';
import type { InboxDeps, InboxService } from './service.js';

const COUNTED_AT = 'duty.counted_at';
/** Telegram's limit for one message; /team and the handover stay within it. */
export const MESSAGE_LIMIT = 4096;

/**
 * Lines joined under `head`, as many as fit in one Telegram message with the line that counts the rest
 * ("…and 12 more"), which is added only when some are left out.
 */
export function fitMessage(head: string, lines: readonly string[], more: (count: number) => string, limit = MESSAGE_LIMIT): string {
  let text = head;
  for (let i = 0; i < lines.length; i++) {
    const next = `${text}\n${lines[i]}`;
    const rest = i < lines.length - 1 ? `\n${more(lines.length - i - 1)}`.length : 0;
    if (next.length + rest > limit) return `${text}\n${more(lines.length - i)}`;
    text = next;
  }
  return text;
}

/**
 * Shifts (issue 21.3, 21.4, 21.6): consultants on and off duty, breaks, the roster, the off-duty notice
 * to clients, handovers and tap-outs, the supervisor's view, and the weekly hours. Uses the inbox service
 * for everything it says; every change is recorded before it is posted.
 */
export class Shifts {
  private rosterCache: { mtime: number; roster?: Roster } | undefined;

  constructor(
    private readonly deps: InboxDeps & { contentDir: string; applyDraftRoster: boolean; weeklyLimitMs?: number },
    private readonly inbox: InboxService,
  ) {}

  private now(): number {
    return this.deps.clock();
  }

  /** The roster in force: content/roster.yml, read again when it changes; a draft only with APPLY_DRAFT_ROSTER. */
  roster(): Roster | undefined {
    const path = join(this.deps.contentDir, ROSTER_FILE);
    let mtime = -1;
    try {
      mtime = statSync(path).mtimeMs;
    } catch {
      mtime = -1;
    }
    if (this.rosterCache?.mtime !== mtime) {
      const { roster, problems } = mtime < 0 ? { roster: undefined, problems: [] } : loadRoster(this.deps.contentDir);
      const all = [...problems, ...(roster ? rosterInboxProblems(roster, this.inbox.inboxes.names) : [])];
      for (const problem of all) this.deps.logger.warn({ problem: formatProblem(problem) }, 'roster entry skipped');
      this.rosterCache = { mtime, roster };
    }
    const roster = this.rosterCache.roster;
    return roster && (!roster.draft || this.deps.applyDraftRoster) ? roster : undefined;
  }

  /** The consultant's alias, if they set one (the roster knows people by it). */
  private aliasOf(consultantId: number): string | undefined {
    return this.deps.db.select().from(consultants).where(eq(consultants.telegramId, consultantId)).get()?.alias;
  }

  /** The consultant whose alias this is (case-insensitive; a leading @ is ignored). */
  consultantByAlias(typed: string): number | undefined {
    const name = typed.trim().replace(/^@/, '').toLowerCase();
    if (!name) return undefined;
    return this.deps.db.select().from(consultants).all().find((c) => c.alias.toLowerCase() === name)?.telegramId;
  }

  /**
   * Changes someone's duty in `inbox`. Going off duty hands their cases there back at once; the last one
   * to leave has the clients of open cases told that the team is off duty (with the emergency numbers).
   */
  change(consultantId: number, inbox: string, state: DutyState, options: { breakUntil?: number; rosterSlot?: number; note?: string; why?: 'off-duty' | 'tapout' } = {}): void {
    const { db } = this.deps;
    db.$client.transaction(() => {
      const wasPresent = dutyInUse(db, inbox) && teamPresent(db, inbox);
      setDuty(db, consultantId, inbox, state, this.now(), options);
      if (state === 'off') {
        for (const row of casesHeldIn(db, consultantId, inbox)) this.inbox.handBack(row, options.why ?? 'off-duty', options.note);
      }
      if (wasPresent && !teamPresent(db, inbox)) this.teamLeft(inbox);
      this.inbox.relay.postToTeam({ kind: 'board' }, { inbox });
    })();
  }

  /** The last consultant went off duty: every client with an open case in `inbox` learns it, once. */
  private teamLeft(inbox: string): void {
    const { db, config } = this.deps;
    const { back } = this.inbox.teamHours(inbox);
    const open = db.select().from(cases).where(and(eq(cases.inbox, inbox), ne(cases.status, 'closed'))).all();
    for (const row of open) {
      if (back) this.inbox.tellClient(row, 'consult-off-duty', { when: formatLocal(back, config.timezone) });
      else this.inbox.tellClient(row, 'consult-off-duty-unknown');
    }
    this.inbox.noteInGeneral(this.inbox.st('staff-team-left', { count: open.length }), inbox);
  }

  /** Someone takes a case where duty is used while not on duty: taking it puts them on duty. True if it did. */
  onDutyByTaking(consultantId: number, inbox: string): boolean {
    const { db } = this.deps;
    if (!dutyInUse(db, inbox) || dutyRow(db, consultantId, inbox)?.state === 'on') return false;
    this.change(consultantId, inbox, 'on');
    return true;
  }

  /** One round: breaks that ended, roster boundaries, the week's hours (and the warning once the limit is crossed). */
  async tick(): Promise<void> {
    const { db } = this.deps;
    const now = this.now();
    for (const row of endedBreaks(db, now)) {
      this.change(row.consultantId, row.inbox, 'on');
      this.announce('staff-break-over', row.consultantId, row.inbox);
    }
    this.applyRoster(new Date(now));
    await this.countHours(now);
  }

  private applyRoster(date: Date): void {
    const roster = this.roster();
    if (!roster) return; // no roster (or a draft): duty is by hand only, and nobody is moved by its absence
    const { db, config } = this.deps;
    const known = db.select().from(consultants).all();
    for (const inbox of this.inbox.inboxes.names) {
      for (const person of known) {
        const row = dutyRow(db, person.telegramId, inbox);
        const slot = rosterSlot(roster, person.alias, inbox, this.inbox.inboxes.default, date, config.timezone);
        const change = rosterChange(row, slot);
        if (change === undefined) continue;
        // A boundary: the roster's word stands, over a /duty by hand (a break ends with it too).
        if (change === 'on' && row?.state !== 'on') {
          this.change(person.telegramId, inbox, 'on', { rosterSlot: slot });
          this.announce('staff-roster-on', person.telegramId, inbox);
        } else if (change === 'off' && row !== undefined && row.state !== 'off') {
          this.change(person.telegramId, inbox, 'off', { rosterSlot: slot });
          this.announce('staff-roster-off', person.telegramId, inbox);
        } else recordRoster(db, person.telegramId, inbox, slot);
      }
    }
  }

  /** A change nobody typed (the roster, a break's end), in General, so the team sees who is on shift. */
  private announce(key: string, consultantId: number, inbox: string): void {
    this.inbox.noteInGeneral(this.inbox.st(key, { alias: escapeHtml(this.inbox.aliasOf(consultantId)) }), inbox);
  }

  private async countHours(now: number): Promise<void> {
    const { db, config, weeklyLimitMs } = this.deps;
    const last = Number(getJobState(db, COUNTED_AT) ?? now);
    setJobState(db, COUNTED_AT, String(now));
    const elapsed = Math.min(Math.max(0, now - last), MAX_COUNTED_GAP_MS);
    const on = dutyRows(db).filter((d) => d.state === 'on').map((d) => d.consultantId);
    const crossed = countDutyTime(db, on, elapsed, weekOf(now, config.timezone), weeklyLimitMs, now);
    for (const { consultantId, dutyMs } of crossed) await this.warnHours(consultantId, dutyMs);
  }

  /** The consultant crossed WEEKLY_HOURS_LIMIT: they and the supervisors (the group's administrators) are told, in General. */
  private async warnHours(consultantId: number, dutyMs: number): Promise<void> {
    const { db, api, logger } = this.deps;
    const inboxes = [...new Set(dutyRows(db).filter((d) => d.consultantId === consultantId).map((d) => d.inbox))];
    for (const inbox of inboxes.length ? inboxes : [this.inbox.inboxes.default]) {
      const admins = await api.getChatAdministrators(this.inbox.inboxes.chatOf(inbox)).catch((error: unknown) => {
        logger.warn({ err: error }, 'could not list the staff chat administrators for the weekly hours warning');
        return [];
      });
      const supervisors = admins.filter((a) => !a.user.is_bot && a.user.id !== consultantId).map((a) => `<a href="tg://user?id=${a.user.id}">${escapeHtml(a.user.first_name)}</a>`);
      this.inbox.noteInGeneral(
        this.inbox.st('staff-weekly-hours', {
          alias: this.inbox.mention(consultantId),
          hours: (dutyMs / 3_600_000).toFixed(1),
          limit: Math.round((this.deps.weeklyLimitMs ?? 0) / 3_600_000),
          supervisors: supervisors.join(', ') || '—',
        }),
        inbox,
      );
    }
  }

  /** How long ago, in minutes (never negative). */
  private ago(at: number | null): string {
    if (at === null) return '—';
    return this.inbox.st('staff-minutes-ago', { minutes: Math.max(0, Math.round((this.now() - at) / 60_000)) });
  }

  /** A link to the case's topic in its group (where its internal notes are), for members of that group only. */
  private topicLink(row: CaseRow): string | undefined {
    if (row.teamChatId === null || row.threadId === null) return undefined;
    const internal = String(row.teamChatId).replace(/^-100/, '');
    return /^\d+$/.test(internal) ? `https://t.me/c/${internal}/${row.threadId}` : undefined;
  }

  /** One line about a case: pseudonym, topic, its wait for an answer (if any), last activity. No client identity. */
  private caseLine(row: CaseRow, holder: boolean): string {
    const waiting = row.status === 'waiting' ? Math.round((this.now() - row.queuedAt) / 60_000) : row.clientWroteAt !== null ? Math.round((this.now() - row.clientWroteAt) / 60_000) : undefined;
    const name = escapeHtml(this.inbox.st('staff-client', { pseudonym: this.inbox.pseudonymOf(row) }));
    const link = this.topicLink(row);
    return this.inbox.st('staff-team-case', {
      mark: row.urgent ? '🆘' : row.status === 'waiting' ? '⏳' : row.clientWroteAt !== null ? '⏰' : '•',
      client: link ? `<a href="${link}">${name}</a>` : name,
      topic: escapeHtml(this.inbox.topicLabel(row.topic)),
      holder: holder ? ` · ${escapeHtml(row.consultantId === null ? this.inbox.st('staff-team-queue') : this.inbox.aliasOf(row.consultantId))}` : '',
      wait: waiting === undefined ? this.inbox.st('staff-team-answered') : this.inbox.st('staff-team-waits', { minutes: Math.max(0, waiting) }),
      last: this.ago(row.lastActivityAt ?? row.openedAt),
    });
  }

  /** Unanswered first (longest wait first), then the queue, then the rest by last activity. */
  private ordered(rows: CaseRow[]): CaseRow[] {
    const rank = (r: CaseRow) => (r.status === 'active' && r.clientWroteAt !== null ? 0 : r.status === 'waiting' ? 1 : 2);
    const since = (r: CaseRow) => (rank(r) === 0 ? r.clientWroteAt! : rank(r) === 1 ? r.queuedAt : -(r.lastActivityAt ?? r.openedAt));
    return [...rows].sort((a, b) => rank(a) - rank(b) || Number(b.urgent) - Number(a.urgent) || since(a) - since(b));
  }

  private fit(head: string, lines: string[]): string {
    return fitMessage(head, lines, (count) => this.inbox.st('staff-team-more', { count }));
  }

  /** /team: who is on duty (or on a break, or off), how many cases each holds, and the open cases, unanswered first. */
  teamView(inbox: string): string {
    const { db, config } = this.deps;
    const open = db.select().from(cases).where(and(eq(cases.inbox, inbox), ne(cases.status, 'closed'))).all();
    const held = new Map<number, number>();
    for (const row of open) if (row.status === 'active' && row.consultantId !== null) held.set(row.consultantId, (held.get(row.consultantId) ?? 0) + 1);
    const rows = dutyRows(db, inbox);
    const hours = weekHours(db, weekOf(this.now(), config.timezone));
    const person = (id: number, extra = '') =>
      this.inbox.st('staff-team-person', { alias: escapeHtml(this.inbox.aliasOf(id)), cases: held.get(id) ?? 0, hours: ((hours.get(id) ?? 0) / 3_600_000).toFixed(1), extra });
    const inState = (state: DutyState) => rows.filter((r) => r.state === state);
    const people: string[] = [];
    if (rows.length === 0) people.push(this.inbox.st('staff-team-duty-unused'));
    else {
      people.push(`${this.inbox.st('staff-team-on')} ${inState('on').map((r) => person(r.consultantId)).join(', ') || '—'}`);
      const breaks = inState('break').map((r) => person(r.consultantId, r.breakUntil ? ` ${this.inbox.st('staff-team-back-at', { time: formatLocal(new Date(r.breakUntil), config.timezone).slice(-5) })}` : ''));
      if (breaks.length) people.push(`${this.inbox.st('staff-team-break')} ${breaks.join(', ')}`);
    }
    // Holders who are not on the duty list (duty unused, or off duty still holding one).
    const listed = new Set(rows.filter((r) => r.state !== 'off').map((r) => r.consultantId));
    const others = [...held.keys()].filter((id) => !listed.has(id));
    if (others.length) people.push(`${this.inbox.st('staff-team-holding')} ${others.map((id) => person(id)).join(', ')}`);
    const head = `${this.inbox.st('staff-team-title', { inbox: escapeHtml(inbox), count: open.length })}\n${people.join('\n')}`;
    return this.fit(open.length ? `${head}\n` : `${head}\n${this.inbox.st('staff-team-no-cases')}`, this.ordered(open).map((r) => this.caseLine(r, true)));
  }

  /** /mine: the consultant's own open cases in `inbox`, unanswered first. */
  mine(consultantId: number, inbox: string): string {
    const own = casesHeldIn(this.deps.db, consultantId, inbox);
    if (own.length === 0) return this.inbox.st('staff-mine-none');
    return this.fit(this.inbox.st('staff-mine-title', { count: own.length }), this.ordered(own).map((r) => this.caseLine(r, false)));
  }

  /**
   * /handover at the end of a shift: a summary of the consultant's open cases in `inbox` (pseudonym, topic,
   * last activity, a link to the topic with their internal notes, and their own words for the next shift)
   * into General; the cases go to `to` (a colleague on duty) or back to the queue; they go off duty.
   */
  handover(consultantId: number, inbox: string, to: number | undefined, note: string): number {
    const { db } = this.deps;
    const own = this.ordered(casesHeldIn(db, consultantId, inbox));
    const from = escapeHtml(this.inbox.aliasOf(consultantId));
    const toAlias = to !== undefined ? escapeHtml(this.inbox.aliasOf(to)) : undefined;
    const head = this.inbox.st('staff-handover', { alias: from, count: own.length, to: toAlias ?? this.inbox.st('staff-team-queue') });
    const notes = note.trim() ? `\n${this.inbox.st('staff-handover-note', { note: escapeHtml(note.trim().slice(0, 1000)) })}` : '';
    const lines = own.map((r) => this.caseLine(r, false));
    db.$client.transaction(() => {
      this.inbox.noteInGeneral(this.fit(`${head}${notes}`, lines), inbox);
      for (const row of own) {
        if (to === undefined) continue;
        const moved = transferCase(db, row.id, to, this.now());
        if (!moved) continue;
        this.inbox.tellClient(moved, 'consult-joined', { alias: this.inbox.aliasOf(to) }, undefined, this.inbox.aliasOf(consultantId));
        this.inbox.noteInTopic(moved, this.inbox.st('staff-handed-over', { from, to: toAlias! }));
        this.inbox.refreshCard(row.id);
      }
      // Off duty: whatever was not handed to a colleague goes back to the queue, with a note in its topic.
      this.leave(consultantId, inbox, 'off-duty', '');
    })();
    return own.length;
  }

  /** /tapout: every case the consultant holds (in every inbox) back to the queue with their note; off duty everywhere. */
  tapOut(consultantId: number, note: string): number {
    const { db } = this.deps;
    let count = 0;
    db.$client.transaction(() => {
      for (const inbox of this.inbox.inboxes.names) {
        const held = casesHeldIn(db, consultantId, inbox);
        count += held.length;
        if (held.length === 0 && dutyRow(db, consultantId, inbox) === undefined) continue;
        this.leave(consultantId, inbox, 'tapout', note.trim().slice(0, 500) || this.inbox.st('staff-tapout-no-note'));
        this.inbox.noteInGeneral(this.inbox.st('staff-tapout-general', { alias: this.inbox.mention(consultantId), count: held.length }), inbox);
      }
    })();
    return count;
  }

  /** Off duty where duty is used; where it is not, only their cases go back (duty stays unused: WORKING_HOURS still decides). */
  private leave(consultantId: number, inbox: string, why: 'off-duty' | 'tapout', note: string): void {
    const { db } = this.deps;
    if (dutyInUse(db, inbox)) return this.change(consultantId, inbox, 'off', { why, note });
    for (const row of casesHeldIn(db, consultantId, inbox)) this.inbox.handBack(row, why, note);
    this.inbox.relay.postToTeam({ kind: 'board' }, { inbox });
  }

  /**
   * A supervisor stops using duty in `inbox`: everyone's duty there is forgotten, so the bot behaves as
   * without shifts (WORKING_HOURS for clients, everyone nudged). A roster in force starts it again at its
   * next boundary.
   */
  reset(inbox: string): void {
    const { db } = this.deps;
    db.$client.transaction(() => {
      resetDuty(db, inbox);
      this.inbox.relay.postToTeam({ kind: 'board' }, { inbox });
    })();
  }

  /** Whether the consultant may be given cases in `inbox` now (on duty, or duty not used there). */
  mayReceive(consultantId: number, inbox: string): boolean {
    return !dutyInUse(this.deps.db, inbox) || dutyRow(this.deps.db, consultantId, inbox)?.state === 'on';
  }

  /** Their duty in `inbox`, for the reply to /duty. */
  stateOf(consultantId: number, inbox: string): DutyState | undefined {
    return dutyRow(this.deps.db, consultantId, inbox)?.state as DutyState | undefined;
  }

  aliasSet(consultantId: number): boolean {
    return this.aliasOf(consultantId) !== undefined;
  }
}
