import { clientAnswered } from '../../inbox/answer-due.js';
import { Composer, InputFile } from 'grammy';
import { escapeHtml } from '../../content/markdown.js';
import { splitMessage } from '../../content/split.js';
import { caseStats, consultants, type CaseRow } from '../../db/schema.js';
import { banClient, bansByDay, clientKeyOfPseudonym, liftBan } from '../../inbox/bans.js';
import {
  addReferrals,
  claimCase,
  findCase,
  findCaseByThread,
  recordFirstResponse,
  releaseCase,
  transferCase,
  moveCase,
} from '../../inbox/cases.js';
import { cleanAlias } from '../../inbox/alias.js';
import { findCounterpart, isJoinedAtClient } from '../../relay/index.js';
import type { InboxService } from '../../inbox/service.js';
import type { Erasure } from '../../inbox/erasure.js';
import { caseTraces, queueDeletions } from '../../db/deletions.js';
import { formatDuration, parsePeriod, protectSmallCells, summarize, summaryCsv, type CaseFacts } from '../../inbox/stats.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import type { StaffMembers } from '../staff-members.js';
import { CHAT_REF_BINDING } from '../../privacy/keys.js';
import { withoutMentions } from '../../privacy/mentions.js';
import { markNormal, markUrgent, CALM_MS } from '../../inbox/urgency.js';
import { readLockdown } from '../../inbox/lockdown.js';
import { RISK_CATEGORIES } from '../../content/risk.js';
import { addNote } from '../../inbox/history.js';
import { careTotals } from '../../inbox/care.js';
import { caseMemory } from './case-memory.js';
import type { Shifts } from '../../inbox/shifts.js';


/**
 * The consultants' side, in the staff forum supergroup only (membership of that chat is the
 * permission): taking cases, replying through the bot, notes, referrals, snippets, bans, reports.
 */
export function createInboxFeature(deps: BotDeps, inbox: InboxService, erasure: Erasure, members: StaffMembers, shifts?: Shifts): Composer<BotContext> {
  const { db, config, content } = deps;
  const clock = () => (deps.clock ?? (() => new Date()))().getTime();
  const feature = new Composer<BotContext>();
  const memory = caseMemory(deps, inbox);
  const staff = feature.filter((ctx) => inbox.inboxes.isInbox(ctx.chat?.id) && !!ctx.from && !ctx.from.is_bot);

  /** The case whose topic this is: found by this chat and topic (a topic id means nothing in another chat). */
  const caseHere = (ctx: BotContext): CaseRow | undefined => {
    const msg = ctx.msg;
    const here = ctx.chat?.id;
    return here !== undefined && msg?.is_topic_message && msg.message_thread_id !== undefined ? findCaseByThread(db, here, msg.message_thread_id) : undefined;
  };
  /** Takes the buttons off a message of a team chat (through the outbox, within the chat's budget). */
  const unbutton = (chatId: number, messageId: number) =>
    inbox.relay.postToTeam({ kind: 'unbutton', chatId, messageId }, { inbox: inbox.inboxes.byChat(chatId) ?? inbox.inboxes.default });
  /** Consultants told that their words in a case topic stayed internal (someone else has the case), and when. */
  const toldNotSent = new Map<string, number>();
  const NOT_SENT_NOTICE_MS = 10 * 60_000;
  const needCase = async (ctx: BotContext): Promise<CaseRow | undefined> => {
    const row = caseHere(ctx);
    if (!row) inbox.replyInTeam(ctx, inbox.st('staff-in-case-only'), true);
    return row;
  };

  function queueTake(taken: CaseRow, consultant: number): void {
    const alias = inbox.aliasOf(consultant);
    // The client first (their own chat, about a second), then the team's chat as its budget allows.
    inbox.tellClient(taken, 'consult-joined', { alias }, undefined, alias);
    const hint = inbox.aliasOf(consultant, '') ? '' : ` ${inbox.st('staff-set-alias')}`;
    inbox.noteInTopic(taken, `${inbox.st('staff-took', { alias: escapeHtml(alias) })}${hint}`);
    inbox.refreshCard(taken.id);
  }

  /** Assigns the case; exactly one of several simultaneous takers wins. */
  async function take(ctx: BotContext, row: CaseRow): Promise<boolean> {
    const consultant = ctx.from!.id;
    if (row.status === 'active' && row.consultantId === consultant) return true;
    // The claim and what it tells are one transaction: a take replayed after a crash finds them queued.
    const result = db.$client.transaction(() => {
      const claimed = claimCase(db, row.id, consultant, clock(), config.maxActiveCases);
      if (claimed.ok) queueTake(claimed.case, consultant);
      return claimed;
    })();
    if (!result.ok) {
      const why =
        result.reason === 'taken'
          ? inbox.st('staff-taken-by', { alias: inbox.aliasOf(result.consultantId) })
          : result.reason === 'overloaded'
            ? inbox.st('staff-overloaded', { active: result.active })
            : inbox.st('staff-case-closed');
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: why, show_alert: true });
      else inbox.replyInTeam(ctx, why, true);
      return false;
    }
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: inbox.st('staff-yours') });
    // Where duty is used, whoever takes a case is working: on duty from now (and counted).
    if (shifts?.onDutyByTaking(consultant, inbox.inboxOf(result.case))) inbox.noteInTopic(result.case, inbox.st('staff-duty-by-taking', { alias: escapeHtml(inbox.aliasOf(consultant)) }));
    return true;
  }

  staff.callbackQuery(/^case:take:(\d+)$/, async (ctx) => {
    const row = findCase(db, Number(ctx.match[1]));
    if (!row) return void (await ctx.answerCallbackQuery({ text: inbox.st('staff-case-gone') }));
    // Only the card in the case's topic, where it is now: a card left in a group the case has left (or an
    // older topic) takes nothing, and loses its button.
    const card = ctx.callbackQuery.message;
    if (row.teamChatId !== ctx.chat?.id || row.threadId === null || card?.message_thread_id !== row.threadId) {
      await ctx.answerCallbackQuery({ text: inbox.st('staff-case-moved'), show_alert: true });
      if (card && ctx.chat) unbutton(ctx.chat.id, card.message_id);
      return;
    }
    await take(ctx, row);
  });

  staff.command('take', async (ctx) => {
    const row = await needCase(ctx);
    if (row) await take(ctx, row);
  });

  staff.command('alias', async (ctx) => {
    const alias = cleanAlias(String(ctx.match ?? ''));
    if (!alias) return void (inbox.replyInTeam(ctx, inbox.st('staff-alias-usage'), true));
    db.insert(consultants).values({ telegramId: ctx.from!.id, alias }).onConflictDoUpdate({ target: consultants.telegramId, set: { alias } }).run();
    inbox.replyInTeam(ctx, inbox.st('staff-alias-set', { alias: escapeHtml(alias) }));
  });

  staff.command('release', async (ctx) => {
    const row = await needCase(ctx);
    if (!row) return;
    const released = db.$client.transaction(() => {
      const done = releaseCase(db, row.id, clock());
      if (done) {
        inbox.noteInTopic(done, inbox.st('staff-released'));
        inbox.refreshCard(row.id);
      }
      return done;
    })();
    if (!released) inbox.replyInTeam(ctx, inbox.st('staff-release-active-only'), true);
  });

  staff.command('transfer', async (ctx) => {
    const row = await needCase(ctx);
    if (!row) return;
    const target = ctx.msg.reply_to_message?.from;
    const specialty = String(ctx.match ?? '').trim().toLowerCase();
    const specialties = content.settings.specialties;
    if (target && !target.is_bot && target.id !== ctx.from!.id) {
      // Only to someone who is a member of this group now.
      if ((await members.isMember(ctx.chat.id, target.id)) !== true) return void inbox.replyInTeam(ctx, inbox.st('staff-transfer-not-member'), true);
      const alias = inbox.aliasOf(target.id);
      db.$client.transaction(() => {
        const moved = transferCase(db, row.id, target.id, clock());
        if (!moved) return;
        inbox.tellClient(moved, 'consult-joined', { alias }, undefined, inbox.aliasOf(ctx.from!.id));
        inbox.noteInTopic(moved, inbox.st('staff-transferred', { alias: escapeHtml(alias) }));
        inbox.refreshCard(row.id);
      })();
    } else if (specialty && inbox.knowsInbox(specialty) && specialty !== inbox.inboxOf(row)) {
      // Another team takes the case: a new topic in their group, the old one deleted, the pseudonym kept.
      const from = inbox.inboxOf(row);
      db.$client.transaction(() => {
        const moved = moveCase(db, row.id, specialty);
        if (!moved) return;
        // The old card loses its Take button at once: the old topic goes only once the replies written in it are copied.
        if (row.teamChatId !== null && row.cardMessageId !== null) unbutton(row.teamChatId, row.cardMessageId);
        queueDeletions(db, caseTraces(row, row.teamChatId === null ? undefined : deps.privacy.encryptChatId(row.teamChatId, CHAT_REF_BINDING.deletion)));
        inbox.createTopic(moved);
        inbox.noteInTopic(moved, inbox.st('staff-transferred-in', { from: escapeHtml(from) }));
        inbox.noteInGeneral(inbox.st('staff-transferred-out', { to: escapeHtml(specialty) }), from); // no pseudonym: a notice in General does not go with the case
      })();
      // The old topic goes once the replies written in it have reached the client (they are copied from it).
      void inbox.relay
        .drainCase(row.id, true, 60_000)
        .then(() => erasure.runPending())
        .catch((error: unknown) => ctx.logger.warn({ err: error }, 'the old topic of a transferred case was not deleted yet'));
    } else if (specialty && specialties.includes(specialty)) {
      db.$client.transaction(() => {
        const released = releaseCase(db, row.id, clock(), specialty) ?? row;
        inbox.noteInTopic(released, inbox.st('staff-waiting-specialty', { specialty: escapeHtml(specialty) }));
        inbox.refreshCard(row.id);
      })();
    } else {
      const others = inbox.inboxes.names.filter((n) => n !== inbox.inboxOf(row));
      inbox.replyInTeam(ctx, inbox.st('staff-transfer-usage', { types: [...specialties, ...others].join(' ') }), true);
    }
  });

  staff.command('close', async (ctx) => {
    const row = await needCase(ctx);
    if (row) inbox.close(row.id, 'consultant', inbox.aliasOf(ctx.from!.id));
  });

  // Stays in the topic (never relayed), and is kept, sealed, for /history while the case is.
  staff.command('note', async (ctx) => {
    const row = caseHere(ctx);
    const text = String(ctx.match ?? '').trim();
    if (row && text) addNote(db, deps.privacy, row.id, ctx.from!.id, text);
  });

  // Urgency by hand: first in every queue (/urgent [reason]), or back to normal (/normal), which also
  // keeps the words that raised the case from raising it again for a while (CALM_MS). The client is told nothing.
  staff.command('urgent', async (ctx) => {
    const row = await needCase(ctx);
    if (!row) return;
    const alias = escapeHtml(inbox.aliasOf(ctx.from!.id));
    db.$client.transaction(() => {
      const raised = markUrgent(db, row.id, String(ctx.match ?? ''));
      if (!raised) return void inbox.replyInTeam(ctx, inbox.st('staff-case-closed'), true);
      const reason = raised.urgentReason !== null ? inbox.urgencyReason(raised.urgentReason) : '';
      inbox.urgencyChanged(raised, inbox.st(reason ? 'staff-urgent-by-hand-reason' : 'staff-urgent-by-hand', { alias, what: reason }), false);
    })();
  });

  staff.command('normal', async (ctx) => {
    const row = await needCase(ctx);
    if (!row) return;
    const alias = escapeHtml(inbox.aliasOf(ctx.from!.id));
    db.$client.transaction(() => {
      const lowered = markNormal(db, row.id, clock(), (reason) => (RISK_CATEGORIES as readonly string[]).includes(reason));
      if (!lowered) return void inbox.replyInTeam(ctx, inbox.st('staff-normal-not-urgent'), true);
      inbox.urgencyChanged(lowered, inbox.st('staff-normal-by-hand', { alias, hours: Math.round(CALM_MS / 3_600_000) }), false);
    })();
  });

  staff.command('refer', async (ctx) => {
    const row = await needCase(ctx);
    if (!row) return;
    const asked = String(ctx.match ?? '').toLowerCase().split(/[\s,]+/).filter(Boolean);
    const referrals = content.settings.referrals;
    const unknown = asked.filter((r) => !referrals.includes(r));
    const types = referrals.join(' ');
    if (unknown.length > 0) return void (inbox.replyInTeam(ctx, inbox.st('staff-refer-unknown', { unknown: unknown.join(', '), types }), true));
    if (asked.length === 0) return void (inbox.replyInTeam(ctx, inbox.st('staff-refer-usage', { types }), true));
    const all = addReferrals(db, row, asked);
    inbox.replyInTeam(ctx, inbox.st('staff-referrals', { list: all.join(', ') }), true);
  });

  // `/snippets` lists them, `/snippets word` finds them by name, title or text (in the case's language).
  staff.command('snippets', async (ctx) => {
    inbox.replyInTeam(ctx, memory.search(caseHere(ctx), String(ctx.match ?? '').trim()));
  });

  staff.command('snippet', async (ctx) => {
    const row = await needCase(ctx);
    if (!row) return;
    if (row.status === 'closed') return void (inbox.replyInTeam(ctx, inbox.st('staff-case-closed'), true));
    const name = String(ctx.match ?? '').trim();
    const filled = memory.fill(row, ctx.from!.id, name);
    if (!filled) return void (inbox.replyInTeam(ctx, inbox.st('staff-no-snippet', { name: escapeHtml(name) })));
    // Whole or not at all: a variable that cannot be filled stops the snippet, and the consultant learns which.
    if (!filled.ok) return void inbox.replyInTeam(ctx, memory.unfilledText(name, filled.unfilled));
    if (!(await take(ctx, row))) return;
    // To the client in their lane (after the "has joined" notice, if this took the case), and shown in the topic.
    db.$client.transaction(() => {
      for (const part of splitMessage(filled.blocks)) {
        inbox.relay.tellClient(row, { kind: 'html', html: part, staff: inbox.aliasOf(ctx.from!.id) });
        inbox.noteInTopic(row, part);
      }
      clientAnswered(db, row.id, clock());
      recordFirstResponse(db, row, clock());
    })();
  });

  /** `!snippet name` in a topic: the snippet, filled, as an internal note only (never to the client). */
  function snippetAsNote(row: CaseRow, ctx: BotContext, name: string): void {
    const filled = memory.fill(row, ctx.from!.id, name);
    if (!filled) return void inbox.replyInTeam(ctx, inbox.st('staff-no-snippet', { name: escapeHtml(name) }));
    if (!filled.ok) return void inbox.replyInTeam(ctx, memory.unfilledText(name, filled.unfilled));
    for (const part of splitMessage([inbox.st('staff-snippet-as-note', { name: escapeHtml(name) }), ...filled.blocks])) inbox.noteInTopic(row, part);
  }

  // `/history 4F7K` anywhere in the staff chat (or bare `/history` in a case topic): the client's earlier
  // cases kept within RETENTION_DAYS, with referrals, codes, ratings and the team's notes; never their words.
  staff.command('history', async (ctx) => {
    // Locked (a stranger may be in the chat): no history, which would go straight to the chat (below).
    if (readLockdown(db)) return void inbox.replyInTeam(ctx, inbox.st('staff-history-locked'), true);
    const typed = String(ctx.match ?? '').trim();
    const here = typed === '' ? caseHere(ctx) : undefined;
    if (typed === '' && !here) return void inbox.replyInTeam(ctx, inbox.st('staff-history-usage'), true);
    const { pseudonym, key } = here ? { pseudonym: inbox.pseudonymOf(here), key: here.clientKey } : clientKeyOfPseudonym(db, typed);
    if (key === undefined) return void inbox.replyInTeam(ctx, inbox.st('staff-history-unknown', { pseudonym: escapeHtml(pseudonym), days: config.retentionDays }));
    // Straight to Telegram, not through the outbox: the notes it holds are kept only sealed, and an
    // outbox row (and the WAL's image of it) would hold them in clear until sent.
    const msg = ctx.msg!;
    await ctx.api.sendMessage(ctx.chat.id, memory.history(pseudonym, key, ctx.chat.id), {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(msg.is_topic_message && msg.message_thread_id !== undefined ? { message_thread_id: msg.message_thread_id } : {}),
      reply_parameters: { message_id: msg.message_id, allow_sending_without_reply: true },
    });
  });

  // `/unban 4F7K` anywhere (the General topic, once the case is gone): a ban outlives its case, and
  // can be lifted while the client's row exists (until /forget or the idle purge).
  staff.command('unban', async (ctx, next) => {
    const typed = String(ctx.match ?? '').trim();
    if (!typed) return next();
    const { pseudonym, key } = clientKeyOfPseudonym(db, typed);
    if (key === undefined) return void inbox.replyInTeam(ctx, inbox.st('staff-unban-unknown', { pseudonym }), true);
    const lifted = liftBan(db, deps.privacy.banKey(key));
    inbox.replyInTeam(ctx, inbox.st(lifted ? 'staff-unbanned-pseudonym' : 'staff-unban-not-banned', { pseudonym }), true);
  });

  // Administrators only (asked of Telegram now): how many bans are in force, by the day they were given.
  staff.command('bans', async (ctx) => {
    const member = await ctx.api.getChatMember(ctx.chat.id, ctx.from!.id).catch(() => undefined);
    if (member?.status !== 'creator' && member?.status !== 'administrator') return void inbox.replyInTeam(ctx, inbox.st('staff-bans-admins-only'), true);
    const days = bansByDay(db, clock(), config.banDays);
    if (days.length === 0) return void inbox.replyInTeam(ctx, inbox.st('staff-bans-none'), true);
    const lines = days.map((d) => inbox.st('staff-bans-line', { on: d.day, count: d.count }));
    inbox.replyInTeam(ctx, inbox.st('staff-bans', { days: config.banDays, count: days.reduce((n, d) => n + d.count, 0), list: lines.join('\n') }));
  });

  staff.command(['ban', 'unban'], async (ctx) => {
    const row = await needCase(ctx);
    if (!row) return;
    if (ctx.message?.text?.startsWith('/unban')) {
      liftBan(db, deps.privacy.banKey(row.clientKey));
      return void (inbox.replyInTeam(ctx, inbox.st('staff-unbanned'), true));
    }
    db.$client.transaction(() => {
      banClient(db, deps.privacy.banKey(row.clientKey), clock());
      const by = inbox.aliasOf(ctx.from!.id);
      inbox.tellClient(row, 'consult-banned', {}, undefined, by);
      inbox.close(row.id, 'consultant', by);
    })();
    inbox.replyInTeam(ctx, inbox.st('staff-banned'), true);
  });

  const facts = (): CaseFacts[] =>
    db
      .select()
      .from(caseStats)
      .all()
      .map((s) => ({
        topic: s.topic,
        urgent: s.urgent,
        openedAt: s.openedAt,
        takenAt: s.takenAt ?? undefined,
        firstResponseAt: s.firstResponseAt ?? undefined,
        closedAt: s.closedAt ?? undefined,
        referrals: JSON.parse(s.referrals) as string[],
        rating: s.rating ?? undefined,
        inbox: s.inbox ?? undefined,
        nextResponses: JSON.parse(s.nextResponses) as number[],
      }));

  staff.command('stats', async (ctx) => {
    const period = parsePeriod(String(ctx.match ?? ''), new Date(clock()), config.timezone);
    if ('error' in period) return void (inbox.replyInTeam(ctx, inbox.st('staff-stats-usage', { error: period.error }), true));
    const s = protectSmallCells(summarize(facts(), period, config.timezone));
    const h = (cell: number | string) => escapeHtml(String(cell)); // "<5" in HTML
    const topics = Object.entries(s.byTopic).map(([t, n]) => inbox.st('staff-stats-topic', { topic: escapeHtml(inbox.topicLabel(t)), opened: h(n.opened), closed: h(n.closed) }));
    const referrals = Object.entries(s.referrals).map(([r, n]) => `${escapeHtml(r)} ${h(n)}`);
    const stars = Object.entries(s.ratings.distribution ?? {}).map(([k, n]) => `${k}★ ${h(n)}`).join(' · ');
    const ratings = `${h(s.ratings.count)}${s.ratings.average !== null ? `, Ø ${s.ratings.average.toFixed(1)}` : ''}${stars ? ` (${stars})` : ''}`;
    // First and next response times per inbox and week (median / p90, from how many cases; "—" from fewer than 5).
    const responseLines = s.responseTimes.map((r) =>
      inbox.st('staff-stats-response-line', {
        inbox: escapeHtml(r.inbox),
        week: r.week,
        firstMedian: formatDuration(r.first.median),
        firstP90: formatDuration(r.first.p90),
        firstCount: h(r.first.count),
        nextMedian: formatDuration(r.next.median),
        nextP90: formatDuration(r.next.p90),
        nextCount: h(r.next.count),
      }),
    );
    const responses = responseLines.length ? `\n\n${inbox.st('staff-stats-responses')}\n${responseLines.join('\n')}` : '';
    // Check-ins after urgent cases: totals only, by week; no breakdown from fewer than 5 answers.
    const care = careTotals(db, period.from, period.to);
    const careLine = `\n\n${inbox.st('staff-stats-care', {
      total: h(care.total),
      breakdown: care.byAnswer ? inbox.st('staff-stats-care-breakdown', { ok: h(care.byAnswer.ok), soSo: h(care.byAnswer['so-so']), notOk: h(care.byAnswer['not-ok']) }) : '',
    })}`;
    inbox.replyInTeam(
      ctx,
      inbox.st('staff-stats', {
        period: escapeHtml(period.label),
        opened: h(s.opened),
        urgent: h(s.urgent),
        closed: h(s.closed),
        topics: topics.join('\n') || '—',
        waitMedian: formatDuration(s.wait.median),
        waitP90: formatDuration(s.wait.p90),
        waitCount: h(s.wait.count),
        respMedian: formatDuration(s.firstResponse.median),
        respP90: formatDuration(s.firstResponse.p90),
        respCount: h(s.firstResponse.count),
        referrals: referrals.length ? referrals.join(', ') : inbox.st('staff-none'),
        ratings,
      }) + responses + careLine,
    );
  });

  staff.command('export', async (ctx) => {
    const period = parsePeriod(String(ctx.match ?? ''), new Date(clock()), config.timezone);
    if ('error' in period) return void (inbox.replyInTeam(ctx, inbox.st('staff-export-usage', { error: period.error }), true));
    const csv = summaryCsv(summarize(facts(), period, config.timezone));
    await ctx.replyWithDocument(new InputFile(Buffer.from(csv, 'utf8'), `cases-${period.label.replace(/[^a-z0-9.-]+/gi, '_')}.csv`), {
      caption: inbox.st('staff-export-caption', { period: period.label }),
    });
  });

  // Replies in a case topic: the assigned consultant's go to the client; the first reply to a waiting
  // case takes it. Messages starting with "!" and everyone else's stay internal.
  staff.on('message', async (ctx, next) => {
    const row = caseHere(ctx);
    if (!row || ctx.msg.text?.startsWith('/')) return next(); // other commands (editors') and the General topic
    // "!" first: an internal note, kept (sealed) for /history; `!snippet name` puts a snippet in the topic as a note.
    const note = ctx.msg.text ?? ctx.msg.caption;
    if (note?.startsWith('!')) {
      const asSnippet = /^!\s*snippet\s+(\S+)\s*$/i.exec(note);
      if (asSnippet) return void snippetAsNote(row, ctx, asSnippet[1]!);
      addNote(db, deps.privacy, row.id, ctx.from.id, note.slice(1));
      return;
    }
    if (row.status === 'closed') return;
    if (ctx.msg.forum_topic_created || ctx.msg.forum_topic_edited || ctx.msg.forum_topic_closed || ctx.msg.forum_topic_reopened) return;
    if (row.status === 'waiting' && !(await take(ctx, row))) return;
    const current = findCaseByThread(db, ctx.chat.id, row.threadId!);
    if (!current) return;
    if (current.consultantId !== ctx.from.id) {
      // Someone else's case: internal. The writer is told so (once in a while, not at every message).
      const key = `${current.id}:${ctx.from.id}`;
      const now = clock();
      if (now - (toldNotSent.get(key) ?? -Infinity) >= NOT_SENT_NOTICE_MS) {
        toldNotSent.set(key, now);
        inbox.replyInTeam(ctx, inbox.st('staff-not-sent-held', { alias: escapeHtml(inbox.aliasOf(current.consultantId)) }));
      }
      return;
    }
    // Mentions never reach a client (they link to a staff account): a text goes without them (the
    // consultant is told); a caption cannot be rewritten in a copy, so that message waits for a new one.
    const mentioned = (ctx.msg.caption_entities ?? []).some((e) => e.type === 'mention' || e.type === 'text_mention');
    if (mentioned) return void inbox.noteInTopic(current, inbox.st('staff-mention-not-sent'));
    const safe = ctx.msg.text !== undefined ? withoutMentions({ text: ctx.msg.text, ...(ctx.msg.entities ? { entities: ctx.msg.entities } : {}) }) : undefined;
    if (safe && safe.removed > 0) inbox.noteInTopic(current, inbox.st('staff-mention-removed', { count: safe.removed }));
    db.$client.transaction(() => {
      inbox.relay.accept({
        caseId: current.id,
        toClient: true,
        sourceMessageId: ctx.msg.message_id,
        sourceChatId: ctx.chat.id,
        mediaGroupId: ctx.msg.media_group_id,
        replyToSourceId: ctx.msg.reply_to_message?.message_id !== current.threadId ? ctx.msg.reply_to_message?.message_id : undefined,
        // The text, sealed until sent: replies that pile up at a client's pace go out joined.
        text: safe && ctx.msg.media_group_id === undefined ? { text: safe.text, ...(safe.entities ? { entities: safe.entities } : {}), ...(safe.removed > 0 ? { rewritten: true } : {}) } : undefined,
      });
      clientAnswered(db, current.id, clock());
      recordFirstResponse(db, current, clock());
    })();
  });

  staff.on('edited_message', async (ctx, next) => {
    const row = caseHere(ctx);
    const copy = row && findCounterpart(db, row.id, false, ctx.chat.id, ctx.editedMessage.message_id);
    if (!row || copy === undefined || row.consultantId !== ctx.from.id) return next();
    // Without mentions (see above), and sealed until sent like every consultant's words.
    const edited = ctx.editedMessage;
    const safe = withoutMentions(
      edited.text !== undefined
        ? { text: edited.text, ...(edited.entities ? { entities: edited.entities } : {}) }
        : { text: edited.caption ?? '', ...(edited.caption_entities ? { entities: edited.caption_entities } : {}) },
    );
    const { removed: _removed, ...text } = safe;
    // A reply joined with others at the client: the new wording follows as a message of its own.
    const by = inbox.aliasOf(ctx.from.id);
    if (isJoinedAtClient(db, row.id, ctx.chat.id, copy)) inbox.relay.tellClient(row, { kind: 'edited-reply', text, staff: by });
    else inbox.carryStaffEdit(row, edited.text !== undefined ? { ...edited, text: text.text, entities: text.entities } : { ...edited, caption: text.text, caption_entities: text.entities }, copy, by);
  });

  return feature;
}
