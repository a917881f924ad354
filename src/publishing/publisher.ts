import { InlineKeyboard, InputFile, type Api } from 'grammy';
import type { InputMediaDocument, InputMediaPhoto, InputMediaVideo } from 'grammy/types';
import { closeSync, createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { openContentFile } from '../content/paths.js';
import type { Post } from './posts.js';

/** Telegram's upload limit for bots. */
const UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024;

/**
 * A media file, checked when it is sent, not when the post was loaded: a file swapped for a link to
 * .env or /proc/self/environ after /reload is refused (the error names the file and why). Checked
 * once now, so a refused file stops the post before any message goes out, and again each time grammY
 * reads it (a retry too), streaming from the very descriptor that passed the check.
 */
function mediaFile(post: Post, media: Post['media'][number]): InputFile {
  closeSync(openContentFile(post.root, media.path, UPLOAD_LIMIT_BYTES).fd);
  const read = () => {
    const { fd, size } = openContentFile(post.root, media.path, UPLOAD_LIMIT_BYTES);
    if (size > 0) return createReadStream('', { fd, start: 0, end: size - 1 }); // no more than was checked
    closeSync(fd);
    return new Uint8Array();
  };
  return new InputFile(read, basename(media.name));
}

export type ChatTarget = number | string;

export function postKeyboard(post: Post, botUsername: string): InlineKeyboard | undefined {
  const rows = post.buttons.map((button) => [
    InlineKeyboard.url(button.text, 'url' in button ? button.url : `https://t.me/${botUsername}?start=consult`),
  ]);
  // A channel's button cannot know who pressed it: the RSVP leads to the bot, where the client confirms in private.
  if (post.event) rows.unshift([InlineKeyboard.url(post.event.button, rsvpLink(botUsername, post.event.id))]);
  if (rows.length === 0) return undefined;
  return InlineKeyboard.from(rows);
}

/** The link behind an invitation's RSVP button. */
export function rsvpLink(botUsername: string, eventId: string): string {
  return `https://t.me/${botUsername}?start=rsvp-${eventId}`;
}

export interface SendOptions {
  botUsername: string;
  /** Message ids already sent for this publication (a retry continues after them). */
  alreadySent?: number[];
  /** Called after each message, so progress is stored before the next one goes. */
  onProgress?: (messageIds: number[]) => void;
  /** Previews never pin. */
  preview?: boolean;
  /** Forum topic to send into (a preview in a forum editors chat). */
  threadId?: number;
}

/**
 * Sends a post to one chat exactly as it will appear in the channel: text parts, or one media with a
 * caption, or an album, or text followed by a poll; buttons go under the last message. Returns the ids
 * of all messages, in order.
 */
export async function sendPost(api: Api, post: Post, chatId: ChatTarget, options: SendOptions): Promise<number[]> {
  const ids = [...(options.alreadySent ?? [])];
  const record = (newIds: number[]) => {
    ids.push(...newIds);
    options.onProgress?.([...ids]);
  };
  const markup = postKeyboard(post, options.botUsername);
  const common = {
    disable_notification: post.silent,
    protect_content: post.protectContent,
    ...(options.threadId !== undefined ? { message_thread_id: options.threadId } : {}),
  };
  const caption = post.parts[0];

  if (post.media.length === 1 && ids.length === 0) {
    const [media] = post.media as [Post['media'][number]];
    const extra = { ...common, caption, parse_mode: 'HTML' as const, reply_markup: markup };
    const file = mediaFile(post, media);
    const sent =
      media.type === 'photo'
        ? await api.sendPhoto(chatId, file, extra)
        : media.type === 'video'
          ? await api.sendVideo(chatId, file, extra)
          : media.type === 'animation'
            ? await api.sendAnimation(chatId, file, extra)
            : await api.sendDocument(chatId, file, extra);
    record([sent.message_id]);
  } else if (post.media.length > 1 && ids.length === 0) {
    const item = (media: Post['media'][number], index: number) => ({
      media: mediaFile(post, media),
      ...(index === 0 && caption ? { caption, parse_mode: 'HTML' as const } : {}),
    });
    // Validation guarantees an album is all documents, or photos and videos only.
    const album: InputMediaDocument[] | (InputMediaPhoto | InputMediaVideo)[] = post.media.every((m) => m.type === 'document')
      ? post.media.map((m, i): InputMediaDocument => ({ type: 'document', ...item(m, i) }))
      : post.media.map((m, i): InputMediaPhoto | InputMediaVideo =>
          m.type === 'video' ? { type: 'video', ...item(m, i) } : { type: 'photo', ...item(m, i) },
        );
    const sent = await api.sendMediaGroup(chatId, album, common);
    record(sent.map((m) => m.message_id));
  } else if (post.media.length === 0) {
    const texts = post.parts;
    for (let index = ids.length; index < texts.length; index++) {
      const last = index === texts.length - 1 && !post.poll;
      const sent = await api.sendMessage(chatId, texts[index] ?? '', {
        ...common,
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: !post.linkPreview },
        ...(last && markup ? { reply_markup: markup } : {}),
      });
      record([sent.message_id]);
    }
    if (post.poll && ids.length === texts.length) {
      const sent = await api.sendPoll(
        chatId,
        post.poll.question,
        post.poll.options.map((text) => ({ text })),
        { ...common, is_anonymous: true, allows_multiple_answers: post.poll.multiple, ...(markup ? { reply_markup: markup } : {}) },
      );
      record([sent.message_id]);
    }
  }

  if (post.pin && !options.preview && ids[0] !== undefined) {
    await api.pinChatMessage(chatId, ids[0], { disable_notification: post.silent });
  }
  return ids;
}
