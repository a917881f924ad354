import { Writable } from 'node:stream';
import { HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { createLogger, redactSecrets } from '../../src/logger.js';

const TOKEN = '987654321:AAH-secret_part_of_the_token_0123456789';
const SECRET_PART = TOKEN.slice(TOKEN.indexOf(':') + 1);

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, destination };
}

describe('the logger never writes the bot token', () => {
  it('scrubs the token, its secret part alone and any token-shaped text', () => {
    const text = `request to http://127.0.0.1:9/bot${TOKEN}/getMe failed; secret ${SECRET_PART}; other 1234567:${'Z'.repeat(35)}; encoded 987654321%3A${SECRET_PART}`;
    const clean = redactSecrets(text, [TOKEN]);
    expect(clean).not.toContain(SECRET_PART);
    expect(clean).not.toContain('Z'.repeat(35));
    expect(clean).toContain('http://127.0.0.1:9/bot[redacted]/getMe');
    // Ordinary figures stay readable.
    expect(redactSecrets('update 12345 took 30 ms at 10:15', [TOKEN])).toBe('update 12345 took 30 ms at 10:15');
  });

  it('scrubs a network error whose cause quotes the request URL, in every field pino writes', () => {
    const { lines, destination } = capture();
    const logger = createLogger('info', { destination, secrets: [TOKEN] });
    const cause = new Error(`request to https://api.telegram.org/bot${TOKEN}/getUpdates failed, reason: socket hang up`);
    logger.warn({ err: new HttpError("Network request for 'getUpdates' failed!", cause) }, `calling /bot${TOKEN}/x`);
    logger.error(new Error(`at ${SECRET_PART}`));
    const output = lines.join('');
    expect(output).toContain('/bot[redacted]/getUpdates');
    expect(output).not.toContain(SECRET_PART);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('the logger never writes what an error carries about a person', () => {
  it('drops a payload nested inside an error that wraps another (the review’s I5 case)', () => {
    const { lines, destination } = capture();
    const logger = createLogger('info', { destination });
    const inner = Object.assign(new Error('Call to sendMessage failed'), { payload: { chat_id: 555000111, text: 'my address is Abay 12' } });
    const outer = Object.assign(new Error('relay failed'), { error: inner, details: { request: { payload: { chat_id: 555000111 } } } });
    logger.error({ err: outer }, 'relay failed');
    logger.warn({ err: { error: inner } }, 'wrapped');
    const output = lines.join('');
    expect(output).toContain('relay failed');
    expect(output).toContain('Call to sendMessage failed');
    expect(output).not.toContain('555000111');
    expect(output).not.toContain('Abay');
  });
});
