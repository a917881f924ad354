import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { I18n } from '@grammyjs/i18n';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { ensureClient } from '../../src/db/clients.js';
import { answerDueStep } from '../../src/inbox/answer-due.js';
import { attachTopic, claimCase, findCase, openCase } from '../../src/inbox/cases.js';
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
    clientAnswered(t.db, t.row.id);
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
