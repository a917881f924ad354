import { describe, expect, it } from 'vitest';
import { ensureClient, forgetClient } from '../../src/db/clients.js';
import { cases, pendingDeletions, relayMessages } from '../../src/db/schema.js';
import { eq, inArray } from 'drizzle-orm';
import { adoptUnconfiguredInboxes, attachTopic, casesInAnotherChat, closeCase, findCaseByThread, openCase, purgeClosedCases, recordLegacyTeamChats } from '../../src/inbox/cases.js';
import { caseOfInboxMessage } from '../../src/relay/pairs.js';
import { Inboxes } from '../../src/inbox/inboxes.js';
import { parseRoutes } from '../../src/inbox/inbox-config.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { memoryDb } from '../support/db.js';

const MAIN = -1001000000001;
const LAWYERS = -1001000000002;
const SOUTH = -1001000000003;
const routes = (text: string) => parseRoutes(text).routes;
const three = (rules = '') =>
  new Inboxes(
    [
      { name: 'main', chatId: MAIN },
      { name: 'lawyers', chatId: LAWYERS },
      { name: 'south', chatId: SOUTH },
    ],
    routes(rules),
  );

describe('Inboxes', () => {
  it('knows its inboxes by name and by chat, the first being the default', () => {
    const inboxes = three();
    expect(inboxes.names).toEqual(['main', 'lawyers', 'south']);
    expect(inboxes.chatIds).toEqual([MAIN, LAWYERS, SOUTH]);
    expect(inboxes.default).toBe('main');
    expect(inboxes.byChat(LAWYERS)).toBe('lawyers');
    expect(inboxes.byChat(-1009999999999)).toBeUndefined();
    expect(inboxes.byChat(undefined)).toBeUndefined();
    expect(inboxes.isInbox(SOUTH)).toBe(true);
    expect(inboxes.isInbox(12345)).toBe(false); // a private chat is never an inbox
    expect(inboxes.chatOf('south')).toBe(SOUTH);
  });

  it('sends a case whose inbox is unknown or gone to the default inbox', () => {
    const inboxes = new Inboxes([{ name: 'general', chatId: MAIN }, { name: 'lawyers', chatId: LAWYERS }]);
    expect(inboxes.chatOf('main')).toBe(MAIN); // a row from before INBOXES
    expect(inboxes.chatOf('removed')).toBe(MAIN);
    expect(inboxes.chatOf(null)).toBe(MAIN);
    expect(inboxes.nameOf('removed')).toBe('general');
    expect(inboxes.nameOf('lawyers')).toBe('lawyers');
  });

  it('routes by the first matching rule, else to the default inbox', () => {
    const inboxes = three('topic:legal=lawyers,region:south=south,urgent=main,topic:hiv=south');
    expect(inboxes.route({ topic: 'legal', urgent: false })).toBe('lawyers');
    expect(inboxes.route({ topic: 'substances', urgent: false, region: 'south' })).toBe('south');
    expect(inboxes.route({ topic: 'legal', urgent: false, region: 'south' })).toBe('lawyers'); // first match wins
    expect(inboxes.route({ topic: 'hiv', urgent: true, region: null })).toBe('main'); // urgent comes before topic:hiv
    expect(inboxes.route({ topic: 'hiv', urgent: false })).toBe('south');
    expect(inboxes.route({ topic: 'substances', urgent: false })).toBe('main');
    expect(inboxes.route({ topic: 'social', urgent: false, region: 'north' })).toBe('main');
    // A region rule never matches a client who did not say.
    expect(three('region:south=south').route({ topic: 'other', urgent: false })).toBe('main');
    // With no rules, everything goes to the default inbox.
    expect(three().route({ topic: 'legal', urgent: true, region: 'south' })).toBe('main');
  });

  it('names rules whose topic or region settings.yml does not list', () => {
    const inboxes = three('topic:legal=lawyers,topic:housing=south,region:south=south,urgent=main');
    expect(inboxes.unknownIds({ topics: ['legal', 'other'], regions: [] })).toEqual([
      'INBOX_ROUTES rule "topic:housing=south": "housing" is not one of intake_topics in settings.yml',
      'INBOX_ROUTES rule "region:south=south": "south" is not one of regions in settings.yml',
    ]);
    expect(inboxes.unknownIds({ topics: ['legal', 'housing'], regions: ['south'] })).toEqual([]);
  });
});

const privacy = createPrivacy('inboxes-secret-inboxes-secret-inboxes-1');

function client(db: ReturnType<typeof memoryDb>, id: number): string {
  const key = privacy.clientKey(id);
  ensureClient(db, privacy, key, id);
  return key;
}

describe('cases in several inboxes', () => {
  it('stores the inbox and region of a case', () => {
    const db = memoryDb();
    const { case: row } = openCase(db, { clientKey: client(db, 1), topic: 'legal', inbox: 'lawyers', region: 'south', urgent: false, now: 1 });
    expect(row).toMatchObject({ inbox: 'lawyers', region: 'south' });
    const { case: plain } = openCase(db, { clientKey: client(db, 2), topic: 'other', inbox: 'main', urgent: false, now: 1 });
    expect(plain).toMatchObject({ inbox: 'main', region: null });
  });

  it('finds a case by its topic only in its own chat: two groups can have the same thread id', () => {
    const db = memoryDb();
    const legal = openCase(db, { clientKey: client(db, 1), topic: 'legal', inbox: 'lawyers', urgent: false, now: 1 }).case;
    const drugs = openCase(db, { clientKey: client(db, 2), topic: 'substances', inbox: 'main', urgent: false, now: 1 }).case;
    attachTopic(db, legal.id, LAWYERS, 7);
    attachTopic(db, drugs.id, MAIN, 7); // allowed: thread ids are per chat
    expect(findCaseByThread(db, LAWYERS, 7)?.id).toBe(legal.id);
    expect(findCaseByThread(db, MAIN, 7)?.id).toBe(drugs.id);
    expect(findCaseByThread(db, SOUTH, 7)).toBeUndefined();
    // The inbox name says nothing about where a topic is: pointed elsewhere, "lawyers" does not find it.
    db.update(cases).set({ inbox: 'south' }).run();
    expect(findCaseByThread(db, SOUTH, 7)).toBeUndefined();
    expect(findCaseByThread(db, LAWYERS, 7)?.id).toBe(legal.id);
  });

  it('finds the case of an inbox message only in that chat: message ids are per chat too', () => {
    const db = memoryDb();
    const legal = openCase(db, { clientKey: client(db, 1), topic: 'legal', inbox: 'lawyers', urgent: false, now: 1 }).case;
    const drugs = openCase(db, { clientKey: client(db, 2), topic: 'substances', inbox: 'main', urgent: false, now: 1 }).case;
    db.insert(relayMessages).values({ caseId: legal.id, clientMessageId: 10, inboxMessageId: 500, teamChatId: LAWYERS, fromClient: true }).run();
    db.insert(relayMessages).values({ caseId: drugs.id, clientMessageId: 11, inboxMessageId: 500, teamChatId: MAIN, fromClient: true }).run();
    expect(caseOfInboxMessage(db, LAWYERS, 500)).toBe(legal.id);
    expect(caseOfInboxMessage(db, MAIN, 500)).toBe(drugs.id);
    expect(caseOfInboxMessage(db, SOUTH, 500)).toBeUndefined();
  });

  it('deletes an expired or forgotten case topic in the chat it is in, and says which inboxes had cases', () => {
    const db = memoryDb();
    const sealed = (chat: number) => `sealed:${chat}`;
    const day = 86_400_000;
    const legal = openCase(db, { clientKey: client(db, 1), topic: 'legal', inbox: 'lawyers', urgent: false, now: 0 }).case;
    attachTopic(db, legal.id, LAWYERS, 31);
    closeCase(db, legal.id, day);
    expect(purgeClosedCases(db, 40 * day, 30, sealed)).toBe(1);
    expect(db.select().from(pendingDeletions).all()).toMatchObject([{ chatRef: `sealed:${LAWYERS}`, threadId: 31 }]);

    const key = client(db, 2);
    const first = openCase(db, { clientKey: key, topic: 'legal', inbox: 'lawyers', urgent: false, now: 0 }).case;
    attachTopic(db, first.id, LAWYERS, 40);
    closeCase(db, first.id, 1);
    const second = openCase(db, { clientKey: key, topic: 'other', inbox: 'main', urgent: false, now: 2 }).case;
    attachTopic(db, second.id, MAIN, 40);
    const erased = forgetClient(db, key, sealed);
    expect(erased?.inboxes).toEqual({ lawyers: 1, main: 1 });
    expect(db.select().from(pendingDeletions).all().slice(1)).toMatchObject([
      { chatRef: `sealed:${LAWYERS}`, threadId: 40 },
      { chatRef: `sealed:${MAIN}`, threadId: 40 },
    ]);
  });

  it('moves cases of an inbox no longer configured to the default inbox; their topics stay recorded in their own chat', () => {
    const db = memoryDb();
    // Rows from before INBOXES: the migration stored "main" (the column's default).
    const old = openCase(db, { clientKey: client(db, 1), topic: 'other', inbox: 'main', urgent: false, now: 0 }).case;
    attachTopic(db, old.id, MAIN, 5);
    const gone = openCase(db, { clientKey: client(db, 2), topic: 'other', inbox: 'gone', urgent: false, now: 0 }).case;
    attachTopic(db, gone.id, SOUTH, 9);
    const here = openCase(db, { clientKey: client(db, 3), topic: 'other', inbox: 'general', urgent: false, now: 0 }).case;
    attachTopic(db, here.id, MAIN, 9);
    expect(adoptUnconfiguredInboxes(db, ['general', 'lawyers'], 'general')).toBe(2);
    expect(db.select().from(cases).all().map((c) => [c.inbox, c.teamChatId, c.threadId])).toEqual([
      ['general', MAIN, 5],
      ['general', SOUTH, 9],
      ['general', MAIN, 9],
    ]);
    // "general" is MAIN's group: the adopted case whose topic is in SOUTH's is one to move at start.
    expect(casesInAnotherChat(db, () => MAIN).map((c) => c.id)).toEqual([gone.id]);
    expect(adoptUnconfiguredInboxes(db, ['general'], 'general')).toBe(0);
  });

  it('records, at the upgrade, the chat of topics from before, where their inbox is known', () => {
    const db = memoryDb();
    const known = openCase(db, { clientKey: client(db, 1), topic: 'other', inbox: 'lawyers', urgent: false, now: 0 }).case;
    const unknown = openCase(db, { clientKey: client(db, 2), topic: 'other', inbox: 'gone', urgent: false, now: 0 }).case;
    const none = openCase(db, { clientKey: client(db, 3), topic: 'other', inbox: 'lawyers', urgent: false, now: 0 }).case;
    db.update(cases).set({ threadId: 3 }).where(inArray(cases.id, [known.id, unknown.id])).run();
    // A "main" row the old adoption left (its topic id was taken in the group it would move to).
    const clash = openCase(db, { clientKey: client(db, 4), topic: 'other', inbox: 'main', urgent: false, now: 0 }).case;
    db.update(cases).set({ threadId: 3 }).where(eq(cases.id, clash.id)).run();
    const chats: Record<string, number> = { lawyers: LAWYERS, main: LAWYERS };
    expect(recordLegacyTeamChats(db, (name) => chats[name])).toBe(1);
    expect(db.select().from(cases).all().map((c) => [c.id, c.teamChatId])).toEqual([
      [known.id, LAWYERS],
      [unknown.id, null],
      [none.id, null],
      [clash.id, null],
    ]);
  });
});
