/**
 * The busy-team bench's record of what happened, read from the fake server's call log only (its own
 * clock): every message the bench made a person send carries a unique token ("c3-m17" from client 3,
 * "r3-17" the consultant's answer to it), so each copy the bot makes, whether by copyMessage(s) or as a
 * part of a joined text, is traced back to its source. Also recorded: the notices a client gets ("has
 * joined", the rating prompt), the bot's "🔁" markers of possibly repeated copies, 429 answers, and
 * every message the bot puts into each team chat.
 */
import type { CallRecord, FakeTelegram } from '../../src/sandbox/telegram-sim/index.js';
import { percentile } from './harness.js';

export type SourceKind = 'client' | 'reply';

export interface Arrival {
  /** When the call that made the copy arrived at the fake server. */
  at: number;
  chatId: number;
  threadId?: number;
  messageId: number;
}

interface Source {
  kind: SourceKind;
  /** The chat the copy must reach: the client's chat for a reply; any team chat for a client message. */
  clientId: number;
  /** When the person's message (the update) was created on the fake server. */
  pushedAt: number;
  arrivals: Arrival[];
}

export interface Latency {
  count: number;
  p50: number;
  p95: number;
}

const TOKEN = /^(c\d+-m\d+|r\d+-\d+)$/;
const CREATES_MESSAGES = /^(send(?!ChatAction)|copyMessage|forwardMessage)/;

export const latency = (values: number[]): Latency => ({ count: values.length, p50: percentile(values, 50), p95: percentile(values, 95) });

export class Ledger {
  private readonly sources = new Map<string, Source>();
  private readonly bySourceMessage = new Map<string, string>();
  /** `${chatId}:${messageId}` of copies a "🔁" message from the bot replies to. */
  private readonly markers = new Set<string>();
  readonly notices: { kind: 'joined' | 'rating'; clientId: number; at: number }[] = [];
  readonly teamMessages: { chatId: number; at: number }[] = [];
  calls = 0;
  refused = 0;
  /** 429 answers by method and where ("sendMessage team", "copyMessage private"…). */
  readonly refusedBy = new Map<string, number>();
  private readonly listeners: ((token: string, arrival: Arrival) => void)[] = [];
  private readonly unsubscribe: () => void;

  constructor(
    fake: FakeTelegram,
    private readonly teamChats: number[],
  ) {
    this.unsubscribe = fake.onCall((call) => this.record(call));
  }

  /** The bench made a person send `token` as message `messageId` in chat `chatId` at `pushedAt`. */
  sent(token: string, kind: SourceKind, clientId: number, chatId: number, messageId: number, pushedAt: number): void {
    this.sources.set(token, { kind, clientId, pushedAt, arrivals: [] });
    this.bySourceMessage.set(`${chatId}:${messageId}`, token);
  }

  onArrival(listener: (token: string, arrival: Arrival) => void): void {
    this.listeners.push(listener);
  }

  arrived(token: string): boolean {
    return (this.sources.get(token)?.arrivals.length ?? 0) > 0;
  }

  /** Sources (of a kind) that have not reached their destination yet. */
  pending(kind?: SourceKind): string[] {
    return [...this.sources].filter(([, s]) => (!kind || s.kind === kind) && s.arrivals.length === 0).map(([token]) => token);
  }

  private record(call: CallRecord): void {
    if (call.method === 'getUpdates') return;
    this.calls++;
    const chatId = Number(call.params.chat_id);
    if (call.error?.error_code === 429) {
      this.refused++;
      const what = `${call.method} ${this.teamChats.includes(chatId) ? 'team' : 'private'}`;
      this.refusedBy.set(what, (this.refusedBy.get(what) ?? 0) + 1);
    }
    if (!call.ok) return;
    if (this.teamChats.includes(chatId) && CREATES_MESSAGES.test(call.method)) this.teamMessages.push({ chatId, at: call.at });
    const threadId = call.params.message_thread_id === undefined ? undefined : Number(call.params.message_thread_id);
    const copies: [token: string | undefined, messageId: number][] = [];
    if (call.method === 'copyMessage' || call.method === 'forwardMessage') {
      copies.push([this.bySourceMessage.get(`${String(call.params.from_chat_id)}:${String(call.params.message_id)}`), (call.result as { message_id: number }).message_id]);
    } else if (call.method === 'copyMessages' || call.method === 'forwardMessages') {
      const ids = call.params.message_ids as number[];
      const results = call.result as { message_id: number }[];
      ids.forEach((id, i) => copies.push([this.bySourceMessage.get(`${String(call.params.from_chat_id)}:${id}`), results[i]!.message_id]));
    } else if (call.method === 'sendMessage') {
      const text = String(call.params.text ?? '');
      const result = call.result as { message_id: number; reply_to_message?: { message_id: number } };
      if (text.startsWith('🔁')) {
        const replyTo = result.reply_to_message?.message_id ?? (call.params.reply_parameters as { message_id?: number } | undefined)?.message_id ?? call.params.reply_to_message_id;
        if (replyTo !== undefined) this.markers.add(`${chatId}:${String(replyTo)}`);
        return;
      }
      if (/has joined the conversation/.test(text)) this.notices.push({ kind: 'joined', clientId: chatId, at: call.at });
      if (/conversation has ended/.test(text)) this.notices.push({ kind: 'rating', clientId: chatId, at: call.at });
      const parts = text.split('\n\n');
      if (parts.every((p) => TOKEN.test(p))) for (const p of parts) copies.push([p, result.message_id]);
    }
    for (const [token, messageId] of copies) {
      const source = token === undefined ? undefined : this.sources.get(token);
      if (!source) continue;
      // Only a copy where it belongs counts (a reply in its client's chat, a client's words in a team chat).
      const home = source.kind === 'reply' ? chatId === source.clientId : this.teamChats.includes(chatId);
      if (!home) continue;
      const arrival = { at: call.at, chatId, ...(threadId !== undefined ? { threadId } : {}), messageId };
      source.arrivals.push(arrival);
      for (const listener of this.listeners) listener(token!, arrival);
    }
  }

  /** Source → first copy, per kind. */
  latencies(kind: SourceKind): number[] {
    return [...this.sources.values()].filter((s) => s.kind === kind && s.arrivals.length > 0).map((s) => s.arrivals[0]!.at - s.pushedAt);
  }

  /**
   * Lost: never copied. Doubled: copied more than once into the same chat and topic (a case moved to
   * another topic may carry its history along; that is not a double). A repeated copy counts as marked
   * when a "🔁" message from the bot replies to one of that source's copies in the same chat.
   */
  integrity(kind: SourceKind): { sources: number; lost: number; unmarkedDoubles: number; markedRepeats: number } {
    let sources = 0;
    let lost = 0;
    let unmarkedDoubles = 0;
    let markedRepeats = 0;
    for (const s of this.sources.values()) {
      if (s.kind !== kind) continue;
      sources++;
      if (s.arrivals.length === 0) lost++;
      const byPlace = new Map<string, Arrival[]>();
      for (const a of s.arrivals) byPlace.set(`${a.chatId}:${a.threadId ?? ''}`, [...(byPlace.get(`${a.chatId}:${a.threadId ?? ''}`) ?? []), a]);
      for (const list of byPlace.values()) {
        const extra = list.length - 1;
        if (extra <= 0) continue;
        const marked = Math.min(extra, list.filter((a) => this.markers.has(`${a.chatId}:${a.messageId}`)).length);
        markedRepeats += marked;
        unmarkedDoubles += extra - marked;
      }
    }
    return { sources, lost, unmarkedDoubles, markedRepeats };
  }

  /** Messages the bot put into a team chat per minute between `from` and `to`. */
  teamPerMinute(chatId: number, from: number, to: number): number {
    return this.teamMessages.filter((m) => m.chatId === chatId && m.at >= from && m.at < to).length / ((to - from) / 60_000);
  }

  close(): void {
    this.unsubscribe();
  }
}

/**
 * Pairs each action (a take, a /close) with the first notice of its kind that reached that client at
 * or after it; returns the delays and how many actions got no notice.
 */
export function pairWithNotices(actions: { clientId: number; at: number }[], notices: { clientId: number; at: number }[]): { delays: number[]; missing: number } {
  const used = new Set<number>();
  const delays: number[] = [];
  let missing = 0;
  for (const action of [...actions].sort((a, b) => a.at - b.at)) {
    const index = notices.findIndex((n, i) => !used.has(i) && n.clientId === action.clientId && n.at >= action.at);
    if (index < 0) {
      missing++;
      continue;
    }
    used.add(index);
    delays.push(notices[index]!.at - action.at);
  }
  return { delays, missing };
}
