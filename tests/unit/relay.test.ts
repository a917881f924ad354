import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { join } from 'node:path';
import { I18n } from '@grammyjs/i18n';
import { loadConfig } from '../../src/config.js';
import { ensureClient } from '../../src/db/clients.js';
import { outbox } from '../../src/db/schema.js';
import { attachTopic, claimCase, openCase } from '../../src/inbox/cases.js';
import { InboxPosts } from '../../src/inbox/posts-executor.js';
import { InboxService } from '../../src/inbox/service.js';
import { NO_LIMITS, Pacer, type PacingLimits } from '../../src/inbox/pacing.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { Relay, joinTexts } from '../../src/relay/index.js';
import { enqueueCopy } from '../../src/relay/outbox-store.js';
import type { Db } from '../../src/db/connection.js';
import { memoryDb } from '../support/db.js';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { recordingApi, type RecordedCall } from '../support/recording-api.js';
import { until } from '../support/wait.js';

const privacy = createPrivacy('relay-secret-relay-secret-relay-secret-01');
const STAFF = -100777;
const config = loadConfig({ BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', BOT_SECRET: 'x'.repeat(40), STAFF_CHAT_ID: String(STAFF), DEFAULT_LANGUAGE: 'en' });
const i18n = new I18n({ defaultLocale: 'en', directory: join(PROJECT_ROOT, 'content', 'locales'), fluentBundleOptions: { useIsolating: false } });
const relays: Relay[] = [];

afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
});

type Failure = (call: RecordedCall) => { error_code: number; description: string; parameters?: { retry_after: number } } | undefined;

/** The inbox stack over one database; a second call with the same db is the bot after a restart. */
function stack(db: Db, limits: PacingLimits = NO_LIMITS, fail?: Failure) {
  const { api, calls } = recordingApi(fail as never);
  const deps = { db, api, config, privacy, logger: pino({ level: 'silent' }), i18n: i18n as never, clock: Date.now };
  const inbox = new InboxService(deps);
  const posts = new InboxPosts({ db, api, logger: deps.logger, i18n: deps.i18n, timezone: config.timezone, clock: Date.now, privacy: deps.privacy }, inbox);
  const relay = new Relay({
    db,
    api,
    logger: deps.logger,
    privacy,
    pacer: new Pacer(limits),
    inboxes: inbox.inboxes,
    executor: posts,
    onClientGone: (row) => inbox.clientGone(row),
    onTopicMissing: (row) => inbox.topicMissing(row),
  });
  inbox.relay = relay;
  relays.push(relay);
  return { inbox, relay, calls, teamCalls: () => calls.filter((c) => c.payload.chat_id === STAFF) };
}

/** A client with an open case and a topic in the team's chat. */
function caseFor(db: Db, userId: number, thread: number, urgent = false) {
  const key = privacy.clientKey(userId);
  ensureClient(db, privacy, key, userId);
  const row = openCase(db, { clientKey: key, topic: 'mental', urgent, inbox: 'main', now: Date.now() }).case;
  attachTopic(db, row.id, STAFF, thread);
  return { ...row, teamChatId: STAFF, threadId: thread };
}

const tight: PacingLimits = { groupPerMinute: 4, privatePerSecond: 1, privateBurstSeconds: 5, globalPerSecond: 30 };

describe('the relay', () => {
  it('spends a busy team chat on clients\' words first, then notes, then cards; the board last', async () => {
    const db = memoryDb();
    const a = caseFor(db, 501, 70);
    const b = caseFor(db, 502, 80);
    const t = stack(db, { ...tight, groupPerMinute: 6 });
    t.relay.postToTeam({ kind: 'board' }, { inbox: 'main' });
    t.inbox.refreshCard(a.id);
    t.inbox.noteInTopic(a, 'a note');
    t.relay.accept({ caseId: a.id, toClient: false, sourceMessageId: 1, text: { text: 'hello from A' } });
    t.relay.accept({ caseId: b.id, toClient: false, sourceMessageId: 1, text: { text: 'hello from B' } });
    t.relay.start();
    // Six slots a minute, three kept for other cases' first words: each case's first words, the note; cards and the board wait.
    await until(() => t.teamCalls().length >= 3, 'three sends into the team chat').catch((e) => {
      throw new Error(`${e}: ${JSON.stringify(t.calls)} ${JSON.stringify(db.select().from(outbox).all())}`);
    });
    await new Promise((r) => setTimeout(r, 300));
    const sent = t.teamCalls().map((c) => (c.method === 'copyMessage' ? `copy from ${String(c.payload.from_chat_id)}` : String(c.payload.text)));
    expect(sent.slice(0, 2).sort()).toEqual(['copy from 501', 'copy from 502']);
    expect(sent[2]).toBe('a note');
    expect(sent).toHaveLength(3); // a backlog leaves the window's last slots to other cases' first words
    expect(db.select().from(outbox).all().map((r) => r.kind).sort()).toEqual(['board', 'card']);
  });

  it('tells the client at once although the team chat has no budget left', async () => {
    const db = memoryDb();
    const a = caseFor(db, 503, 70);
    const t = stack(db, { ...tight, groupPerMinute: 1 });
    t.relay.start();
    t.inbox.noteInTopic(a, 'spends the budget');
    await until(() => t.teamCalls().length === 1, 'the note');
    const taken = claimCase(db, a.id, 42, Date.now());
    expect(taken.ok).toBe(true);
    t.inbox.tellClient(a, 'consult-joined', { alias: 'Aigerim <b>' });
    t.inbox.noteInTopic(a, 'waits for the next minute');
    const joined = await until(() => t.calls.find((c) => c.payload.chat_id === 503), 'the notice to the client', 1_000);
    expect(joined.payload.text).toMatch(/Aigerim &lt;b&gt;<\/b> has joined/);
    expect(t.teamCalls()).toHaveLength(1);
  });

  it('joins texts that waited, also after a restart, and keeps them sealed until then', async () => {
    const db = memoryDb();
    const a = caseFor(db, 504, 70);
    const first = stack(db, NO_LIMITS);
    // Not started: the texts wait in the outbox, as they would behind a spent budget.
    ['one', 'two *bold*', 'three'].forEach((text, i) => first.relay.accept({ caseId: a.id, toClient: false, sourceMessageId: 10 + i, text: { text } }));
    const stored = JSON.stringify(db.select().from(outbox).all());
    expect(stored).not.toMatch(/one|bold|three/);
    const again = stack(db, NO_LIMITS); // the bot after a restart
    again.relay.start();
    await again.relay.drain(2_000);
    expect(again.teamCalls().map((c) => [c.method, c.payload.text])).toEqual([['sendMessage', 'one\n\ntwo *bold*\n\nthree']]);
  });

  it('sends again what was on its way at a crash, and marks it as possibly repeated', async () => {
    const db = memoryDb();
    const a = caseFor(db, 505, 70);
    enqueueCopy(db, { caseId: a.id, toClient: true, sourceMessageId: 900, sourceChatId: STAFF }, Date.now());
    db.update(outbox).set({ sendingAt: Date.now() }).run(); // the process died with this request out
    const t = stack(db);
    t.relay.start();
    await t.relay.drain(2_000);
    const toClient = t.calls.filter((c) => c.payload.chat_id === 505);
    expect(toClient.map((c) => c.method)).toEqual(['copyMessage', 'sendMessage']);
    expect(toClient[1]!.payload.text).toMatch(/^🔁 The message above may be a repeat/);
    expect((toClient[1]!.payload.reply_parameters as { message_id: number }).message_id).toBe(100); // the copy's id
  });

  it('does not queue again a copy already made (an update replayed after a crash)', async () => {
    const db = memoryDb();
    const a = caseFor(db, 506, 70);
    const t = stack(db);
    t.relay.start();
    expect(t.relay.accept({ caseId: a.id, toClient: false, sourceMessageId: 5 })).toBe(true);
    await t.relay.drain(2_000);
    expect(t.relay.accept({ caseId: a.id, toClient: false, sourceMessageId: 5 })).toBe(false);
    await t.relay.drain(2_000);
    expect(t.teamCalls().filter((c) => c.method === 'copyMessage')).toHaveLength(1);
  });

  it('waits out a 429 from the team chat and loses nothing', async () => {
    const db = memoryDb();
    const a = caseFor(db, 507, 70);
    let refused = 0;
    const t = stack(db, NO_LIMITS, (call) =>
      call.payload.chat_id === STAFF && refused++ === 0 ? { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } : undefined,
    );
    t.relay.start();
    t.relay.accept({ caseId: a.id, toClient: false, sourceMessageId: 7 });
    await until(() => t.teamCalls().length === 2, 'the retry', 3_000);
    expect(t.teamCalls().map((c) => c.payload.message_id)).toEqual([7, 7]);
    await t.relay.drain(2_000);
    expect(db.select().from(outbox).all()).toEqual([]);
  });

  it('makes a new topic when the case topic was deleted, and the words follow it', async () => {
    const db = memoryDb();
    const a = caseFor(db, 508, 70);
    const t = stack(db, NO_LIMITS, (call) => (call.payload.message_thread_id === 70 ? { error_code: 400, description: 'Bad Request: message thread not found' } : undefined));
    t.relay.start();
    t.relay.accept({ caseId: a.id, toClient: false, sourceMessageId: 9 });
    await until(() => t.calls.find((c) => c.method === 'createForumTopic'), 'a new topic');
    expect(t.calls.filter((c) => c.method === 'createForumTopic')).toHaveLength(1);
  });

  it('a /close handled twice (replayed after a crash) asks the client for a rating once', async () => {
    const db = memoryDb();
    const a = caseFor(db, 509, 70);
    const t = stack(db);
    t.relay.start();
    expect(t.inbox.close(a.id, 'consultant')).toBeDefined();
    expect(t.inbox.close(a.id, 'consultant')).toBeUndefined();
    await t.relay.drain(2_000);
    const prompts = t.calls.filter((c) => c.payload.chat_id === 509 && /has ended/.test(String(c.payload.text)));
    expect(prompts).toHaveLength(1);
    expect(JSON.stringify(prompts[0]!.payload.reply_markup)).toContain('rate:');
    expect(t.teamCalls().filter((c) => c.method === 'closeForumTopic')).toHaveLength(1);
  });

  it('remembers across a restart what it sent into the team chat within the last minute', async () => {
    const db = memoryDb();
    const limits = { ...tight, groupPerMinute: 2 };
    const cases = [caseFor(db, 510, 70), caseFor(db, 511, 80), caseFor(db, 512, 90)];
    const before = stack(db, limits);
    before.relay.start();
    before.relay.accept({ caseId: cases[0]!.id, toClient: false, sourceMessageId: 1 });
    before.relay.accept({ caseId: cases[1]!.id, toClient: false, sourceMessageId: 1 });
    await until(() => before.teamCalls().length === 2, 'the two copies');
    await before.relay.stop(); // the process goes; the minute's budget is spent
    const after = stack(db, limits);
    after.relay.start();
    after.relay.accept({ caseId: cases[2]!.id, toClient: false, sourceMessageId: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(after.teamCalls()).toHaveLength(0); // it waits for the window rather than earn a 429
    expect(db.select().from(outbox).all()).toHaveLength(1);
  });

  it('joins a consultant\'s replies that pile up behind the client\'s pace into one message', async () => {
    const db = memoryDb();
    const a = caseFor(db, 513, 70);
    const t = stack(db, { ...tight, privateBurstSeconds: 1 });
    t.relay.start();
    t.relay.accept({ caseId: a.id, toClient: true, sourceMessageId: 201, sourceChatId: STAFF, text: { text: 'first' } });
    await until(() => t.calls.find((c) => c.payload.chat_id === 513), 'the first reply');
    for (const [i, text] of ['second', 'third', 'fourth'].entries()) t.relay.accept({ caseId: a.id, toClient: true, sourceMessageId: 202 + i, sourceChatId: STAFF, text: { text } });
    await t.relay.drain(3_000);
    const toClient = t.calls.filter((c) => c.payload.chat_id === 513);
    expect(toClient.map((c) => c.method)).toEqual(['copyMessage', 'sendMessage']);
    expect(toClient[1]!.payload.text).toBe('second\n\nthird\n\nfourth');
    expect(JSON.stringify(db.select().from(outbox).all())).toBe('[]');
  });

  it('joins parts with their formatting moved along', () => {
    const joined = joinTexts([{ text: 'hi 👋' }, { text: 'bold here', entities: [{ type: 'bold', offset: 0, length: 4 }] }]);
    expect(joined.text).toBe('hi 👋\n\nbold here');
    expect(joined.entities).toEqual([{ type: 'bold', offset: 7, length: 4 }]);
  });
});
