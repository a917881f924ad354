import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { formatProblem, parseFrontMatter, type ContentProblem } from '../content/front-matter.js';
import { escapeHtml, renderMarkdown } from '../content/markdown.js';
import { parseSignOff } from '../content/signoff.js';
import { MESSAGE_LIMIT, visibleLength } from '../content/split.js';
import { readContentFile } from '../content/paths.js';

/**
 * What a language says about readers' stories, from content/stories/<lang>.md:
 *
 *   ---
 *   channel: news                 # the CHANNELS alias stories in this language go to by default
 *   substances: { mephedrone: Mephedrone, pvp: "Alpha-PVP (salts)" }
 *   topic: digital                # sign-off, as every other text (src/content/signoff.ts)
 *   review: { peer: { by: "D.N.", on: 2027-01-22 } }
 *   ---
 *   ## Frame
 *   📖 **Shared by a reader** · {{kind}}{{substances}}
 *
 *   {{story}}
 *   ## Rules
 *   - what gets published and what does not (shown to the author before writing)
 *
 * The frame is what the channel shows around the story: `{{story}}` is the story (as plain text, never
 * read as markdown), `{{kind}}` the kind's label, `{{substances}}` " · " and the substances, if any.
 */
export interface StoryContent {
  file: string;
  channel: string;
  substances: { id: string; label: string }[];
  /** The frame rendered to Telegram HTML, with the placeholders still in it. */
  frameHtml: string;
  /** The rules, rendered to Telegram HTML. */
  rulesHtml: string;
}

const schema = z
  .object({
    title: z.string().optional(),
    channel: z.string({ error: 'channel is required: the CHANNELS alias stories in this language are published to, e.g. news' }).trim().min(1),
    substances: z
      .record(z.string().regex(/^[a-z0-9-]{1,24}$/, 'substance ids must be lowercase latin letters, digits and dashes'), z.string().trim().min(1).max(40, 'a substance label must be at most 40 characters'), {
        error: 'substances must be a map of id: label, e.g. { mephedrone: Mephedrone }',
      })
      .default({}),
    sources: z.unknown().optional(),
    topic: z.unknown().optional(),
    review: z.unknown().optional(),
    needs: z.unknown().optional(),
    verify: z.unknown().optional(),
  })
  .strict();

/** Reads and checks one language's file; throws an Error naming the file and what is wrong. */
export function loadStoryContent(root: string, lang: string): StoryContent {
  const file = join('stories', `${lang}.md`);
  const path = join(root, file);
  if (!existsSync(path)) throw new Error(`${file} is missing: readers' stories in ${lang} need their frame and rules there`);
  // As all content: a regular file inside the folder (never a FIFO or a link out of it), of bounded size.
  const parsed = parseFrontMatter(file, readContentFile(root, path, 256 * 1024).toString('utf8'), schema);
  if (!parsed.ok) throw new Error(parsed.problems.map(formatProblem).join('; '));
  const signOff = parseSignOff(file, parsed.data as never, parsed.lineOf);
  if (signOff.problems.length > 0) throw new Error(signOff.problems.map(formatProblem).join('; '));
  const sections = new Map<string, string>();
  let current = '';
  for (const line of parsed.body.split('\n')) {
    const heading = /^##\s+(.+?)\s*$/.exec(line);
    if (heading) current = heading[1]!.toLowerCase();
    else sections.set(current, `${sections.get(current) ?? ''}${line}\n`);
  }
  const frame = sections.get('frame')?.trim();
  const rules = sections.get('rules')?.trim();
  if (!frame || !frame.includes('{{story}}')) throw new Error(`${file}: "## Frame" must be there and contain {{story}}`);
  if (!rules) throw new Error(`${file}: "## Rules" must be there: what gets published and what does not`);
  return {
    file,
    channel: parsed.data.channel.toLowerCase(),
    substances: Object.entries(parsed.data.substances).map(([id, label]) => ({ id, label })),
    frameHtml: renderMarkdown(frame),
    rulesHtml: renderMarkdown(rules),
  };
}

/** The story in its frame, as the channel will show it (Telegram HTML). */
export function framedStory(content: StoryContent, story: string, kind: string, substances: string[]): string {
  const values: Record<string, string> = {
    story: escapeHtml(story),
    kind: escapeHtml(kind),
    substances: substances.length > 0 ? escapeHtml(` · ${substances.join(', ')}`) : '',
  };
  return content.frameHtml.replace(/\{\{(story|kind|substances)\}\}/g, (_, name: string) => values[name] ?? '');
}

/** How long a story may be so that it fits one message with its frame (the longest kind and substances allowed for). */
export function storyLimit(content: StoryContent): number {
  const longest = framedStory(content, '', 'x'.repeat(40), content.substances.map((s) => s.label));
  return Math.max(200, MESSAGE_LIMIT - visibleLength(longest));
}

/**
 * For content:check: each language's stories file, and its channel among CHANNELS' aliases when they are
 * known. A folder without stories/ has the feature off (nothing to check); a language without its file
 * uses the default language's, which must be there.
 */
export function storyContentProblems(root: string, languages: string[], defaultLanguage: string, channels?: string[]): ContentProblem[] {
  const problems: ContentProblem[] = [];
  if (!existsSync(join(root, 'stories'))) return problems;
  for (const lang of languages) {
    const file = join('stories', `${lang}.md`);
    if (lang !== defaultLanguage && !existsSync(join(root, file))) continue;
    try {
      const content = loadStoryContent(root, lang);
      if (channels && !channels.includes(content.channel)) problems.push({ file, field: 'channel', message: `"${content.channel}" is not an alias in CHANNELS (${channels.join(', ') || 'none'})` });
    } catch (error) {
      problems.push({ file, message: (error as Error).message });
    }
  }
  return problems;
}
