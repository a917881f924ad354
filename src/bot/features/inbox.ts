import { Composer, InputFile } from 'grammy';
import { eq } from 'drizzle-orm';
import { escapeHtml } from '../../content/markdown.js';
import { splitMessage } from '../../content/split.js';
import { bans, caseStats, consultants, type CaseRow } from '../../db/schema.js';
import {
  REFERRALS,
  addReferrals,
  claimCase,
  findCase,
  findCaseByThread,
  recordFirstResponse,
  releaseCase,
  transferCase,
  type Referral,
} from '../../inbox/cases.js';
import { enqueueCopy, findCounterpart } from '../../inbox/delivery.js';
import type { InboxService } from '../../inbox/service.js';
import { formatDuration, parsePeriod, summarize, summaryCsv, type CaseFacts } from '../../inbox/stats.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

const HTML = { parse_mode: 'HTML' } as const;

/**
 * The consultants' side, in the staff forum supergroup only (membership of that chat is the
 * permission): taking cases, replying through the bot, notes, referrals, snippets, bans, reports.
 */
export function createInboxFeature(deps: BotDeps, inbox: InboxService): Composer<BotContext> {
  const { db, config, content } = deps;
  const clock = () => (deps.clock ?? (() => new Date()))().getTime();
  const feature = new Composer<BotContext>();
  const staff = feature.filter((ctx) => ctx.chat?.id === config.staffChatId && !!ctx.from && !ctx.from.is_bot);

  const caseHere = (ctx: BotContext): CaseRow | undefined => {
    const msg = ctx.msg;
    return msg?.is_topic_message && msg.message_thread_id !== undefined ? findCaseByThread(db, msg.message_thread_id) : undefined;
  };
  const needCase = async (ctx: BotContext): Promise<CaseRow | undefined> => {
    const row = caseHere(ctx);
    if (!row) await ctx.reply('Use this command inside a case topic.');
    return row;
  };

  /** Assigns the case; exactly one of several simultaneous takers wins. */
  async function take(ctx: BotContext, row: CaseRow): Promise<boolean> {
    const consultant = ctx.from!.id;
    if (row.status === 'active' && row.consultantId === consultant) return true;
    const result = claimCase(db, row.id, consultant, clock(), config.maxActiveCases);
    if (!result.ok) {
      const why =
        result.reason === 'taken'
          ? `${inbox.aliasOf(result.consultantId)} already has this case.`
          : result.reason === 'overloaded'
            ? `You already have ${result.active} active case(s), the limit. /release one first.`
            : 'This case is closed.';
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: why, show_alert: true });
      else await ctx.reply(why);
      return false;
    }
    const alias = inbox.aliasOf(consultant, 'Consultant');
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: 'The case is yours.' });
    await inbox.refreshCard(row.id);
    await inbox.noteInTopic(result.case, `✋ ${escapeHtml(alias)} took the case.${inbox.aliasOf(consultant, '') ? '' : ' (Set the name clients see with /alias.)'}`);
    await inbox.tellClient(result.case, 'consult-joined', { alias });
    return true;
  }

  staff.callbackQuery(/^case:take:(\d+)$/, async (ctx) => {
    const row = findCase(db, Number(ctx.match[1]));
    if (!row) return void (await ctx.answerCallbackQuery({ text: 'This case no longer exists.' }));
    await take(ctx, row);
  });

  staff.command('take', async (ctx) => {
    const row = await needCase(ctx);
    if (row) await take(ctx, row);
  });

  staff.command('alias', async (ctx) => {
    const alias = String(ctx.match ?? '').trim().replace(/\s+/g, ' ');
    if (!alias || alias.length > 32) return void (await ctx.reply('Usage: /alias NAME (up to 32 characters), the name clients will see.'));
    db.insert(consultants).values({ telegramId: ctx.from!.id, alias }).onConflictDoUpdate({ target: consultants.telegramId, set: { alias } }).run();
    await ctx.reply(`Clients will see you as “${escapeHtml(alias)}”.`, HTML);
  });

  staff.command('release', async (ctx) => {
    const row = await needCase(ctx);
    if (!row) return;
    const released = releaseCase(db, row.id, clock());
    if (!released) return void (await ctx.reply('Only an active case can be released.'));
    await inbox.refreshCard(row.id);
    await inbox.noteInTopic(released, '↩️ Back in the queue.');
  });

  staff.command('transfer', async (ctx) => {
    const row = await needCase(ctx);
    if (!row) return;
    const target = ctx.msg.reply_to_message?.from;
    const specialty = String(ctx.match ?? '').trim().toLowerCase();
    if (target && !target.is_bot && target.id !== ctx.from!.id) {
      const moved = transferCase(db, row.id, target.id);
      if (!moved) return;
      const alias = inbox.aliasOf(target.id, 'Consultant');
      await inbox.refreshCard(row.id);
      await inbox.noteInTopic(moved, `🔀 Transferred to ${escapeHtml(alias)}.`);
      await inbox.tellClient(moved, 'consult-joined', { alias });
    } else if (specialty) {
      const released = releaseCase(db, row.id, clock(), specialty.slice(0, 32)) ?? row;
      await inbox.refreshCard(row.id);
      await inbox.noteInTopic(released, `🔀 Waiting for a ${escapeHtml(specialty)}: back in the queue.`);
    } else {
      await ctx.reply('Usage: reply to a colleague’s message with /transfer, or /transfer SPECIALTY (e.g. /transfer lawyer).');
    }
  });

  staff.command('close', async (ctx) => {
    const row = await needCase(ctx);
    if (row) await inbox.close(row.id, 'consultant');
  });

  staff.command('note', () => undefined); // stays in the topic: never relayed

  staff.command('refer', async (ctx) => {
    const row = await needCase(ctx);
    if (!row) return;
    const asked = String(ctx.match ?? '').toLowerCase().split(/[\s,]+/).filter(Boolean);
    const unknown = asked.filter((r) => !REFERRALS.includes(r as Referral));
    if (asked.length === 0 || unknown.length > 0) {
      return void (await ctx.reply(`Usage: /refer ${REFERRALS.join('|')} (several allowed)${unknown.length ? `. Unknown: ${unknown.join(', ')}` : ''}`));
    }
    const all = addReferrals(db, row, asked as Referral[]);
    await ctx.reply(`🏷 Referrals: ${all.join(', ')}`);
  });

  staff.command('snippets', async (ctx) => {
    const lang = caseHere(ctx) ? inbox.languageOf(caseHere(ctx)!) : config.defaultLanguage;
    const list = [...content.for(lang).snippets.values()].map((s) => `• <code>${escapeHtml(s.name)}</code> — ${escapeHtml(s.title)}`);
    await ctx.reply(list.length ? `📋 Snippets (send with /snippet NAME):\n${list.join('\n')}` : 'No snippets in content/snippets.', HTML);
  });

  staff.command('snippet', async (ctx) => {
    const row = await needCase(ctx);
    if (!row) return;
    if (row.status === 'closed') return void (await ctx.reply('This case is closed.'));
    const name = String(ctx.match ?? '').trim();
    const snippet = content.for(inbox.languageOf(row)).snippets.get(name);
    if (!snippet) return void (await ctx.reply(`No snippet “${escapeHtml(name)}”. /snippets lists them.`, HTML));
    if (!(await take(ctx, row))) return;
    for (const part of splitMessage(snippet.blocks)) {
      const sent = await ctx.reply(part, HTML); // shown in the topic, then copied to the client like any reply
      enqueueCopy(db, { caseId: row.id, toClient: true, sourceMessageId: sent.message_id }, clock());
    }
    recordFirstResponse(db, row, clock());
    inbox.delivery?.kick();
  });

  staff.command(['ban', 'unban'], async (ctx) => {
    const row = await needCase(ctx);
    if (!row) return;
    if (ctx.message?.text?.startsWith('/unban')) {
      db.delete(bans).where(eq(bans.clientKey, row.clientKey)).run();
      return void (await ctx.reply('The client can open cases again.'));
    }
    db.insert(bans).values({ clientKey: row.clientKey, bannedAt: clock() }).onConflictDoNothing().run();
    await inbox.tellClient(row, 'consult-banned');
    await inbox.close(row.id, 'consultant');
    await ctx.reply('🚫 The client is banned; /unban in this topic reverses it.');
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
      }));

  staff.command('stats', async (ctx) => {
    const period = parsePeriod(String(ctx.match ?? ''), new Date(clock()), config.timezone);
    if ('error' in period) return void (await ctx.reply(`Usage: /stats [period]: ${period.error}`));
    const s = summarize(facts(), period);
    const topics = Object.entries(s.byTopic).map(([t, n]) => `• ${escapeHtml(t)}: ${n.opened} opened, ${n.closed} closed`);
    const referrals = Object.entries(s.referrals).map(([r, n]) => `${escapeHtml(r)} ${n}`);
    const stars = Object.entries(s.ratings.distribution).map(([k, n]) => `${k}★ ${n}`).join(' · ');
    await ctx.reply(
      [
        `📊 <b>Cases, ${escapeHtml(period.label)}</b>`,
        `Opened ${s.opened} (urgent ${s.urgent}) · closed ${s.closed}`,
        ...topics,
        `Wait until taken: median ${formatDuration(s.wait.median)}, 90% within ${formatDuration(s.wait.p90)} (${s.wait.count} cases)`,
        `First response: median ${formatDuration(s.firstResponse.median)}, 90% within ${formatDuration(s.firstResponse.p90)} (${s.firstResponse.count} cases)`,
        `Referrals: ${referrals.length ? referrals.join(', ') : 'none'}`,
        `Ratings: ${s.ratings.count}${s.ratings.average !== null ? `, average ${s.ratings.average.toFixed(1)}` : ''}${s.ratings.count ? ` (${stars})` : ''}`,
      ].join('\n'),
      HTML,
    );
  });

  staff.command('export', async (ctx) => {
    const period = parsePeriod(String(ctx.match ?? ''), new Date(clock()), config.timezone);
    if ('error' in period) return void (await ctx.reply(`Usage: /export [period]: ${period.error}`));
    const csv = summaryCsv(summarize(facts(), period));
    await ctx.replyWithDocument(new InputFile(Buffer.from(csv, 'utf8'), `cases-${period.label.replace(/[^a-z0-9.-]+/gi, '_')}.csv`), {
      caption: `Cases, ${period.label}: no identities, figures only.`,
    });
  });

  // Replies in a case topic: the assigned consultant's go to the client; the first reply to a waiting
  // case takes it. Messages starting with "!" and everyone else's stay internal.
  staff.on('message', async (ctx, next) => {
    const row = caseHere(ctx);
    if (!row || ctx.msg.text?.startsWith('/')) return next(); // other commands (editors') and the General topic
    if (row.status === 'closed' || ctx.msg.text?.startsWith('!') || ctx.msg.caption?.startsWith('!')) return;
    if (ctx.msg.forum_topic_created || ctx.msg.forum_topic_edited || ctx.msg.forum_topic_closed || ctx.msg.forum_topic_reopened) return;
    if (row.status === 'waiting' && !(await take(ctx, row))) return;
    const current = findCaseByThread(db, row.threadId!);
    if (!current || current.consultantId !== ctx.from.id) return; // someone else's case: internal
    enqueueCopy(
      db,
      {
        caseId: current.id,
        toClient: true,
        sourceMessageId: ctx.msg.message_id,
        mediaGroupId: ctx.msg.media_group_id,
        replyToSourceId: ctx.msg.reply_to_message?.message_id !== current.threadId ? ctx.msg.reply_to_message?.message_id : undefined,
      },
      clock(),
    );
    recordFirstResponse(db, current, clock());
    inbox.delivery?.kick();
  });

  staff.on('edited_message', async (ctx, next) => {
    const row = caseHere(ctx);
    const copy = row && findCounterpart(db, row.id, false, ctx.editedMessage.message_id);
    if (!row || copy === undefined || row.consultantId !== ctx.from.id) return next();
    await inbox.carryEdit(ctx.editedMessage, inbox.clientChatId(row), copy);
  });

  return feature;
}
