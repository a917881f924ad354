import { botHandlers } from './bot.js';
import { chatHandlers } from './chats.js';
import type { Handler } from './context.js';
import { copyHandlers } from './copy.js';
import { editHandlers } from './edit.js';
import { mediaHandlers } from './media.js';
import { sendHandlers } from './send.js';
import { topicHandlers } from './topics.js';

export type { CallContext, FakeBehaviour, Handler } from './context.js';

/**
 * Methods the fake simulates. Any other method of the reference is validated and answered
 * `true` (see server.ts), so that nothing crashes.
 */
export const HANDLERS: Record<string, Handler> = {
  ...botHandlers,
  ...sendHandlers,
  ...mediaHandlers,
  ...editHandlers,
  ...copyHandlers,
  ...chatHandlers,
  ...topicHandlers,
};
