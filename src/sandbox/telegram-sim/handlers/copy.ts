import { badRequest, TG } from '../errors.js';
import type { ChatRecord } from '../state.js';
import type { Message } from '../types.js';
import type { CallContext, Handler } from './context.js';
import { captionFields } from './media.js';
import { deliver, originOf, prepareTarget } from './target.js';

/** copyMessage, copyMessages, forwardMessage, forwardMessages. */

/** The fields that make up a message's content (everything else is envelope or service). */
const CONTENT_KEYS = [
  'text', 'entities', 'link_preview_options', 'caption', 'caption_entities', 'show_caption_above_media', 'has_media_spoiler',
  'photo', 'video', 'document', 'animation', 'audio', 'voice', 'video_note', 'sticker', 'poll', 'location', 'venue',
  'contact', 'dice', 'checklist', 'story', 'paid_media', 'live_photo', 'game', 'invoice',
];
const MEDIA_KEYS = ['photo', 'video', 'document', 'animation', 'audio', 'voice', 'live_photo'];
const CAPTION_KEYS = ['caption', 'caption_entities', 'show_caption_above_media'];

function contentOf(ctx: CallContext, source: Message): Partial<Message> {
  const content: Partial<Message> = {};
  for (const key of CONTENT_KEYS) if (source[key] !== undefined) content[key] = structuredClone(source[key]);
  if (Object.keys(content).length === 0) throw badRequest(TG.cantCopy);
  if (content.poll) {
    const poll = content.poll;
    content.poll = { ...poll, id: String(5_000_000_000_000_000n + BigInt(ctx.world.unique())), total_voter_count: 0,
      options: poll.options.map((o) => ({ ...o, voter_count: 0 })) };
  }
  return content;
}

function sourceChat(ctx: CallContext): ChatRecord {
  return ctx.world.requireChat(ctx.params.from_chat_id);
}

/** Ids in strictly increasing order, as copyMessages/forwardMessages require. */
function orderedIds(ctx: CallContext): number[] {
  const ids = ctx.params.message_ids as number[];
  if (ids.length < 1 || ids.length > 100) throw badRequest(`message_ids must list 1-100 messages, got ${ids.length}`);
  if (ids.some((id, i) => i > 0 && id <= ids[i - 1]!)) throw badRequest('fake-telegram: message_ids must be in strictly increasing order');
  return ids;
}

const copyMessage: Handler = (ctx) => {
  const { params } = ctx;
  const target = prepareTarget(ctx);
  const source = sourceChat(ctx).messages.get(params.message_id as number);
  if (!source) throw badRequest(TG.copyNotFound);
  const content = contentOf(ctx, source);
  if (params.caption !== undefined && MEDIA_KEYS.some((key) => content[key] !== undefined)) {
    for (const key of CAPTION_KEYS) delete content[key];
    Object.assign(content, captionFields(ctx, params));
  }
  return { message_id: deliver(ctx, target, content).message_id };
};

/**
 * "Album grouping is kept" by copyMessages and forwardMessages: the messages of one album in the
 * source become one new album in the target (a new media_group_id per source album).
 */
function albumKeeper(ctx: CallContext): (source: Message) => Partial<Message> {
  const groups = new Map<string, string>();
  return (source) => {
    if (source.media_group_id === undefined) return {};
    let group = groups.get(source.media_group_id);
    if (!group) groups.set(source.media_group_id, (group = String(13_000_000_000_000_000n + BigInt(ctx.world.unique()))));
    return { media_group_id: group };
  };
}

const copyMessages: Handler = (ctx) => {
  const target = prepareTarget(ctx);
  const from = sourceChat(ctx);
  const sources = orderedIds(ctx).flatMap((id) => from.messages.get(id) ?? []);
  if (sources.length === 0) throw badRequest(TG.copyNotFound);
  const album = albumKeeper(ctx);
  return sources.map((source) => {
    const content = { ...album(source), ...contentOf(ctx, source) };
    if (ctx.params.remove_caption === true) for (const key of CAPTION_KEYS) delete content[key];
    return { message_id: deliver(ctx, target, content).message_id };
  });
};

function forwarded(ctx: CallContext, source: Message): Partial<Message> {
  return { forward_origin: source.forward_origin ?? originOf(source), ...contentOf(ctx, source) };
}

const forwardMessage: Handler = (ctx) => {
  const target = prepareTarget(ctx);
  const source = sourceChat(ctx).messages.get(ctx.params.message_id as number);
  if (!source) throw badRequest(TG.forwardNotFound);
  return deliver(ctx, target, forwarded(ctx, source));
};

const forwardMessages: Handler = (ctx) => {
  const target = prepareTarget(ctx);
  const from = sourceChat(ctx);
  const sources = orderedIds(ctx).flatMap((id) => from.messages.get(id) ?? []);
  if (sources.length === 0) throw badRequest(TG.forwardNotFound);
  const album = albumKeeper(ctx);
  return sources.map((source) => ({ message_id: deliver(ctx, target, { ...album(source), ...forwarded(ctx, source) }).message_id }));
};

export const copyHandlers: Record<string, Handler> = { copyMessage, copyMessages, forwardMessage, forwardMessages };
