import { dirname, extname, join, relative, sep } from 'node:path';
import { z } from 'zod';
import { parseFrontMatter, type ContentProblem } from '../content/front-matter.js';
import { readContentFile, resolveContentPath } from '../content/paths.js';
import { renderMarkdownBlocks } from '../content/markdown.js';
import { hidePlaceholders } from '../content/placeholders.js';
import { placeholderNotice } from '../content/loader.js';
import { loadSettings } from '../content/settings.js';
import { markdownFilesBelow } from '../content/go-live.js';
import { CAPTION_LIMIT, splitMessage, visibleLength } from '../content/split.js';
import { validateCron } from './cron.js';
import { parseDateTime } from '../time/zoned.js';

export type MediaType = 'photo' | 'video' | 'animation' | 'document';
export type PostButton = { text: string; url: string } | { text: string; consult: true };

/** An invitation: an event with a date, a place or a link, and an RSVP button that leads to the bot. */
export interface PostEvent {
  /** Used in the button's link (t.me/<bot>?start=rsvp-<id>): the same id in the posts of each language. */
  id: string;
  title: string;
  at: Date;
  place?: string;
  link?: string;
  /** The RSVP button's text. */
  button: string;
  /** How long before the event each reminder goes (ms), longest first. */
  remindBefore: number[];
}

/** Event ids: lowercase, short, safe in a start link after "rsvp-" and in callback data. */
export const EVENT_ID = /^[a-z0-9][a-z0-9-]{1,39}$/;
const DURATION = /^(\d{1,3})([dhm])$/;
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

/** `1d`, `3h`, `30m` in ms, or undefined. */
export function parseBefore(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : undefined;
}

export interface Post {
  /** Path inside content/posts without ".md", e.g. "2026-12/world-aids-day-ru". */
  slug: string;
  /** Path inside the content folder, for messages to editors. */
  file: string;
  /** The content folder: media are read from inside it only, checked again when they are sent. */
  root: string;
  channels: string[];
  timing: { kind: 'once'; at: Date } | { kind: 'recurring'; cron: string; until?: Date };
  media: { path: string; name: string; type: MediaType }[];
  buttons: PostButton[];
  poll?: { question: string; options: string[]; multiple: boolean };
  silent: boolean;
  pin: boolean;
  protectContent: boolean;
  linkPreview: boolean;
  draft: boolean;
  /** An invitation: the RSVP button goes under the post's last message. */
  event?: PostEvent;
  /** Telegram-HTML texts: the messages of a text post, the caption of a media post, the text before a poll. */
  parts: string[];
}

export interface PostOptions {
  timezone: string;
  /** `{{name}}` → that number (settings.yml emergency_numbers); read from the folder when not given. */
  numbers?: Record<string, string>;
  /** Known channel aliases; undefined skips the check (content:check without CHANNELS). */
  channels?: string[];
  /** The line shown instead of a sentence with an [[ORG: …]] placeholder, per language (read from locales/ when not given). */
  notice?: (lang: string) => string;
}

const text = (field: string, max: number) =>
  z.string({ error: `${field} must be a text` }).trim().min(1, `${field} must not be empty`).max(max, `${field} must be at most ${max} characters`);

const alias = z.string({ error: 'channel must be an alias from CHANNELS, e.g. news' }).trim().min(1);

const MEDIA_TYPES = ['photo', 'video', 'animation', 'document'] as const;

const frontMatter = z
  .object({
    channel: z.union([alias, z.array(alias).min(1, 'channel list must not be empty')], {
      error: 'channel is required: an alias from CHANNELS (or a list of them)',
    }),
    publish_at: z.string({ error: 'publish_at must be a date and time like 2026-12-01 10:00' }).optional(),
    schedule: z.string({ error: 'schedule must be a cron expression in quotes, like "0 12 * * 1"' }).optional(),
    until: z.string({ error: 'until must be a date like 2027-02-28' }).optional(),
    media: z
      .array(
        z.union([
          z.string().min(1),
          z.object({ file: z.string().min(1), type: z.enum(MEDIA_TYPES, { error: `type must be one of ${MEDIA_TYPES.join(', ')}` }).optional() }).strict(),
        ], { error: 'each media entry must be a file name next to the post, or {file, type}' }),
        { error: 'media must be a list of file names, e.g. [photo.jpg]' },
      )
      .max(10, 'media can have at most 10 files (an album)')
      .default([]),
    buttons: z
      .array(
        z.union([
          z.object({ text: text('button text', 64), url: z.string().regex(/^(https?|tg):\/\/\S+$/, 'button url must start with https://') }).strict(),
          z.object({ text: text('button text', 64), consult: z.literal(true) }).strict(),
        ], { error: 'each button needs text and either url: https://… or consult: true' }),
        { error: 'buttons must be a list' },
      )
      .max(20, 'at most 20 buttons')
      .default([]),
    poll: z
      .object({
        question: text('poll question', 300),
        options: z.array(text('poll option', 100), { error: 'poll options must be a list' }).min(2, 'a poll needs at least 2 options').max(10, 'a poll can have at most 10 options'),
        multiple: z.boolean({ error: 'poll multiple must be true or false' }).default(false),
      }, { error: 'poll must have question and options' })
      .strict()
      .optional(),
    silent: z.boolean({ error: 'silent must be true or false' }).default(false),
    pin: z.boolean({ error: 'pin must be true or false' }).default(false),
    protect_content: z.boolean({ error: 'protect_content must be true or false' }).default(false),
    link_preview: z.boolean({ error: 'link_preview must be true or false' }).default(false),
    draft: z.boolean({ error: 'draft must be true or false' }).default(false),
    event: z
      .object(
        {
          id: z.string({ error: 'event id must be a text like iod-2027' }).regex(EVENT_ID, 'event id must be 2 to 40 lowercase latin letters, digits and dashes, e.g. iod-2027'),
          title: text('event title', 120),
          at: z.string({ error: 'event at must be a date and time like 2027-08-31 18:00' }),
          place: text('event place', 200).optional(),
          link: z.string({ error: 'event link must be a text' }).regex(/^https:\/\/\S+$/, 'event link must start with https://').optional(),
          rsvp: text('event rsvp (the button text)', 64),
          remind_before: z
            .array(z.string({ error: 'each remind_before entry must be like 1d, 3h or 30m' }).refine((v) => parseBefore(v) !== undefined, 'each remind_before entry must be like 1d, 3h or 30m'), {
              error: 'remind_before must be a list like [1d, 1h]',
            })
            .min(1, 'remind_before needs at least one entry, e.g. [1d, 1h]')
            .max(3, 'remind_before can have at most 3 entries')
            .default(['1d', '1h']),
        },
        { error: 'event must have id, title, at, place or link, and rsvp' },
      )
      .strict()
      .optional(),
    /** The guidance the post follows, for editors and reviewers; never published. */
    sources: z.array(text('source', 500), { error: 'sources must be a list of texts' }).optional(),
  })
  .strict();

/** A post is a text file; anything bigger is not one. */
const MAX_TEXT_BYTES = 1024 * 1024;

const PHOTO = new Set(['.jpg', '.jpeg', '.png', '.webp']);
const VIDEO = new Set(['.mp4', '.mov', '.m4v', '.webm']);

function mediaTypeOf(name: string): MediaType {
  const ext = extname(name).toLowerCase();
  if (PHOTO.has(ext)) return 'photo';
  if (VIDEO.has(ext)) return 'video';
  if (ext === '.gif') return 'animation';
  return 'document';
}

/** Parses and validates one post file; every problem names the file, field and what was expected. */
export function parsePost(root: string, path: string, options: PostOptions): { post?: Post; problems: ContentProblem[] } {
  const file = relative(root, path);
  const slug = relative(join(root, 'posts'), path).split(sep).join('/').replace(/\.md$/, '');
  const source = readContentFile(root, path, MAX_TEXT_BYTES).toString('utf8');
  const parsed = parseFrontMatter(file, source, frontMatter);
  if (!parsed.ok) return { problems: parsed.problems };
  const fm = parsed.data;
  const problems: ContentProblem[] = [];
  const problem = (field: string | undefined, message: string, at: (string | number)[] = field ? [field] : []) =>
    problems.push({ file, field, line: parsed.lineOf(at), message });

  const channels = Array.isArray(fm.channel) ? fm.channel : [fm.channel];
  // A draft may name channels that are not set up yet; it is checked once it is no longer a draft.
  if (options.channels && !fm.draft) {
    for (const name of channels) {
      if (!options.channels.includes(name.toLowerCase())) {
        const known = options.channels.length > 0 ? options.channels.join(', ') : 'none configured';
        problem('channel', `"${name}" is not a channel alias in CHANNELS (known: ${known})`);
      }
    }
  }

  let timing: Post['timing'] | undefined;
  if (fm.publish_at !== undefined && fm.schedule !== undefined) {
    problem('schedule', 'use either publish_at (one time) or schedule (recurring), not both');
  } else if (fm.publish_at !== undefined) {
    const at = parseDateTime(fm.publish_at, options.timezone);
    if (!at) problem('publish_at', `"${fm.publish_at}" is not a date and time like 2026-12-01 10:00 (${options.timezone}) or 2026-12-01T10:00+05:00`);
    else timing = { kind: 'once', at };
    if (fm.until !== undefined) problem('until', 'until only goes with schedule');
  } else if (fm.schedule !== undefined) {
    const error = validateCron(fm.schedule);
    if (error) problem('schedule', error);
    let until: Date | undefined;
    if (fm.until !== undefined) {
      // A date alone means "through that day".
      const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(fm.until.trim());
      const parsedUntil = parseDateTime(dateOnly ? `${fm.until.trim()} 23:59:59` : fm.until, options.timezone);
      if (!parsedUntil) problem('until', `"${fm.until}" is not a date like 2027-02-28`);
      else until = parsedUntil;
    }
    if (!error) timing = { kind: 'recurring', cron: fm.schedule.trim(), until };
  } else {
    problem(undefined, 'needs publish_at (a date and time) or schedule (a cron expression)');
  }

  const media: Post['media'] = [];
  for (const [index, entry] of fm.media.entries()) {
    const name = typeof entry === 'string' ? entry : entry.file;
    const resolved = resolveContentPath(root, dirname(path), name);
    if (!resolved.ok) problem('media', resolved.reason, ['media', index]);
    else media.push({ path: resolved.path, name, type: (typeof entry === 'string' ? undefined : entry.type) ?? mediaTypeOf(name) });
  }
  if (media.length > 1) {
    if (fm.buttons.length > 0) problem('buttons', 'Telegram cannot attach buttons to an album (2 or more media); use one media file or none');
    if (media.some((m) => m.type === 'animation')) problem('media', 'a GIF cannot be part of an album; post it alone');
    const documents = media.filter((m) => m.type === 'document').length;
    if (documents > 0 && documents < media.length) problem('media', 'an album mixes documents with photos or videos; Telegram allows documents only with documents');
  }
  if (fm.poll && fm.media.length > 0) problem('poll', 'a post can have a poll or media, not both');

  let event: PostEvent | undefined;
  if (fm.event) {
    const at = parseDateTime(fm.event.at, options.timezone);
    if (!at) problem('event', `event at "${fm.event.at}" is not a date and time like 2027-08-31 18:00 (${options.timezone})`, ['event', 'at']);
    if (!fm.event.place && !fm.event.link) problem('event', 'event needs a place or a link (or both)', ['event']);
    if (media.length > 1) problem('event', 'Telegram cannot attach the RSVP button to an album (2 or more media); use one media file or none', ['event']);
    if (fm.poll) problem('event', 'the RSVP button cannot go under a poll; make the invitation a post of its own', ['event']);
    if (at && timing?.kind === 'once' && at.getTime() <= timing.at.getTime()) problem('event', 'the event must be after the post is published (publish_at)', ['event', 'at']);
    if (at && timing?.kind === 'recurring') problem('event', 'an invitation is published once: use publish_at, not schedule', ['event']);
    if (at) {
      event = {
        id: fm.event.id,
        title: fm.event.title,
        at,
        ...(fm.event.place ? { place: fm.event.place } : {}),
        ...(fm.event.link ? { link: fm.event.link } : {}),
        button: fm.event.rsvp,
        remindBefore: [...new Set(fm.event.remind_before.map((b) => parseBefore(b)!))].sort((a, b) => b - a),
      };
    }
  }

  // Emergency numbers come from settings.yml, so a changed number reaches every post with it; an
  // [[ORG: …]] placeholder never reaches a channel: its sentence becomes the notice in the post's
  // language (its file name ends in -ru, -kk…; else English).
  const numbers = options.numbers ?? loadSettings(root).settings.emergency_numbers;
  const lang = /-([a-z]{2})$/.exec(slug)?.[1] ?? 'en';
  const shown = hidePlaceholders(parsed.body, (options.notice ?? placeholderNotice(root, numbers))(lang));
  const body = shown.replace(/\{\{([a-z][a-z0-9_]*)\}\}/g, (whole, name: string) => {
    const number = numbers[name];
    if (number === undefined) {
      problem(undefined, `{{${name}}} is not a number in settings.yml emergency_numbers (known: ${Object.keys(numbers).join(', ')})`);
      return whole;
    }
    return number;
  });
  const blocks = renderMarkdownBlocks(body);
  let parts: string[] = [];
  if (fm.media.length > 0) {
    const caption = blocks.join('\n\n');
    const length = visibleLength(caption);
    if (length > CAPTION_LIMIT) {
      problem(undefined, `text is ${length} characters, but a caption (text with media) can have at most ${CAPTION_LIMIT}; shorten it or remove the media`);
    }
    parts = caption ? [caption] : [];
  } else {
    parts = splitMessage(blocks);
    if (parts.length === 0 && !fm.poll) problem(undefined, 'has no text, media or poll to publish');
  }

  if (problems.length > 0 || !timing) return { problems };
  return {
    problems,
    post: {
      slug,
      file,
      root,
      channels: channels.map((c) => c.toLowerCase()),
      timing,
      media,
      buttons: fm.buttons,
      poll: fm.poll,
      silent: fm.silent,
      pin: fm.pin,
      protectContent: fm.protect_content,
      linkPreview: fm.link_preview,
      draft: fm.draft,
      ...(event ? { event } : {}),
      parts,
    },
  };
}


/** Loads content/posts/**\/*.md. An invalid file is skipped and reported; the rest load. */
export function loadPosts(root: string, given: PostOptions): { posts: Post[]; problems: ContentProblem[] } {
  const numbers = given.numbers ?? loadSettings(root).settings.emergency_numbers;
  const options = { ...given, numbers, notice: given.notice ?? placeholderNotice(root, numbers) };
  const posts: Post[] = [];
  const problems: ContentProblem[] = [];
  for (const path of markdownFilesBelow(join(root, 'posts'))) {
    try {
      const result = parsePost(root, path, options);
      problems.push(...result.problems);
      if (result.post) posts.push(result.post);
    } catch (error) {
      problems.push({ file: relative(root, path), message: `cannot be read: ${(error as Error).message}` });
    }
  }
  // One event id, one event: the posts of each language that invite to it must agree on when it is.
  const firstOf = new Map<string, Post>();
  for (const post of posts) {
    if (!post.event) continue;
    const first = firstOf.get(post.event.id);
    if (!first) firstOf.set(post.event.id, post);
    else if (first.event!.at.getTime() !== post.event.at.getTime()) {
      problems.push({ file: post.file, field: 'event', message: `event "${post.event.id}" is at another time in ${first.file}; one id is one event` });
    }
  }
  return { posts, problems };
}
