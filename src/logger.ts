import { pino, type Logger } from 'pino';

/**
 * Paths that may carry who a client is or what they wrote. The logger never receives an update
 * by design; this is the safety net for a mistake.
 */
const REDACT = [
  'update',
  'ctx',
  'message',
  'msg.text',
  'text',
  'from',
  'chat',
  'user',
  'username',
  'first_name',
  'last_name',
  'phone_number',
  'payload',
  'err.payload',
  'error.payload',
  '*.from',
  '*.chat',
  '*.text',
  '*.username',
  '*.first_name',
  '*.last_name',
  '*.phone_number',
  '*.payload',
];

/**
 * Anything shaped like a bot token (`123456:AA…`, also with the colon URL-encoded), e.g. inside a
 * request URL `…/bot<token>/getMe` that a network error's message quotes.
 */
const TOKEN_SHAPED = /\d{5,20}(?::|%3A)[A-Za-z0-9_-]{30,}/gi;

/**
 * Removes the given secrets (the bot token, and its part after the colon on its own) and anything
 * token-shaped from a text about to be written out. The last line of defence: whatever an error
 * message quotes, the token never reaches a log or the terminal.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    const parts = [secret, secret.includes(':') ? secret.slice(secret.indexOf(':') + 1) : ''];
    for (const part of parts) if (part.length >= 8) out = out.split(part).join('[redacted]');
  }
  return out.replace(TOKEN_SHAPED, '[redacted]');
}

/**
 * Scrubs whatever else the process prints on stdout and stderr (a library's console.error, a
 * warning), as the logger does for its own lines. Called once at start-up, with the token.
 */
export function scrubProcessOutput(secrets: readonly (string | undefined)[]): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
      return write(text === undefined ? chunk : redactSecrets(text, secrets), ...rest);
    }) as typeof stream.write;
  }
}

/** Keys that may hold an update, a request's payload or a person, wherever they sit inside an error. */
const SENSITIVE_KEYS = new Set(['payload', 'update', 'ctx', 'from', 'chat', 'text', 'caption', 'user', 'username', 'first_name', 'last_name', 'phone_number']);

/** A copy of a serialized error without sensitive keys at any depth (an error wrapping an error that holds a payload). */
function scrubError(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => scrubError(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SENSITIVE_KEYS.has(key) ? '[redacted]' : scrubError(inner instanceof Error ? pino.stdSerializers.err(inner) : inner, depth + 1);
  }
  return out;
}

const errorSerializer = (error: unknown) => scrubError(error instanceof Error ? pino.stdSerializers.err(error) : error);

export interface LoggerOptions {
  destination?: pino.DestinationStream;
  /** Values that must never be written (the bot token). */
  secrets?: readonly (string | undefined)[];
}

export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? [];
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: { err: errorSerializer, error: errorSerializer },
      base: undefined,
      // Every line, whatever produced it (an error's message, its cause, its stack), is scrubbed on its way out.
      hooks: { streamWrite: (line) => redactSecrets(line, secrets) },
    },
    options.destination,
  );
}

export type { Logger };
