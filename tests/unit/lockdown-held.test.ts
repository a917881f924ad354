import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { I18n } from '@grammyjs/i18n';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../../src/config.js';
import { ensureClient } from '../../src/db/clients.js';
import { outbox } from '../../src/db/schema.js';
import { attachTopic, openCase } from '../../src/inbox/cases.js';
import { dropHeldStaffPosts, heldByLockdown, heldStaffPosts } from '../../src/inbox/lockdown.js';
import { InboxService } from '../../src/inbox/service.js';
import { InboxPosts } from '../../src/inbox/posts-executor.js';
import { NO_LIMITS, Pacer } from '../../src/relay/pacing.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { Relay } from '../../src/relay/index.js';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { memoryDb } from '../support/db.js';
import { recordingApi } from '../support/recording-api.js';

const privacy = createPrivacy('held-secret-held-secret-held-secret-0001');

describe('what a lockdown holds (L3)', () => {
  it("holds every post to a client that a staff action queued, not the bot's own notices; lists and drops them", () => {
    const db = memoryDb(privacy);
    const { api } = recordingApi();
    const config = loadConfig({ BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', BOT_SECRET: 'x'.repeat(40), STAFF_CHAT_ID: '-100777', DEFAULT_LANGUAGE: 'en' });
    const i18n = new I18n({ defaultLocale: 'en', directory: join(PROJECT_ROOT, 'content', 'locales'), fluentBundleOptions: { useIsolating: false } });
    const deps = { db, api, config, privacy, logger: pino({ level: 'silent' }), i18n: i18n as never, clock: () => 1_000 };
    const inbox = new InboxService(deps);
    const posts = new InboxPosts({ db, api, logger: deps.logger, i18n: deps.i18n, timezone: config.timezone, clock: deps.clock, privacy }, inbox);
    // Not started: everything stays in the outbox to look at.
    inbox.relay = new Relay({ db, api, logger: deps.logger, privacy, pacer: new Pacer(NO_LIMITS), inboxes: inbox.inboxes, cases: inbox.cases, executor: posts, clock: deps.clock, onClientGone: () => undefined, onTopicMissing: () => undefined });
    const open = (id: number) => {
      const key = privacy.clientKey(id);
      ensureClient(db, privacy, key, id);
      const row = openCase(db, { clientKey: key, topic: 'mental', inbox: 'main', urgent: false, now: 1_000 }).case;
      attachTopic(db, row.id, -100777, 100 + id);
      return row;
    };
    const byClient = open(1);
    const byStaff = open(2);
    const replied = open(3);
    inbox.close(byClient.id, 'client'); // the rating prompt after the client's own /end: not held
    inbox.close(byStaff.id, 'consultant', 'Anna'); // after a /close: held
    inbox.relay.accept({ caseId: replied.id, toClient: true, sourceChatId: -100777, sourceMessageId: 55 }); // a reply: held
    inbox.relay.tellClient(replied, { kind: 'html', html: 'a snippet', staff: 'Dana' }); // held
    inbox.relay.accept({ caseId: replied.id, toClient: false, sourceMessageId: 7 }); // the client's words into the topic: not a client post

    const toClients = db.select().from(outbox).where(eq(outbox.toClient, true)).all();
    expect(toClients.map((r) => [r.caseId, r.kind, heldByLockdown(r)])).toEqual([
      [byClient.id, 'tell', false],
      [byStaff.id, 'tell', true],
      [replied.id, 'copy', true],
      [replied.id, 'html', true],
    ]);
    expect(heldStaffPosts(db)).toEqual([
      { caseId: byStaff.id, count: 1, copies: 0, aliases: ['Anna'] },
      { caseId: replied.id, count: 2, copies: 1, aliases: ['Dana'] },
    ]);
    expect(dropHeldStaffPosts(db)).toBe(3);
    expect(heldStaffPosts(db)).toEqual([]);
    expect(db.select().from(outbox).where(eq(outbox.toClient, true)).all().map((r) => r.caseId)).toEqual([byClient.id]);
    expect(db.select().from(outbox).where(eq(outbox.toClient, false)).all().some((r) => r.kind === 'copy')).toBe(true);
  });
});
