import { alertReviewLines, loadAlertTemplates } from '../content/alert-templates.js';
import { join } from 'node:path';
import { formatProblem, type ContentProblem } from '../content/front-matter.js';
import { loadContent } from '../content/loader.js';
import { reviewContent } from '../content/review.js';
import { goLiveBlockers, goLiveReport } from '../content/go-live.js';
import { loadPosts } from '../publishing/posts.js';
import { unsignedRiskLists } from '../content/risk.js';
import { contentToolConfig } from './env.js';
import { loadRoster, rosterInboxProblems, ROSTER_FILE } from '../inbox/roster.js';
import { DEFAULT_INBOX_NAME, parseInboxes } from '../inbox/inbox-config.js';
import { storyContentProblems } from '../stories/content.js';

/**
 * npm run content:check [-- --strict] — validates the whole content folder.
 *
 * Errors (`file:line: field: message`, exit 1): files that are skipped, bad sign-off fields, Fluent lines
 * that would be dropped, a broken mixing table. Then, grouped: who signed what per language, the
 * organisation's [[ORG: …]] placeholders, emergency numbers written out instead of {{name}}, the
 * organisation's verify: notes, and other warnings for a reviewer.
 * --strict is the go-live gate: it also fails while any card or emergency screen lacks the current
 * sign-off its topic needs, any placeholder is unfilled, or an emergency number is written out.
 * The risk word lists (content/risk/) are checked like the rest (file, field, what was expected); an
 * unsigned list is a warning, not a go-live blocker: clients never read them.
 * Survey files (content/surveys/*.yml) are validated too; a draft survey (no `ready:`) is counted, not an error.
 */
const strict = process.argv.slice(2).includes('--strict');
const { contentDir, timezone, channels, defaultLanguage } = contentToolConfig();
const content = loadContent(contentDir);
const posts = loadPosts(contentDir, { timezone, channels });
const goLive = goLiveReport(contentDir, content);
const located = <T extends { file: string }>(p: T): T => ({ ...p, file: join(contentDir, p.file) });
// Drug alert templates (content/alerts/<lang>.md): a broken one is an error; an unsigned one a warning (staff may use it, the alert claims no check).
const alertTemplates = loadAlertTemplates(contentDir, Object.keys(content.languages), content.settings.emergency_numbers);
const alertsUnsigned: ContentProblem[] = [...alertTemplates.templates.values()]
  .filter((t) => alertReviewLines(t, new Date()).length === 0)
  .map((t) => ({ file: t.file, message: 'no current clinician sign-off: staff may send alerts with it, and they will not say they were checked' }));
const stories = storyContentProblems(contentDir, Object.keys(content.languages), defaultLanguage, channels);
// The duty roster (content/roster.yml), if any: each bad entry named by file and field; inboxes as INBOXES names them.
const roster = loadRoster(contentDir);
const inboxNames = process.env.INBOXES ? parseInboxes(process.env.INBOXES).inboxes.map((i) => i.name) : [DEFAULT_INBOX_NAME];
const rosterProblems = [...roster.problems, ...(roster.roster && inboxNames.length > 0 ? rosterInboxProblems(roster.roster, inboxNames) : [])];
const problems = [...content.problems, ...posts.problems, ...goLive.errors, ...stories, ...rosterProblems, ...alertTemplates.problems].map((p) => formatProblem(located(p)));
const warnings = reviewContent(contentDir, content, defaultLanguage)
  .filter((p) => !/lack the current sign-off/.test(p.message)) // listed in full below
  .map((p) => `warning: ${formatProblem(located(p))}`);

const out: string[] = [];
const blocker = strict ? 'error' : 'warning';
const group = (title: string, items: ContentProblem[], prefix: string) => {
  if (items.length === 0) return;
  out.push(`== ${title}: ${items.length}`);
  for (const item of items) out.push(`${prefix}: ${formatProblem(located(item))}`);
};

if (problems.length > 0) out.push(`== Errors: ${problems.length}`, ...problems);
out.push('== Sign-off (info cards and the emergency screen; who must sign comes from the topic)');
for (const summary of goLive.signOff) {
  out.push(`   ${summary.lang}: ${summary.signed} of ${summary.total} text(s) have the sign-off they need, ${summary.unsigned.length} unsigned, ${summary.expired.length} expired`);
}
if (goLive.mix) out.push(`   mix/pairs.yml: ${goLive.mix.signed} of ${goLive.mix.total} pairs signed`);
for (const summary of goLive.signOff) {
  for (const item of [...summary.expired, ...summary.unsigned]) out.push(`${blocker}: ${formatProblem(located(item))}`);
}
for (const item of goLive.mixUnsigned) out.push(`${blocker}: ${formatProblem(located(item))}`);
const riskUnsigned = unsignedRiskLists(content.risk);
group('Risk word lists (content/risk/) a clinician has not signed off', riskUnsigned, 'warning');
group('Drug alert templates (content/alerts/) a clinician has not signed off', alertsUnsigned, 'warning');
group('Old review dates (not a sign-off)', goLive.legacyReviewed, 'warning');
group('Organisation placeholders [[ORG: …]] (clients see "ask a consultant" instead)', goLive.placeholders, blocker);
group('Emergency numbers written out (use the settings.yml names)', goLive.literalNumbers, blocker);
group('Notes for the organisation (verify:, never shown to clients)', goLive.verify, 'note');
if (warnings.length > 0) out.push(`== Other warnings: ${warnings.length}`, ...warnings);
if (roster.roster) {
  const people = new Set(roster.roster.shifts.map((s) => s.alias.toLowerCase())).size;
  out.push(`note: ${ROSTER_FILE}: ${roster.roster.shifts.length} shift(s) of ${people} consultant(s)${roster.roster.draft ? ', a draft: not applied (unless APPLY_DRAFT_ROSTER=true)' : ''}; aliases are matched to /alias names when the bot runs`);
}
if (!channels) out.push('note: CHANNELS is not set, so channel aliases in posts were not checked');

const blockers = goLiveBlockers(goLive);
const unsigned = goLive.signOff.reduce((n, s) => n + s.unsigned.length + s.expired.length, 0) + goLive.mixUnsigned.length;
const gate = `${unsigned} text(s) without a current sign-off, ${goLive.placeholders.length} placeholder(s), ${goLive.literalNumbers.length} emergency number(s) written out`;
out.push(blockers === 0 ? 'go-live: ready (nothing --strict fails on)' : strict ? `go-live: NOT READY: ${gate}` : `go-live: --strict would fail: ${gate}`);

const cards = Object.values(content.languages).reduce((n, l) => n + l.cards.size, 0);
const drafts = posts.posts.filter((p) => p.draft).length;
const surveyDrafts = content.surveys.filter((s) => !s.ready).length;
if (content.surveys.length > 0) out.push(`surveys: ${content.surveys.length} valid (${surveyDrafts} draft(s): not offered to clients until they have ready:)`);
const languages = Object.keys(content.languages).join(', ') || 'none';
const shownWarnings = warnings.length + goLive.legacyReviewed.length + riskUnsigned.length + alertsUnsigned.length + (strict ? 0 : blockers);
out.push(
  `${problems.length === 0 ? 'OK' : `${problems.length} problem(s)`}: ${cards} info card(s), ${posts.posts.length} valid post(s) (${drafts} draft(s)), ${content.sources.length} source(s) (${content.sources.filter((s) => s.draft).length} draft(s)) in ${contentDir}; languages: ${languages}; ${shownWarnings} warning(s)`,
);
process.stdout.write(`${out.join('\n')}\n`);
process.exit(problems.length === 0 && (!strict || blockers === 0) ? 0 : 1);
