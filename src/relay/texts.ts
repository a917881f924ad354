import type { MessageEntity } from 'grammy/types';
import type { Sealer } from '../privacy/sealing.js';
import type { OutboxRow } from '../db/schema.js';

/** A text with its formatting, as the outbox keeps it (sealed) until it is sent. */
export interface JoinableText {
  text: string;
  entities?: MessageEntity[];
  /** Not the source message's own text (a consultant's mentions taken out): sent as this text, never copied. */
  rewritten?: boolean;
}

/** Joined parts are separated by an empty line; the whole stays within Telegram's 4,096 characters. */
export const JOIN_SEPARATOR = '\n\n';
export const MAX_TEXT_LENGTH = 4_096;

/** One text made of several, with each part's formatting moved to where the part now starts. */
export function joinTexts(parts: JoinableText[]): JoinableText {
  let text = '';
  const entities: MessageEntity[] = [];
  for (const part of parts) {
    if (text.length > 0) text += JOIN_SEPARATOR;
    const offset = text.length; // UTF-16 code units, as Telegram counts entity offsets
    for (const entity of part.entities ?? []) entities.push({ ...entity, offset: entity.offset + offset });
    text += part.text;
  }
  return entities.length > 0 ? { text, entities } : { text };
}

/** A text moved right by `prefix` (its formatting too). */
export function prefixed(prefix: string, part: JoinableText): JoinableText {
  const entities = part.entities?.map((e) => ({ ...e, offset: e.offset + prefix.length }));
  return entities?.length ? { text: prefix + part.text, entities } : { text: prefix + part.text };
}

/**
 * Seals and opens the client words an outbox row carries. The associated data names the row by what
 * does not change (case, direction, kind, source, creation time), so a sealed text moved to another
 * row does not open.
 */
export class TextVault {
  constructor(private readonly sealer: Sealer) {}

  private static aad(row: Pick<OutboxRow, 'caseId' | 'toClient' | 'kind' | 'sourceMessageId' | 'createdAt'>): string {
    return `outbox:${row.kind}:${row.caseId ?? '-'}:${row.toClient ? 1 : 0}:${row.sourceMessageId ?? '-'}:${row.createdAt}`;
  }

  seal(text: JoinableText, row: Pick<OutboxRow, 'caseId' | 'toClient' | 'kind' | 'sourceMessageId' | 'createdAt'>): string {
    const value = { text: text.text, ...(text.entities?.length ? { entities: text.entities } : {}), ...(text.rewritten ? { rewritten: true } : {}) };
    return this.sealer.seal(JSON.stringify(value), TextVault.aad(row));
  }

  /** The row's text, or undefined when it has none (or it does not open: then it is treated as having none). */
  open(row: OutboxRow): JoinableText | undefined {
    if (row.sealedText === null) return undefined;
    try {
      return JSON.parse(this.sealer.open(row.sealedText, TextVault.aad(row))) as JoinableText;
    } catch {
      return undefined;
    }
  }
}

/**
 * The client texts at the head of a lane that may go to the inbox as one message: consecutive, all
 * due, all with their text, none part of an album or a reply (a reply may only start a run), together
 * within Telegram's length limit.
 */
export function joinableRun(lane: OutboxRow[], now: number, vault: TextVault): { rows: OutboxRow[]; texts: JoinableText[] } {
  const first = lane[0]!;
  const firstText = first.kind === 'copy' && !first.mediaGroupId ? vault.open(first) : undefined;
  if (!firstText) return { rows: [first], texts: [] };
  const rows = [first];
  const texts = [firstText];
  let length = firstText.text.length;
  for (const row of lane.slice(1)) {
    if (row.kind !== 'copy' || row.mediaGroupId || row.replyToSourceId !== null || row.notBefore > now) break;
    const text = vault.open(row);
    if (!text) break;
    length += JOIN_SEPARATOR.length + text.text.length;
    if (length > MAX_TEXT_LENGTH) break;
    rows.push(row);
    texts.push(text);
  }
  return { rows, texts };
}
