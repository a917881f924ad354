import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { I18n } from '@grammyjs/i18n';
import { loadConfig } from '../../src/config.js';
import { ensureClient } from '../../src/db/clients.js';
import { cases, conversationState, pendingDeletions } from '../../src/db/schema.js';
import { setJobState } from '../../src/db/job-state.js';
import { attachTopic, claimCase, closeCase, openCase, releaseCase } from '../../src/inbox/cases.js';
import { eq } from 'drizzle-orm';
import { InboxJobs } from '../../src/inbox/jobs.js';
import { inboxStack } from '../support/inbox-stack.js';
import { InboxService } from '../../src/inbox/service.js';
import { Erasure } from '../../src/inbox/erasure.js';
import { CHAT_REF_BINDING, createPrivacy } from '../../src/privacy/keys.js';
import { memoryDb } from '../support/db.js';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { recordingApi } from '../support/recording-api.js';

const privacy = createPrivacy('jobs-secret-jobs-secret-jobs-secret-0001');

function setup() {
  const db = memoryDb(privacy);
  const { api, calls } = recordingApi();
  let now = Date.parse('2026-11-23T10:00:00Z');
  const config = loadConfig({ BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', BOT_SECRET: 'x'.repeat(40), STAFF_CHAT_ID: '-100777', REMINDER_MINUTES: '10', DEFAULT_LANGUAGE: 'en' });
  const deps = { db, api, config, privacy, logger: pino({ level: 'silent' }), i18n: new I18n({ defaultLocale: 'en', directory: join(PROJECT_ROOT, 'content', 'locales'), fluentBundleOptions: { useIsolating: false } }) as never, clock: () => now };
  const stack = inboxStack(deps);
  const jobs = new InboxJobs(deps, stack.inbox, new Erasure(deps), stack.posts);
  const open = (id: number, urgent = false) => {
    const key = privacy.clientKey(id);
    ensureClient(db, privacy, key, id);
    const row = openCase(db, { clientKey: key, topic: 'mental', inbox: 'main', urgent, now }).case;
    attachTopic(db, row.id, -100777, 1000 + id);
    return row;
  };
  return { db, calls, jobs, open, settle: stack.settle, advance: (ms: number) => (now += ms) };
}

describe('inbox jobs', () => {
  it('reminds once about a case waiting longer than REMINDER_MINUTES', async () => {
    const t = setup();
    t.open(1, true);
    t.jobs.remind();
    await t.settle();
    t.advance(11 * 60_000);
    t.jobs.remind();
    await t.settle();
    t.jobs.remind();
    await t.settle();
    const reminders = t.calls.filter((c) => String(c.payload.text).startsWith('⏰'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]?.payload.text).toMatch(/URGENT: Client [2-9A-Z]{4} \(Mental health\) has been waiting 11 min/);
  });

  it('keeps only the latest reminder naming a client: an earlier one goes when the case waits again', async () => {
    const t = setup();
    const row = t.open(3);
    t.advance(11 * 60_000);
    t.jobs.remind();
    await t.settle();
    const first = t.db.select().from(cases).where(eq(cases.id, row.id)).get()!.reminderMessageId;
    expect(first).toEqual(expect.any(Number));
    claimCase(t.db, row.id, 555, Date.now());
    releaseCase(t.db, row.id, Date.parse('2026-11-23T10:11:00Z'));
    t.advance(11 * 60_000);
    t.jobs.remind();
    await t.settle();
    expect(t.calls.filter((c) => c.method === 'deleteMessage').map((c) => c.payload.message_id)).toEqual([first]);
    expect(t.db.select().from(cases).where(eq(cases.id, row.id)).get()!.reminderMessageId).not.toBe(first);
  });

  it('keeps one queue board and edits it only when it changes', async () => {
    const t = setup();
    t.jobs.updateBoard();
    await t.settle();
    t.open(2);
    t.jobs.updateBoard();
    await t.settle();
    t.jobs.updateBoard();
    await t.settle();
    expect(t.calls.map((c) => c.method)).toEqual(['sendMessage', 'editMessageText']);
    expect(t.calls[1]?.payload.text).toMatch(/1 waiting\n• Client [2-9A-Z]{4} · Mental health · 0 min/);
  });

  it('never edits a board message id in another group: a board left there (INBOXES changed) is replaced and queued for deletion', async () => {
    const t = setup();
    // The board of "main" was posted while "main" was another group (-100555), as message 3 there.
    setJobState(t.db, 'inbox.queue_board_message', '-100555:3');
    t.jobs.updateBoard();
    await t.settle();
    expect(t.calls.map((c) => [c.method, c.payload.chat_id])).toEqual([['sendMessage', -100777]]);
    expect(t.db.select().from(pendingDeletions).all()).toMatchObject([{ messageId: 3, chatRef: expect.any(String) }]);
    expect(privacy.decryptChatId(t.db.select().from(pendingDeletions).all()[0]!.chatRef, CHAT_REF_BINDING.deletion)).toBe(-100555);
  });

  it('forgets an intake abandoned for hours, with the updates it held', async () => {
    const t = setup();
    const now = Date.parse('2026-11-23T10:00:00Z');
    t.db.insert(conversationState).values([
      { key: 'old', value: '{"text":"something private"}', updatedAt: now - 7 * 3_600_000 },
      { key: 'fresh', value: '{}', updatedAt: now - 60_000 },
    ]).run();
    await t.jobs.run();
    expect(t.db.select().from(conversationState).all().map((r) => r.key)).toEqual(['fresh']);
  });

  it('purges old closed cases once a day', async () => {
    const t = setup();
    const row = t.open(3);
    closeCase(t.db, row.id, Date.parse('2026-10-01T00:00:00Z'));
    await t.jobs.purge();
    expect(t.db.select().from(cases).all()).toEqual([]);
  });
});

describe('staff language', () => {
  it('speaks DEFAULT_LANGUAGE on the staff side', () => {
    const db = memoryDb(privacy);
    const config = loadConfig({ BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', BOT_SECRET: 'x'.repeat(40), STAFF_CHAT_ID: '-100777' });
    const i18n = new I18n({ defaultLocale: 'ru', directory: join(PROJECT_ROOT, 'content', 'locales'), fluentBundleOptions: { useIsolating: false } });
    const inbox = new InboxService({ db, api: recordingApi().api, config, privacy, logger: pino({ level: 'silent' }), i18n: i18n as never, clock: () => 0 });
    const key = privacy.clientKey(9);
    ensureClient(db, privacy, key, 9);
    const row = openCase(db, { clientKey: key, topic: 'legal', inbox: 'main', urgent: true, now: 0 }).case;
    expect(inbox.topicName(row)).toMatch(/^🆘 Клиент [2-9A-Z]{4} · Юридическая помощь$/);
    expect(inbox.cardText(row)).toContain('Прежних обращений: 0');
    expect(inbox.cardText(row)).toContain('🆘 <b>СРОЧНО</b>');
  });

  it('still shows a case whose topic was removed from settings.yml (or never had a text), by its id', () => {
    const db = memoryDb(privacy);
    const config = loadConfig({ BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', BOT_SECRET: 'x'.repeat(40), STAFF_CHAT_ID: '-100777', DEFAULT_LANGUAGE: 'en' });
    const i18n = new I18n({ defaultLocale: 'en', directory: join(PROJECT_ROOT, 'content', 'locales'), fluentBundleOptions: { useIsolating: false } });
    const inbox = new InboxService({ db, api: recordingApi().api, config, privacy, logger: pino({ level: 'silent' }), i18n: i18n as never, clock: () => 0 });
    const key = privacy.clientKey(10);
    ensureClient(db, privacy, key, 10);
    const row = openCase(db, { clientKey: key, topic: 'housing-2019', inbox: 'main', urgent: false, now: 0 }).case;
    expect(inbox.topicName(row)).toMatch(/^Client [2-9A-Z]{4} · housing-2019$/);
    expect(inbox.cardText(row)).toContain('Topic: housing-2019');
    expect(inbox.topicLabel('women')).toBe('Women: health, pregnancy, safety');
  });
});
