import type { Api } from 'grammy';
import { InboxService, type InboxDeps } from '../../src/inbox/service.js';
import { InboxPosts } from '../../src/inbox/posts-executor.js';
import { NO_LIMITS, Pacer } from '../../src/relay/pacing.js';
import { Relay } from '../../src/relay/index.js';

/**
 * The inbox's service, its post executor and a started relay (no pacing) over one API, for unit tests
 * that check what the inbox puts into chats: call something, then `await settle()`.
 */
export function inboxStack(deps: InboxDeps & { api: Api }) {
  const inbox = new InboxService(deps);
  const posts = new InboxPosts({ db: deps.db, api: deps.api, logger: deps.logger, i18n: deps.i18n, timezone: deps.config.timezone, clock: deps.clock, privacy: deps.privacy }, inbox);
  const relay = new Relay({
    db: deps.db,
    api: deps.api,
    logger: deps.logger,
    privacy: deps.privacy,
    pacer: new Pacer(NO_LIMITS),
    inboxes: inbox.inboxes,
    cases: inbox.cases,
    executor: posts,
    clock: deps.clock,
    onClientGone: (row) => inbox.clientGone(row),
    onTopicMissing: (row) => inbox.topicMissing(row),
  });
  inbox.relay = relay;
  relay.start();
  return { inbox, posts, relay, settle: () => relay.drain(5_000) };
}
