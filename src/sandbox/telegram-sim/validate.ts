import { badRequest, ApiError } from './errors.js';
import { discriminatorOf, type BotApiSpec, type Discriminator, type SpecField, type SpecMethod, type SpecType } from './spec.js';

/**
 * Checks a method's parameters against the reference, stricter than Telegram: unknown parameters
 * and unknown fields inside objects are refused too, so that a typo in the bot fails a test.
 *
 * `form` bodies (multipart, urlencoded, query string) carry every top-level value as a string:
 * numbers and booleans are converted and JSON-serialized objects parsed before checking.
 * Returns the decoded parameters; throws ApiError 400 naming the offending parameter.
 */
export function validateParams(
  spec: BotApiSpec,
  method: SpecMethod,
  raw: Record<string, unknown>,
  form: boolean,
): Record<string, unknown> {
  const checker = new Checker(spec);
  const fields = new Map((method.fields ?? []).map((f) => [f.name, f]));
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    const field = fields.get(name);
    if (!field) throw badRequest(`unknown parameter "${name}" for method ${method.name}`);
    if (isAbsent(value, field, form)) continue;
    const result = checker.check(value, field.types, name, form);
    if (!result.ok) throw badRequest(`${result.error} for method ${method.name}`);
    out[name] = result.value;
  }
  for (const field of fields.values()) {
    if (field.required && !(field.name in out)) throw missing(method.name, field.name);
  }
  return out;
}

/**
 * Parameters Telegram still honours although the reference no longer lists them: reply_to_message_id
 * and allow_sending_without_reply (now reply_parameters), disable_web_page_preview (now
 * link_preview_options). Rewritten into their current form, so that they are checked as such.
 */
export function upgradeLegacy(method: SpecMethod, params: Record<string, unknown>): Record<string, unknown> {
  const has = (name: string) => (method.fields ?? []).some((f) => f.name === name);
  const out = { ...params };
  const scalar = (value: unknown) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value === 'true' ? true : value === 'false' ? false : value);
  if (has('reply_parameters') && !has('reply_to_message_id') && out.reply_to_message_id !== undefined && out.reply_parameters === undefined) {
    out.reply_parameters = {
      message_id: scalar(out.reply_to_message_id),
      ...(out.allow_sending_without_reply !== undefined ? { allow_sending_without_reply: scalar(out.allow_sending_without_reply) } : {}),
    };
    delete out.reply_to_message_id;
    delete out.allow_sending_without_reply;
  }
  if (has('link_preview_options') && !has('disable_web_page_preview') && out.disable_web_page_preview !== undefined && out.link_preview_options === undefined) {
    out.link_preview_options = { is_disabled: scalar(out.disable_web_page_preview) };
    delete out.disable_web_page_preview;
  }
  return out;
}

/** Checks a JSON value against spec types (e.g. `["Message"]`); returns the problem, or undefined. */
export function checkValue(spec: BotApiSpec, types: string[], value: unknown, path: string): string | undefined {
  const result = new Checker(spec).check(value, types, path, false);
  return result.ok ? undefined : result.error;
}

function missing(method: string, name: string): ApiError {
  if (name === 'chat_id') return badRequest('chat_id is empty');
  if (name === 'text' && method === 'sendMessage') return badRequest('message text is empty');
  return badRequest(`parameter "${name}" is required for method ${method}`);
}

/** null/undefined count as absent (grammY drops them); so does an empty form value of a non-string. */
function isAbsent(value: unknown, field: SpecField, form: boolean): boolean {
  if (value === null || value === undefined) return true;
  return form && value === '' && !field.types.includes('String');
}

/** A failure's `depth` (how far into the value it was found) and `matched` (fields that did validate) pick the most telling error among union alternatives. */
type Failure = { ok: false; error: string; depth: number; matched: number };
type Result = { ok: true; value: unknown } | Failure;

const ok = (value: unknown): Result => ({ ok: true, value });

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value);
  return `${typeof value} ${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown}`;
}

const depthOf = (path: string) => path.split(/[.[]/).length;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const PRIMITIVES = new Set(['Integer', 'Float', 'Boolean', 'String', 'InputFile']);

class Checker {
  constructor(private readonly spec: BotApiSpec) {}

  /** `value` against the alternatives `types`; `form`: the value is a top-level form string. */
  check(value: unknown, types: string[], path: string, form: boolean): Result {
    if (form && typeof value === 'string' && types.every((t) => !PRIMITIVES.has(t))) {
      const decoded = this.decodeJson(value, path, true);
      if (!decoded.ok) return decoded;
      return this.check(decoded.value, types, path, false);
    }
    // "Array of InputMediaAudio | Array of InputMediaPhoto | …": one array of any of them (photos and videos mix).
    if (types.length > 1 && types.every((t) => t.startsWith('Array of '))) {
      return this.array(value, types.map((t) => t.slice('Array of '.length)), path, form);
    }
    const tagged = this.tagged(types);
    if (tagged && types.length > 1 && isPlainObject(value)) return this.dispatch(value, tagged, path, types.join(' or '));
    const failures: Failure[] = [];
    for (const type of types) {
      const result = this.one(value, type, path, form);
      if (result.ok) return result;
      failures.push(result);
    }
    const best = failures.sort((a, b) => b.depth - a.depth || b.matched - a.matched)[0];
    if (types.length > 1 && best && best.depth <= depthOf(path)) {
      return this.fail(path, `must be of type ${types.join(' or ')}, got ${describe(value)}`);
    }
    return best ?? this.fail(path, 'has no type in the reference');
  }

  private fail(path: string, what: string, matched = 0): Failure {
    const subject = path.includes('.') || path.includes('[') ? 'field' : 'parameter';
    return { ok: false, error: `${subject} "${path}" ${what}`, depth: depthOf(path), matched };
  }

  private one(value: unknown, type: string, path: string, form: boolean): Result {
    if (type.startsWith('Array of ')) return this.array(value, [type.slice('Array of '.length)], path, form);
    switch (type) {
      case 'Integer':
      case 'Float': {
        const n = form && typeof value === 'string' && NUMBER.test(value) ? Number(value) : value;
        const valid = typeof n === 'number' && Number.isFinite(n) && (type === 'Float' || Number.isInteger(n));
        return valid ? ok(n) : this.fail(path, `must be of type ${type}, got ${describe(value)}`);
      }
      case 'Boolean': {
        if (typeof value === 'boolean') return ok(value);
        if (form && typeof value === 'string' && /^(true|false|1|0)$/i.test(value)) return ok(/^(true|1)$/i.test(value));
        return this.fail(path, `must be of type Boolean, got ${describe(value)}`);
      }
      case 'String':
        return typeof value === 'string' ? ok(value) : this.fail(path, `must be of type String, got ${describe(value)}`);
      case 'InputFile':
        // Only reachable through multipart, where it arrives as an attach:// reference (see http-body.ts).
        return typeof value === 'string' && value.startsWith('attach://')
          ? ok(value)
          : this.fail(path, `must be an uploaded file, got ${describe(value)}`);
    }
    const spec = this.spec.types[type];
    if (!spec) return this.fail(path, `has type ${type}, which the reference does not define`);
    const decoded = this.decodeJson(value, path, form);
    if (!decoded.ok) return decoded;
    if (spec.subtypes) return this.abstract(decoded.value, spec, path);
    return this.object(decoded.value, spec, path);
  }

  private decodeJson(value: unknown, path: string, form: boolean): Result {
    if (!form || typeof value !== 'string') return ok(value);
    try {
      return ok(JSON.parse(value));
    } catch {
      return this.fail(path, `must be JSON-serialized, got ${describe(value)}`);
    }
  }

  private array(value: unknown, itemTypes: string[], path: string, form: boolean): Result {
    const decoded = this.decodeJson(value, path, form);
    if (!decoded.ok) return decoded;
    if (!Array.isArray(decoded.value)) {
      return this.fail(path, `must be an Array of ${itemTypes.join(' or ')}, got ${describe(decoded.value)}`);
    }
    const out: unknown[] = [];
    for (const [index, item] of decoded.value.entries()) {
      const result = this.check(item, itemTypes, `${path}[${index}]`, false);
      if (!result.ok) return result;
      out.push(result.value);
    }
    return ok(out);
  }

  /** The concrete types and their discriminators, when every one of `names` has one on the same field. */
  private tagged(names: string[]): { name: string; tag: Discriminator }[] | undefined {
    const found = names.map((name) => {
      const type = this.spec.types[name];
      const tag = type ? discriminatorOf(type) : undefined;
      return tag ? { name, tag } : undefined;
    });
    if (found.some((f) => !f) || new Set(found.map((f) => f!.tag.field)).size !== 1) return undefined;
    return found as { name: string; tag: Discriminator }[];
  }

  /** Picks the concrete types whose discriminator ("type": "chat"…) the object carries. */
  private dispatch(value: Record<string, unknown>, tagged: { name: string; tag: Discriminator }[], path: string, label: string): Result {
    const field = tagged[0]!.tag.field;
    const match = tagged.filter((t) => t.tag.value === value[field]);
    if (match.length === 0) {
      const allowed = [...new Set(tagged.map((t) => `"${t.tag.value}"`))].join(', ');
      return { ...this.fail(`${path}.${field}`, `must be one of ${allowed} (${label}), got ${describe(value[field])}`), depth: 99 };
    }
    const failures: Failure[] = [];
    for (const { name } of match) {
      const result = this.one(value, name, path, false);
      if (result.ok) return result;
      failures.push(result);
    }
    return failures.sort((a, b) => b.depth - a.depth || b.matched - a.matched)[0]!;
  }

  /** BotCommandScope, InputMedia…: dispatch on the discriminator when the subtypes have one. */
  private abstract(value: unknown, spec: SpecType, path: string): Result {
    const subtypes = spec.subtypes ?? [];
    const tagged = this.tagged(subtypes);
    if (!tagged || !isPlainObject(value)) return this.check(value, subtypes, path, false);
    return this.dispatch(value, tagged, path, spec.name);
  }

  private object(value: unknown, spec: SpecType, path: string): Result {
    if (!isPlainObject(value)) return this.fail(path, `must be an object (${spec.name}), got ${describe(value)}`);
    const fields = new Map((spec.fields ?? []).map((f) => [f.name, f]));
    const out: Record<string, unknown> = {};
    const tag = discriminatorOf(spec);
    if (tag && value[tag.field] !== tag.value) {
      return this.fail(`${path}.${tag.field}`, `must be "${tag.value}" in ${spec.name}, got ${describe(value[tag.field])}`);
    }
    for (const [name, item] of Object.entries(value)) {
      const field = fields.get(name);
      const matched = Object.keys(out).length;
      if (!field) {
        return { ok: false, error: `unknown field "${path}.${name}" in ${spec.name}`, depth: depthOf(path) + 1, matched };
      }
      if (item === null || item === undefined) continue;
      const result = this.check(item, field.types, `${path}.${name}`, false);
      if (!result.ok) return { ...result, matched: result.matched + matched };
      out[name] = result.value;
    }
    for (const field of fields.values()) {
      if (field.required && !(field.name in out)) {
        return this.fail(`${path}.${field.name}`, `is required in ${spec.name}`, Object.keys(out).length);
      }
    }
    return ok(out);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
