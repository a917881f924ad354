import { describe, expect, it } from 'vitest';
import { sequenceKey, storageKey } from '../../src/bot/middleware.js';
import { createPrivacy } from '../../src/privacy/keys.js';

const privacy = createPrivacy('sequence-secret-sequence-secret-sequence-1');
const team = { id: -1001000000001, type: 'supergroup' as const, title: 'Inbox', is_forum: true as const };
const anna = { id: 11, is_bot: false, first_name: 'Anna' };
const bolat = { id: 12, is_bot: false, first_name: 'Bolat' };
const inTopic = (thread: number) => ({ message_id: 5, date: 0, chat: team, is_topic_message: true as const, message_thread_id: thread });

describe('which updates wait for each other', () => {
  it('in a team chat: one case topic at a time, so a /close in one case never waits for work in another', () => {
    const closeA = sequenceKey(privacy, { chat: team, from: anna, msg: inTopic(7) } as never);
    const noteB = sequenceKey(privacy, { chat: team, from: bolat, msg: inTopic(9) } as never);
    const replyA = sequenceKey(privacy, { chat: team, from: bolat, msg: inTopic(7) } as never);
    expect(closeA).not.toBe(noteB);
    expect(closeA).toBe(replyA); // the same case stays in order, whoever writes
  });

  it('a button under a card goes with the card\'s topic; outside topics each person has their own line', () => {
    const take = sequenceKey(privacy, { chat: team, from: anna, callbackQuery: { message: inTopic(7) } } as never);
    expect(take).toBe(sequenceKey(privacy, { chat: team, from: bolat, msg: inTopic(7) } as never));
    const general = (from: typeof anna) => sequenceKey(privacy, { chat: team, from, msg: { message_id: 1, date: 0, chat: team } } as never);
    expect(general(anna)).not.toBe(general(bolat));
    expect(sequenceKey(privacy, { chat: team, from: anna, chatMember: {} } as never)).toBe(`chat:${team.id}:members`);
  });

  it('a client\'s updates stay in one line, under their pseudonymous key (never the Telegram id)', () => {
    const chat = { id: 7000000001, type: 'private' as const, first_name: 'C' };
    const from = { id: 7000000001, is_bot: false, first_name: 'C' };
    const key = sequenceKey(privacy, { chat, from } as never)!;
    expect(key).toBe(storageKey(privacy, { chat, from }));
    expect(key).not.toContain('7000000001');
  });
});
