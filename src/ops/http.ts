import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';

export interface HealthReport {
  ok: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
  backlog: { toInbox: number; toClients: number };
  queue: { waiting: number; oldestWaitSeconds: number };
  /** Per inbox: cases waiting for a consultant, and client messages waiting to be copied into its chat. */
  inboxes?: Record<string, { waiting: number; toInbox: number }>;
  /** Per inbox: settings of its group that expose clients (visible history, saving allowed), as last read. */
  staffGroups?: Record<string, { problems: string[]; checkedAt?: number; error?: string }>;
}

export interface OpsServerOptions {
  port: number;
  /** Interface to listen on; 127.0.0.1 unless the operator says otherwise (HTTP_HOST). */
  host?: string;
  /** METRICS_TOKEN: /metrics (and /healthz's counters) only for `Authorization: Bearer <token>`. */
  metricsToken?: string;
  logger: Logger;
  metrics: Metrics;
  health: () => HealthReport;
  /** Webhook mode: POSTs to this path go to grammY's webhook handler. */
  webhook?: { path: string; handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void };
}

/** Compares the bearer token in constant time (both sides hashed first, so lengths do not leak either). */
export function hasBearer(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(token)) && match !== null;
}

/**
 * The operator's HTTP endpoint: GET /healthz (503 when the database, Telegram or the scheduler is
 * unhealthy), GET /metrics (Prometheus), and in webhook mode the webhook itself.
 *
 * With METRICS_TOKEN, /metrics answers 401 without the token. /healthz stays open, because probes
 * (Docker's HEALTHCHECK, a load balancer, an uptime monitor) should not need a secret, but without
 * the token it answers only whether the bot is healthy: the relay backlog and queue figures would let
 * an outsider time client activity, so they are shown only with the token.
 */
export function startOpsServer(options: OpsServerOptions): Promise<Server> {
  const { logger, metrics, metricsToken } = options;
  const authorized = (req: IncomingMessage) => metricsToken === undefined || hasBearer(req, metricsToken);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    void (async () => {
      if (options.webhook && req.method === 'POST' && path === options.webhook.path) return options.webhook.handle(req, res);
      if (req.method === 'GET' && path === '/healthz') {
        const report = options.health();
        const shown = authorized(req) ? report : { ok: report.ok, checks: report.checks };
        res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(shown));
        return;
      }
      if (req.method === 'GET' && path === '/metrics') {
        if (!authorized(req)) {
          res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('unauthorized\n');
          return;
        }
        options.health(); // refreshes the gauges
        res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(await metrics.registry.metrics());
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    })().catch((error: unknown) => {
      logger.error({ err: error }, 'operator endpoint failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve(server));
  });
}
