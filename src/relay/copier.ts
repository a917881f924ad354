import type { Api } from 'grammy';
import type { CaseRow, OutboxRow } from '../db/schema.js';
import type { Db } from '../db/connection.js';
import { counterpart } from './pairs.js';
import { joinTexts, prefixed, type JoinableText } from './texts.js';

/** One message (or album, or a run of joined texts) to copy across, and where. */
export interface CopyJob {
  rows: OutboxRow[];
  row: CaseRow;
  to: number;
  from: number;
  /** The topic to copy into (the case's, in either chat), if any. */
  thread?: number;
  /** Texts of joined rows (more than one row, not an album): sent as one message. */
  texts?: JoinableText[];
}

/**
 * Makes the copies: copyMessage, copyMessages for an album, or sendMessage for joined texts (every part
 * paired with the one message, so replies to it reach the last part). Into the team's chat copies are
 * protected, so a client's photo or voice cannot be forwarded or saved out of the inbox. Returns the
 * copies' ids, one per row. Throws the API's error.
 */
export async function makeCopies(api: Api, db: Db, job: CopyJob): Promise<number[]> {
  const first = job.rows[0]!;
  const toClient = first.toClient;
  // The team-side id of a pair means something only in its chat: the source's for a reply to the client,
  // the destination's for the client's reply. A reply to a message in a chat the case has left quotes nothing.
  const teamChat = toClient ? job.from : job.to;
  const paired = first.replyToSourceId === null ? undefined : counterpart(db, job.row.id, toClient, teamChat, first.replyToSourceId);
  // Into the team's chat, only a message of the case's topic as it is now (ids grow within a chat; the topic's id is its first message's).
  const replyTo = paired !== undefined && (toClient || job.thread === undefined || paired > job.thread) ? paired : undefined;
  const placement = {
    ...(job.thread !== undefined ? { message_thread_id: job.thread } : {}),
    ...(toClient ? {} : { protect_content: true }),
  };
  const options = {
    ...placement,
    ...(replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
  };
  if (job.texts && job.texts.length > 1) {
    const whole = joinTexts(job.texts);
    const sent = await api.sendMessage(job.to, whole.text, { ...options, ...(whole.entities ? { entities: whole.entities } : {}) });
    return job.rows.map(() => sent.message_id);
  }
  if (job.rows.length > 1) {
    const copies = await api.copyMessages(job.to, job.from, job.rows.map((r) => r.sourceMessageId!), placement);
    return copies.map((m) => m.message_id);
  }
  return [(await api.copyMessage(job.to, job.from, first.sourceMessageId!, options)).message_id];
}

/** A text that may be a repeat, prefixed so: used where the bot has the text (joined texts). */
export function markedRepeat(text: JoinableText): JoinableText {
  return prefixed('🔁 ', text);
}
