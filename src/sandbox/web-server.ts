import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { addClient, SANDBOX_LANGUAGES, type SandboxLanguage, type Scene } from './scene.js';
import type { Message, User } from './telegram-sim/index.js';
import type { TrainingRunner } from './training/runner.js';
import { buildView, type View } from './view.js';

/** Through the project root: this module runs from src/ (tests) and dist/ (npm run sandbox), both two folders deep. */
const PAGE_DIR = new URL('../../src/sandbox/web/', import.meta.url);
const PAGE_SCRIPT = new URL('../../dist/sandbox/web/page.js', import.meta.url);

const STATIC: Record<string, { file: URL; type: string }> = {
  '/': { file: new URL('index.html', PAGE_DIR), type: 'text/html; charset=utf-8' },
  '/style.css': { file: new URL('style.css', PAGE_DIR), type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: new URL('favicon.svg', PAGE_DIR), type: 'image/svg+xml' },
  '/page.js': { file: PAGE_SCRIPT, type: 'text/javascript; charset=utf-8' },
};

/** Nothing but the page's own files and its own server: no inline script, no other origin. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

class BadRequest extends Error {}

export interface SandboxWeb {
  url: string;
  /** Sends the page a fresh view soon (for changes the simulator's calls do not show, such as training progress). */
  changed(): void;
  close(): Promise<void>;
}

/**
 * The sandbox page's server, on loopback only: the page, its live state (server-sent events, the whole
 * view after every change), and the actions of the simulated people (send a text, press a button, add
 * a client). Only requests addressed to this host and port are served, so that no other web page the
 * browser has open can drive the sandbox through DNS rebinding or a cross-site form.
 */
export async function startSandboxWeb(scene: Scene, options: { port: number; host?: string; training?: TrainingRunner }): Promise<SandboxWeb> {
  const host = options.host ?? '127.0.0.1';
  const { training } = options;
  const view = (): View => ({ ...buildView(scene), ...(training ? { training: training.view() } : {}) });
  const streams = new Set<ServerResponse>();
  let pending: NodeJS.Timeout | undefined;
  const broadcast = () => {
    pending = undefined;
    const data = `data: ${JSON.stringify(view())}\n\n`;
    for (const res of streams) res.write(data);
  };
  /** Many calls arrive together (a screen is a few calls): one update for all of them. */
  const changed = () => {
    pending ??= setTimeout(broadcast, 30);
  };
  const unsubscribe = scene.fake.onCall((call) => {
    if (call.method !== 'getUpdates') changed();
  });
  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': keep-alive\n\n');
  }, 15_000);

  let allowedHosts = new Set<string>();
  let samples = 0;
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      const status = error instanceof BadRequest ? 400 : 500;
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json', ...SECURITY_HEADERS });
      res.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts.has(String(req.headers.host))) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('This sandbox answers only on its own address.');
      return;
    }
    const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
    if (req.method === 'GET' && STATIC[path]) {
      const { file, type } = STATIC[path];
      res.writeHead(200, { 'content-type': type, ...SECURITY_HEADERS }).end(readFileSync(fileURLToPath(file)));
      return;
    }
    if (req.method === 'GET' && path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', connection: 'keep-alive', ...SECURITY_HEADERS });
      res.write(`data: ${JSON.stringify(view())}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (req.method === 'POST' && path.startsWith('/api/')) {
      const origin = req.headers.origin;
      if (!String(req.headers['content-type']).startsWith('application/json') || (origin !== undefined && !allowedHosts.has(origin.replace(/^https?:\/\//, '')))) {
        res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden');
        return;
      }
      const body = await readJson(req);
      const result = await act(path.slice('/api/'.length), body);
      changed();
      res.writeHead(200, { 'content-type': 'application/json', ...SECURITY_HEADERS }).end(JSON.stringify(result ?? {}));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain', ...SECURITY_HEADERS }).end('Not found');
  }

  /** The person acting, checked against who may act in that chat. */
  function actor(body: Record<string, unknown>): { user: User; chatId: number; chat: 'client' | 'team' | 'editors' | 'private' } {
    const id = Number(body.user);
    const chat = body.chat;
    if (chat === 'client') {
      const client = scene.clients.find((c) => c.user.id === id);
      if (!client) throw new BadRequest('no such client');
      return { user: client.user, chatId: client.user.id, chat };
    }
    const consultant = scene.consultants.find((c) => c.id === id);
    if (!consultant) throw new BadRequest('no such consultant');
    if (chat === 'team') return { user: consultant, chatId: scene.staff.id, chat };
    if (chat === 'editors') return { user: consultant, chatId: scene.editors.id, chat };
    // A consultant's own private chat with the bot (check-ins after urgent cases).
    if (chat === 'private') return { user: consultant, chatId: consultant.id, chat };
    throw new BadRequest('chat must be client, team, editors or private');
  }

  async function act(action: string, body: Record<string, unknown>): Promise<unknown> {
    const { fake } = scene;
    switch (action) {
      case 'send': {
        const { user, chatId, chat } = actor(body);
        const text = typeof body.text === 'string' ? body.text.trim() : '';
        if (text.length === 0 || text.length > 4096) throw new BadRequest('a text of 1 to 4096 characters');
        const threadId = chat === 'team' && Number.isInteger(body.thread) && Number(body.thread) > 1 ? Number(body.thread) : undefined;
        const replyTo = Number.isInteger(body.replyTo) ? fake.messages(chatId).find((m) => m.message_id === body.replyTo) : undefined;
        fake.sendText(user, text, { chatId, ...(threadId !== undefined ? { threadId } : {}), ...(replyTo ? { replyTo } : {}) });
        if (chat !== 'private') training?.observe({ kind: 'send', chat, user: user.id, text, ...(threadId !== undefined ? { threadId } : {}) });
        return {};
      }
      case 'press': {
        const { user, chatId, chat } = actor(body);
        const message: Message | undefined = fake.messages(chatId).find((m) => m.message_id === body.message);
        if (!message) throw new BadRequest('that message is gone');
        let queryId: string;
        try {
          queryId = fake.pressButton(user, message, String(body.data));
        } catch (error) {
          throw new BadRequest(error instanceof Error ? error.message : String(error));
        }
        if (chat !== 'private') training?.observe({ kind: 'press', chat, user: user.id, message, data: String(body.data) });
        return { answer: await answerOf(queryId) };
      }
      case 'media': {
        const { user, chat } = actor(body);
        if (chat !== 'client') throw new BadRequest('only clients send sample media here');
        for (const content of sampleMedia(String(body.kind), ++samples)) fake.sendMessage(user, content);
        return {};
      }
      case 'training/start': {
        if (!training) throw new BadRequest('no training scenarios');
        try {
          training.start(Array.isArray(body.scenarios) ? body.scenarios.map(String) : []);
        } catch (error) {
          throw new BadRequest((error as Error).message);
        }
        return {};
      }
      case 'training/stop':
        training?.stop();
        return {};
      case 'clients': {
        const language = body.language as SandboxLanguage;
        if (!SANDBOX_LANGUAGES.includes(language)) throw new BadRequest('language must be ru, kk or en');
        const client = addClient(scene, language, typeof body.name === 'string' ? body.name : undefined);
        return { id: client.user.id };
      }
      default:
        throw new BadRequest(`unknown action ${action}`);
    }
  }

  /** The text the bot answered the button press with (a toast in Telegram), waiting briefly for it. */
  async function answerOf(queryId: string): Promise<string | undefined> {
    for (let waited = 0; waited < 3000; waited += 50) {
      const answer = scene.fake.callbackAnswer(queryId);
      if (answer) return typeof answer.text === 'string' ? answer.text : undefined;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return undefined;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`${host}:${port}`, `localhost:${port}`]);
  return {
    url: `http://${host}:${port}/`,
    changed,
    async close() {
      unsubscribe();
      clearInterval(heartbeat);
      if (pending) clearTimeout(pending);
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a client's phone sends for each sample (invented file ids: the simulator needs no real files). */
function sampleMedia(kind: string, n: number): Partial<Message>[] {
  const file = (prefix: string) => ({ file_id: `sandbox-${prefix}-${n}`, file_unique_id: `sandbox-${prefix}-u${n}` });
  const photo = (i: number) => ({ photo: [{ ...file(`photo${i}`), width: 640, height: 480 }] });
  switch (kind) {
    case 'photo': return [photo(0)];
    case 'voice': return [{ voice: { ...file('voice'), duration: 4, mime_type: 'audio/ogg' } }];
    case 'sticker': return [{ sticker: { ...file('sticker'), type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '🙂' } }];
    case 'location': return [{ location: { latitude: 43.238, longitude: 76.945 } }];
    case 'album': return [0, 1].map((i) => ({ ...photo(i), media_group_id: `sandbox-album-${n}` }));
    default: throw new BadRequest('kind must be photo, voice, sticker, location or album');
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) throw new BadRequest('request too large');
    chunks.push(chunk);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new BadRequest('expected a JSON object');
}
