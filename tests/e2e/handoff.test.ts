import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { until } from '../support/wait.js';
import { buttons, chatHelpers } from '../support/chat.js';

let fake: FakeTelegram;
let bot: BotProcess;
let staff: { id: number };
type User = ReturnType<FakeTelegram['createUser']>;
let anna: User;
let boris: User;

const { clientSees, withButton, intake } = chatHelpers(() => fake);

const inTopic = (threadId: number) => fake.messages(staff.id).filter((m) => m.message_thread_id === threadId);
/** The client texts in a topic matching `pattern`, counting each part of a joined message. */
const parts = (threadId: number, pattern: RegExp) =>
  inTopic(threadId)
    .flatMap((m) => String(m.text ?? '').split('\n\n'))
    .filter((t) => pattern.test(t));

beforeAll(async () => {
  fake = await FakeTelegram.start({ botUsername: 'peer_help_bot' });
  anna = fake.createUser({ first_name: 'Anna', username: 'anna_staff' });
  boris = fake.createUser({ first_name: 'Boris', username: 'boris_staff' });
  staff = fake.createSupergroup({ title: 'Inbox', isForum: true, members: [anna, boris] });
  bot = await startBot({
    BOT_TOKEN: fake.token,
    BOT_SECRET: 'handoff-secret-handoff-secret-handoff-01',
    TELEGRAM_API_ROOT: fake.apiRoot,
    STAFF_CHAT_ID: String(staff.id),
    DEFAULT_LANGUAGE: 'en', // the staff side speaks DEFAULT_LANGUAGE
  });
});

afterAll(async () => {
  expect(await bot?.stop()).toBe(0);
  await fake?.stop();
});

describe('handoff to a consultant, end to end', () => {
  it('intake → queue → take → relay both ways → close → rating, without revealing anyone', async () => {
    const client = fake.createUser({ first_name: 'Secretfirst', last_name: 'Secretlast', username: 'secret_client_x', language_code: 'en' });

    // Intake
    fake.sendText(client, '/consult');
    const topics = await clientSees(client, /What is it about/);
    fake.pressButton(client, topics, 'intake:topic:substances');
    await clientSees(client, /In a few words/);
    fake.sendText(client, 'Took salts for two days, cannot sleep');
    const reminder = await clientSees(client, /Before we connect you/);
    expect(reminder.text).toMatch(/Client [2-9A-Z]{4}/);
    fake.pressButton(client, reminder, 'intake:go');
    const queued = await clientSees(client, /You are in the queue: place 1/);
    expect(queued.text).toMatch(/on duty/);

    // One topic, named with the pseudonym and the topic; a card with a Take button; the description copied in.
    const topic = await until(() => fake.chat(staff.id).topics[0], 'a topic');
    expect(topic.name).toMatch(/^Client [2-9A-Z]{4} · Substances and safety$/);
    const card = await until(() => inTopic(topic.message_thread_id).find((m) => String(m.text).includes('Earlier cases: 0')), 'the case card');
    expect(buttons(card)).toContain(`case:take:1`);
    await until(() => inTopic(topic.message_thread_id).find((m) => m.text === 'Took salts for two days, cannot sleep'), 'the description copy');

    // While waiting, a photo reaches the topic too.
    fake.sendMessage(client, { photo: [{ file_id: 'ph1', file_unique_id: 'ph1u', width: 90, height: 90 }], caption: 'what I took' });
    await until(() => inTopic(topic.message_thread_id).find((m) => m.caption === 'what I took' && m.photo), 'the photo copy');

    // Two consultants take at once: exactly one wins.
    fake.sendText(anna, '/alias Aigerim', { chatId: staff.id });
    await until(() => fake.messages(staff.id).find((m) => String(m.text).includes('Clients will see you as “Aigerim”')), 'alias confirmation');
    const q1 = fake.pressButton(anna, card, 'case:take:1');
    const q2 = fake.pressButton(boris, card, 'case:take:1');
    await until(() => fake.callbackAnswer(q1) && fake.callbackAnswer(q2), 'both answers');
    const answers = [fake.callbackAnswer(q1)?.text, fake.callbackAnswer(q2)?.text];
    expect(answers.filter((t) => t === 'The case is yours.')).toHaveLength(1);
    expect(answers.some((t) => /already has this case/.test(String(t)))).toBe(true);
    const winner = answers[0] === 'The case is yours.' ? anna : boris;
    const loser = winner === anna ? boris : anna;
    await clientSees(client, /has joined the conversation/);

    // The consultant's reply reaches the client; notes and colleagues' messages stay internal.
    fake.sendText(winner, 'Hi, I am here. Have you been able to drink some water?', { chatId: staff.id, threadId: topic.message_thread_id });
    const reply = await clientSees(client, /Have you been able to drink/);
    fake.sendText(winner, '! internal: check for psychosis signs', { chatId: staff.id, threadId: topic.message_thread_id });
    fake.sendText(loser, 'I can help if needed', { chatId: staff.id, threadId: topic.message_thread_id });
    fake.sendText(winner, 'We can also talk about sleep.', { chatId: staff.id, threadId: topic.message_thread_id });
    await clientSees(client, /talk about sleep/);
    const clientTexts = fake.botMessages(client.id).map((m) => String(m.text ?? ''));
    expect(clientTexts.some((t) => t.includes('internal') || t.includes('I can help if needed'))).toBe(false);

    // The client replies to it: the copy in the topic is threaded to the consultant's message.
    fake.sendText(client, 'Yes, a little', { replyTo: reply });
    const threaded = await until(() => inTopic(topic.message_thread_id).find((m) => m.text === 'Yes, a little'), 'the threaded copy');
    expect(threaded.reply_to_message?.text).toBe('Hi, I am here. Have you been able to drink some water?');

    // An edit is carried over.
    const original = fake.sendText(client, 'I feel ok');
    await until(() => inTopic(topic.message_thread_id).find((m) => m.text === 'I feel ok'), 'the copy to edit');
    fake.editUserMessage(client, original, 'I feel better now');
    await until(() => inTopic(topic.message_thread_id).find((m) => m.text === 'I feel better now'), 'the edited copy');

    // A location is refused and not passed on.
    fake.sendMessage(client, { location: { latitude: 43.25, longitude: 76.95 } });
    await clientSees(client, /never passed on/);
    expect(inTopic(topic.message_thread_id).some((m) => m.location)).toBe(false);

    // Close and rate.
    fake.sendText(winner, '/close', { chatId: staff.id, threadId: topic.message_thread_id });
    const ended = await clientSees(client, /conversation has ended/);
    fake.pressButton(client, ended, 'rate:1:5');
    await clientSees(client, /Thank you! Your rating/);
    fake.sendText(client, 'It helped, thank you');
    await clientSees(client, /the team will read it/);
    await until(() => inTopic(topic.message_thread_id).find((m) => m.text === 'It helped, thank you'), 'the comment in the topic');
    await until(() => fake.chat(staff.id).topics.find((t) => t.message_thread_id === topic.message_thread_id)?.closed, 'the topic closed');
    expect(fake.chat(staff.id).topics.find((t) => t.message_thread_id === topic.message_thread_id)?.name).toMatch(/^✅ Client/);

    // Figures.
    fake.sendText(anna, '/stats', { chatId: staff.id });
    const stats = await until(() => fake.messages(staff.id).find((m) => String(m.text).startsWith('📊')), 'stats');
    // One case: its figures would describe one person (the rating this client gave), so they show as "<5".
    expect(stats.text).toMatch(/Opened <5 \(urgent 0\) · closed <5/);
    expect(stats.text).toMatch(/Ratings: <5$/m);
    expect(stats.text).not.toMatch(/Ø/);

    // Anonymity: never a forward; nothing the bot sent to the staff chat names the client.
    expect(fake.calls.some((c) => c.method.startsWith('forward'))).toBe(false);
    // (copyMessage names the source chat to Telegram in from_chat_id; the copy itself carries no trace of it.)
    const toStaff = JSON.stringify(fake.calls.filter((c) => c.params.chat_id === staff.id).map(({ params: { from_chat_id: _, ...rest } }) => rest));
    for (const secret of [String(client.id), 'Secretfirst', 'Secretlast', 'secret_client_x']) expect(toStaff).not.toContain(secret);
    const copies = inTopic(topic.message_thread_id).filter((m) => m.from?.is_bot);
    expect(copies.every((m) => m.from?.id === fake.bot.id && !('forward_origin' in m))).toBe(true);
    const topicTexts = JSON.stringify(copies);
    for (const secret of ['Secretfirst', 'Secretlast', 'secret_client_x']) expect(topicTexts).not.toContain(secret);
    expect(fake.failedCalls().filter((c) => !String(c.error?.description).includes('not modified'))).toEqual([]);
  }, 60_000);

  it('opens an urgent case straight from the emergency screen, first in line', async () => {
    const client = fake.createUser({ first_name: 'Urgent', language_code: 'en' });
    fake.sendText(client, '/help');
    const page = await clientSees(client, /103/);
    fake.pressButton(client, page, 'n:consult:urgent');
    await clientSees(client, /You are first in line/);
    const topic = await until(() => fake.chat(staff.id).topics.find((t) => t.name.startsWith('🆘 Client')), 'an urgent topic');
    expect(topic.closed).toBe(false);
    fake.sendText(client, '/status');
    await clientSees(client, /place 1/);
    fake.sendText(client, '/end');
    const confirm = await clientSees(client, /End the conversation/);
    fake.pressButton(client, confirm, buttons(confirm).find((b) => b.startsWith('end:yes'))!);
    await clientSees(client, /conversation has ended/);
  }, 30_000);
});

describe('handoff under stress', () => {
  async function openCaseFor(client: User): Promise<{ threadId: number }> {
    const before = fake.chat(staff.id).topics.length;
    await intake(client, 'mental');
    await clientSees(client, /You are in the queue/);
    // The topic is made by the relay, as the team chat's budget allows: a moment after the client is told.
    const topic = await until(() => (fake.chat(staff.id).topics.length > before ? fake.chat(staff.id).topics.at(-1) : undefined), 'the topic');
    expect(topic.name).toMatch(/Mental health/);
    return { threadId: topic.message_thread_id };
  }

  it('loses nothing and doubles nothing through flood control and a restart', async () => {
    const client = fake.createUser({ first_name: 'Flood', language_code: 'en' });
    const { threadId } = await openCaseFor(client);
    const arrived = () => parts(threadId, /of 8$/);
    // Telegram answers 429 (retry after 1 s) to anything beyond one message a second, for a while.
    fake.setRateLimits({ globalPerSecond: 1 });
    const texts = Array.from({ length: 8 }, (_, i) => `message ${i + 1} of 8`);
    fake.sendText(client, texts[0]!);
    await until(() => arrived().length === 1, 'the first copy');
    for (const text of texts.slice(1, 4)) fake.sendText(client, text);
    await until(() => fake.stats.rateLimited > 0, 'a 429');
    expect(arrived()).toEqual(texts.slice(0, 1)); // messages 2–4 wait in the outbox
    // Restart in the middle, with copies waiting; the client writes on while the bot is down.
    expect(await bot.stop()).toBe(0);
    for (const text of texts.slice(4)) fake.sendText(client, text);
    bot = await startBot({
      BOT_TOKEN: fake.token,
      BOT_SECRET: 'handoff-secret-handoff-secret-handoff-01',
      TELEGRAM_API_ROOT: fake.apiRoot,
      STAFF_CHAT_ID: String(staff.id),
      DEFAULT_LANGUAGE: 'en',
      DATABASE_PATH: bot.databasePath,
    });
    setTimeout(() => fake.setRateLimits({}), 2_000);
    await until(() => arrived().length >= 8, 'all eight messages', 20_000);
    await new Promise((r) => setTimeout(r, 500)); // anything doubled would show up by now
    expect(arrived()).toEqual(texts); // each once, in order (some joined into one inbox message)
  }, 60_000);

  it('joins texts waiting in the backlog into one inbox message; replies and edits still find each part', async () => {
    await new Promise((r) => setTimeout(r, 2_100)); // the previous test's flood control is lifted by now
    const client = fake.createUser({ first_name: 'Joiner', language_code: 'en' });
    const { threadId } = await openCaseFor(client);
    const card = await until(() => inTopic(threadId).find((m) => buttons(m).some((b) => b.startsWith('case:take:'))), 'the card');
    fake.pressButton(anna, card, buttons(card).find((b) => b.startsWith('case:take:'))!);
    await clientSees(client, /has joined the conversation/);
    fake.setRateLimits({ globalPerSecond: 1 }); // the inbox falls behind
    fake.sendText(client, 'first');
    await until(() => inTopic(threadId).find((m) => m.text === 'first'), 'the first copy');
    const mine = ['second', 'third', 'fourth'].map((text) => fake.sendText(client, text));
    const joined = await until(() => inTopic(threadId).find((m) => m.text === 'second\n\nthird\n\nfourth'), 'the joined message', 10_000);
    expect(parts(threadId, /^(first|second|third|fourth)$/)).toEqual(['first', 'second', 'third', 'fourth']);
    fake.setRateLimits({});

    // A consultant's reply to the joined message is threaded to the client's last part.
    fake.sendText(anna, 'Thanks for telling me all that', { chatId: staff.id, threadId, replyTo: joined });
    const reply = await clientSees(client, /Thanks for telling me/);
    expect(reply.reply_to_message?.message_id).toBe(mine[2]!.message_id);

    // An edit of one part goes under the joined message; the joined message itself stays whole.
    fake.editUserMessage(client, mine[1]!, 'third, corrected');
    const edit = await until(() => inTopic(threadId).find((m) => m.text === '✏️ third, corrected'), 'the edit');
    expect(edit.reply_to_message?.message_id).toBe(joined.message_id);
    expect(inTopic(threadId).find((m) => m.message_id === joined.message_id)?.text).toBe('second\n\nthird\n\nfourth');
  }, 30_000);

  it('/forget during a case deletes its topic from the team chat and the conversation from the client chat', async () => {
    const client = fake.createUser({ first_name: 'Forgetful', language_code: 'en' });
    const { threadId } = await openCaseFor(client);
    const pseudonym = /^Client ([2-9A-Z]{4,6})/.exec(fake.chat(staff.id).topics.find((t) => t.message_thread_id === threadId)!.name)![1]!;
    const board = () => fake.messages(staff.id).find((m) => m.message_thread_id === undefined && /Queue/.test(String(m.text)));
    // The board is rewritten by the inbox jobs every 20 s.
    await until(() => String(board()?.text).includes(pseudonym), 'the queue board naming the waiting client', 30_000);
    fake.sendText(client, 'something I would rather nobody reads later');
    await until(() => inTopic(threadId).find((m) => m.text === 'something I would rather nobody reads later'), 'the copy');
    fake.sendText(client, '/forget');
    const confirm = await clientSees(client, /Erase everything about you/);
    fake.pressButton(client, confirm, 'forget:yes');
    const done = await clientSees(client, /Erased/);
    expect(done.text).toMatch(/your conversation with a consultant, with its topic in the team's chat and every copy of your messages in it/);
    // The team's chat: the whole topic is gone, with every copy in it; a note in General says why.
    await until(() => !fake.chat(staff.id).topics.some((t) => t.message_thread_id === threadId), 'the topic deleted');
    expect(inTopic(threadId)).toEqual([]);
    await until(() => fake.messages(staff.id).find((m) => m.message_thread_id === undefined && /erased their data/.test(String(m.text))), 'the note in General');
    // The queue board in General no longer names them (it is rewritten at once, not at the next minute).
    await until(() => !String(board()?.text).includes(pseudonym), 'the queue board rewritten');
    expect(fake.messages(staff.id).filter((m) => String(m.text ?? m.caption ?? '').includes(pseudonym))).toEqual([]);
    // The client's chat: nothing of the consultation is left, only the answer to /forget.
    expect(fake.messages(client.id).map((m) => m.message_id)).toEqual([done.message_id]);
    fake.sendText(client, '/status');
    await clientSees(client, /no open conversation/);
  }, 60_000);

  it('recreates a topic that someone deleted, and carries on there', async () => {
    const client = fake.createUser({ first_name: 'Topicless', language_code: 'kk' });
    await intake(client, 'legal');
    await clientSees(client, /Сен кезектесің/); // in Kazakh
    const old = await until(() => fake.chat(staff.id).topics.find((t) => t.name.includes('Legal'))?.message_thread_id, 'the topic');
    // A staff member deletes the topic (through the API, as Telegram's apps do).
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/deleteForumTopic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: staff.id, message_thread_id: old }),
    });
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
    fake.sendText(client, 'are you there?');
    const fresh = await until(() => fake.chat(staff.id).topics.find((t) => t.name.includes('Legal') && t.message_thread_id !== old)?.message_thread_id, 'a new topic');
    await until(() => inTopic(fresh).find((m) => m.text === 'are you there?'), 'the message in the new topic');
    expect(inTopic(fresh).some((m) => String(m.text).includes('previous topic of this case was deleted'))).toBe(true);
  }, 30_000);

  it('closes the case with a note when the client has blocked the bot', async () => {
    const client = fake.createUser({ first_name: 'Blocker', language_code: 'en' });
    const { threadId } = await openCaseFor(client);
    fake.sendText(anna, 'Hello?', { chatId: staff.id, threadId });
    await clientSees(client, /Hello\?/);
    fake.blockBot(client);
    fake.sendText(anna, 'Are you still there?', { chatId: staff.id, threadId });
    await until(() => inTopic(threadId).find((m) => String(m.text).includes('blocked the bot')), 'the note');
    await until(() => fake.chat(staff.id).topics.find((t) => t.message_thread_id === threadId)?.closed, 'the topic closed');
  }, 30_000);
});

describe('media across', () => {
  it('carries an album from the client and a voice message and a document from the consultant', async () => {
    const client = fake.createUser({ first_name: 'Media', language_code: 'ru' });
    await intake(client, 'hiv');
    await clientSees(client, /Ты в очереди: место/); // in Russian
    const threadId = await until(() => fake.chat(staff.id).topics.find((t) => t.name.includes('HIV'))?.message_thread_id, 'the topic');
    const photo = (id: string) => [{ file_id: id, file_unique_id: `${id}u`, width: 10, height: 10 }];
    fake.sendMessage(client, { photo: photo('a1'), media_group_id: 'album-1', caption: 'two pictures' });
    fake.sendMessage(client, { photo: photo('a2'), media_group_id: 'album-1' });
    const album = await until(() => {
      const parts = inTopic(threadId).filter((m) => m.photo && m.from?.is_bot);
      return parts.length === 2 ? parts : undefined;
    }, 'the album in the topic');
    expect(album.map((m) => m.caption)).toEqual(['two pictures', undefined]);
    expect(fake.calls.filter((c) => c.method === 'copyMessages')).toHaveLength(1);

    fake.sendMessage(anna, { voice: { file_id: 'v1', file_unique_id: 'v1u', duration: 2 } }, { chatId: staff.id, threadId });
    fake.sendMessage(anna, { document: { file_id: 'd1', file_unique_id: 'd1u', file_name: 'leaflet.pdf' }, caption: 'a leaflet' }, { chatId: staff.id, threadId });
    await until(() => fake.botMessages(client.id).find((m) => m.voice), 'the voice message');
    await until(() => fake.botMessages(client.id).find((m) => m.document && m.caption === 'a leaflet'), 'the document');
  }, 30_000);
});

describe('staff tools', () => {
  it('snippets, referrals, transfer, release, export, ban and unban', async () => {
    const firstCall = fake.calls.length;
    const client = fake.createUser({ first_name: 'Tools', language_code: 'en' });
    await intake(client, 'social');
    await clientSees(client, /You are in the queue/);
    const threadId = await until(() => fake.chat(staff.id).topics.find((t) => t.name.includes('Social') && !t.closed)?.message_thread_id, 'the topic');
    const staffSays = (user: User, text: string) => fake.sendText(user, text, { chatId: staff.id, threadId });
    const staffSees = (pattern: RegExp) => until(() => inTopic(threadId).find((m) => m.from?.is_bot && pattern.test(String(m.text ?? m.caption ?? ''))), String(pattern));

    staffSays(anna, '/snippets');
    await staffSees(/Snippets \(send with \/snippet NAME\)/);
    staffSays(anna, '/snippet greeting'); // also takes the case
    await clientSees(client, /has joined/);
    const greeting = await fake.nextBotMessage(client.id);
    expect(greeting.text?.length).toBeGreaterThan(100);

    staffSays(anna, '/refer lawyer hiv-test');
    await staffSees(/Referrals: lawyer, hiv-test/);
    staffSays(anna, '/refer astrology');
    await staffSees(/Unknown referral: astrology/);

    // Boris writes; Anna transfers the case to him by replying to his message.
    const borisNote = staffSays(boris, '! I know a good lawyer for this');
    fake.sendText(anna, '/transfer', { chatId: staff.id, threadId, replyTo: borisNote });
    await staffSees(/Transferred to/);
    await clientSees(client, /has joined/);
    staffSays(boris, 'Hello, I will help with the lawyer.');
    await clientSees(client, /help with the lawyer/);
    staffSays(boris, '/release');
    await staffSees(/Back in the queue/);
    fake.sendText(client, '/status');
    await clientSees(client, /You are in the queue: place/);

    fake.sendText(anna, '/export 7d', { chatId: staff.id });
    const csv = await until(() => fake.messages(staff.id).find((m) => m.document?.file_name?.startsWith('cases-')), 'the CSV');
    expect(csv.caption).toMatch(/no identities/);

    staffSays(anna, '/ban');
    await clientSees(client, /not available to you/);
    fake.sendText(client, '/consult');
    await clientSees(client, /not available to you/);
    staffSays(anna, '/unban');
    await staffSees(/can open cases again/);
    fake.sendText(client, '/consult');
    await withButton(client, 'intake:topic:hiv');
    expect(fake.calls.slice(firstCall).filter((c) => !c.ok && !String(c.error?.description).includes('not modified'))).toEqual([]);
  }, 60_000);
});
