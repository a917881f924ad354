import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { I18n } from '@grammyjs/i18n';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { ensureClient } from '../../src/db/clients.js';
import { answerDueStep } from '../../src/inbox/answer-due.js';
import { attachTopic, claimCase, findCase, openCase, recordFirstResponse } from '../../src/inbox/cases.js';
import { protectSmallCells, summarize, summaryCsv, weekOf, type CaseFacts } from '../../src/inbox/stats.js';
import { caseStats } from '../../src/db/schema.js';
import { clientAnswered, clientWrote } from '../../src/inbox/answer-due.js';
import { InboxJobs } from '../../src/inbox/jobs.js';
import { Erasure } from '../../src/inbox/erasure.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { memoryDb } from '../support/db.js';
import { inboxStack } from '../support/inbox-stack.js';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { recordingApi } from '../support/recording-api.js';

const MIN = 60_000;
const periods = { normal: 10 * MIN, urgent: 3 * MIN };
const taken = { status: 'active', urgent: false, consultantId: 7, clientWroteAt: 0, nudgedAt: null } as const;

describe('answerDueStep', () => {
  it('nudges once the client has waited a period, and offers back a period after the nudge', () => {
    expect(answerDueStep(taken, 10 * MIN - 1, periods)).toBeUndefined();
    expect(answerDueStep(taken, 10 * MIN, periods)).toBe('nudge');
    expect(answerDueStep({ ...taken, nudgedAt: 10 * MIN }, 19 * MIN, periods)).toBeUndefined();
    expect(answerDueStep({ ...taken, nudgedAt: 10 * MIN }, 20 * MIN, periods)).toBe('offer-back');
  });

  it('uses the urgent period for urgent cases', () => {
    expect(answerDueStep({ ...taken, urgent: true }, 3 * MIN, periods)).toBe('nudge');
    expect(answerDueStep({ ...taken, urgent: true, nudgedAt: 3 * MIN }, 6 * MIN, periods)).toBe('offer-back');
  });

  it('leaves alone a case that is answered, waiting, closed or unheld', () => {
    expect(answerDueStep({ ...taken, clientWroteAt: null }, 99 * MIN, periods)).toBeUndefined();
    expect(answerDueStep({ ...taken, status: 'waiting' }, 99 * MIN, periods)).toBeUndefined();
    expect(answerDueStep({ ...taken, status: 'closed' }, 99 * MIN, periods)).toBeUndefined();
    expect(answerDueStep({ ...taken, consultantId: null }, 99 * MIN, periods)).toBeUndefined();
  });

  it('after the clock jumps forward, nudges but does not offer back in the same stroke', () => {
    const now = 1_000 * MIN; // a jump of hours
    expect(answerDueStep(taken, now, periods)).toBe('nudge');
    expect(answerDueStep({ ...taken, nudgedAt: now }, now, periods)).toBeUndefined();
  });

  it('after the clock jumps back, a stamp in the future is not due', () => {
    expect(answerDueStep({ ...taken, clientWroteAt: 50 * MIN }, 5 * MIN, periods)).toBeUndefined();
    expect(answerDueStep({ ...taken, nudgedAt: 50 * MIN }, 5 * MIN, periods)).toBeUndefined();
  });
});

const privacy = createPrivacy('answer-due-secret-answer-due-secret-0001');

function setup() {
  const db = memoryDb(privacy);
  const { api, calls } = recordingApi();
  let now = Date.parse('2026-11-23T10:00:00Z');
  const config = loadConfig({ BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', BOT_SECRET: 'x'.repeat(40), STAFF_CHAT_ID: '-100777', DEFAULT_LANGUAGE: 'en' });
  const deps = { db, api, config, privacy, logger: pino({ level: 'silent' }), i18n: new I18n({ defaultLocale: 'en', directory: join(PROJECT_ROOT, 'content', 'locales'), fluentBundleOptions: { useIsolating: false } }) as never, clock: () => now };
  const stack = inboxStack(deps);
  const jobs = new InboxJobs(deps, stack.inbox, new Erasure(deps), stack.posts);
  const key = privacy.clientKey(1);
  ensureClient(db, privacy, key, 1);
  const row = openCase(db, { clientKey: key, topic: 'mental', inbox: 'main', urgent: false, now }).case;
  attachTopic(db, row.id, -100777, 1001);
  return { db, calls, jobs, row, settle: stack.settle, now: () => now, advance: (ms: number) => (now += ms) };
}

describe('chasing unanswered cases', () => {
  it('nudges the holder once, then offers the case back; an answer stops the clock', async () => {
    const t = setup();
    t.advance(30 * MIN); // waiting time does not count against whoever takes it
    expect(claimCase(t.db, t.row.id, 7, t.now()).ok).toBe(true);
    t.advance(9 * MIN);
    t.jobs.chaseUnanswered();
    expect(findCase(t.db, t.row.id)?.nudgedAt).toBeNull();
    t.advance(1 * MIN);
    t.jobs.chaseUnanswered();
    t.jobs.chaseUnanswered(); // a second round in the same minute: still one nudge
    await t.settle();
    const texts = () => t.calls.map((c) => String(c.payload.text ?? ''));
    expect(texts().filter((s) => s.includes('has waited 10 min for an answer'))).toHaveLength(1);
    t.advance(10 * MIN);
    t.jobs.chaseUnanswered();
    await t.settle();
    expect(findCase(t.db, t.row.id)).toMatchObject({ status: 'waiting', consultantId: null });
    expect(texts().some((s) => s.includes('the case is back in the queue'))).toBe(true);
    expect(texts().some((s) => s.includes('someone else may answer you'))).toBe(true);
    // Taken again and answered: nothing more, however long.
    expect(claimCase(t.db, t.row.id, 8, t.now()).ok).toBe(true);
    clientAnswered(t.db, t.row.id, t.now());
    t.advance(60 * MIN);
    t.jobs.chaseUnanswered();
    expect(findCase(t.db, t.row.id)).toMatchObject({ status: 'active', consultantId: 8, nudgedAt: null });
    // The client writes again: a new spell, from that message.
    clientWrote(t.db, t.row.id, t.now());
    t.advance(10 * MIN);
    t.jobs.chaseUnanswered();
    expect(findCase(t.db, t.row.id)?.nudgedAt).toBe(t.now());
  });
});

describe('response times in /stats and the CSV', () => {
  const monday = Date.parse('2026-11-30T06:00:00Z'); // Monday 11:00 in Almaty
  const period = { from: monday - 30 * 86_400_000, to: monday + 30 * 86_400_000, label: 'test' };
  const caseAt = (at: number, inbox: string, first: number | undefined, next: number[]): CaseFacts => ({
    topic: 'other', urgent: false, openedAt: at, referrals: [], inbox, nextResponses: next, ...(first !== undefined ? { firstResponseAt: at + first } : {}),
  });

  it('groups by inbox and week, counting cases, with median and p90 of first and next answers', () => {
    const cases = [1, 2, 3, 4, 5].map((i) => caseAt(monday + i * 3_600_000, 'main', i * MIN, [i * MIN, 10 * i * MIN]));
    cases.push(caseAt(monday + 7 * 86_400_000, 'main', MIN, []), caseAt(monday, 'lawyers', 2 * MIN, [3 * MIN]));
    const s = summarize(cases, period, 'Asia/Almaty');
    expect(s.responseTimes.map((r) => [r.inbox, r.week])).toEqual([['lawyers', '2026-11-30'], ['main', '2026-11-30'], ['main', '2026-12-07']]);
    const main = s.responseTimes[1]!;
    expect(main.first).toEqual({ median: 3 * MIN, p90: 5 * MIN, count: 5 });
    expect(main.next).toMatchObject({ count: 5, p90: 40 * MIN });
    const shown = protectSmallCells(s).responseTimes;
    expect(shown[1]?.first).toEqual({ median: 3 * MIN, p90: 5 * MIN, count: 5 });
    // One case in a cell: no figure that would be that person's.
    expect(shown[0]?.first).toEqual({ median: null, p90: null, count: '<5' });
    expect(shown[2]?.next).toEqual({ median: null, p90: null, count: 0 });
    const csv = summaryCsv(s);
    expect(csv).toContain('first_response_seconds,main 2026-11-30 median,180\n');
    expect(csv).toContain('next_response_seconds,main 2026-11-30 p90,2400\n');
    expect(csv).toContain('first_response_seconds,lawyers 2026-11-30 median,\n');
    expect(csv).toContain('first_response_seconds,lawyers 2026-11-30 cases,<5\n');
  });

  it('weeks start on Monday in the configured time zone', () => {
    expect(weekOf(Date.parse('2026-11-29T20:00:00Z'), 'Asia/Almaty')).toBe('2026-11-30'); // Monday 01:00 there
    expect(weekOf(Date.parse('2026-11-29T20:00:00Z'), 'UTC')).toBe('2026-11-23');
  });

  it('an answer after the first records how long the client waited, as a duration only', () => {
    const t = setup();
    expect(claimCase(t.db, t.row.id, 7, t.now()).ok).toBe(true);
    t.advance(2 * MIN);
    clientAnswered(t.db, t.row.id, t.now()); // the first answer: counted as the first response, not here
    recordFirstResponse(t.db, t.row, t.now());
    clientWrote(t.db, t.row.id, t.now());
    t.advance(4 * MIN);
    clientAnswered(t.db, t.row.id, t.now());
    clientAnswered(t.db, t.row.id, t.now()); // a second message of the same answer adds nothing
    const stats = t.db.select().from(caseStats).all();
    expect(stats.map((s) => [s.inbox, JSON.parse(s.nextResponses)])).toEqual([['main', [4 * MIN]]]);
  });
});
