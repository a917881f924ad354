import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';

export interface HealthReport {
  ok: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
  backlog: { toInbox: number; toClients: number };
  queue: { waiting: number; oldestWaitSeconds: number };
}

export interface OpsServerOptions {
  port: number;
  host?: string;
  logger: Logger;
  metrics: Metrics;
  health: () => HealthReport;
  /** Webhook mode: POSTs to this path go to grammY's webhook handler. */
  webhook?: { path: string; handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void };
}

/**
 * The operator's HTTP endpoint: GET /healthz (503 when the database, Telegram or the scheduler is
 * unhealthy), GET /metrics (Prometheus), and in webhook mode the webhook itself.
 */
export function startOpsServer(options: OpsServerOptions): Promise<Server> {
  const { logger, metrics } = options;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    void (async () => {
      if (options.webhook && req.method === 'POST' && path === options.webhook.path) return options.webhook.handle(req, res);
      if (req.method === 'GET' && path === '/healthz') {
        const report = options.health();
        res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(report));
        return;
      }
      if (req.method === 'GET' && path === '/metrics') {
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
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve(server));
  });
}
