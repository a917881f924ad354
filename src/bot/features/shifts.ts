import { Composer } from 'grammy';
import { escapeHtml } from '../../content/markdown.js';
import { claimCase, findCaseByThread, transferCase } from '../../inbox/cases.js';
import { BREAK_MINUTES, parseBreakMinutes } from '../../inbox/duty.js';
import type { InboxService } from '../../inbox/service.js';
import type { Shifts } from '../../inbox/shifts.js';
import { formatLocal } from '../../time/zoned.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import type { StaffMembers } from '../staff-members.js';

/**
 * Shifts in the staff chats (issue 21.3–21.6): /duty on|off, /break N, /handover, /tapout, /mine, and for
 * everyone /team; a supervisor (an administrator of the group) may /assign a case or /takeover.
 */
export function createShiftsFeature(deps: BotDeps, inbox: InboxService, shifts: Shifts, members: StaffMembers): Composer<BotContext> {
  const { db, config } = deps;
  const clock = () => (deps.clock ?? (() => new Date()))().getTime();
  const feature = new Composer<BotContext>();
  const staff = feature.filter((ctx) => inbox.inboxes.isInbox(ctx.chat?.id) && !!ctx.from && !ctx.from.is_bot);
  const inboxHere = (ctx: BotContext) => inbox.inboxes.byChat(ctx.chat!.id) ?? inbox.inboxes.default;
  const reply = (ctx: BotContext, key: string, vars: Record<string, string | number> = {}) => inbox.replyInTeam(ctx, inbox.st(key, vars));
  const caseHere = (ctx: BotContext) => {
    const msg = ctx.msg;
    return msg?.is_topic_message && msg.message_thread_id !== undefined ? findCaseByThread(db, ctx.chat!.id, msg.message_thread_id) : undefined;
  };
  /** Administrators of the group (asked of Telegram now) are the supervisors. */
  const isSupervisor = async (ctx: BotContext) => {
    const member = await ctx.api.getChatMember(ctx.chat!.id, ctx.from!.id).catch(() => undefined);
    return member?.status === 'creator' || member?.status === 'administrator';
  };
  const dutyReply = (ctx: BotContext) => {
    const state = shifts.stateOf(ctx.from!.id, inboxHere(ctx));
    const hint = shifts.aliasSet(ctx.from!.id) ? '' : ` ${inbox.st('staff-set-alias')}`;
    reply(ctx, state === 'on' ? 'staff-duty-is-on' : state === 'break' ? 'staff-duty-is-break' : 'staff-duty-is-off');
    if (hint) inbox.replyInTeam(ctx, hint.trim());
  };

  staff.command('duty', async (ctx) => {
    const arg = String(ctx.match ?? '').trim().toLowerCase();
    const here = inboxHere(ctx);
    if (arg === 'on') {
      shifts.change(ctx.from!.id, here, 'on');
      return dutyReply(ctx);
    }
    if (arg === 'off') {
      if (shifts.stateOf(ctx.from!.id, here) === undefined) return reply(ctx, 'staff-duty-is-off');
      shifts.change(ctx.from!.id, here, 'off');
      return dutyReply(ctx);
    }
    if (arg === 'reset') {
      if (!(await isSupervisor(ctx))) return reply(ctx, 'staff-supervisors-only');
      shifts.reset(here);
      return reply(ctx, 'staff-duty-reset');
    }
    if (arg === '') return dutyReply(ctx);
    reply(ctx, 'staff-duty-usage');
  });

  staff.command('break', async (ctx) => {
    const minutes = parseBreakMinutes(String(ctx.match ?? ''));
    if (minutes === undefined) return reply(ctx, 'staff-break-usage', { min: BREAK_MINUTES.min, max: BREAK_MINUTES.max });
    const here = inboxHere(ctx);
    if (shifts.stateOf(ctx.from!.id, here) !== 'on') return reply(ctx, 'staff-break-not-on-duty');
    const until = clock() + minutes * 60_000;
    shifts.change(ctx.from!.id, here, 'break', { breakUntil: until });
    reply(ctx, 'staff-break-started', { minutes, time: formatLocal(new Date(until), config.timezone).slice(-5) });
  });

  staff.command('team', async (ctx) => {
    inbox.replyInTeam(ctx, shifts.teamView(inboxHere(ctx)));
  });

  staff.command('mine', async (ctx) => {
    inbox.replyInTeam(ctx, shifts.mine(ctx.from!.id, inboxHere(ctx)));
  });

  // `/handover [@alias] [words for the next shift]`
  staff.command('handover', async (ctx) => {
    const here = inboxHere(ctx);
    const text = String(ctx.match ?? '').trim();
    const first = /^@?(\S+)/.exec(text)?.[1];
    let to: number | undefined;
    let note = text;
    if (text.startsWith('@') && first !== undefined) {
      to = shifts.consultantByAlias(first);
      if (to === undefined) return reply(ctx, 'staff-alias-unknown', { alias: escapeHtml(first) });
      if (to === ctx.from!.id) return reply(ctx, 'staff-handover-self');
      if ((await members.isMember(ctx.chat!.id, to)) !== true || !shifts.mayReceive(to, here)) return reply(ctx, 'staff-not-on-duty', { alias: escapeHtml(inbox.aliasOf(to)) });
      note = text.slice(first.length + 1);
    }
    const count = shifts.handover(ctx.from!.id, here, to, note);
    if (count === 0) reply(ctx, 'staff-handover-none');
  });

  staff.command('tapout', async (ctx) => {
    shifts.tapOut(ctx.from!.id, String(ctx.match ?? ''));
    reply(ctx, 'staff-tapout-done');
  });

  /** A supervisor hands the case of this topic to `to` (a member on duty, or anyone where duty is not used). */
  async function assign(ctx: BotContext, to: number): Promise<void> {
    const row = caseHere(ctx);
    if (!row) return reply(ctx, 'staff-in-case-only');
    if (row.status === 'closed') return reply(ctx, 'staff-case-closed');
    if (row.status === 'active' && row.consultantId === to) return reply(ctx, 'staff-assign-already', { alias: escapeHtml(inbox.aliasOf(to)) });
    const here = inboxHere(ctx);
    if (to === ctx.from!.id) shifts.onDutyByTaking(to, here);
    if ((await members.isMember(ctx.chat!.id, to)) !== true || !shifts.mayReceive(to, here)) return reply(ctx, 'staff-not-on-duty', { alias: escapeHtml(inbox.aliasOf(to)) });
    const alias = inbox.aliasOf(to);
    db.$client.transaction(() => {
      // A waiting case becomes active; a held one changes hands. The new holder has a full period to answer.
      const claimed = row.status === 'waiting' ? claimCase(db, row.id, to, clock()) : undefined;
      const moved = claimed ? (claimed.ok ? claimed.case : undefined) : transferCase(db, row.id, to, clock());
      if (!moved) return;
      inbox.tellClient(moved, 'consult-joined', { alias }, undefined, alias);
      inbox.noteInTopic(moved, inbox.st('staff-assigned', { alias: inbox.mention(to), by: escapeHtml(inbox.aliasOf(ctx.from!.id)) }));
      inbox.refreshCard(row.id);
      inbox.relay.postToTeam({ kind: 'board' }, { inbox: here });
    })();
  }

  staff.command('assign', async (ctx) => {
    if (!(await isSupervisor(ctx))) return reply(ctx, 'staff-supervisors-only');
    const typed = String(ctx.match ?? '').trim();
    if (!typed) return reply(ctx, 'staff-assign-usage');
    const to = shifts.consultantByAlias(typed);
    if (to === undefined) return reply(ctx, 'staff-alias-unknown', { alias: escapeHtml(typed) });
    await assign(ctx, to);
  });

  staff.command('takeover', async (ctx) => {
    if (!(await isSupervisor(ctx))) return reply(ctx, 'staff-supervisors-only');
    await assign(ctx, ctx.from!.id);
  });

  return feature;
}
