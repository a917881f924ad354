import { existsSync } from 'node:fs';
import { z } from 'zod';
import { configSchema } from '../config.js';

/**
 * The part of the configuration the content tools need (no token or secret): CONTENT_DIR, TIMEZONE,
 * CHANNELS. Reads .env like the bot does. Exits with a clear line on a bad value.
 */
export function contentToolConfig(): { contentDir: string; timezone: string; channels?: string[]; defaultLanguage: string } {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const shape = configSchema.in.shape;
  const schema = z.object({ CONTENT_DIR: shape.CONTENT_DIR, TIMEZONE: shape.TIMEZONE, CHANNELS: shape.CHANNELS.optional(), DEFAULT_LANGUAGE: shape.DEFAULT_LANGUAGE });
  const env = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = schema.safeParse(env);
  if (!result.success) {
    for (const issue of result.error.issues) process.stderr.write(`${issue.message}\n`);
    process.exit(1);
  }
  const { CONTENT_DIR, TIMEZONE, CHANNELS, DEFAULT_LANGUAGE } = result.data;
  return {
    contentDir: CONTENT_DIR,
    timezone: TIMEZONE,
    channels: env.CHANNELS !== undefined && CHANNELS ? Object.keys(CHANNELS) : undefined,
    defaultLanguage: DEFAULT_LANGUAGE,
  };
}
