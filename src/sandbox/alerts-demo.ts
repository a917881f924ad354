import type { Message } from './telegram-sim/index.js';
import { addClient, type Scene } from './scene.js';

/** The sample alert the sandbox drafts (content/settings.yml's sample alert_regions; invented facts). */
const SAMPLE_ALERT = [
  '/alert',
  'regions: almaty, south',
  'severity: high',
  'substance: SAMPLE: a nitazene (a strong opioid)',
  'sold as: "heroin" and "tramadol"',
  'effects: SAMPLE: people stopped breathing after one dose; naloxone worked but was needed twice',
  'action: SAMPLE: use a much smaller test dose, never alone, naloxone at hand',
  'expires: 24h',
].join('\n');

const textOf = (m: Message) => String(m.text ?? m.caption ?? '');

async function botSays(scene: Scene, chatId: number, matches: (m: Message) => boolean): Promise<Message> {
  for (;;) {
    const m = await scene.fake.nextBotMessage(chatId, { timeoutMs: 20_000 });
    if (matches(m)) return m;
  }
}

/**
 * Drug alerts in the sandbox (issue 22): a client subscribes to two regions with /alerts, one consultant
 * drafts a sample alert in the editors chat, a second approves it, and the client receives it. Everything
 * goes through the simulated Telegram, as a person would do it; the panes show the result.
 */
export async function showAlertsDemo(scene: Scene): Promise<void> {
  const { fake, editors, consultants } = scene;
  const [drafter, approver] = consultants as [Scene['consultants'][number], Scene['consultants'][number]];
  const subscriber = addClient(scene, 'en', 'Robin (alerts)').user;
  fake.sendText(subscriber, '/alerts');
  let screen = await botSays(scene, subscriber.id, (m) => (m.reply_markup?.inline_keyboard ?? []).flat().some((b) => b.callback_data === 'alerts:t:almaty'));
  fake.pressButton(subscriber, screen, 'alerts:t:almaty');
  screen = await botSays(scene, subscriber.id, (m) => m.message_id === screen.message_id && /Almaty/.test(textOf(m)) && /You get alerts for/.test(textOf(m)));
  fake.pressButton(subscriber, screen, 'alerts:t:south');
  await botSays(scene, subscriber.id, (m) => /South/.test(textOf(m)) && /You get alerts for/.test(textOf(m)));
  fake.sendText(drafter, SAMPLE_ALERT, { chatId: editors.id });
  const card = await botSays(scene, editors.id, (m) => (m.reply_markup?.inline_keyboard ?? []).flat().some((b) => b.callback_data?.startsWith('alert:approve:')));
  const approve = (card.reply_markup?.inline_keyboard ?? []).flat().find((b) => b.callback_data?.startsWith('alert:approve:'))!.callback_data!;
  fake.pressButton(approver, card, approve);
  await botSays(scene, subscriber.id, (m) => /Drug alert:/.test(textOf(m)));
}
