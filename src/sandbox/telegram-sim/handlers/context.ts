import type { BotApiSpec } from '../spec.js';
import type { World } from '../state.js';
import type { UploadedFile } from '../types.js';
import type { UpdateQueue } from '../updates.js';

export interface FakeBehaviour {
  /** Refuse unknown `&name;` and bare `&` in HTML (Telegram shows them literally). Default true. */
  strictEntities: boolean;
  /** Refuse file_ids the fake never issued or saw (Telegram refuses unknown ones). Default false. */
  strictFileIds: boolean;
}

/** What a method handler gets: validated parameters and the simulated world. */
export interface CallContext {
  method: string;
  params: Record<string, unknown>;
  files: Map<string, UploadedFile & { data: Buffer }>;
  world: World;
  updates: UpdateQueue;
  spec: BotApiSpec;
  behaviour: FakeBehaviour;
  /** Aborted when the client disconnects. */
  gone: AbortSignal;
}

/** Returns the method's `result`, or throws ApiError. */
export type Handler = (ctx: CallContext) => unknown;

/**
 * An object of a spec type with every required field present: booleans set to `flag`, numbers 0,
 * strings empty; then `values` on top. Keeps generated objects (ChatMember…) complete as the API grows.
 */
export function complete(spec: BotApiSpec, type: string, values: Record<string, unknown>, flag = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of spec.types[type]?.fields ?? []) {
    if (!field.required) continue;
    const kind = field.types[0];
    if (kind === 'Boolean') out[field.name] = flag;
    else if (kind === 'Integer' || kind === 'Float') out[field.name] = 0;
    else if (kind === 'String') out[field.name] = '';
  }
  return { ...out, ...values };
}
