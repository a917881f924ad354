import { and, eq, inArray, isNotNull, lt } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { stories, type StoryRow } from '../db/schema.js';
import { CHAT_REF_BINDING, randomPseudonym, type Privacy } from '../privacy/keys.js';
import type { Sealer } from '../privacy/sealing.js';

/**
 * Readers' stories, from the first message to the decision. A story is written as a draft (the author
 * adds messages), checked by the author (kind, substances, preview), submitted (pending), approved by
 * editors, published once (src/stories/publish.ts), or rejected or withdrawn. The author's words are
 * sealed under the story's random number; once the story is decided they are gone, and once the author
 * is told, so is every link to them.
 */

export const KINDS = ['trip', 'services', 'other'] as const;
export type StoryKind = (typeof KINDS)[number];
/** Statuses in which the author may still withdraw and editors may still act. */
export const OPEN_STATUSES = ['pending', 'approved'] as const;
const DECIDED = ['published', 'rejected', 'withdrawn'] as const;
export type Decision = (typeof DECIDED)[number];

const HOUR = 3_600_000;
const hourOf = (now: number) => Math.floor(now / HOUR) * HOUR;
const aad = (number: string, which: 'original' | 'edited') => `stories:${number}:${which}`;

/** "S-7K3Q": random, never derived from the author (the same alphabet as pseudonyms, no look-alikes). */
export function randomStoryNumber(): string {
  return `S-${randomPseudonym(4)}`;
}

/** "s-7k3q", "7K3Q", "S 7K3Q" → "S-7K3Q", or undefined. */
export function normalizeStoryNumber(input: string): string | undefined {
  const cleaned = input.trim().toUpperCase().replace(/^S[-\s]?/, '');
  return /^[2-9A-Z]{4,6}$/.test(cleaned) ? `S-${cleaned}` : undefined;
}

export function findStory(db: Db, number: string): StoryRow | undefined {
  return db.select().from(stories).where(eq(stories.number, number)).get();
}

/** The author's draft (being written or checked), if any. */
export function findDraft(db: Db, clientKey: string): StoryRow | undefined {
  return db
    .select()
    .from(stories)
    .where(and(eq(stories.clientKey, clientKey), inArray(stories.status, ['draft', 'review'])))
    .get();
}

/** The author's stories still waiting for a decision. */
export function openStoriesOf(db: Db, clientKey: string): StoryRow[] {
  return db
    .select()
    .from(stories)
    .where(and(eq(stories.clientKey, clientKey), inArray(stories.status, [...OPEN_STATUSES, 'publishing'])))
    .orderBy(stories.id)
    .all();
}

/** Stories waiting for editors, oldest first. */
export function openStories(db: Db): StoryRow[] {
  return db.select().from(stories).where(inArray(stories.status, [...OPEN_STATUSES])).orderBy(stories.id).all();
}

/** A fresh, empty draft (any earlier draft of the author's is dropped). */
export function startDraft(db: Db, sealer: Sealer, clientKey: string, lang: string, now: number): StoryRow {
  return db.$client.transaction(() => {
    db.delete(stories).where(and(eq(stories.clientKey, clientKey), inArray(stories.status, ['draft', 'review']))).run();
    for (;;) {
      const number = randomStoryNumber();
      const row = db
        .insert(stories)
        .values({ number, clientKey, status: 'draft', lang, sealedOriginal: sealer.seal('', aad(number, 'original')), updatedHour: hourOf(now) })
        .onConflictDoNothing()
        .returning()
        .get();
      if (row) return row;
    }
  })();
}

/** The text editors see now: an editor's version, else the author's. */
export function storyText(sealer: Sealer, row: StoryRow): string {
  if (row.sealedEdited) return sealer.open(row.sealedEdited, aad(row.number!, 'edited'));
  return row.sealedOriginal ? sealer.open(row.sealedOriginal, aad(row.number!, 'original')) : '';
}

/** The author's words as they submitted them (kept sealed until the story is decided). */
export function originalText(sealer: Sealer, row: StoryRow): string {
  return row.sealedOriginal ? sealer.open(row.sealedOriginal, aad(row.number!, 'original')) : '';
}

/** Adds a message to a draft; refuses (and says how much room is left) past `limit` characters. */
export function appendToDraft(db: Db, sealer: Sealer, row: StoryRow, text: string, limit: number, now: number): { ok: true; length: number } | { ok: false; room: number } {
  const before = originalText(sealer, row);
  const joined = before ? `${before}\n\n${text}` : text;
  if (joined.length > limit) return { ok: false, room: Math.max(0, limit - before.length - (before ? 2 : 0)) };
  db.update(stories)
    .set({ sealedOriginal: sealer.seal(joined, aad(row.number!, 'original')), updatedHour: hourOf(now) })
    .where(eq(stories.id, row.id))
    .run();
  return { ok: true, length: joined.length };
}

/** The author is done writing: the (scrubbed) text is fixed and they choose kind and substances. */
export function finishWriting(db: Db, sealer: Sealer, row: StoryRow, scrubbed: string, now: number): void {
  db.update(stories)
    .set({ status: 'review', sealedOriginal: sealer.seal(scrubbed, aad(row.number!, 'original')), updatedHour: hourOf(now) })
    .where(eq(stories.id, row.id))
    .run();
}

export function setKind(db: Db, id: number, kind: StoryKind): void {
  db.update(stories).set({ kind }).where(eq(stories.id, id)).run();
}

export function substancesOf(row: StoryRow): string[] {
  const parsed: unknown = JSON.parse(row.substances);
  return Array.isArray(parsed) ? parsed.filter((s): s is string => typeof s === 'string') : [];
}

export function toggleSubstance(db: Db, row: StoryRow, id: string): string[] {
  const now = substancesOf(row);
  const next = now.includes(id) ? now.filter((s) => s !== id) : [...now, id];
  db.update(stories).set({ substances: JSON.stringify(next) }).where(eq(stories.id, row.id)).run();
  return next;
}

/** The author confirms: the story waits for editors, with the author's chat sealed under its number. */
export function submitStory(db: Db, privacy: Privacy, row: StoryRow, chatId: number, now: number): StoryRow | undefined {
  return db
    .update(stories)
    .set({ status: 'pending', chatRef: privacy.encryptChatId(chatId, CHAT_REF_BINDING.story(row.number!)), updatedHour: hourOf(now) })
    .where(and(eq(stories.id, row.id), eq(stories.status, 'review')))
    .returning()
    .get();
}

/** The author's chat, or undefined if the link is gone (told already) or does not open. */
export function authorChat(privacy: Privacy, row: StoryRow): number | undefined {
  if (!row.chatRef || !row.number) return undefined;
  try {
    return privacy.decryptChatId(row.chatRef, CHAT_REF_BINDING.story(row.number));
  } catch {
    return undefined;
  }
}

export function approvalsOf(row: StoryRow): number[] {
  const parsed: unknown = JSON.parse(row.approvals);
  return Array.isArray(parsed) ? parsed.filter((n): n is number => typeof n === 'number') : [];
}

/**
 * An editor approves the story as it is now. `needed` different editors make it approved. Returns what
 * happened: `again` if this editor had approved already.
 */
export function approveStory(db: Db, row: StoryRow, editorId: number, needed: number): { result: 'again' | 'counted' | 'approved'; count: number } {
  const approvals = approvalsOf(row);
  if (approvals.includes(editorId)) return { result: 'again', count: approvals.length };
  const next = [...approvals, editorId];
  const approved = next.length >= needed;
  db.update(stories)
    .set({ approvals: JSON.stringify(next), status: approved ? 'approved' : 'pending' })
    .where(and(eq(stories.id, row.id), inArray(stories.status, [...OPEN_STATUSES])))
    .run();
  return { result: approved ? 'approved' : 'counted', count: next.length };
}

/** An editor's version of the text: approvals start again (they approved another text). */
export function editStory(db: Db, sealer: Sealer, row: StoryRow, text: string): void {
  db.update(stories)
    .set({ sealedEdited: sealer.seal(text, aad(row.number!, 'edited')), approvals: '[]', status: 'pending' })
    .where(eq(stories.id, row.id))
    .run();
}

export function setStoryChannel(db: Db, row: StoryRow, channel: string): void {
  db.update(stories).set({ channel, approvals: '[]', status: 'pending' }).where(eq(stories.id, row.id)).run();
}

/** Moves an approved story to "publishing", once: whoever gets it sends it. */
export function claimForPublishing(db: Db, id: number): boolean {
  return db.update(stories).set({ status: 'publishing' }).where(and(eq(stories.id, id), eq(stories.status, 'approved'))).run().changes === 1;
}

/** Back to approved after a send that certainly did not happen (Telegram refused it). */
export function releasePublishing(db: Db, id: number): void {
  db.update(stories).set({ status: 'approved' }).where(and(eq(stories.id, id), eq(stories.status, 'publishing'))).run();
}

/**
 * Decides a story: its words go at once (a published one is in the channel now). The link to the author
 * stays until they are told (`authorTold`). Only an open story (or one being published, for "published")
 * can be decided; returns the row, or undefined if it was not open.
 */
export function decideStory(db: Db, id: number, decision: Decision, now: number, reason?: string): StoryRow | undefined {
  // Rejected may follow a send in doubt (the editors checked the channel); withdrawn only while open.
  const from = decision === 'published' ? ['publishing'] : decision === 'rejected' ? [...OPEN_STATUSES, 'publishing'] : [...OPEN_STATUSES];
  return db
    .update(stories)
    .set({ status: decision, sealedOriginal: null, sealedEdited: null, approvals: '[]', questionOpen: false, answering: false, reason: reason ?? null, updatedHour: hourOf(now) })
    .where(and(eq(stories.id, id), inArray(stories.status, from)))
    .returning()
    .get();
}

/** The author has been told (or cannot be): nothing links the story to anyone any more. */
export function authorTold(db: Db, id: number): void {
  db.update(stories).set({ chatRef: null, clientKey: null, reason: null }).where(eq(stories.id, id)).run();
}

/** Decided stories whose author has not been told yet (a crash between the decision and the message). */
export function untoldDecisions(db: Db): StoryRow[] {
  return db
    .select()
    .from(stories)
    .where(and(inArray(stories.status, [...DECIDED]), isNotNull(stories.chatRef)))
    .all();
}

export function askQuestion(db: Db, id: number): void {
  db.update(stories).set({ questionOpen: true }).where(eq(stories.id, id)).run();
}

/** The author pressed "Answer": their next message goes to the editors under the number. */
export function startAnswer(db: Db, clientKey: string, number: string): StoryRow | undefined {
  return db.$client.transaction(() => {
    db.update(stories).set({ answering: false }).where(eq(stories.clientKey, clientKey)).run();
    return db
      .update(stories)
      .set({ answering: true })
      .where(and(eq(stories.clientKey, clientKey), eq(stories.number, number), eq(stories.questionOpen, true), inArray(stories.status, [...OPEN_STATUSES])))
      .returning()
      .get();
  })();
}

export function answeringStory(db: Db, clientKey: string): StoryRow | undefined {
  return db.select().from(stories).where(and(eq(stories.clientKey, clientKey), eq(stories.answering, true))).get();
}

export function answerGiven(db: Db, id: number): void {
  db.update(stories).set({ answering: false, questionOpen: false }).where(eq(stories.id, id)).run();
}

/** The author cancelled: the draft and its words go. */
export function deleteDraft(db: Db, id: number): void {
  db.delete(stories).where(and(eq(stories.id, id), inArray(stories.status, ['draft', 'review']))).run();
}

/** Drafts left alone for `maxAgeMs` go (they hold the author's words). */
export function purgeStaleDrafts(db: Db, now: number, maxAgeMs: number): number {
  return db
    .delete(stories)
    .where(and(inArray(stories.status, ['draft', 'review']), lt(stories.updatedHour, now - maxAgeMs)))
    .run().changes;
}

/** Numbers of the author's open stories (for the editors' note after /forget removes them). */
export function openNumbers(db: Db, clientKey: string): string[] {
  return openStoriesOf(db, clientKey).map((s) => s.number!);
}


/** Records messages in the editors' chat that show a story's words (deleted with it on withdrawal or /forget). */
export function addEditorMessages(db: Db, id: number, chatId: number, messageIds: number[]): void {
  if (messageIds.length === 0) return;
  const row = db.select({ editorMessages: stories.editorMessages }).from(stories).where(eq(stories.id, id)).get();
  if (!row) return;
  const pairs = [...(JSON.parse(row.editorMessages) as [number, number][]), ...messageIds.map((m): [number, number] => [chatId, m])];
  db.update(stories).set({ editorMessages: JSON.stringify(pairs) }).where(eq(stories.id, id)).run();
}

/** Where a story's words are in the editors' chat: chat and message, paired. */
export function editorMessagesOf(row: Pick<StoryRow, 'editorMessages'>): { chatId: number; messageId: number }[] {
  return (JSON.parse(row.editorMessages) as [number, number][]).map(([chatId, messageId]) => ({ chatId, messageId }));
}
