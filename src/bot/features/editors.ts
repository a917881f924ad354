import { Composer } from 'grammy';
import { escapeHtml } from '../../content/markdown.js';
import { nextOccurrenceOf, upcoming } from '../../publishing/occurrences.js';
import type { Post } from '../../publishing/posts.js';
import type { Scheduler } from '../../publishing/scheduler.js';
import type { PostStore } from '../../publishing/store.js';
import { sendPost } from '../../publishing/publisher.js';
import { syncPost } from '../../publishing/sync.js';
import { splitMessage } from '../../content/split.js';
import { formatLocal } from '../../time/zoned.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';

export interface PublishingDeps {
  posts: PostStore;
  scheduler: Scheduler;
  /** Reloads the whole content folder; returns a short HTML summary for editors (blocks). */
  reload: () => string[];
  /** Editors' texts from the locales, in DEFAULT_LANGUAGE; values must already be escaped HTML. */
  text: (key: string, vars?: Record<string, string | number>) => string;
}

const HTML = { parse_mode: 'HTML' } as const;

/** Editors' commands, only in the editors chat (membership of that chat is the permission). */
export function createEditorsFeature(deps: BotDeps, publishing: PublishingDeps): Composer<BotContext> {
  const { config, db } = deps;
  const { posts, scheduler, text: t } = publishing;
  const feature = new Composer<BotContext>();
  const editors = feature.filter((ctx) => ctx.chat?.id === config.editorsChatId && !!ctx.from && !ctx.from.is_bot);

  const describe = (post: Post) => {
    const when =
      post.timing.kind === 'once'
        ? escapeHtml(formatLocal(post.timing.at, config.timezone))
        : post.timing.until
          ? t('editors-cron-until', { cron: escapeHtml(post.timing.cron), until: escapeHtml(formatLocal(post.timing.until, config.timezone)) })
          : t('editors-cron', { cron: escapeHtml(post.timing.cron) });
    return `<code>${escapeHtml(post.slug)}</code> → ${escapeHtml(post.channels.join(', '))}, ${when}${post.draft ? ` ${t('editors-draft-mark')}` : ''}`;
  };

  /** Finds the post named in the command, or answers why not. */
  async function postFromCommand(ctx: BotContext, command: string, query = String(ctx.match ?? '').trim()): Promise<Post | undefined> {
    if (!query) {
      await ctx.reply(t('editors-usage', { command, force: command === 'publish' ? ' [force]' : '' }));
      return undefined;
    }
    const found = posts.find(query);
    if (!found) {
      await ctx.reply(t('editors-no-post', { query: escapeHtml(query) }), HTML);
      return undefined;
    }
    if (Array.isArray(found)) {
      await ctx.reply(t('editors-several', { query: escapeHtml(query), list: found.map((p) => `• <code>${escapeHtml(p.slug)}</code>`).join('\n') }), HTML);
      return undefined;
    }
    return found;
  }

  editors.command('upcoming', async (ctx) => {
    const now = new Date();
    const next = upcoming(posts.posts, now, config.timezone, 15);
    const lines = next.map(({ post, at }) => `• ${formatLocal(at, config.timezone)} → ${escapeHtml(post.channels.join(', '))}: <code>${escapeHtml(post.slug)}</code>`);
    const drafts = posts.posts.filter((p) => p.draft).length;
    const problems = posts.problems.length;
    await ctx.reply(
      [
        t('editors-upcoming-title', { timezone: escapeHtml(config.timezone) }),
        lines.length > 0 ? lines.join('\n') : t('editors-upcoming-none'),
        drafts > 0 ? t('editors-upcoming-drafts', { count: drafts }) : '',
        problems > 0 ? t('editors-upcoming-problems', { count: problems }) : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
      HTML,
    );
  });

  editors.command('preview', async (ctx) => {
    const post = await postFromCommand(ctx, 'preview');
    if (!post) return;
    const next = nextOccurrenceOf(post, new Date(), config.timezone);
    await ctx.reply(`${t('editors-preview', { post: describe(post) })}${next ? `\n${t('editors-next', { when: formatLocal(next, config.timezone) })}` : ''}`, HTML);
    const threadId = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
    try {
      await sendPost(ctx.api, post, ctx.chat!.id, { botUsername: ctx.me.username, preview: true, threadId });
    } catch (error) {
      // A refused media file (or a Telegram error) is the editor's to fix: say which and why.
      await ctx.reply(t('editors-preview-failed', { file: escapeHtml(post.file), error: escapeHtml((error as Error).message) }), HTML);
    }
  });

  editors.command('publish', async (ctx) => {
    // "/publish SLUG force" publishes a draft; without "force" a draft is refused.
    const words = String(ctx.match ?? '').trim().split(/\s+/);
    const force = words.length > 1 && words.at(-1)?.toLowerCase() === 'force';
    const post = await postFromCommand(ctx, 'publish', (force ? words.slice(0, -1) : words).join(' '));
    if (!post) return;
    if (post.draft && !force) {
      await ctx.reply(t('editors-publish-draft', { slug: escapeHtml(post.slug) }), HTML);
      return;
    }
    const results = await scheduler.publishNow(post);
    await ctx.reply(`📣 ${describe(post)}\n${results.map((r) => `• ${escapeHtml(r)}`).join('\n')}`, HTML);
  });

  editors.command('skip', async (ctx) => {
    const post = await postFromCommand(ctx, 'skip');
    if (!post) return;
    const skipped = scheduler.skipNext(post);
    await ctx.reply(
      skipped ? t('editors-skipped', { when: formatLocal(skipped, config.timezone), post: describe(post) }) : t('editors-nothing-to-skip', { post: describe(post) }),
      HTML,
    );
  });

  editors.command('sync', async (ctx) => {
    const post = await postFromCommand(ctx, 'sync');
    if (!post) return;
    const lines = await syncPost(ctx.api, db, post, ctx.me.username, t);
    await ctx.reply(`🔄 ${describe(post)}\n${lines.map((l) => `• ${escapeHtml(l)}`).join('\n')}`, HTML);
  });

  editors.command('reload', async (ctx) => {
    for (const part of splitMessage(publishing.reload())) await ctx.reply(part, HTML);
  });

  return feature;
}
