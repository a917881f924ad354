import type { Api } from 'grammy';
import { classifyError, describeFailure } from '../telegram/errors.js';
import type { Db } from '../db/connection.js';
import { messageIdsOf, sentPublications } from './ledger.js';
import type { Post } from './posts.js';
import { postKeyboard } from './publisher.js';

function notModified(error: unknown): boolean {
  return classifyError(error).kind === 'not-modified';
}

/**
 * /sync: brings published messages in line with the edited file, in place: texts, captions and
 * buttons. What Telegram cannot edit (a different number of messages, media files, a poll) is
 * reported instead of re-posting.
 */
export async function syncPost(api: Api, db: Db, post: Post, botUsername: string, text: (key: string, vars: Record<string, string | number>) => string): Promise<string[]> {
  const rows = sentPublications(db, post.slug);
  if (rows.length === 0) return [text('editors-sync-nothing', {})];
  const markup = postKeyboard(post, botUsername);
  const lines: string[] = [];
  for (const row of rows) {
    const chatId = row.chatId ?? '';
    const target = /^-?\d+$/.test(chatId) ? Number(chatId) : chatId;
    const ids = messageIdsOf(row);
    const when = new Date(row.occurrence).toISOString().slice(0, 16).replace('T', ' ');
    try {
      if (post.media.length > 0) {
        const first = ids[0];
        if (first === undefined) continue;
        await api
          .editMessageCaption(target, first, { caption: post.parts[0] ?? '', parse_mode: 'HTML', ...(post.media.length === 1 && markup ? { reply_markup: markup } : {}) })
          .catch((e: unknown) => {
            if (!notModified(e)) throw e;
          });
        lines.push(`${row.channel} (${when} UTC): ${text('editors-sync-caption', {})}`);
        continue;
      }
      const textIds = post.poll ? ids.slice(0, -1) : ids;
      if (textIds.length !== post.parts.length) {
        lines.push(`${row.channel} (${when} UTC): ${text('editors-sync-parts', { now: post.parts.length, before: textIds.length })}`);
        continue;
      }
      for (const [index, messageId] of textIds.entries()) {
        const last = index === textIds.length - 1 && !post.poll;
        await api
          .editMessageText(target, messageId, post.parts[index] ?? '', {
            parse_mode: 'HTML',
            link_preview_options: { is_disabled: !post.linkPreview },
            ...(last && markup ? { reply_markup: markup } : {}),
          })
          .catch((e: unknown) => {
            if (!notModified(e)) throw e;
          });
      }
      lines.push(`${row.channel} (${when} UTC): ${text(post.poll ? 'editors-sync-updated-poll' : 'editors-sync-updated', { count: textIds.length })}`);
    } catch (error) {
      lines.push(`${row.channel} (${when} UTC): ${describeFailure(classifyError(error))}`);
    }
  }
  return lines;
}
