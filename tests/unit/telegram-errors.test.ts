import { describe, expect, it } from 'vitest';
import { GrammyError, HttpError } from 'grammy';
import { classifyError } from '../../src/telegram/errors.js';

const refused = (error_code: number, description: string, parameters: Record<string, number> = {}) =>
  new GrammyError('call failed', { ok: false, error_code, description, parameters }, 'sendMessage', {});

describe('what a Telegram error means (one classifier for the whole bot)', () => {
  it('tells a flood wait, a block, a deleted topic, a vanished message and an unchanged edit apart', () => {
    expect(classifyError(refused(429, 'Too Many Requests: retry after 7', { retry_after: 7 }))).toEqual({ kind: 'rate-limited', retryAfterMs: 7_000 });
    expect(classifyError(refused(403, 'Forbidden: bot was blocked by the user'))).toEqual({ kind: 'blocked', reason: 'Forbidden: bot was blocked by the user' });
    expect(classifyError(refused(400, 'Bad Request: message thread not found'))).toEqual({ kind: 'topic-missing' });
    expect(classifyError(refused(400, 'Bad Request: TOPIC_DELETED'))).toEqual({ kind: 'topic-missing' });
    expect(classifyError(refused(400, 'Bad Request: message to copy not found'))).toEqual({ kind: 'message-missing' });
    expect(classifyError(refused(400, 'Bad Request: message to edit not found'))).toEqual({ kind: 'message-missing' });
    expect(classifyError(refused(400, 'Bad Request: message is not modified: specified new message content'))).toEqual({ kind: 'not-modified' });
    expect(classifyError(refused(400, 'Bad Request: TOPIC_NOT_MODIFIED'))).toEqual({ kind: 'not-modified' });
  });

  it('a closed topic is not a missing one (it must not be made again), and 5xx or no answer means try again', () => {
    expect(classifyError(refused(400, 'Bad Request: TOPIC_CLOSED'))).toEqual({ kind: 'refused', reason: 'Bad Request: TOPIC_CLOSED' });
    expect(classifyError(refused(502, 'Bad Gateway')).kind).toBe('network');
    expect(classifyError(new HttpError('Network request failed', new Error('ECONNRESET'))).kind).toBe('network');
  });
});
