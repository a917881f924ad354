import { describe, expect, it } from 'vitest';
import { ensureClient, forgetClient } from '../../src/db/clients.js';
import { pendingDeletionList } from '../../src/db/deletions.js';
import { reports } from '../../src/db/schema.js';
import { attachMessages, countReport, createReport, decideReport, expireReports, purgeReportCounts, reportsToday, reportsWithStatus } from '../../src/inbox/reports.js';
import { CHAT_REF_BINDING, createPrivacy } from '../../src/privacy/keys.js';
import { memoryDb } from '../support/db.js';

const privacy = createPrivacy('unit-reports-secret-unit-reports-secret-01');
const seal = (chatId: number) => privacy.encryptChatId(chatId, CHAT_REF_BINDING.deletion);
const opened = (ref: string) => privacy.decryptChatId(ref, CHAT_REF_BINDING.deletion);
const MODERATION = -100_777;
const DAY = 86_400_000;
const now = Date.UTC(2026, 11, 1, 9, 41);

function setUp() {
  const db = memoryDb(privacy);
  const key = privacy.clientKey(42);
  ensureClient(db, privacy, key, 42);
  const row = createReport(db, { number: 'R-AAAAA', kind: 'batch', region: 'south', hasPhoto: true, clientKey: key, chatId: MODERATION, now });
  attachMessages(db, row.id, 10, 11);
  return { db, key, row };
}

describe('reports (domain)', () => {
  it('keeps the hour only, and draws another number when the wanted one is taken', () => {
    const { db, key, row } = setUp();
    expect(row.receivedHour).toBe(Date.UTC(2026, 11, 1, 9));
    const second = createReport(db, { number: 'R-AAAAA', kind: 'reaction', hasPhoto: false, clientKey: key, chatId: MODERATION, now });
    expect(second.number).toMatch(/^R-[2-9A-Z]{5}$/);
    expect(second.number).not.toBe('R-AAAAA');
  });

  it('is decided once: the link goes, the photo (not the card) is queued for deletion; a second decision changes nothing', () => {
    const { db, row } = setUp();
    expect(decideReport(db, row.id, 'used', now + 1000, seal)?.photoMessageId).toBe(11);
    expect(decideReport(db, row.id, 'dismissed', now + 2000, seal)).toBeUndefined();
    expect(reportsWithStatus(db, 'used').map((r) => r.id)).toEqual([row.id]);
    expect(reportsWithStatus(db, 'open')).toEqual([]);
    expect(db.select().from(reports).get()).toMatchObject({ status: 'used', clientKey: null, photoMessageId: null, cardMessageId: 10 });
    expect(pendingDeletionList(db).map((d) => [opened(d.chatRef), d.messageId])).toEqual([[MODERATION, 11]]);
  });

  it('expires after 7 days undecided, card and photo queued for deletion; decided reports stay as they are', () => {
    const { db, key, row } = setUp();
    const decided = createReport(db, { number: 'R-BBBBB', kind: 'batch', hasPhoto: false, clientKey: key, chatId: MODERATION, now });
    attachMessages(db, decided.id, 20);
    decideReport(db, decided.id, 'reviewed', now, seal);
    expect(expireReports(db, now + 6 * DAY, seal)).toBe(0);
    expect(expireReports(db, now + 7 * DAY + 3_600_000, seal)).toBe(1);
    expect(db.select().from(reports).all().map((r) => [r.id, r.status, r.clientKey])).toEqual([[row.id, 'expired', null], [decided.id, 'reviewed', null]]);
    expect(pendingDeletionList(db).map((d) => d.messageId).sort()).toEqual([10, 11]);
  });

  it('/forget deletes the open report and queues its card and photo; a decided one is no longer linked and stays', () => {
    const { db, key } = setUp();
    const decided = createReport(db, { number: 'R-CCCCC', kind: 'batch', hasPhoto: false, clientKey: key, chatId: MODERATION, now });
    decideReport(db, decided.id, 'dismissed', now, seal);
    const erased = forgetClient(db, key, seal);
    expect(erased?.rows.reports).toBe(1);
    expect(db.select().from(reports).all().map((r) => r.number)).toEqual(['R-CCCCC']);
    expect(pendingDeletionList(db).map((d) => d.messageId).sort()).toEqual([10, 11]);
  });

  it('counts per day under the limit key; earlier days are purged', () => {
    const db = memoryDb();
    countReport(db, 'k', now);
    countReport(db, 'k', now);
    countReport(db, 'other', now);
    expect(reportsToday(db, 'k', now)).toBe(2);
    expect(reportsToday(db, 'k', now + DAY)).toBe(0);
    expect(purgeReportCounts(db, now + DAY)).toBe(0); // the day before is kept a day longer
    expect(purgeReportCounts(db, now + 2 * DAY)).toBe(2);
  });
});
