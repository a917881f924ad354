import type { ChatMember } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { membershipChanges, staffName } from '../../src/bot/features/membership.js';

const user = { id: 1, is_bot: false, first_name: 'A' };
const m = (status: string, extra: Record<string, unknown> = {}) => ({ status, user, ...extra }) as unknown as ChatMember;

describe('staff chat membership changes', () => {
  it.each([
    ['left', 'member', true, ['joined']],
    ['kicked', 'member', false, ['joined']],
    ['left', 'administrator', false, ['joined', 'promoted']],
    ['member', 'left', true, ['left']],
    ['member', 'left', false, ['removed']],
    ['member', 'kicked', false, ['removed']],
    ['member', 'administrator', false, ['promoted']],
    ['administrator', 'member', false, ['demoted']],
    ['administrator', 'administrator', false, ['rights']],
    ['member', 'restricted', false, ['restricted']],
    ['restricted', 'member', false, ['unrestricted']],
    ['left', 'kicked', false, []],
  ])('%s → %s (by themselves: %s) is announced as %j', (from, to, self, expected) => {
    const extra = (status: string) => (status === 'restricted' ? { is_member: true } : {});
    expect(membershipChanges(m(from, extra(from)), m(to, extra(to)), self as boolean)).toEqual(expected);
  });

  it('a restricted person who is not in the chat joining counts as a join', () => {
    expect(membershipChanges(m('restricted', { is_member: false }), m('restricted', { is_member: true }), true)).toEqual(['joined']);
  });

  it('names people as Telegram shows them, escaped for HTML', () => {
    expect(staffName({ first_name: '<b>Eve</b>', last_name: '&Co', username: 'eve' })).toBe('&lt;b&gt;Eve&lt;/b&gt; &amp;Co (@eve)');
    expect(staffName({ first_name: 'Anna' })).toBe('Anna');
  });
});
