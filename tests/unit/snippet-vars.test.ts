import { describe, expect, it } from 'vitest';
import { checkVariables, fillSnippet, findVariables, plainText, type VariableValue } from '../../src/content/snippet-vars.js';
import { ensureClient, forgetClient } from '../../src/db/clients.js';
import { caseNotes } from '../../src/db/schema.js';
import { answerCheckin, careTotals, oweCheckin, purgeOldCheckins, undeliveredCheckins, weekOf } from '../../src/inbox/care.js';
import { addReferrals, closeCase, openCase, purgeClosedCases, rateCase } from '../../src/inbox/cases.js';
import { addNote, clientHistory, fitBlocks, NOTE_MAX_CHARS, ownCases } from '../../src/inbox/history.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { memoryDb } from '../support/db.js';
import { contentFolder } from '../support/content.js';
import { loadContent } from '../../src/content/loader.js';
import { ContentStore } from '../../src/content/store.js';

const resolve = (v: { name: string; arg?: string }): VariableValue => {
  if (v.name === 'alias') return { ok: true, html: 'Anna &amp; co' };
  if (v.name === 'pseudonym') return { ok: true, html: '4F7K' };
  if (v.name === 'service' && v.arg === 'almaty') return { ok: true, html: '📍 <b>Almaty</b>\nCentre', blocks: ['📍 <b>Almaty</b>', 'Centre'] };
  if (v.name === 'service') return { ok: false, why: `no entry ${v.arg}` };
  if (v.name === 'emergency') return v.arg === 'police' ? { ok: true, html: '102' } : { ok: false, why: 'numbers not set' };
  return { ok: false, why: 'unknown' };
};

describe('snippet variables', () => {
  it('finds single-brace variables with their line, never {{numbers}}', () => {
    expect(findVariables('Hi {alias}\n{{ambulance}} and {service:almaty}, {emergency}')).toEqual([
      { token: '{alias}', name: 'alias', line: 1 },
      { token: '{service:almaty}', name: 'service', arg: 'almaty', line: 2 },
      { token: '{emergency}', name: 'emergency', line: 2 },
    ]);
  });

  it('names what content:check must report: unknown variables, services entries and numbers', () => {
    const known = { services: ['almaty', 'astana'], numbers: ['ambulance', 'general', 'police'] };
    expect(checkVariables('{alias} {pseudonym} {service:almaty} {emergency} {emergency:police}', known)).toEqual([]);
    const problems = checkVariables('Hi {name}\n{service:almaty-aids-centre}\n{emergency:crisis} {service} {alias:x}', known);
    expect(problems.map((p) => [p.line, p.token])).toEqual([
      [1, '{name}'],
      [2, '{service:almaty-aids-centre}'],
      [3, '{emergency:crisis}'],
      [3, '{service}'],
      [3, '{alias:x}'],
    ]);
    expect(problems[0]!.message).toMatch(/"name" is not a snippet variable: use \{alias\}/);
    expect(problems[1]!.message).toBe('there is no services entry "almaty-aids-centre" (entries: almaty, astana)');
    expect(problems[2]!.message).toMatch(/no emergency number "crisis" in settings.yml \(names: ambulance, general, police\)/);
  });

  it('fills inline values, and a variable alone in a paragraph with its blocks', () => {
    const filled = fillSnippet(['Hi, I am <b>{alias}</b>. You are {pseudonym}.', '{service:almaty}', 'Police: {emergency:police}'], resolve);
    expect(filled).toEqual({ ok: true, blocks: ['Hi, I am <b>Anna &amp; co</b>. You are 4F7K.', '📍 <b>Almaty</b>', 'Centre', 'Police: 102'] });
  });

  it('sends nothing when any variable cannot be filled, and says which and why (each once)', () => {
    const filled = fillSnippet(['Hi {alias}', 'Call {emergency}, or {emergency}', '{service:nowhere}', '{bogus}'], resolve);
    expect(filled).toEqual({
      ok: false,
      unfilled: [
        { token: '{emergency}', why: 'numbers not set' },
        { token: '{service:nowhere}', why: 'no entry nowhere' },
        { token: '{bogus}', why: 'unknown variable' },
      ],
    });
  });

  it('reads a snippet as plain words for search', () => {
    expect(plainText('<b>Naloxone</b> &amp; <i>PEP</i>\n• item')).toBe('Naloxone & PEP • item');
  });
});

describe('content:check on snippet variables', () => {
  const files = {
    'locales/en.ftl': 'review-org-pending = Ask a consultant.\n',
    'services/en/almaty.md': '---\nregion: Almaty\n---\nCentre\n',
    'snippets/en/fine.md': '---\ntitle: Fine\n---\n{alias}: {service:almaty}, {emergency:general}\n',
    'snippets/en/bad.md': '---\ntitle: Bad\n---\nHello\n\nGo to {service:almaty-aids-centre} or call {emergency:crisis}.\n',
  };

  it('names the file, the line and the variable, and what was expected', () => {
    const root = contentFolder({ ...files, 'settings.yml': 'emergency_numbers: { ambulance: "103", general: "112" }\n' });
    const problems = loadContent(root, ['en']).problems.filter((p) => p.file.startsWith('snippets/'));
    expect(problems).toEqual([
      { file: 'snippets/en/bad.md', line: 6, field: '{service:almaty-aids-centre}', message: 'there is no services entry "almaty-aids-centre" (entries: almaty) (the snippet cannot be sent until this is fixed)' },
      { file: 'snippets/en/bad.md', line: 6, field: '{emergency:crisis}', message: 'there is no emergency number "crisis" in settings.yml (names: ambulance, general) (the snippet cannot be sent until this is fixed)' },
    ]);
    expect(new ContentStore(root, 'en', ['en']).emergencyNumbersSet).toBe(true);
  });

  it('treats the built-in emergency numbers as not set by the organisation', () => {
    expect(new ContentStore(contentFolder(files), 'en', ['en']).emergencyNumbersSet).toBe(false);
    const broken = contentFolder({ ...files, 'settings.yml': 'emergency_numbers: { ambulance: "call us" }\n' });
    expect(new ContentStore(broken, 'en', ['en']).emergencyNumbersSet).toBe(false);
  });
});

const privacy = createPrivacy('history-secret-history-secret-history-01');

describe('history and notes', () => {
  it('keeps notes sealed, lists cases newest first with referrals and ratings, and loses them with the case', () => {
    const db = memoryDb();
    const key = privacy.clientKey(7);
    ensureClient(db, privacy, key, 7);
    const first = openCase(db, { clientKey: key, topic: 'legal', inbox: 'main', urgent: false, now: 1_000 }).case;
    addNote(db, privacy, first.id, 42, 'Police stop last week; lawyer offered');
    addNote(db, privacy, first.id, 42, `x${'y'.repeat(NOTE_MAX_CHARS * 2)}`);
    addReferrals(db, first, ['lawyer']);
    rateCase(db, first, 4);
    closeCase(db, first.id, 2_000);
    const second = openCase(db, { clientKey: key, topic: 'substances', inbox: 'main', urgent: true, now: 3_000 }).case;

    const stored = db.select().from(caseNotes).all();
    expect(stored.every((n) => n.sealedText.startsWith('gcm1:') && !n.sealedText.includes('Police'))).toBe(true);
    const history = clientHistory(db, privacy, key, 4_000);
    expect(history.map((c) => [c.id, c.status])).toEqual([[second.id, 'waiting'], [first.id, 'closed']]);
    expect(history[1]).toMatchObject({ referrals: ['lawyer'], rating: 4, closedAt: 2_000 });
    expect(history[1]!.notes[0]).toEqual({ consultantId: 42, text: 'Police stop last week; lawyer offered' });
    expect(history[1]!.notes[1]!.text).toHaveLength(NOTE_MAX_CHARS);
    // A note moved to another case does not open there (bound to its case).
    db.update(caseNotes).set({ caseId: second.id }).run();
    expect(clientHistory(db, privacy, key, 4_000).flatMap((c) => c.notes)).toEqual([]);

    closeCase(db, second.id, 5_000);
    purgeClosedCases(db, 5_000 + 31 * 86_400_000, 30, () => 'ref');
    expect(clientHistory(db, privacy, key, 0)).toEqual([]);
    expect(db.select().from(caseNotes).all()).toEqual([]);
  });

  it('/forget takes the notes with the cases', () => {
    const db = memoryDb();
    const key = privacy.clientKey(8);
    ensureClient(db, privacy, key, 8);
    const row = openCase(db, { clientKey: key, topic: 'other', inbox: 'main', urgent: false, now: 1 }).case;
    addNote(db, privacy, row.id, 1, 'a note');
    forgetClient(db, key);
    expect(db.select().from(caseNotes).all()).toEqual([]);
  });

  it("shows a team only its own inbox's cases (an unconfigured inbox's count as the default's), the rest as a number", () => {
    const cases = [{ inbox: 'main' }, { inbox: 'lawyers' }, { inbox: 'gone' }, { inbox: 'lawyers' }];
    expect(ownCases(cases, 'main', ['main', 'lawyers'], 'main')).toEqual({ own: [{ inbox: 'main' }, { inbox: 'gone' }], elsewhere: 2 });
    expect(ownCases(cases, 'lawyers', ['main', 'lawyers'], 'main')).toEqual({ own: [{ inbox: 'lawyers' }, { inbox: 'lawyers' }], elsewhere: 2 });
  });

  it('fits whole cases into one message and counts the rest', () => {
    expect(fitBlocks(['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40)], 90)).toEqual({ shown: ['a'.repeat(40), 'b'.repeat(40)], left: 1 });
  });
});

describe('check-ins', () => {
  it('counts an answer once, per week, never who; owes one question at a time; forgets unanswered ones', () => {
    const db = memoryDb();
    const monday = Date.UTC(2026, 11, 7, 9); // a Monday
    expect(weekOf(monday + 3 * 86_400_000)).toBe('2026-12-07');
    const id = oweCheckin(db, 11, monday)!;
    expect(oweCheckin(db, 11, monday + 1)).toBeUndefined();
    expect(undeliveredCheckins(db, 11).map((c) => c.id)).toEqual([id]);
    expect(answerCheckin(db, id, 12, 'ok', monday)).toBe('not-yours');
    expect(answerCheckin(db, id, 11, 'not-ok', monday)).toBe('counted');
    expect(answerCheckin(db, id, 11, 'ok', monday)).toBe('gone');
    // One answer: a total, but no breakdown (it would be that person's answer).
    expect(careTotals(db, monday - 86_400_000, monday + 7 * 86_400_000)).toEqual({ total: '<5', byAnswer: null });
    for (let c = 20; c < 26; c++) answerCheckin(db, oweCheckin(db, c, monday)!, c, 'ok', monday + 3_600_000);
    expect(careTotals(db, monday, monday + 7 * 86_400_000)).toEqual({ total: 7, byAnswer: { ok: 6, 'so-so': 0, 'not-ok': '<5' } });
    expect(careTotals(db, monday + 7 * 86_400_000, monday + 14 * 86_400_000).total).toBe(0);
    oweCheckin(db, 30, monday);
    expect(purgeOldCheckins(db, monday + 8 * 86_400_000)).toBe(1);
  });
});
