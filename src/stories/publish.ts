import { GrammyError, type Api } from 'grammy';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { publications, stories } from '../db/schema.js';
import { claimPublication, findPublication, markSent, recordProgress, type OccurrenceKey } from '../publishing/ledger.js';
import type { Post } from '../publishing/posts.js';
import { sendPost, type ChatTarget } from '../publishing/publisher.js';
import { decideStory } from './store.js';

export type StoryPublication = { status: 'sent'; messageIds: number[] } | { status: 'in-doubt' } | { status: 'refused'; error: string };

/** The ledger key of a story: one occurrence, in one channel. */
export const storyKey = (number: string, channel: string): OccurrenceKey => ({ postSlug: `story/${number}`, occurrence: 0, channel });

/**
 * Publishes an approved story through the posts' ledger (src/publishing/ledger.ts): the row is claimed
 * before the message goes and marked sent in the same transaction that marks the story published, so a
 * story reaches the channel at most once. A send cut short by a crash stays "sending" and is flagged
 * "unknown" at the next start (the scheduler tells the editors to check the channel); it is never sent
 * again blindly. Telegram refusing it (nothing sent) frees the ledger row, so an editor may try again.
 */
export async function publishStory(
  db: Db,
  api: Api,
  story: { id: number; number: string },
  html: string,
  channel: string,
  target: ChatTarget,
  now: number,
): Promise<StoryPublication> {
  const key = storyKey(story.number, channel);
  const claimed = claimPublication(db, key, String(target), now);
  if (!claimed) {
    const existing = findPublication(db, key);
    if (existing?.status === 'sent') {
      decideStory(db, story.id, 'published', now);
      return { status: 'sent', messageIds: JSON.parse(existing.messageIds) as number[] };
    }
    return { status: 'in-doubt' };
  }
  const post: Post = {
    slug: key.postSlug,
    file: key.postSlug,
    root: '',
    channels: [channel],
    timing: { kind: 'once', at: new Date(now) },
    media: [],
    buttons: [],
    silent: false,
    pin: false,
    protectContent: false,
    linkPreview: false,
    draft: false,
    parts: [html],
  };
  let ids: number[] = [];
  try {
    ids = await sendPost(api, post, target, { botUsername: '', onProgress: (sent) => recordProgress(db, claimed.id, sent, now) });
  } catch (error) {
    if (error instanceof GrammyError) {
      // Telegram answered no: nothing reached the channel, the claim is released.
      db.delete(publications).where(and(eq(publications.id, claimed.id), eq(publications.status, 'sending'))).run();
      return { status: 'refused', error: `${error.error_code}: ${error.description}` };
    }
    // No answer (network): it may have arrived. Flagged, never sent again by itself.
    db.update(publications).set({ status: 'unknown', error: String((error as Error).message ?? error), updatedAt: now }).where(eq(publications.id, claimed.id)).run();
    return { status: 'in-doubt' };
  }
  db.$client.transaction(() => {
    markSent(db, claimed.id, ids, now);
    decideStory(db, story.id, 'published', now);
  })();
  return { status: 'sent', messageIds: ids };
}

/**
 * A send in doubt (the bot stopped, or Telegram did not answer, while it was on its way), resolved by an
 * editor who looked at the channel: `reached` marks it sent and the story published; otherwise the
 * ledger row is removed and the story is approved again, to be sent by the next ✅ Approve.
 * Returns false unless the story was in doubt.
 */
export function resolveInDoubt(db: Db, story: { id: number; number: string }, reached: boolean, now: number): boolean {
  const rows = db.select().from(publications).where(eq(publications.postSlug, `story/${story.number}`)).all();
  const doubtful = rows.find((r) => r.status === 'unknown' || r.status === 'sending');
  if (!doubtful || rows.some((r) => r.status === 'sent')) return false;
  return db.$client.transaction(() => {
    if (reached) {
      markSent(db, doubtful.id, JSON.parse(doubtful.messageIds) as number[], now);
      return decideStory(db, story.id, 'published', now) !== undefined;
    }
    db.delete(publications).where(eq(publications.id, doubtful.id)).run();
    return db.update(stories).set({ status: 'approved' }).where(and(eq(stories.id, story.id), eq(stories.status, 'publishing'))).run().changes === 1;
  })();
}
