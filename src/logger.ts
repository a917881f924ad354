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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: undefined }, destination);
}

export type { Logger };
