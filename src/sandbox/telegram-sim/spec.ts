import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The official Bot API reference in machine-readable form (scraped from core.telegram.org by
 * PaulSonOfLars/telegram-bot-api-spec), vendored in src/sandbox/telegram-sim/bot-api so tests and the
 * sandbox run from a fresh clone. `FAKE_TELEGRAM_SPEC` may point elsewhere. The path goes through the
 * project root because this module runs both from src/ (tests, tsx) and from dist/ (the sandbox), and
 * the build copies no JSON: both are three folders deep.
 */
export const DEFAULT_SPEC_URL = new URL('../../../src/sandbox/telegram-sim/bot-api/bot-api-10.1.json', import.meta.url);

export interface SpecField {
  name: string;
  /** Alternatives, e.g. `["Integer", "String"]`, `["Array of Array of InlineKeyboardButton"]`. */
  types: string[];
  required: boolean;
  description: string;
}

export interface SpecMethod {
  name: string;
  fields?: SpecField[];
  returns: string[];
}

export interface SpecType {
  name: string;
  fields?: SpecField[];
  /** For abstract types (BotCommandScope, InputMedia…): the concrete types, or type expressions. */
  subtypes?: string[];
}

export interface BotApiSpec {
  version: string;
  methods: Record<string, SpecMethod>;
  types: Record<string, SpecType>;
}

/** A constant field such as `type` in BotCommandScopeChat ("must be chat") or `status` in ChatMemberLeft. */
export interface Discriminator {
  field: string;
  value: string;
}

const cache = new Map<string, BotApiSpec>();

/** Reads (once) and returns the reference. Throws with a clear message when the file is missing. */
export function loadSpec(path: string | URL = process.env.FAKE_TELEGRAM_SPEC ?? DEFAULT_SPEC_URL): BotApiSpec {
  const file = path instanceof URL ? fileURLToPath(path) : path;
  const cached = cache.get(file);
  if (cached) return cached;
  if (!existsSync(file)) {
    throw new Error(`fake-telegram: the Bot API reference is missing at ${file} (set FAKE_TELEGRAM_SPEC to its path)`);
  }
  const spec = JSON.parse(readFileSync(file, 'utf8')) as BotApiSpec;
  cache.set(file, spec);
  return spec;
}

const byLowerName = new WeakMap<BotApiSpec, Map<string, SpecMethod>>();

/** The method, looked up case-insensitively as Telegram does. */
export function findMethod(spec: BotApiSpec, name: string): SpecMethod | undefined {
  let index = byLowerName.get(spec);
  if (!index) {
    index = new Map(Object.values(spec.methods).map((m) => [m.name.toLowerCase(), m]));
    byLowerName.set(spec, index);
  }
  return index.get(name.toLowerCase());
}

const discriminators = new WeakMap<SpecType, Discriminator | null>();

/** The constant first field of a concrete type, read from its description ("must be x", "always “x”"). */
export function discriminatorOf(type: SpecType): Discriminator | undefined {
  const known = discriminators.get(type);
  if (known !== undefined) return known ?? undefined;
  const first = type.fields?.[0];
  const match = first && first.types.length === 1 && first.types[0] === 'String'
    ? /(?:must be|always)\s+["“]?([a-z0-9_]+)["”]?\s*$/.exec(first.description)
    : null;
  const found = first && match?.[1] ? { field: first.name, value: match[1] } : null;
  discriminators.set(type, found);
  return found ?? undefined;
}
