import { formatProblem, type ContentProblem } from '../content/front-matter.js';
import { loadPosts, type Post, type PostOptions } from './posts.js';

/** The current set of valid posts; swapped whole on reload. */
export class PostStore {
  private current: { posts: Post[]; problems: ContentProblem[] };

  constructor(
    private readonly root: string,
    private readonly options: PostOptions,
  ) {
    this.current = loadPosts(root, options);
  }

  get posts(): Post[] {
    return this.current.posts;
  }

  get problems(): string[] {
    return this.current.problems.map(formatProblem);
  }

  /** Reloads; returns the problems that are new since the previous load (to report them once). */
  reload(): { added: string[]; all: string[] } {
    const before = new Set(this.problems);
    this.current = loadPosts(this.root, this.options);
    const all = this.problems;
    return { added: all.filter((p) => !before.has(p)), all };
  }

  /** A post by its slug, or by a unique end of it ("world-aids-day-ru" for "2026-12/world-aids-day-ru"). */
  find(query: string): Post | Post[] | undefined {
    const q = query.trim().replace(/\.md$/, '').replace(/^posts\//, '');
    const exact = this.posts.find((p) => p.slug === q);
    if (exact) return exact;
    const matches = this.posts.filter((p) => p.slug.endsWith(`/${q}`) || p.slug.includes(q));
    return matches.length === 1 ? matches[0] : matches.length > 1 ? matches : undefined;
  }
}
