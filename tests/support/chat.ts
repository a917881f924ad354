import type { FakeTelegram, Message } from '../../src/sandbox/telegram-sim/index.js';

type User = ReturnType<FakeTelegram['createUser']>;

/** The callback data of every inline button under a message. */
export const buttons = (m: Message): string[] => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data ?? '');

/**
 * Reading a client's chat as a person would, for end-to-end tests. `fake` is a getter, so the helpers can
 * be made before the fake Telegram is started.
 */
export function chatHelpers(fake: () => FakeTelegram, timeoutMs = 10_000) {
  /** Reads the chat until a message's text or caption matches. */
  async function clientSees(user: User, pattern: RegExp): Promise<Message> {
    for (;;) {
      const m = await fake().nextBotMessage(user.id, { timeoutMs });
      if (pattern.test(String(m.text ?? m.caption ?? ''))) return m;
    }
  }
  /** Reads the chat until a message offers the button. */
  async function withButton(user: User, data: string): Promise<Message> {
    for (;;) {
      const m = await fake().nextBotMessage(user.id, { timeoutMs });
      if (buttons(m).includes(data)) return m;
    }
  }
  /** The client goes through the intake (any language) without a description, and confirms. */
  async function intake(client: User, topic: string): Promise<void> {
    fake().sendText(client, '/consult');
    fake().pressButton(client, await withButton(client, `intake:topic:${topic}`), `intake:topic:${topic}`);
    fake().pressButton(client, await withButton(client, 'intake:skip'), 'intake:skip');
    fake().pressButton(client, await withButton(client, 'intake:go'), 'intake:go');
  }
  return { clientSees, withButton, intake };
}
