import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Message } from '../../src/sandbox/telegram-sim/index.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { chatHelpers } from '../support/chat.js';
import { contentFolder } from '../support/content.js';

/**
 * What a client is told about checking (issue 20): "checked by the organisation's doctor on …" only under
 * a card a clinician signed within the year; an [[ORG: …]] placeholder never reaches the chat.
 */
let fake: FakeTelegram;
let bot: InProcessBot;
const textOf = (m: Message) => String(m.text ?? m.caption ?? '');
const { clientSees } = chatHelpers(() => fake);
const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
const shown = (iso: string) => iso.split('-').reverse().join('.');
const RECENT = day(20);

const card = (slug: string, order: number, front: string, body: string) => [
  `info/en/${slug}.md`,
  `---\ntitle: ${slug}\nsection: Overdose\norder: ${order}\nsources: [WHO 2014]\n${front}---\n${body}\n`,
];

beforeAll(async () => {
  const root = contentFolder(
    Object.fromEntries([
      ['settings.yml', readFileSync(join(PROJECT_ROOT, 'content', 'settings.yml'), 'utf8')],
      card('signed', 1, `topic: medical\nreview:\n  clinician: { by: "A.K.", on: ${RECENT} }\n`, 'Give naloxone. Call {{ambulance}}.'),
      card('stale', 2, `topic: medical\nreview:\n  clinician: { by: "A.K.", on: ${day(400)} }\n`, 'Old text.'),
      card('legal', 3, 'topic: legal\n', 'Stay calm. Article: [[ORG: the article of the Code]]. Ask for a lawyer.'),
    ]),
  );
  cpSync(join(PROJECT_ROOT, 'content', 'locales'), join(root, 'locales'), { recursive: true });
  fake = await FakeTelegram.start();
  const staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [] });
  bot = await startInProcessBot({ BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, STAFF_CHAT_ID: String(staff.id), DEFAULT_LANGUAGE: 'en', CONTENT_DIR: root });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

async function open(slug: string): Promise<string> {
  const client = fake.createUser({ first_name: 'Reader', language_code: 'en' });
  fake.sendText(client, '/info');
  const sections = await clientSees(client, /Safety information/);
  fake.pressButton(client, sections, 'info:s:0');
  const list = await fake.nextBotMessage(client.id, { timeoutMs: 10_000 });
  fake.pressButton(client, list, `info:c:${slug}`);
  const parts: string[] = [];
  for (;;) {
    const m = await fake.nextBotMessage(client.id, { timeoutMs: 10_000 });
    parts.push(textOf(m));
    if (/Questions about this\?/.test(textOf(m))) return parts.join('\n');
  }
}

describe('"checked" claims and placeholders, end to end', () => {
  it('a card a clinician signed within the year says so, with the day', async () => {
    const text = await open('signed');
    expect(text).toContain(`✅ Checked by the organisation's doctor on ${shown(RECENT)}.`);
    expect(text).not.toMatch(/not reviewed/);
  });

  it('a sign-off older than a year claims nothing and says the card is not yet reviewed', async () => {
    const text = await open('stale');
    expect(text).not.toMatch(/Checked by/);
    expect(text).toMatch(/our doctor has not reviewed this card yet/);
  });

  it('an unsigned legal card says a lawyer has not reviewed it; its placeholder becomes "ask a consultant"', async () => {
    const text = await open('legal');
    expect(text).toMatch(/not yet reviewed by our lawyer/);
    expect(text).toMatch(/Stay calm\. Ask a consultant about this: the details are being confirmed locally\. Ask for a lawyer\./);
    expect(text).not.toMatch(/ORG|\[\[/);
  });
});
