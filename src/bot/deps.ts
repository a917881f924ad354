import type { Config } from '../config.js';
import type { ContentStore } from '../content/store.js';
import type { Db } from '../db/connection.js';
import type { Logger } from '../logger.js';
import type { Privacy } from '../privacy/keys.js';
import type { PostStore } from '../publishing/store.js';
import type { Metrics } from '../ops/metrics.js';
import type { Inboxes } from '../inbox/inboxes.js';

/** Everything the bot needs from outside; main.ts builds it, tests build their own. */
export interface BotDeps {
  config: Config;
  db: Db;
  privacy: Privacy;
  content: ContentStore;
  logger: Logger;
  posts: PostStore;
  /** The scheduler's clock; tests pass their own. */
  clock?: () => Date;
  /** Prometheus counters, when the operator endpoint runs. */
  metrics?: Metrics;
  /** The teams' inboxes (built from config when not given). */
  inboxes?: Inboxes;
}
