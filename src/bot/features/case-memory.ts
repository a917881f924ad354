import { escapeHtml } from '../../content/markdown.js';
import { fillSnippet, plainText, type FilledSnippet, type VariableValue } from '../../content/snippet-vars.js';
import { MESSAGE_LIMIT, visibleLength } from '../../content/split.js';
import type { CaseRow } from '../../db/schema.js';
import { clientHistory, fitBlocks, ownCases, type PastCase } from '../../inbox/history.js';
import type { InboxService } from '../../inbox/service.js';
import { formatLocal } from '../../time/zoned.js';
import type { BotDeps } from '../deps.js';

/**
 * What the inbox remembers for consultants, as text: snippets filled for a case (and found by a word),
 * and a returning client's earlier cases (/history). Plain functions of the inbox feature.
 */
export function caseMemory(deps: BotDeps, inbox: InboxService) {
  const { content, config, db, privacy } = deps;
  const now = () => (deps.clock ?? (() => new Date()))().getTime();

  /** A variable's value for this case and consultant, in the client's language, or why it cannot be filled. */
  function resolve(row: CaseRow, consultantId: number, v: { name: string; arg?: string }): VariableValue {
    const lang = inbox.languageOf(row);
    const no = (key: string, vars: Record<string, string> = {}): VariableValue => ({ ok: false, why: inbox.st(key, vars) });
    switch (v.name) {
      case 'alias':
        return { ok: true, html: escapeHtml(inbox.aliasOf(consultantId)) };
      case 'pseudonym':
        return { ok: true, html: escapeHtml(inbox.pseudonymOf(row)) };
      case 'service': {
        const entry = content.for(lang).services.find((s) => s.slug === v.arg);
        if (!entry) return no('staff-snippet-var-no-service', { name: escapeHtml(v.arg ?? '') });
        // A sample entry's contacts are placeholders: never to a client (unless samples are shown on purpose).
        if (entry.sample && !config.showSampleServices) return no('staff-snippet-var-sample-service', { name: escapeHtml(entry.slug) });
        const head = `📍 <b>${escapeHtml(entry.region)}</b>`;
        return { ok: true, html: [head, ...entry.blocks].join('\n'), blocks: [head, ...entry.blocks] };
      }
      case 'emergency': {
        if (!content.emergencyNumbersSet) return no('staff-snippet-var-no-numbers');
        const numbers = content.settings.emergency_numbers as Record<string, string>;
        const number = v.arg !== undefined ? numbers[v.arg] : undefined;
        if (v.arg !== undefined) return number ? { ok: true, html: escapeHtml(number) } : no('staff-snippet-var-no-number', { name: escapeHtml(v.arg) });
        const line = inbox.ct(lang, 'snippet-emergency');
        return /\[\[\s*ORG|\{\s*\$?[a-z_]+\s*\}/i.test(line) || line === '{snippet-emergency}' ? no('staff-snippet-var-no-numbers') : { ok: true, html: line };
      }
      default:
        return no('staff-snippet-var-unknown');
    }
  }

  return {
    /** The snippet `name` in the case's language, filled, or undefined if there is none by that name. */
    fill(row: CaseRow, consultantId: number, name: string): FilledSnippet | undefined {
      const snippet = content.for(inbox.languageOf(row)).snippets.get(name);
      return snippet && fillSnippet(snippet.blocks, (v) => resolve(row, consultantId, v));
    },

    /** Why a snippet was not sent: each variable that could not be filled, and why. */
    unfilledText(name: string, unfilled: { token: string; why: string }[]): string {
      const list = unfilled.map((u) => `• <code>${escapeHtml(u.token)}</code>: ${u.why}`).join('\n');
      return inbox.st('staff-snippet-unfilled', { name: escapeHtml(name), list });
    },

    /** Snippets of the case's language (or the default one) whose name, title or text holds `word`. */
    search(row: CaseRow | undefined, word: string): string {
      const lang = row ? inbox.languageOf(row) : config.defaultLanguage;
      const needle = word.toLocaleLowerCase();
      const all = [...content.for(lang).snippets.values()];
      const found = needle === '' ? all : all.filter((s) => [s.name, s.title, ...s.blocks.map(plainText)].some((t) => t.toLocaleLowerCase().includes(needle)));
      if (all.length === 0) return inbox.st('staff-no-snippets');
      if (found.length === 0) return inbox.st('staff-snippets-none-found', { word: escapeHtml(word) });
      const lines = found.map((s) => `• <code>${escapeHtml(s.name)}</code> — ${escapeHtml(s.title)}`);
      return `${needle === '' ? inbox.st('staff-snippets') : inbox.st('staff-snippets-found', { word: escapeHtml(word), count: found.length })}\n${lines.join('\n')}`;
    },

    /** The client's cases as one message: whole cases, newest first, cut with a count if they do not fit. */
    history(pseudonym: string, clientKey: string, teamChatId: number): string {
      // Each team sees its own cases: another inbox's are only counted (as the case card counts them).
      const here = inbox.inboxes.byChat(teamChatId) ?? inbox.inboxes.default;
      const { own: past, elsewhere } = ownCases(clientHistory(db, privacy, clientKey, now()), here, inbox.inboxes.names, inbox.inboxes.default);
      const others = elsewhere > 0 ? `\n\n${inbox.st('staff-history-elsewhere', { count: elsewhere })}` : '';
      if (past.length === 0) return inbox.st('staff-history-empty', { pseudonym: escapeHtml(pseudonym), days: config.retentionDays }) + others;
      const head = inbox.st('staff-history-head', { pseudonym: escapeHtml(pseudonym), count: past.length, days: config.retentionDays });
      const { shown, left } = fitBlocks(past.map(caseBlock), MESSAGE_LIMIT - 400 - visibleLength(head), visibleLength);
      const more = left > 0 ? `\n\n${inbox.st('staff-history-more', { count: left })}` : '';
      return `${head}\n\n${shown.join('\n\n')}${more}${others}`;
    },
  };

  function caseBlock(c: PastCase): string {
    const day = (ms: number) => formatLocal(new Date(ms), config.timezone).slice(0, 10);
    const when = c.closedAt !== null ? `${day(c.openedAt)} → ${day(c.closedAt)}` : `${day(c.openedAt)} → ${inbox.st(`staff-history-${c.status === 'waiting' ? 'waiting' : 'open'}`)}`;
    const lines = [`<b>#${c.id} · ${escapeHtml(inbox.topicLabel(c.topic))}</b>${c.urgent ? ' 🆘' : ''} · ${when}${c.consultantId !== null ? ` · ${escapeHtml(inbox.aliasOf(c.consultantId))}` : ''}`];
    if (c.referrals.length > 0) lines.push(inbox.st('staff-history-referrals', { list: escapeHtml(c.referrals.join(', ')) }));
    for (const code of c.codes) {
      lines.push(inbox.st('staff-card-code', { type: escapeHtml(code.type), place: escapeHtml(code.place ?? inbox.st('staff-code-any-place')), status: inbox.st(`staff-code-status-${code.status}`) }));
    }
    if (c.rating !== null) lines.push(inbox.st('staff-history-rating', { stars: '★'.repeat(c.rating) }));
    // Notes, each cut, until the case's block would crowd out the others; the rest counted.
    let room = 1200;
    let notesLeft = c.notes.length;
    for (const note of c.notes) {
      const text = note.text.length > 300 ? `${note.text.slice(0, 299)}…` : note.text;
      const line = `📝 ${escapeHtml(inbox.aliasOf(note.consultantId))}: ${escapeHtml(text)}`;
      if (line.length > room) break;
      lines.push(line);
      room -= line.length;
      notesLeft--;
    }
    if (notesLeft > 0) lines.push(inbox.st('staff-history-more-notes', { count: notesLeft }));
    return lines.join('\n');
  }
}
