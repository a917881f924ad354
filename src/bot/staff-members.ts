import type { ChatMember } from 'grammy/types';

/** How long an answer about someone's membership is trusted without a chat_member update saying otherwise. */
export const MEMBERSHIP_TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 5_000;

/** In the chat now: owner, administrator, member, or restricted but still a member. */
export function isMemberNow(member: Pick<ChatMember, 'status'> & { is_member?: boolean }): boolean {
  return ['creator', 'administrator', 'member'].includes(member.status) || (member.status === 'restricted' && member.is_member === true);
}

/**
 * Who is a member of each inbox's group now: membership is the permission to act as staff. Answers come
 * from chat_member updates and service messages (noted as they arrive) or from getChatMember, and are
 * trusted for `ttlMs` on the monotonic clock. Kept in memory only (staff ids, never clients').
 */
export class StaffMembers {
  private readonly known = new Map<string, { member: boolean; at: number }>();
  private readonly asking = new Map<string, Promise<boolean | undefined>>();

  constructor(
    private readonly lookup: (chatId: number, userId: number) => Promise<Pick<ChatMember, 'status'> & { is_member?: boolean }>,
    private readonly now: () => number = () => performance.now(),
    private readonly ttlMs = MEMBERSHIP_TTL_MS,
  ) {}

  /** What an update said about someone's membership now (a join, a removal, a promotion). */
  note(chatId: number, userId: number, member: boolean): void {
    const key = `${chatId}:${userId}`;
    this.asking.delete(key); // an answer on its way is older than this
    this.remember(key, member);
  }

  private remember(key: string, member: boolean): void {
    this.known.delete(key);
    this.known.set(key, { member, at: this.now() });
    if (this.known.size > MAX_ENTRIES) this.known.delete(this.known.keys().next().value as string);
  }

  /** Whether the user is a member of the chat now; undefined if Telegram could not be asked. */
  async isMember(chatId: number, userId: number): Promise<boolean | undefined> {
    const key = `${chatId}:${userId}`;
    const cached = this.known.get(key);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.member;
    const pending = this.asking.get(key);
    if (pending) return pending;
    const asked = this.lookup(chatId, userId)
      .then((m) => {
        const member = isMemberNow(m);
        if (this.asking.get(key) === asked) this.remember(key, member);
        return member;
      })
      .catch(() => undefined)
      .finally(() => {
        if (this.asking.get(key) === asked) this.asking.delete(key);
      });
    this.asking.set(key, asked);
    return asked;
  }
}
