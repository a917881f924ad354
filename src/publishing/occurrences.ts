import { nextOccurrence } from './cron.js';
import type { Post } from './posts.js';

/** Occurrences of a post in (from, to], at most `limit`. Drafts have none. */
export function occurrencesBetween(post: Post, from: Date, to: Date, timeZone: string, limit = 1000): Date[] {
  if (post.draft) return [];
  if (post.timing.kind === 'once') {
    const at = post.timing.at;
    return at > from && at <= to ? [at] : [];
  }
  const result: Date[] = [];
  const until = post.timing.until;
  let cursor = from;
  while (result.length < limit) {
    const next = nextOccurrence(post.timing.cron, cursor, timeZone);
    if (!next || next > to || (until && next > until)) break;
    result.push(next);
    cursor = next;
  }
  return result;
}

/** The next occurrence strictly after `after`, or null. */
export function nextOccurrenceOf(post: Post, after: Date, timeZone: string): Date | null {
  if (post.draft) return null;
  if (post.timing.kind === 'once') return post.timing.at > after ? post.timing.at : null;
  const next = nextOccurrence(post.timing.cron, after, timeZone);
  return next && (!post.timing.until || next <= post.timing.until) ? next : null;
}

export interface Upcoming {
  post: Post;
  at: Date;
}

/** The next `count` publications after `now`, in time order (recurring posts may appear several times). */
export function upcoming(posts: Post[], now: Date, timeZone: string, count = 10): Upcoming[] {
  const result: Upcoming[] = [];
  for (const post of posts) {
    let after = now;
    for (let i = 0; i < count; i++) {
      const at = nextOccurrenceOf(post, after, timeZone);
      if (!at) break;
      result.push({ post, at });
      after = at;
    }
  }
  return result.sort((a, b) => a.at.getTime() - b.at.getTime() || a.post.slug.localeCompare(b.post.slug)).slice(0, count);
}
