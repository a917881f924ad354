import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/bot-process.js';
import { startSandbox, type SandboxProcess } from '../support/sandbox-process.js';

/**
 * `npm run sandbox` driven through its page in a real headless Chromium (Debian's `chromium`
 * package), as a newcomer, a consultant and an editor would use it.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  process.stderr.write(`\nSKIPPED: the sandbox browser tests need Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).\n\n`);
}

let sandbox: SandboxProcess;
/** A copy of the content folder, so that the test can save a post file as an editor would. */
let content: string;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const outside: string[] = [];
const dialogs: string[] = [];

/** The text of the last message in a chat log. */
const lastText = (log: Locator) => log.locator('li.msg').last().innerText();

/** Presses a button (by click, or from the keyboard) and waits until the chat's last message changes. */
async function press(log: Locator, button: Locator, how: 'click' | 'keyboard' = 'click'): Promise<void> {
  const before = await lastText(log);
  if (how === 'keyboard') {
    await button.focus();
    await page.keyboard.press('Enter');
  } else {
    await button.click();
  }
  await expect.poll(() => lastText(log), { timeout: 10_000 }).not.toBe(before);
}

describe.skipIf(!available)('the sandbox in a real browser', () => {
  beforeAll(async () => {
    content = mkdtempSync(join(tmpdir(), 'sandbox-content-'));
    cpSync(join(PROJECT_ROOT, 'content'), content, { recursive: true });
    // Two short practice scenarios: an urgent client and a calm one, arriving together.
    writeFileSync(join(content, 'training', 'zz-urgent.md'), [
      '---', 'title: Test urgent', 'name: Urgent Test', 'language: en', 'entry: urgent', 'script:',
      '  - client: "help, he is not waking up"', '    expect: reply', '    within: 60',
      '  - expect: note', '    within: 60',
      '  - client: "the ambulance is here"', '    expect: close', '    within: 60',
      '---', 'A test persona.', '',
    ].join('\n'));
    writeFileSync(join(content, 'training', 'zz-calm.md'), [
      '---', 'title: Test calm', 'name: Calm Test', 'language: en', 'entry: other', 'script:',
      '  - client: "a question about testing, no hurry"', '    expect: reply', '    within: 60',
      '---', 'Another test persona.', '',
    ].join('\n'));
    sandbox = await startSandbox({ CONTENT_DIR: content });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith(sandbox.url)) outside.push(request.url());
    });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(sandbox.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    expect(await sandbox?.stop()).toBe(0);
    // Nothing about the session outlives the sandbox.
    if (sandbox?.dataDir) expect(existsSync(sandbox.dataDir)).toBe(false);
    if (content) rmSync(content, { recursive: true, force: true });
  });

  it('shows the three sides as named landmarks, live', async () => {
    for (const name of ['Client', 'Team', 'Channel']) await expect.poll(() => page.getByRole('region', { name, exact: true }).count()).toBe(1);
    await expect.poll(() => page.locator('#connection').innerText()).toMatch(/Live/);
    // The queue board in the General topic, posted by the bot at start-up.
    const team = page.getByRole('region', { name: 'Team', exact: true });
    await expect.poll(() => team.getByRole('log').innerText()).toMatch(/Queue/);
  });

  it('a client reads a card and asks for a consultant; a consultant takes the case and answers; the client sees it', async () => {
    const client = page.getByRole('region', { name: 'Client', exact: true });
    const clientLog = client.getByRole('log');
    const clientBox = client.getByRole('textbox', { name: 'Message to the bot' });
    await clientBox.fill('/start');
    await clientBox.press('Enter'); // the keyboard sends, as in Telegram
    await expect.poll(() => clientLog.innerText(), { timeout: 10_000 }).toMatch(/never see your name/);

    // The menu, a section, a card: inline buttons are real buttons.
    const lastMessage = () => clientLog.locator('li.msg').last();
    await press(clientLog, client.getByRole('button', { name: /Safety information/ }).last());
    await press(clientLog, lastMessage().getByRole('button').first());
    await press(clientLog, lastMessage().getByRole('button').first());
    await expect.poll(() => lastText(clientLog)).toMatch(/not medical advice/);
    // Entities are rendered: the disclaimer is italic.
    expect(await lastMessage().locator('i', { hasText: 'not medical advice' }).count()).toBe(1);

    // From the card to the intake, then the queue.
    await press(clientLog, lastMessage().getByRole('button', { name: /consultant/i }));
    await expect.poll(() => lastText(clientLog)).toMatch(/What is it about/);
    await press(clientLog, lastMessage().getByRole('button', { name: /Substances and safety/ }));
    await expect.poll(() => lastText(clientLog)).toMatch(/In a few words/);
    // Markup typed by a client is shown as text, never run, on either side.
    await clientBox.fill('<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> I took salts');
    await clientBox.press('Enter');
    await expect.poll(() => clientLog.innerText(), { timeout: 10_000 }).toMatch(/Before we connect you/);
    await press(clientLog, lastMessage().getByRole('button', { name: /Connect me/ }));
    await expect.poll(() => clientLog.innerText(), { timeout: 10_000 }).toMatch(/You are in the queue/);

    // The Team pane: the new topic, opened from the keyboard; the case card's Take button.
    const team = page.getByRole('region', { name: 'Team', exact: true });
    const topic = team.getByRole('navigation', { name: 'Topics' }).getByRole('button', { name: /Substances and safety/ });
    await expect.poll(() => topic.count(), { timeout: 10_000 }).toBe(1);
    await topic.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => topic.getAttribute('aria-pressed')).toBe('true');
    const teamLog = team.getByRole('log');
    await expect.poll(() => teamLog.innerText(), { timeout: 10_000 }).toContain('<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> I took salts');
    // Media from the client's phone: a voice note reaches the topic as a file, an album as its photos.
    await client.getByRole('combobox', { name: 'Attach' }).selectOption('voice');
    await client.getByRole('button', { name: 'Send sample' }).click();
    await expect.poll(() => teamLog.innerText(), { timeout: 10_000 }).toMatch(/voice note/);
    await client.getByRole('combobox', { name: 'Attach' }).selectOption('album');
    await client.getByRole('button', { name: 'Send sample' }).click();
    await expect.poll(() => teamLog.getByText(/photo \(album\)/).count(), { timeout: 10_000 }).toBe(2);
    const take = teamLog.getByRole('button', { name: /Take/ });
    await take.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => team.locator('#team-status').innerText(), { timeout: 10_000 }).toMatch(/The case is yours/);

    const teamBox = team.getByRole('textbox', { name: 'Message in the selected topic' });
    await teamBox.fill('Hi, I am here. Have you been able to drink some water?');
    await teamBox.press('Enter');
    await expect.poll(() => lastText(clientLog), { timeout: 10_000 }).toMatch(/Have you been able to drink some water/);
    // The client's side shows the consultant's alias, never the account: the bot speaks for them.
    expect(await lastMessage().getAttribute('class')).toMatch(/\bbot\b/);

    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('main img, main script').count()).toBe(0);
    // The copy in the team's topic is protected content (no forwarding or saving), and marked so.
    const copy = teamLog.locator('li.msg', { hasText: 'I took salts' });
    expect(await copy.getAttribute('class')).toMatch(/\bprotected\b/);
    expect(await copy.innerText()).toMatch(/protected/);
  }, 90_000);

  it('deleted messages disappear live: /forget empties the client chat and removes the topic', async () => {
    const client = page.getByRole('region', { name: 'Client', exact: true });
    const clientLog = client.getByRole('log');
    const clientBox = client.getByRole('textbox', { name: 'Message to the bot' });
    await clientBox.fill('/forget');
    await clientBox.press('Enter');
    const yes = clientLog.getByRole('button', { name: /Yes, erase everything/ });
    await expect.poll(() => yes.count(), { timeout: 10_000 }).toBe(1);
    await yes.click();
    await expect.poll(() => clientLog.innerText(), { timeout: 10_000 }).toMatch(/Erased/);
    expect(await clientLog.innerText()).not.toMatch(/Have you been able to drink some water/);
    const topics = page.getByRole('region', { name: 'Team', exact: true }).getByRole('navigation', { name: 'Topics' });
    await expect.poll(() => topics.getByRole('button', { name: /Substances and safety/ }).count(), { timeout: 10_000 }).toBe(0);
  }, 30_000);

  it('adds a simulated client in Kazakh, who is answered in Kazakh', async () => {
    const client = page.getByRole('region', { name: 'Client', exact: true });
    await client.getByRole('combobox', { name: 'Language' }).selectOption('kk');
    // The scene starts with a few clients (a buddy, an alerts subscriber): one more is added.
    const before = await client.getByRole('combobox', { name: 'Simulated client' }).locator('option').count();
    await client.getByRole('button', { name: 'Add client' }).click();
    await expect.poll(() => client.getByRole('combobox', { name: 'Simulated client' }).locator('option').count()).toBe(before + 1);
    await expect.poll(() => client.getByRole('combobox', { name: 'Simulated client' }).inputValue()).not.toBe('');
    const clientLog = client.getByRole('log');
    await expect.poll(() => clientLog.innerText()).toMatch(/No messages yet/);
    const box = client.getByRole('textbox', { name: 'Message to the bot' });
    await box.fill('/start');
    await box.press('Enter');
    await expect.poll(() => clientLog.innerText(), { timeout: 10_000 }).toMatch(/Қауіпсіздік туралы ақпарат/);
  }, 30_000);

  it('an editor publishes a post from the editors chat and it appears in the Channel pane', async () => {
    const channel = page.getByRole('region', { name: 'Channel', exact: true });
    const box = channel.getByRole('textbox', { name: 'Message in the editors chat' });
    await box.fill('/publish 2026-12/tip-overdose-naloxone-en force');
    await box.press('Enter');
    const english = channel.getByRole('log', { name: /Safety news \(English\)/ });
    await expect.poll(() => english.innerText(), { timeout: 15_000 }).toMatch(/overdose, what to do/);
    // Rendered as Telegram shows it: bold from the markdown, the post's button.
    expect(await english.locator('b', { hasText: 'Signs:' }).count()).toBeGreaterThan(0);
    expect(await english.getByText(/Talk to a consultant/).count()).toBeGreaterThan(0);
  }, 30_000);

  it('a post file saved in an editor shows in the Channel pane as it will appear', async () => {
    const channel = page.getByRole('region', { name: 'Channel', exact: true });
    const editors = channel.getByRole('log', { name: 'Editors chat' });
    writeFileSync(join(content, 'posts', 'sandbox-preview.md'), [
      '---', 'channel: news_en', 'publish_at: 2027-01-11 12:00', '---', '### Saved just now', '', 'Carry **naloxone** when you can.', '',
    ].join('\n'));
    await expect.poll(() => editors.innerText(), { timeout: 20_000 }).toMatch(/Carry naloxone when you can/);
    expect(await editors.locator('b', { hasText: 'naloxone' }).count()).toBeGreaterThan(0);
    expect(await editors.innerText()).toMatch(/Preview of/);
  }, 30_000);

  it('outreach: /qr sends the poster; an invitation\'s RSVP button opens the bot as the client, who asks for the reminder', async () => {
    const channel = page.getByRole('region', { name: 'Channel', exact: true });
    const editors = channel.getByRole('log', { name: 'Editors chat' });
    const box = channel.getByRole('textbox', { name: 'Message in the editors chat' });
    await box.fill('/qr apteka-sample en');
    await box.press('Enter');
    await expect.poll(() => editors.innerText(), { timeout: 15_000 }).toMatch(/📄 poster-apteka-sample-en\.png[\s\S]*📄 poster-apteka-sample-en\.svg/);
    await box.fill('/preview 2027-08/iod-evening-en');
    await box.press('Enter');
    const rsvp = editors.getByRole('button', { name: /I'll come: remind me/ });
    await expect.poll(() => rsvp.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const clientLog = page.getByRole('region', { name: 'Client', exact: true }).getByRole('log');
    await rsvp.last().click();
    const remind = clientLog.getByRole('button', { name: /🔔/ }).last();
    await expect.poll(() => remind.count(), { timeout: 10_000 }).toBe(1);
    await press(clientLog, remind);
    await expect.poll(() => lastText(clientLog), { timeout: 10_000 }).toMatch(/2027-08-30 19:00/);
  }, 30_000);

  it('a client (in Kazakh) reports a bad batch with a photo; the card reaches the editors chat, where a consultant dismisses it', async () => {
    const client = page.getByRole('region', { name: 'Client', exact: true });
    const clientLog = client.getByRole('log');
    const box = client.getByRole('textbox', { name: 'Message to the bot' });
    const lastMessage = () => clientLog.locator('li.msg').last();
    const says = async (text: string, then: RegExp) => {
      await box.fill(text);
      await box.press('Enter');
      await expect.poll(() => lastText(clientLog), { timeout: 10_000 }).toMatch(then);
    };
    await says('/report', /шұғыл көмек желісі емес/);
    await press(clientLog, lastMessage().getByRole('button', { name: /Жаман партия/ }));
    await says('Розовые кристаллы', /Онда не дұрыс болмады/);
    await says('Пахло растворителем, сердце колотилось', /фотосын қосуға/);
    await client.getByRole('combobox', { name: 'Attach' }).selectOption('photo');
    await client.getByRole('button', { name: 'Send sample' }).click();
    await expect.poll(() => lastText(clientLog), { timeout: 10_000 }).toMatch(/Команда дәл осыны көреді/);
    await press(clientLog, lastMessage().getByRole('button', { name: /Жіберу/ }));
    const editors = page.getByRole('region', { name: 'Channel', exact: true }).getByRole('log', { name: 'Editors chat' });
    await expect.poll(() => editors.innerText(), { timeout: 10_000 }).toMatch(/Report R-[A-Z0-9]{5} · bad batch[\s\S]*Пахло растворителем/);
    await editors.getByRole('button', { name: /Dismiss/ }).last().click();
    await expect.poll(() => editors.innerText(), { timeout: 10_000 }).toMatch(/Dismissed by/);
  }, 30_000);

  it('training: scripted clients arrive, the consultant answers them, and a debrief follows', async () => {
    const team = page.getByRole('region', { name: 'Team', exact: true });
    await team.getByText('Training: practise on scripted clients').click();
    // Start waits for a choice: nothing ticked, nothing to start (and no error on the page).
    const startButton = team.getByRole('button', { name: 'Start practice' });
    await expect.poll(() => startButton.isDisabled()).toBe(true);
    await team.getByRole('checkbox', { name: /Test urgent/ }).check();
    expect(await startButton.isDisabled()).toBe(false);
    await team.getByRole('checkbox', { name: /Test urgent/ }).uncheck();
    expect(await startButton.isDisabled()).toBe(true);
    await team.getByRole('checkbox', { name: /Test urgent/ }).check();
    await team.getByRole('checkbox', { name: /Test calm/ }).check();
    await startButton.click();
    await expect.poll(() => team.locator('#team-status').innerText(), { timeout: 10_000 }).toMatch(/Practice started/);
    const topics = team.getByRole('navigation', { name: 'Topics' });
    const teamLog = team.getByRole('log');
    const teamBox = team.getByRole('textbox', { name: 'Message in the selected topic' });
    const say = async (text: string) => {
      await teamBox.fill(text);
      await teamBox.press('Enter');
      await expect.poll(() => teamLog.innerText(), { timeout: 10_000 }).toContain(text);
    };
    const open = async (name: RegExp, firstLine: string) => {
      const topic = topics.getByRole('button', { name }).last();
      await expect.poll(() => topic.count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await topic.click();
      await expect.poll(() => teamLog.innerText(), { timeout: 15_000 }).toContain(firstLine);
      await teamLog.getByRole('button', { name: /Take/ }).click();
      await expect.poll(() => team.locator('#team-status').innerText(), { timeout: 10_000 }).toMatch(/The case is yours/);
    };

    // The urgent client first, as the queue says: answer, note, and close once they say help is there.
    await open(/🆘/, 'help, he is not waking up');
    await say('Call 103 now and turn him on his side. I am here.');
    await say('! ambulance advised, unknown substance');
    // The scripted client's next line travels through the real bot and relay: on a loaded machine (the
    // whole suite on two cores) that took over 15 s once.
    await expect.poll(() => teamLog.innerText(), { timeout: 40_000 }).toContain('the ambulance is here');
    await say('/close');
    await open(/· Other$/, 'a question about testing, no hurry');
    await say('Hello! Happy to help with testing.');

    const debrief = team.getByRole('status', { name: 'Debrief' });
    await expect.poll(() => debrief.innerText(), { timeout: 20_000 }).toMatch(/The urgent case was taken first/);
    const text = await debrief.innerText();
    expect(text).toMatch(/Test urgent \(urgent\): taken after \d+ s in the queue by Aigerim/);
    expect(text).toMatch(/✓ an internal note/);
    expect(text).toMatch(/✓ closing the case/);
    expect(text).toMatch(/Test calm: taken after/);
    expect(text).not.toMatch(/✗/);
  }, 90_000);

  it('loaded nothing from outside 127.0.0.1 and logged no errors', () => {
    expect(outside).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
