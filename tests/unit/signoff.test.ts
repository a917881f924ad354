import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/content/front-matter.js';
import { loadContent } from '../../src/content/loader.js';
import { parseSignOff, reviewLines, signOffStatus } from '../../src/content/signoff.js';
import { contentFolder } from '../support/content.js';

const NOW = new Date('2027-02-01T12:00:00Z');
const parse = (raw: Parameters<typeof parseSignOff>[1]) => parseSignOff('info/en/naloxone.md', raw, undefined, NOW);

describe('sign-off records (front matter review:)', () => {
  it('reads who signed what, and what the topic needs', () => {
    const { record, problems } = parse({
      topic: 'medical',
      review: { clinician: { by: 'A.K.', on: '2027-01-15' }, peer: { by: 'D.N.', on: '2027-01-20', language: 'kk' } },
      verify: ['Check where naloxone is given in Shymkent'],
    });
    expect(problems).toEqual([]);
    expect(record).toEqual({
      topic: 'medical',
      review: { clinician: { by: 'A.K.', on: '2027-01-15' }, peer: { by: 'D.N.', on: '2027-01-20', language: 'kk' } },
      needs: ['clinician'],
      verify: ['Check where naloxone is given in Shymkent'],
    });
    expect(signOffStatus(record, NOW)).toEqual({ state: 'signed', roles: ['clinician'] });
  });

  it('names the file, field and what was expected for a bad role, a missing signer, a bad or future date', () => {
    const { record, problems } = parse({
      topic: 'medicine',
      review: { doctor: { by: 'A.K.', on: '2027-01-15' }, clinician: { on: '2027-01-15' }, lawyer: { by: 'B.S.', on: '15.01.2027' }, peer: { by: 'D.N.', on: '2027-03-01' } },
      needs: ['clinician', 'nurse'],
    });
    expect(problems.map(formatProblem)).toEqual([
      'info/en/naloxone.md: topic: must be one of medical, mental, legal, social, digital (it decides who must sign), not "medicine"',
      'info/en/naloxone.md: review.doctor: "doctor" is not a role: use clinician, lawyer, peer',
      'info/en/naloxone.md: review.clinician.by: is missing: who signed (name or initials), e.g. by: "A.K."',
      'info/en/naloxone.md: review.lawyer.on: must be a date like 2027-01-15, not "15.01.2027"',
      'info/en/naloxone.md: review.peer.on: is in the future (2027-03-01): write the day it was actually signed',
      'info/en/naloxone.md: needs: must be a list of roles (clinician, lawyer, peer), e.g. needs: [clinician, peer]; "nurse" is not one',
    ]);
    // Nothing malformed counts as signed.
    expect(record.review).toEqual({});
  });

  it('takes needs: over the topic, and counts a sign-off older than a year as expired', () => {
    const { record } = parse({ topic: 'legal', needs: ['lawyer', 'clinician'], review: { lawyer: { by: 'B.S.', on: '2026-01-10' } } });
    expect(record.needs).toEqual(['lawyer', 'clinician']);
    expect(signOffStatus(record, NOW)).toEqual({ state: 'expired', expired: ['lawyer'], missing: ['clinician'] });
    expect(signOffStatus(parse({}).record, NOW)).toEqual({ state: 'undetermined' });
    expect(signOffStatus(parse({ topic: 'digital' }).record, NOW)).toEqual({ state: 'signed', roles: [] });
  });

  it('keeps an old reviewed: date aside: it is never a sign-off', () => {
    const { record, problems } = parse({ topic: 'medical', reviewed: '2026-12-01' });
    expect(problems).toEqual([]);
    expect(record.legacyReviewed).toBe('2026-12-01');
    expect(signOffStatus(record, NOW)).toEqual({ state: 'unsigned', missing: ['clinician'] });
  });

  it('tells a client "checked" only for a current expert sign-off, and says so neutrally otherwise', () => {
    const signed = parse({ topic: 'medical', review: { clinician: { by: 'A.K.', on: '2027-01-15' }, peer: { by: 'D.N.', on: '2027-01-20' } } }).record;
    expect(reviewLines(signed, NOW)).toEqual([{ key: 'review-checked-clinician', date: '15.01.2027' }]);
    const stale = parse({ topic: 'medical', review: { clinician: { by: 'A.K.', on: '2025-12-01' } } }).record;
    expect(reviewLines(stale, NOW)).toEqual([{ key: 'review-not-checked-clinician' }]);
    expect(reviewLines(stale, NOW, true)).toEqual([]); // the emergency screen: no line at all
    expect(reviewLines(parse({ topic: 'legal' }).record, NOW)).toEqual([{ key: 'review-not-checked-lawyer' }]);
    expect(reviewLines(parse({ topic: 'digital' }).record, NOW)).toEqual([]);
  });

  it('shows a card with a malformed sign-off (never hides it) and reports the problem with its line', () => {
    const root = contentFolder({
      'info/en/naloxone.md': '---\ntitle: Naloxone\nsection: Overdose\norder: 1\ntopic: medical\nreview:\n  clinician: { by: "", on: 2026-11-15 }\n---\nText.\n',
    });
    const content = loadContent(root);
    expect(content.languages.en!.cards.has('naloxone')).toBe(true);
    expect(content.problems).toEqual([]);
    expect(content.signOffProblems.map(formatProblem)).toEqual(['info/en/naloxone.md:7: review.clinician.by: is missing: who signed (name or initials), e.g. by: "A.K."']);
  });
});
