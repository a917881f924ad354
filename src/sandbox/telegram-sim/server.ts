import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, notFound, tooManyRequests, unauthorized } from './errors.js';
import { HANDLERS, type CallContext, type FakeBehaviour } from './handlers/index.js';
import { readParams, type RequestParams } from './http-body.js';
import { countsAsMessage, type RateLimiter } from './rate-limit.js';
import { findMethod, type BotApiSpec } from './spec.js';
import type { World } from './state.js';
import type { CallRecord } from './types.js';
import type { UpdateQueue } from './updates.js';
import { upgradeLegacy, validateParams } from './validate.js';

export interface ServerDeps {
  token: string;
  spec: BotApiSpec;
  world: World;
  updates: UpdateQueue;
  limiter: RateLimiter;
  behaviour: FakeBehaviour;
  /** Called with every answered request. */
  record: (call: CallRecord) => void;
}

/**
 * The HTTP side: `/bot<token>/<method>` answered like api.telegram.org (token check, method lookup,
 * parameter validation against the reference, flood limits, then the method's simulation), and
 * `/file/bot<token>/<path>` serving uploaded files.
 */
export class BotApiServer {
  private readonly server: Server;
  /** `host:port` values a request may be addressed to (set once listening): a DNS-rebinding page's Host is not one. */
  private allowedHosts = new Set<string>();

  constructor(private readonly deps: ServerDeps) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Listens and returns the API root, e.g. `http://127.0.0.1:40123`. */
  async listen(host: string, port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    const shown = host.includes(':') ? `[${host}]` : host;
    this.allowedHosts = new Set([`${shown}:${address.port}`, `localhost:${address.port}`]);
    return `http://${shown}:${address.port}`;
  }

  async close(): Promise<void> {
    this.deps.updates.close();
    await new Promise((resolve) => setImmediate(resolve)); // let ended long polls answer
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Like the sandbox's page server: only requests addressed to this very address (a page that rebinds
   * its name to 127.0.0.1 sends its own name), never from a web page (a browser sends Origin), and never
   * a state-changing call as a GET (an <img> needs no preflight). The bot (Node's fetch) sends neither.
   */
  private refusal(req: IncomingMessage, method: string | undefined): { status: number; description: string } | undefined {
    if (!this.allowedHosts.has(String(req.headers.host))) return { status: 421, description: 'Misdirected Request: this simulator answers only on its own address' };
    if (req.headers.origin !== undefined) return { status: 403, description: 'Forbidden: requests from web pages are refused' };
    if (req.method === 'GET' && method !== undefined && (!method.startsWith('get') || method.toLowerCase() === 'getupdates')) {
      return { status: 405, description: `Method Not Allowed: ${method} changes state; use POST` };
    }
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake-telegram');
    const refused = this.refusal(req, /^\/bot[^/]*\/([^/]*)$/.exec(url.pathname)?.[1]);
    if (refused) return this.send(res, refused.status, { ok: false, error_code: refused.status, description: refused.description });
    const at = Date.now();
    const download = /^\/file\/bot([^/]*)\/(.+)$/.exec(url.pathname);
    if (download) return this.download(res, download[1]!, download[2]!);
    const route = /^\/bot([^/]*)\/([^/]*)$/.exec(url.pathname);
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    let method = route?.[2] ?? url.pathname;
    let body: RequestParams = { params: {}, files: new Map(), form: true };
    let params: Record<string, unknown> = {};
    try {
      body = await readParams(req, url);
      params = body.params;
      if (!route) throw notFound();
      if (route[1] !== this.deps.token) throw unauthorized();
      const spec = findMethod(this.deps.spec, route[2]!);
      if (!spec) throw notFound();
      method = spec.name;
      const fields = new Set((spec.fields ?? []).map((f) => f.name));
      for (const name of body.files.keys()) if (fields.has(name) && !(name in params)) params[name] = `attach://${name}`;
      params = validateParams(this.deps.spec, spec, upgradeLegacy(spec, params), body.form);
      this.checkFlood(method, params);
      const { world, updates, spec: reference, behaviour } = this.deps;
      const ctx: CallContext = { method, params, files: body.files, gone: gone.signal, world, updates, spec: reference, behaviour };
      const result = await (HANDLERS[method] ?? (() => true))(ctx);
      if (gone.signal.aborted) {
        this.deps.record({ method, params, ok: true, result, at, aborted: true, ...this.files(body) });
        return;
      }
      this.deps.record({ method, params, ok: true, result, at, ...this.files(body) });
      this.send(res, 200, { ok: true, result });
    } catch (thrown) {
      const error = thrown instanceof ApiError
        ? thrown
        : new ApiError(500, `Internal Server Error: fake-telegram failed on ${method}: ${thrown instanceof Error ? thrown.stack : String(thrown)}`);
      this.deps.record({ method, params, ok: false, error: error.toFailure(), at, ...this.files(body) });
      if (!gone.signal.aborted) this.send(res, error.error_code, { ok: false, ...error.toFailure() });
    }
  }

  private checkFlood(method: string, params: Record<string, unknown>): void {
    if (!countsAsMessage(method)) return;
    const record = this.deps.world.findChat(params.chat_id);
    if (!record) return;
    const retryAfter = this.deps.limiter.take(record.chat.id, record.chat.type, Date.now());
    if (retryAfter !== undefined) throw tooManyRequests(retryAfter);
  }

  private files(body: RequestParams): Pick<CallRecord, 'files'> {
    if (body.files.size === 0) return {};
    return { files: [...body.files.values()].map(({ name, filename, size }) => ({ name, filename, size })) };
  }

  private download(res: ServerResponse, token: string, path: string): void {
    if (token !== this.deps.token) return this.send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const unique = path.split('/').pop();
    const file = [...this.deps.world.files.values()].find((f) => f.file_unique_id === unique);
    if (!file) return this.send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(file.data ?? Buffer.alloc(0));
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    const json = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
    res.end(json);
  }
}
