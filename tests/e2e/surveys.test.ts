import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram, type Message } from '../../src/sandbox/telegram-sim/index.js';
import { surveyMarkers, surveyOptIns, surveyProgress, surveyResponses } from '../../src/db/schema.js';
import { startInProcessBot, type InProcessBot } from '../support/in-process-bot.js';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { until } from '../support/wait.js';
import { buttons, chatHelpers } from '../support/chat.js';

/**
 * Surveys (issue 23.2) through Telegram: the real bot over HTTP against the fake Bot API, with the shipped
 * content plus two ready surveys, and drafts offered as in the sandbox (SURVEY_DRAFTS=offered): the
 * shipped sample survey is answered here as a person would in the sandbox.
 */
let fake: FakeTelegram;
let bot: InProcessBot;
let editors: ReturnType<FakeTelegram['createSupergroup']>;
let editor: User;
type User = ReturnType<FakeTelegram['createUser']>;

const SAMPLE = 'sample-drug-checking';
const textOf = (m: Message) => String(m.text ?? m.caption ?? '');
const { clientSees, withButton } = chatHelpers(() => fake);
const uploaded = (fileId: string): Buffer => (fake as unknown as { sim: { world: { files: Map<string, { data?: Buffer }> } } }).sim.world.files.get(fileId)!.data!;

const QUICK = `title: { en: "Quick one", ru: "Быстрый", kk: "Жылдам" }
intro: { en: "Two questions", ru: "Два вопроса", kk: "Екі сұрақ" }
closes: 2099-12-31
ready: { by: "A.K.", on: 2026-01-01 }
questions:
  - id: naloxone
    type: single
    text: { en: "Do you carry naloxone?", ru: "Носишь налоксон?", kk: "Налоксон алып жүресің бе?" }
    options:
      - { id: yes, text: { en: "Yes", ru: "Да", kk: "Иә" } }
      - { id: no, text: { en: "No", ru: "Нет", kk: "Жоқ" } }
  - id: why
    type: text
    text: { en: "Why?", ru: "Почему?", kk: "Неге?" }
`;
const INVITED = QUICK.replace('title: { en: "Quick one"', 'audience: opted-in\ntitle: { en: "For the invited"');

/** Presses a button the message has, and returns the bot's next message in that chat. */
async function press(user: User, message: Message, data: string): Promise<Message> {
  expect(buttons(message), `button ${data} under "${textOf(message).slice(0, 60)}"`).toContain(data);
  fake.pressButton(user, message, data);
  return fake.nextBotMessage(user.id, { timeoutMs: 10_000 });
}

/** Opens the sample survey from its link; returns the first question's screen. */
async function openSample(user: User): Promise<Message> {
  fake.sendText(user, `/start survey-${SAMPLE}`);
  await clientSees(user, /Drug checking: what would help you\?/);
  return withButton(user, `sv:s:${SAMPLE}:0`);
}

beforeAll(async () => {
  const content = mkdtempSync(join(tmpdir(), 'survey-content-'));
  cpSync(join(PROJECT_ROOT, 'content'), content, { recursive: true });
  writeFileSync(join(content, 'surveys', 'quick.yml'), QUICK);
  writeFileSync(join(content, 'surveys', 'invited.yml'), INVITED);
  fake = await FakeTelegram.start();
  editor = fake.createUser({ first_name: 'Editor', language_code: 'en' });
  const staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [editor] });
  editors = fake.createSupergroup({ title: 'Editors', members: [editor] });
  bot = await startInProcessBot({
    BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    STAFF_CHAT_ID: String(staff.id),
    EDITORS_CHAT_ID: String(editors.id),
    DEFAULT_LANGUAGE: 'en',
    CONTENT_DIR: content,
    SURVEY_DRAFTS: 'offered',
  });
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
});

describe('answering a survey', () => {
  it('skip, tick several, stop and continue later, answer in words; stored once, unlinked; a second go is refused', async () => {
    const client = fake.createUser({ first_name: 'Ann', language_code: 'en' });
    let screen = await openSample(client);
    expect(textOf(screen)).toMatch(/1\/6\n\nHave you ever checked a substance/);
    screen = await press(client, screen, `sv:c:${SAMPLE}:0:1`); // sometimes → how
    expect(textOf(screen)).toMatch(/2\/6\n\nHow did you check\?/);
    screen = await press(client, screen, `sv:t:${SAMPLE}:1:0`);
    expect(screen.reply_markup?.inline_keyboard[0]?.[0]?.text).toBe('✅ Reagent test');
    screen = await press(client, screen, `sv:d:${SAMPLE}:1`);
    expect(textOf(screen)).toMatch(/3\/6\n\nHow interested/);
    expect(textOf(screen)).toMatch(/1 — not at all\n5 — very/);
    screen = await press(client, screen, `sv:x:${SAMPLE}`);
    expect(textOf(screen)).toMatch(/kept for a week/);
    expect(bot.db.select().from(surveyProgress).all()).toHaveLength(1);

    // Later, from /surveys: it picks up at the same question.
    fake.sendText(client, '/surveys');
    const list = await withButton(client, `sv:go:${SAMPLE}`);
    expect(buttons(list)).toContain('sv:go:quick');
    expect(buttons(list)).not.toContain('sv:go:invited');
    fake.pressButton(client, list, `sv:go:${SAMPLE}`);
    await clientSees(client, /Let's continue where you stopped|continue/i);
    screen = await withButton(client, `sv:v:${SAMPLE}:2:4`);
    expect(textOf(screen)).toMatch(/3\/6/);
    screen = await press(client, screen, `sv:v:${SAMPLE}:2:4`);
    expect(textOf(screen)).toMatch(/4\/6\n\nWhere would suit you best\?/);
    screen = await press(client, screen, `sv:s:${SAMPLE}:3`);
    screen = await press(client, screen, `sv:d:${SAMPLE}:4`); // nothing ticked: a skip
    expect(textOf(screen)).toMatch(/6\/6\n\nAnything else/);
    fake.sendText(client, 'Closer to the station would help');
    await clientSees(client, /Thank you! This helps us decide/);

    expect(bot.db.select().from(surveyProgress).all()).toEqual([]);
    const [response] = bot.db.select().from(surveyResponses).all();
    expect(response).toMatchObject({ surveyId: SAMPLE, answeredOn: new Date().toISOString().slice(0, 10) });
    expect(response!.sealedAnswers).not.toMatch(/station|reagent/);
    expect(bot.db.select().from(surveyMarkers).all()).toHaveLength(1);
    // The words went into the survey, not to the team as a consultation.
    expect(fake.messages(bot.config.staffChatId).some((m) => /station/.test(textOf(m)))).toBe(false);

    fake.sendText(client, `/start survey-${SAMPLE}`);
    await clientSees(client, /already answered/);
    expect(bot.db.select().from(surveyResponses).all()).toHaveLength(1);
  }, 60_000);

  it('branches: "never" goes straight to the interest question', async () => {
    const client = fake.createUser({ first_name: 'Ben', language_code: 'ru' });
    fake.sendText(client, `/start survey-${SAMPLE}`);
    const screen = await withButton(client, `sv:c:${SAMPLE}:0:0`);
    expect(textOf(screen)).toMatch(/Бывало ли/);
    const next = await press(client, screen, `sv:c:${SAMPLE}:0:0`);
    expect(textOf(next)).toMatch(/3\/6\n\nНасколько тебе интересен/);
  }, 30_000);

  it('a survey for opted-in clients: refused until the client opts in from /surveys, then offered', async () => {
    const client = fake.createUser({ first_name: 'Cy', language_code: 'en' });
    fake.sendText(client, '/start survey-invited');
    const refusal = await clientSees(client, /for clients who asked to be invited/);
    const list = await press(client, refusal, 'sv:opt:on');
    expect(textOf(list)).toMatch(/You will be invited/);
    expect(buttons(list)).toContain('sv:go:invited');
    expect(bot.db.select().from(surveyOptIns).all()).toHaveLength(1);
    // The main menu offers surveys while one is open.
    fake.sendText(client, '/start');
    expect(buttons(await clientSees(client, /./))).toContain('menu:surveys');
    // Invitations: one per open survey, to this client only (the only one opted in so far), once.
    await bot.created.surveyInvitations.run();
    const invitations = fake.botMessages(client.id).filter((m) => /A new survey/.test(textOf(m)));
    expect(invitations.map((m) => buttons(m)[0]).sort()).toEqual(['sv:go:invited', 'sv:go:quick', `sv:go:${SAMPLE}`]);
    await bot.created.surveyInvitations.run();
    expect(fake.botMessages(client.id).filter((m) => /A new survey/.test(textOf(m)))).toHaveLength(3);
    const invitation = invitations.find((m) => buttons(m)[0] === 'sv:go:invited')!;
    fake.pressButton(client, invitation, 'sv:go:invited');
    await clientSees(client, /For the invited/);
    await withButton(client, 'sv:c:invited:0:0');
    // /privacy says what a survey keeps (and still fits one message).
    fake.sendText(client, '/privacy');
    expect(textOf(await clientSees(client, /Surveys: while you answer/))).toMatch(/Surveys: while you answer, your answers are kept sealed .* \/forget does not erase that code/);
  }, 30_000);

  it('/forget erases an unfinished survey and the opt-in, and says so', async () => {
    const client = fake.createUser({ first_name: 'Dee', language_code: 'en' });
    const screen = await openSample(client);
    await press(client, screen, `sv:c:${SAMPLE}:0:2`);
    const optIn = await (async () => {
      fake.sendText(client, '/surveys');
      return withButton(client, 'sv:opt:on');
    })();
    await press(client, optIn, 'sv:opt:on');
    const progress = bot.db.select().from(surveyProgress).all().length;
    fake.sendText(client, '/forget');
    const confirm = await withButton(client, 'forget:yes');
    fake.pressButton(client, confirm, 'forget:yes');
    const done = await clientSees(client, /Erased/);
    expect(textOf(done)).toMatch(/1 unfinished survey/);
    expect(textOf(done)).toMatch(/your request to be invited to surveys/);
    expect(bot.db.select().from(surveyProgress).all()).toHaveLength(progress - 1);
    expect(bot.db.select().from(surveyOptIns).all()).toHaveLength(1); // Cy's only
  }, 30_000);
});

describe('results for editors', () => {
  it('/survey lists with links; results show counts with cells under 5 as "<5", a PNG chart, and the CSV', async () => {
    // Five more clients answer the quick survey: 4 yes, 2 no with Ann's… no: 6 in all, 5 "yes", 1 "no".
    for (const [i, choice] of [0, 0, 0, 0, 0, 1].entries()) {
      const client = fake.createUser({ first_name: `Q${i}`, language_code: 'en' });
      fake.sendText(client, '/start survey-quick');
      const screen = await withButton(client, `sv:c:quick:0:${choice}`);
      const text = await press(client, screen, `sv:c:quick:0:${choice}`);
      if (i < 5) {
        expect(textOf(text)).toMatch(/Why\?/);
        fake.sendText(client, `=reason ${i}${i === 0 ? ' a friend overdosed' : ''}`);
      } else {
        fake.pressButton(client, text, 'sv:s:quick:1');
      }
      await clientSees(client, /Thank you! Your answers are stored without any link to you/);
      // Words of danger in an answer: the client is shown where help is (the survey reaches no consultant).
      if (i === 0) expect(buttons(await clientSees(client, /never reach a consultant/))).toEqual(['n:menu:emergency', 'n:menu:consult']);
    }
    fake.sendText(editor, '/survey', { chatId: editors.id });
    const list = await until(() => fake.messages(editors.id).find((m) => /Surveys/.test(textOf(m)) && /quick/.test(textOf(m))), 'the list');
    expect(textOf(list)).toMatch(/quick Quick one: open, 6 response\(s\)\. Link: https:\/\/t\.me\/\w+\?start=survey-quick/);
    expect(textOf(list)).toMatch(/sample-drug-checking .*: draft/);

    fake.sendText(editor, '/survey quick', { chatId: editors.id });
    const results = await until(() => fake.messages(editors.id).find((m) => /Quick one: 6 response/.test(textOf(m))), 'the results');
    expect(textOf(results)).toMatch(/• Yes: 5\n• No: <5/);
    expect(textOf(results)).toMatch(/answered in words: 5/);
    expect(textOf(results)).not.toMatch(/reason/);
    const chart = await until(() => fake.messages(editors.id).find((m) => m.photo && /Quick one/.test(textOf(m))), 'the chart');
    expect(uploaded(chart.photo!.at(-1)!.file_id).subarray(1, 4).toString()).toBe('PNG');

    fake.sendText(editor, '/survey quick csv', { chatId: editors.id });
    const doc = await until(() => fake.messages(editors.id).find((m) => m.document?.file_name === 'survey-quick.csv'), 'the CSV');
    const csv = uploaded(doc.document!.file_id).toString('utf8');
    expect(csv).toContain('naloxone,yes,5\nnaloxone,no,<5\n');
    expect(csv.match(/^why,text,'=reason \d/gm)).toHaveLength(5);

    // Fewer than 5 responses: nothing per question.
    fake.sendText(editor, `/survey ${SAMPLE}`, { chatId: editors.id });
    const sample = await until(() => fake.messages(editors.id).find((m) => /Drug checking: what would help you\?: <5 response/.test(textOf(m))), `the sample results in ${fake.messages(editors.id).map(textOf).join(' | ')}`);
    expect(textOf(sample)).toMatch(/Fewer than 5 responses/);
  }, 60_000);
});
