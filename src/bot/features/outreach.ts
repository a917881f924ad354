import { Composer, InputFile } from 'grammy';
import { escapeHtml } from '../../content/markdown.js';
import { posterSvg, sourceLink } from '../../inbox/poster.js';
import { renderPng } from '../../inbox/cascade-chart.js';
import { parseMonths, protectSourceCells, recordStart, sourceMonths, sourcesCsv } from '../../inbox/source-counts.js';
import type { InboxService } from '../../inbox/service.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

const HTML = { parse_mode: 'HTML' } as const;
type T = (key: string, vars?: Record<string, string | number>) => string;

/**
 * Outreach through sources (content/sources.yml): a start with a source's code is counted (a number per
 * day and source, see src/inbox/source-counts.ts), `/qr CODE [lang]` in the editors chat makes the
 * source's poster, and `/stats sources` and `/export sources` show the counts per month.
 */
export function createOutreachFeature(deps: BotDeps, inbox: InboxService, editorsText: T, t: (lang: string) => T): { clientSide: Composer<BotContext>; teamSide: Composer<BotContext> } {
  const { db, privacy, config, content, logger } = deps;
  const clock = () => (deps.clock ?? (() => new Date()))().getTime();
  const clientSide = new Composer<BotContext>();
  const teamSide = new Composer<BotContext>();

  // Counted, then the normal start: an unknown code (a typo, an old poster) is no error for the client.
  clientSide.chatType('private').command('start', async (ctx, next) => {
    const code = String(ctx.match ?? '').trim().toLowerCase();
    const source = code ? content.sources.find((s) => s.code === code) : undefined;
    if (source && ctx.client) {
      const outcome = recordStart(db, privacy, { clientKey: ctx.client.key, source: source.code, now: clock(), timeZone: config.timezone });
      if (outcome === 'capped') logger.warn({ source: source.code }, 'a source reached its daily cap of counted starts (a flood of new accounts?)');
    }
    return next();
  });

  const editors = teamSide.filter((ctx) => ctx.chat?.id === config.editorsChatId && !!ctx.from && !ctx.from.is_bot);
  editors.command('qr', async (ctx) => {
    const [code = '', lang = config.defaultLanguage] = String(ctx.match ?? '').trim().toLowerCase().split(/\s+/);
    const codes = content.sources.map((s) => s.code).join(', ') || '—';
    if (!code) return void (await ctx.reply(editorsText('outreach-qr-usage', { codes: escapeHtml(codes) }), HTML));
    const source = content.sources.find((s) => s.code === code);
    if (!source) return void (await ctx.reply(editorsText('outreach-qr-unknown', { code: escapeHtml(code.slice(0, 40)), codes: escapeHtml(codes) }), HTML));
    if (!content.languages.includes(lang as never)) {
      return void (await ctx.reply(editorsText('outreach-qr-language', { lang: escapeHtml(lang.slice(0, 10)), languages: content.languages.join(', ') }), HTML));
    }
    const username = ctx.me.username;
    const svg = await posterSvg({
      botUsername: username,
      code: source.code,
      line: source.poster[lang] ?? source.poster[config.defaultLanguage] ?? Object.values(source.poster)[0] ?? '',
      hint: t(lang)('outreach-poster-hint'),
      ...(source.draft ? { sample: t(lang)('outreach-poster-sample') } : {}),
    });
    const png = renderPng(svg);
    const caption = editorsText('outreach-qr-caption', { label: escapeHtml(source.label), region: escapeHtml(source.region), lang, link: escapeHtml(sourceLink(username, source.code)) });
    const thread = ctx.msg?.is_topic_message ? { message_thread_id: ctx.msg.message_thread_id } : {};
    await ctx.replyWithDocument(new InputFile(png, `poster-${source.code}-${lang}.png`), { ...HTML, ...thread, caption: source.draft ? `${caption}\n\n${editorsText('outreach-qr-draft')}` : caption });
    await ctx.replyWithDocument(new InputFile(Buffer.from(svg, 'utf8'), `poster-${source.code}-${lang}.svg`), thread);
  });

  // /stats sources and /export sources: in the staff inboxes and the editors chat. Anything else goes on.
  const team = teamSide.filter((ctx) => (inbox.inboxes.isInbox(ctx.chat?.id) || ctx.chat?.id === config.editorsChatId) && !!ctx.from && !ctx.from.is_bot);
  const describe = (code: string) => content.sources.find((s) => s.code === code);
  const monthsOf = async (ctx: BotContext, rest: string) => {
    const months = parseMonths(rest, clock(), config.timezone);
    if ('error' in months) await ctx.reply(editorsText('staff-sources-usage', { error: escapeHtml(months.error) }), HTML);
    return 'error' in months ? undefined : months;
  };
  team.command('stats', async (ctx, next) => {
    const [first, ...rest] = String(ctx.match ?? '').trim().split(/\s+/);
    if (first?.toLowerCase() !== 'sources') return next();
    const months = await monthsOf(ctx, rest.join(' '));
    if (!months) return;
    const rows = protectSourceCells(sourceMonths(db, months));
    if (rows.length === 0) return void (await ctx.reply(editorsText('staff-sources-none', months), HTML));
    const h = (v: number | string) => escapeHtml(String(v));
    const lines = rows.map((r) =>
      editorsText('staff-sources-line', {
        month: r.month,
        label: escapeHtml(describe(r.source)?.label ?? r.source),
        region: escapeHtml(describe(r.source)?.region ?? '?'),
        starts: h(r.start),
        consultations: h(r.consultation),
        redeemed: h(r.redeemed),
      }),
    );
    await ctx.reply(`${editorsText('staff-sources-title', months)}\n${lines.join('\n')}`, HTML);
  });
  team.command('export', async (ctx, next) => {
    const [first, ...rest] = String(ctx.match ?? '').trim().split(/\s+/);
    if (first?.toLowerCase() !== 'sources') return next();
    const months = await monthsOf(ctx, rest.join(' '));
    if (!months) return;
    const csv = sourcesCsv(sourceMonths(db, months), (code) => describe(code));
    await ctx.replyWithDocument(new InputFile(Buffer.from(csv, 'utf8'), `sources-${months.from}-${months.to}.csv`), {
      caption: editorsText('staff-sources-export-caption', months),
    });
  });

  return { clientSide, teamSide };
}
