import { formatProblem } from '../content/front-matter.js';
import { upcoming } from '../publishing/occurrences.js';
import { loadPosts } from '../publishing/posts.js';
import { formatLocal } from '../time/zoned.js';
import { contentToolConfig } from './env.js';

/** npm run content:upcoming [-- COUNT] — the next publications with their local times. */
const { contentDir, timezone, channels } = contentToolConfig();
const count = Number(process.argv[2] ?? 20) || 20;
const { posts, problems } = loadPosts(contentDir, { timezone, channels });
const next = upcoming(posts, new Date(), timezone, count);
process.stdout.write(`Next publications (${timezone}):\n`);
if (next.length === 0) process.stdout.write('  nothing scheduled\n');
for (const { post, at } of next) process.stdout.write(`  ${formatLocal(at, timezone)}  ${post.channels.join(',').padEnd(16)} ${post.slug}\n`);
const drafts = posts.filter((p) => p.draft);
if (drafts.length > 0) process.stdout.write(`${drafts.length} draft(s) not scheduled (remove "draft: true" to schedule)\n`);
for (const problem of problems) process.stdout.write(`skipped: ${formatProblem(problem)}\n`);
