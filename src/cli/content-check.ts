import { join } from 'node:path';
import { formatProblem } from '../content/front-matter.js';
import { loadContent } from '../content/loader.js';
import { reviewContent } from '../content/review.js';
import { loadPosts } from '../publishing/posts.js';
import { contentToolConfig } from './env.js';

/**
 * npm run content:check — validates the whole content folder: `file:line: message` per problem
 * (exit 1 if any), then `warning: …` lines for a reviewer (cards without sources or a recent review,
 * what a language lacks), which do not fail the check.
 */
const { contentDir, timezone, channels, defaultLanguage } = contentToolConfig();
const content = loadContent(contentDir);
const posts = loadPosts(contentDir, { timezone, channels });
const located = <T extends { file: string }>(p: T): T => ({ ...p, file: join(contentDir, p.file) });
const problems = [...content.problems, ...posts.problems].map((p) => formatProblem(located(p)));
const warnings = reviewContent(contentDir, content, defaultLanguage).map((p) => `warning: ${formatProblem(located(p))}`);

for (const line of problems) process.stdout.write(`${line}\n`);
for (const line of warnings) process.stdout.write(`${line}\n`);
if (!channels) process.stdout.write('note: CHANNELS is not set, so channel aliases in posts were not checked\n');
const cards = Object.values(content.languages).reduce((n, l) => n + l.cards.size, 0);
const drafts = posts.posts.filter((p) => p.draft).length;
const languages = Object.keys(content.languages).join(', ') || 'none';
process.stdout.write(
  `${problems.length === 0 ? 'OK' : `${problems.length} problem(s)`}: ${cards} info card(s), ${posts.posts.length} valid post(s) (${drafts} draft(s)) in ${contentDir}; languages: ${languages}; ${warnings.length} warning(s)\n`,
);
process.exit(problems.length === 0 ? 0 : 1);
