import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ensureClient, forgetClient } from '../../src/db/clients.js';
import { stories } from '../../src/db/schema.js';
import { createPrivacy } from '../../src/privacy/keys.js';
import { REMOVED, scrubIdentifiers } from '../../src/privacy/scrub.js';
import {
  appendToDraft,
  approveStory,
  authorChat,
  authorTold,
  claimForPublishing,
  decideStory,
  editStory,
  findStory,
  finishWriting,
  normalizeStoryNumber,
  purgeStaleDrafts,
  startDraft,
  storyText,
  submitStory,
  untoldDecisions,
} from '../../src/stories/store.js';
import { framedStory, loadStoryContent, storyLimit } from '../../src/stories/content.js';
import { publishStory, resolveInDoubt } from '../../src/stories/publish.js';
import { publications } from '../../src/db/schema.js';
import { GrammyError, HttpError, type Api } from 'grammy';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { memoryDb } from '../support/db.js';
import { join } from 'node:path';

const privacy = createPrivacy('stories-secret-stories-secret-stories-1');
const NOW = Date.UTC(2026, 11, 1, 9, 37);

function pending(db: ReturnType<typeof memoryDb>, userId: number, text: string) {
  const key = privacy.clientKey(userId);
  ensureClient(db, privacy, key, userId);
  const draft = startDraft(db, privacy.stories, key, 'en', NOW);
  appendToDraft(db, privacy.stories, draft, text, 1000, NOW);
  finishWriting(db, privacy.stories, findStory(db, draft.number!)!, text, NOW);
  return { key, row: submitStory(db, privacy, findStory(db, draft.number!)!, userId, NOW)! };
}

describe('scrubbing a story of obvious identifiers', () => {
  it('removes phone numbers, @usernames, Telegram links and e-mails, and counts them; keeps dates, times and doses', () => {
    expect(scrubIdentifiers('call +7 (701) 123-45-67 or 87011234567, or @dealer_kz, t.me/some_group, me@mail.kz')).toEqual({
      text: `call ${REMOVED} or ${REMOVED}, or ${REMOVED}, ${REMOVED}, ${REMOVED}`,
      removed: 5,
    });
    expect(scrubIdentifiers('on 2026-12-01 (01.12.2026) at 23:30 I took 150 mg, then 0.5 g')).toEqual({ text: 'on 2026-12-01 (01.12.2026) at 23:30 I took 150 mg, then 0.5 g', removed: 0 });
  });
});

describe('the story store', () => {
  it('numbers are random (S- and four characters), drafts grow until the limit, and the words are sealed under the number', () => {
    const db = memoryDb();
    const key = privacy.clientKey(11);
    ensureClient(db, privacy, key, 11);
    const draft = startDraft(db, privacy.stories, key, 'en', NOW);
    expect(draft.number).toMatch(/^S-[2-9A-HJKMNP-TV-Z]{4}$/);
    expect(normalizeStoryNumber(draft.number!.toLowerCase().replace('-', ' '))).toBe(draft.number);
    expect(appendToDraft(db, privacy.stories, draft, 'first part', 30, NOW)).toEqual({ ok: true, length: 10 });
    expect(appendToDraft(db, privacy.stories, findStory(db, draft.number!)!, 'a second part that is too long', 30, NOW)).toEqual({ ok: false, room: 18 });
    const row = findStory(db, draft.number!)!;
    expect(row.sealedOriginal).not.toContain('first');
    expect(storyText(privacy.stories, row)).toBe('first part');
    // Bound to its number: the sealed text moved to another story does not open.
    ensureClient(db, privacy, privacy.clientKey(12), 12);
    const other = startDraft(db, privacy.stories, privacy.clientKey(12), 'en', NOW);
    expect(() => storyText(privacy.stories, { ...other, sealedOriginal: row.sealedOriginal })).toThrow();
  });

  it('needs different editors; an edit starts the approvals again; deciding drops the words, telling the author drops the link', () => {
    const db = memoryDb();
    const { row } = pending(db, 21, 'my story');
    expect(authorChat(privacy, row)).toBe(21);
    expect(approveStory(db, row, 501, 2)).toEqual({ result: 'counted', count: 1 });
    expect(approveStory(db, findStory(db, row.number!)!, 501, 2)).toEqual({ result: 'again', count: 1 });
    editStory(db, privacy.stories, findStory(db, row.number!)!, 'edited story');
    expect(approveStory(db, findStory(db, row.number!)!, 501, 2)).toEqual({ result: 'counted', count: 1 });
    expect(approveStory(db, findStory(db, row.number!)!, 502, 2)).toEqual({ result: 'approved', count: 2 });
    expect(storyText(privacy.stories, findStory(db, row.number!)!)).toBe('edited story');
    expect(claimForPublishing(db, row.id)).toBe(true);
    expect(claimForPublishing(db, row.id)).toBe(false); // one sender only
    expect(decideStory(db, row.id, 'withdrawn', NOW)).toBeUndefined(); // too late to withdraw while it is being sent
    const decided = decideStory(db, row.id, 'published', NOW)!;
    expect(decided).toMatchObject({ status: 'published', sealedOriginal: null, sealedEdited: null });
    expect(untoldDecisions(db).map((r) => r.id)).toEqual([row.id]);
    authorTold(db, row.id);
    expect(findStory(db, row.number!)).toMatchObject({ chatRef: null, clientKey: null });
    expect(untoldDecisions(db)).toEqual([]);
  });

  it('/forget deletes drafts and open stories with the client row; decided stories unlinked before stay, linking to nobody', () => {
    const db = memoryDb();
    const { key, row } = pending(db, 31, 'waiting');
    const told = pending(db, 31, 'rejected one').row;
    decideStory(db, told.id, 'rejected', NOW, 'no');
    authorTold(db, told.id);
    startDraft(db, privacy.stories, key, 'en', NOW);
    const erased = forgetClient(db, key)!;
    expect(erased.rows.stories).toBe(2);
    expect(findStory(db, row.number!)).toBeUndefined();
    expect(db.select().from(stories).where(eq(stories.id, told.id)).get()).toMatchObject({ status: 'rejected', clientKey: null, chatRef: null });
  });

  it('drafts left alone for a day are purged', () => {
    const db = memoryDb();
    const key = privacy.clientKey(41);
    ensureClient(db, privacy, key, 41);
    startDraft(db, privacy.stories, key, 'en', NOW);
    expect(purgeStaleDrafts(db, NOW + 3_600_000, 86_400_000)).toBe(0);
    expect(purgeStaleDrafts(db, NOW + 2 * 86_400_000, 86_400_000)).toBe(1);
  });
});

describe('the shipped story frames', () => {
  it.each(['ru', 'kk', 'en'])('%s: a channel, substances, rules, and a frame that fits a story of the full length in one message', (lang) => {
    const content = loadStoryContent(join(PROJECT_ROOT, 'content'), lang);
    expect(content.substances.length).toBeGreaterThan(0);
    expect(content.rulesHtml).toMatch(/<b>/);
    const html = framedStory(content, 'x'.repeat(storyLimit(content)), 'y'.repeat(40), content.substances.map((s) => s.label));
    expect(html.replace(/<[^>]+>/g, '').length).toBeLessThanOrEqual(4096);
    expect(framedStory(content, '<b>not markup</b>', 'k', [])).toContain('&lt;b&gt;not markup&lt;/b&gt;');
  });
});

describe('publishing a story once', () => {
  /** An approved story being sent, and an API whose sendMessage does what `send` says. */
  function sending(send: () => Promise<unknown>) {
    const db = memoryDb();
    const { row } = pending(db, 51, 'a story');
    approveStory(db, row, 1, 1);
    claimForPublishing(db, row.id);
    let calls = 0;
    const api = { sendMessage: async () => { calls++; return send(); } } as unknown as Api;
    const publish = () => publishStory(db, api, { id: row.id, number: row.number! }, 'framed', 'news', '@news', NOW);
    return { db, row, publish, calls: () => calls };
  }
  const ledger = (db: ReturnType<typeof memoryDb>) => db.select().from(publications).all();

  it('sent: the ledger says sent with the message id and the story is published, in one go; a second call sends nothing', async () => {
    const { db, row, publish, calls } = sending(async () => ({ message_id: 77 }));
    expect(await publish()).toEqual({ status: 'sent', messageIds: [77] });
    expect(ledger(db)).toMatchObject([{ postSlug: `story/${row.number}`, status: 'sent', messageIds: '[77]' }]);
    expect(findStory(db, row.number!)?.status).toBe('published');
    expect(await publish()).toEqual({ status: 'sent', messageIds: [77] });
    expect(calls()).toBe(1);
  });

  it('no answer from Telegram: in doubt, never sent again by itself; an editor who finds it in the channel marks it published, else it is sent again once', async () => {
    const { db, row, publish, calls } = sending(async () => { throw new HttpError('network', new Error('socket hang up')); });
    expect(await publish()).toEqual({ status: 'in-doubt' });
    expect(ledger(db)).toMatchObject([{ status: 'unknown' }]);
    expect(await publish()).toEqual({ status: 'in-doubt' });
    expect(calls()).toBe(1);
    expect(resolveInDoubt(db, { id: row.id, number: row.number! }, false, NOW)).toBe(true);
    expect(findStory(db, row.number!)?.status).toBe('approved');
    expect(ledger(db)).toEqual([]);
    expect(resolveInDoubt(db, { id: row.id, number: row.number! }, true, NOW)).toBe(false); // nothing in doubt now
  });

  it('an editor finds a send in doubt in the channel: published, never sent again', async () => {
    const { db, row, publish } = sending(async () => { throw new HttpError('network', new Error('timeout')); });
    await publish();
    expect(resolveInDoubt(db, { id: row.id, number: row.number! }, true, NOW)).toBe(true);
    expect(findStory(db, row.number!)?.status).toBe('published');
    expect(ledger(db)).toMatchObject([{ status: 'sent' }]);
  });

  it('Telegram refuses: nothing was posted, the claim is released so the editors can try again', async () => {
    const { db, publish } = sending(async () => {
      throw new GrammyError('refused', { ok: false, error_code: 400, description: 'Bad Request: chat not found' }, 'sendMessage', {});
    });
    expect(await publish()).toEqual({ status: 'refused', error: '400: Bad Request: chat not found' });
    expect(ledger(db)).toEqual([]);
  });
});

describe('the stories content file', () => {
  it('is read as content is: a FIFO or a link out of the folder is refused, never opened', async () => {
    const { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } = await import('node:fs');
    const { execFileSync } = await import('node:child_process');
    const { tmpdir } = await import('node:os');
    const root = mkdtempSync(join(tmpdir(), 'stories-hostile-'));
    mkdirSync(join(root, 'stories'));
    const outside = join(mkdtempSync(join(tmpdir(), 'outside-')), 'secret.md');
    writeFileSync(outside, '---\ntitle: x\n---\nsecret');
    symlinkSync(outside, join(root, 'stories', 'en.md'));
    expect(() => loadStoryContent(root, 'en')).toThrow(/outside the content folder/);
    execFileSync('mkfifo', [join(root, 'stories', 'ru.md')]);
    expect(() => loadStoryContent(root, 'ru')).toThrow(/not a regular file/);
  });
});
