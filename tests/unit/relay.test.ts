import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from 'grammy/types';
import { pino } from 'pino';
import { join } from 'node:path';
import { I18n } from '@grammyjs/i18n';
import { loadConfig } from '../../src/config.js';
import { ensureClient } from '../../src/db/clients.js';
import { outbox } from '../../src/db/schema.js';
import { attachTopic, claimCase, openCase } from '../../src/inbox/cases.js';
import { InboxPosts } from '../../src/inbox/posts-executor.js';
import { InboxService } from '../../src/inbox/service.js';
import { NO_LIMITS, Pacer, type PacingLimits } from '../../src/relay/pacing.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { Relay, joinTexts } from '../../src/relay/index.js';
import { dueTeamPosts, enqueueCopy } from '../../src/relay/outbox-store.js';
import { PRIORITY } from '../../src/relay/posts.js';
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
    cases: inbox.cases,
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
  it('a board brought up to date after /forget takes the place of the one waiting, ahead of notes and cards', () => {
    const db = memoryDb(privacy);
    const a = caseFor(db, 601, 70);
    const t = stack(db);
    t.relay.postToTeam({ kind: 'board' }, { inbox: 'main' });
    for (let i = 0; i < 3; i++) t.inbox.noteInTopic(a, `note ${i}`);
    expect(dueTeamPosts(db, Date.now(), 10).map((r) => r.kind)).toEqual(['note', 'note', 'note', 'board']);
    t.relay.postToTeam({ kind: 'board' }, { inbox: 'main', priority: PRIORITY.erasure }); // the pseudonym must go at once
    expect(dueTeamPosts(db, Date.now(), 10).map((r) => r.kind)).toEqual(['board', 'note', 'note', 'note']);
    expect(db.select().from(outbox).all().filter((r) => r.kind === 'board')).toHaveLength(1);
  });

  it('spends a busy team chat on clients\' words first, then notes, then cards; the board last', async () => {
    const db = memoryDb(privacy);
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
    const db = memoryDb(privacy);
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
    const db = memoryDb(privacy);
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
    const db = memoryDb(privacy);
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
    const db = memoryDb(privacy);
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
    const db = memoryDb(privacy);
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
    const db = memoryDb(privacy);
    const a = caseFor(db, 508, 70);
    const t = stack(db, NO_LIMITS, (call) => (call.payload.message_thread_id === 70 ? { error_code: 400, description: 'Bad Request: message thread not found' } : undefined));
    t.relay.start();
    t.relay.accept({ caseId: a.id, toClient: false, sourceMessageId: 9 });
    await until(() => t.calls.find((c) => c.method === 'createForumTopic'), 'a new topic');
    expect(t.calls.filter((c) => c.method === 'createForumTopic')).toHaveLength(1);
  });

  it('a /close handled twice (replayed after a crash) asks the client for a rating once', async () => {
    const db = memoryDb(privacy);
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
    const db = memoryDb(privacy);
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
    const db = memoryDb(privacy);
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

describe('fair share in the team chat (fake timers)', () => {
  const telegram: PacingLimits = { groupPerMinute: 20, privatePerSecond: 1, privateBurstSeconds: 1, globalPerSecond: 30 };
  const edited = (messageId: number, text: string) => ({ message_id: messageId, date: 0, chat: { id: 1, type: 'private' }, text }) as unknown as Message;
  const fromChat = (t: ReturnType<typeof stack>, chat: number) => t.teamCalls().filter((c) => c.method === 'copyMessage' && c.payload.from_chat_id === chat).length;

  beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }));
  afterEach(() => void vi.useRealTimers());

  it('a client who had their share of the minute leaves room for another client\'s next words', async () => {
    const db = memoryDb(privacy);
    const flood = caseFor(db, 601, 70);
    const calm = caseFor(db, 602, 80);
    const t = stack(db, telegram);
    for (let i = 1; i <= 40; i++) t.relay.accept({ caseId: flood.id, toClient: false, sourceMessageId: i }); // stickers: a slot each
    t.relay.accept({ caseId: calm.id, toClient: false, sourceMessageId: 1 });
    t.relay.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fromChat(t, 602)).toBe(1);
    expect(fromChat(t, 601)).toBe(13); // 20 a minute, 6 kept free once it had its share of 8, 1 went to the calm client
    t.relay.accept({ caseId: calm.id, toClient: false, sourceMessageId: 2 });
    await vi.advanceTimersByTimeAsync(100);
    expect(fromChat(t, 602)).toBe(2); // at once, not a minute later
    // Alone, the flood goes on as the window frees (nothing is lost).
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(fromChat(t, 601)).toBe(40);
  });

  it('sixty edits of one copied message go out as one edit with the newest text', async () => {
    const db = memoryDb(privacy);
    const flood = caseFor(db, 603, 70);
    const t = stack(db, telegram);
    for (let i = 0; i < 60; i++) t.inbox.carryClientEdit(flood, edited(5, `edit ${i}`), STAFF, 900);
    expect(db.select().from(outbox).all().map((r) => r.kind)).toEqual(['edit']);
    t.relay.start();
    await vi.advanceTimersByTimeAsync(1_000);
    const edits = t.teamCalls().filter((c) => c.method === 'editMessageText');
    expect(edits.map((c) => [c.payload.message_id, c.payload.text])).toEqual([[900, 'edit 59']]);
  });

  it('a client\'s edits wait in their own lane: another client\'s words go first', async () => {
    const db = memoryDb(privacy);
    const flood = caseFor(db, 604, 70);
    const calm = caseFor(db, 605, 80);
    const t = stack(db, telegram);
    t.relay.accept({ caseId: flood.id, toClient: false, sourceMessageId: 1 });
    t.relay.start();
    await vi.advanceTimersByTimeAsync(100); // the flood's lane had a slot this minute
    for (let i = 0; i < 30; i++) t.inbox.carryClientEdit(flood, edited(10 + i, `edit ${i}`), STAFF, 900 + i); // thirty messages, one edit each
    t.relay.accept({ caseId: calm.id, toClient: false, sourceMessageId: 1 });
    await vi.advanceTimersByTimeAsync(100);
    const sent = t.teamCalls().map((c) => (c.method === 'copyMessage' ? `copy ${String(c.payload.from_chat_id)}` : c.method));
    expect(sent.slice(0, 2)).toEqual(['copy 604', 'copy 605']);
    // Alone again, the edits go on, but past its share of 8 slots it leaves 6 of the minute's 20 free.
    expect(sent).toHaveLength(14);
  });

  it('what a client causes by ending and coming back is merged per case: one post of each kind waits', () => {
    const db = memoryDb(privacy);
    const a = caseFor(db, 606, 70, true);
    const t = stack(db, telegram);
    for (let i = 0; i < 5; i++) {
      t.inbox.close(a.id, 'client');
      const back = openCase(db, { clientKey: a.clientKey, topic: 'mental', urgent: true, inbox: 'main', now: Date.now(), reuseUrgentSince: Date.now() - 60_000 });
      expect(back.opened && back.reopened).toBe(true);
      t.inbox.reopenTopic(back.case);
    }
    const rows = db.select().from(outbox).all().filter((r) => !r.toClient);
    expect(rows.map((r) => r.kind).sort()).toEqual(['card', 'close-topic', 'note', 'note', 'rename', 'reopen']);
  });

  it('a new urgent case of another client goes before the urgent case of a client served moments ago', async () => {
    const db = memoryDb(privacy);
    const attacker = caseFor(db, 607, 70, true);
    const victim = caseFor(db, 608, 80, true);
    const t = stack(db, telegram);
    t.relay.accept({ caseId: attacker.id, toClient: false, sourceMessageId: 1 });
    t.relay.start();
    await vi.advanceTimersByTimeAsync(100);
    t.relay.postToTeam({ kind: 'reopen' }, { row: attacker, byClient: true });
    t.relay.postToTeam({ kind: 'reopen' }, { row: victim, byClient: true });
    await vi.advanceTimersByTimeAsync(100);
    expect(t.teamCalls().filter((c) => c.method === 'reopenForumTopic').map((c) => c.payload.message_thread_id)).toEqual([80, 70]);
  });
});
