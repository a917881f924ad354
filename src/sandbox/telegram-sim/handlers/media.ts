import { randomBytes } from 'node:crypto';
import { badRequest, TG } from '../errors.js';
import { CAPTION, formatText } from '../formatted-text.js';
import type { StoredFile } from '../state.js';
import type { Message, MessageEntity } from '../types.js';
import type { CallContext, Handler } from './context.js';
import { deliver, prepareTarget } from './target.js';

/** sendPhoto, sendDocument, sendVideo, sendAnimation, sendAudio, sendVoice, sendVideoNote, sendSticker, sendMediaGroup, getFile. */

const PREFIX: Record<string, string> = {
  photo: 'AgACAgIAAxkBAAI', document: 'BQACAgIAAxkBAAI', video: 'BAACAgIAAxkBAAI', animation: 'CgACAgIAAxkBAAI',
  audio: 'CQACAgIAAxkBAAI', voice: 'AwACAgIAAxkBAAI', video_note: 'DQACAgIAAxkBAAI', sticker: 'CAACAgIAAxkBAAI',
};

const token = (bytes: number) => randomBytes(bytes).toString('base64url');

/** The file behind an InputFile|String value: an upload (attach://name), a URL, or a file_id. */
export function resolveFile(ctx: CallContext, value: string, kind: string): StoredFile {
  const { world, files } = ctx;
  const fresh = (size: number, filename?: string, data?: Buffer): StoredFile => {
    const file: StoredFile = { file_id: `${PREFIX[kind] ?? 'BQACAgIAAxkBAAI'}${token(40)}`, file_unique_id: `AgAD${token(8)}`, file_size: size };
    if (filename !== undefined) file.filename = filename;
    if (data !== undefined) file.data = data;
    world.files.set(file.file_id, file);
    return file;
  };
  if (value.startsWith('attach://')) {
    const upload = files.get(value.slice('attach://'.length));
    if (!upload) throw badRequest(`fake-telegram: "${value}" refers to no file uploaded with the request`);
    return fresh(upload.size, upload.filename, upload.data);
  }
  if (/^https?:\/\//i.test(value)) return fresh(0, decodeURIComponent(new URL(value).pathname.split('/').pop() ?? ''));
  const known = world.files.get(value);
  if (known) return known;
  if (value.trim() === '' || ctx.behaviour.strictFileIds) throw badRequest(TG.wrongFileId);
  const seen: StoredFile = { file_id: value, file_unique_id: `AgAD${Buffer.from(value).toString('base64url').slice(0, 12)}`, file_size: 0 };
  world.files.set(value, seen);
  return seen;
}

type Params = CallContext['params'];
const num = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);

/** The Message fields for a file of each kind, like Telegram fills them. */
export function mediaContent(kind: string, file: StoredFile, params: Params): Partial<Message> {
  const base = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size };
  const named = { ...base, ...(file.filename ? { file_name: file.filename } : {}) };
  switch (kind) {
    case 'photo':
      return { photo: [
        { file_id: `${file.file_id}_s`, file_unique_id: `${file.file_unique_id}_s`, width: 90, height: 68, file_size: Math.min(file.file_size, 1500) },
        { ...base, width: 1280, height: 960 },
      ] };
    case 'video':
      return { video: { ...named, width: num(params.width, 1280), height: num(params.height, 720), duration: num(params.duration, 0), mime_type: 'video/mp4' } };
    case 'animation': {
      const animation = { ...named, width: num(params.width, 320), height: num(params.height, 240), duration: num(params.duration, 0), mime_type: 'video/mp4' };
      return { animation, document: { ...named, mime_type: 'video/mp4' } };
    }
    case 'audio':
      return { audio: { ...named, duration: num(params.duration, 0), mime_type: 'audio/mpeg',
        ...(params.performer !== undefined ? { performer: params.performer } : {}), ...(params.title !== undefined ? { title: params.title } : {}) } };
    case 'voice':
      return { voice: { ...base, duration: num(params.duration, 0), mime_type: 'audio/ogg' } };
    case 'video_note':
      return { video_note: { ...base, length: num(params.length, 240), duration: num(params.duration, 0) } };
    case 'sticker':
      return { sticker: { ...base, type: 'regular', width: 512, height: 512, is_animated: false, is_video: false,
        ...(params.emoji !== undefined ? { emoji: params.emoji } : {}) } };
    default:
      return { document: { ...named, mime_type: 'application/octet-stream' } };
  }
}

/** caption/parse_mode/caption_entities and the media flags, as Message fields. */
export function captionFields(ctx: CallContext, source: Params): Partial<Message> {
  const caption = formatText(String(source.caption ?? ''), source.parse_mode, source.caption_entities as MessageEntity[] | undefined,
    CAPTION, { strictEntities: ctx.behaviour.strictEntities });
  return {
    ...(caption.text ? { caption: caption.text } : {}),
    ...(caption.entities ? { caption_entities: caption.entities } : {}),
    ...(source.show_caption_above_media === true ? { show_caption_above_media: true } : {}),
    ...(source.has_spoiler === true ? { has_media_spoiler: true } : {}),
  };
}

function sendFile(kind: string, withCaption: boolean): Handler {
  return (ctx) => {
    const target = prepareTarget(ctx);
    const caption = withCaption ? captionFields(ctx, ctx.params) : {};
    const file = resolveFile(ctx, String(ctx.params[kind]), kind);
    return deliver(ctx, target, { ...mediaContent(kind, file, ctx.params), ...caption });
  };
}

interface InputMedia {
  type: string;
  media: string;
  [field: string]: unknown;
}

const sendMediaGroup: Handler = (ctx) => {
  const media = ctx.params.media as InputMedia[];
  if (media.length < 2 || media.length > 10) throw badRequest(`media group must include 2-10 items, got ${media.length}`);
  const types = new Set(media.map((m) => m.type));
  for (const only of ['audio', 'document']) {
    if (types.has(only) && types.size > 1) throw badRequest(`fake-telegram: ${only}s can only be grouped with ${only}s, got ${[...types].join(', ')}`);
  }
  const target = prepareTarget(ctx);
  const contents = media.map((item) => ({ ...mediaContent(item.type, resolveFile(ctx, item.media, item.type), item), ...captionFields(ctx, item) }));
  const groupId = String(13_000_000_000_000_000n + BigInt(ctx.world.unique()));
  return contents.map((content) => deliver(ctx, target, { media_group_id: groupId, ...content }));
};

const getFile: Handler = (ctx) => {
  const fileId = String(ctx.params.file_id);
  const file = ctx.world.files.get(fileId);
  if (!file && (ctx.behaviour.strictFileIds || fileId.trim() === '')) throw badRequest('wrong file_id or the file is temporarily unavailable');
  const found = file ?? resolveFile(ctx, fileId, 'document');
  return { file_id: found.file_id, file_unique_id: found.file_unique_id, file_size: found.file_size, file_path: `files/${found.file_unique_id}` };
};

export const mediaHandlers: Record<string, Handler> = {
  sendPhoto: sendFile('photo', true),
  sendDocument: sendFile('document', true),
  sendVideo: sendFile('video', true),
  sendAnimation: sendFile('animation', true),
  sendAudio: sendFile('audio', true),
  sendVoice: sendFile('voice', true),
  sendVideoNote: sendFile('video_note', false),
  sendSticker: sendFile('sticker', false),
  sendMediaGroup,
  getFile,
};
