import { Api } from 'grammy';

export interface RecordedCall {
  method: string;
  payload: Record<string, unknown>;
}

/**
 * A grammY Api whose calls never leave the process: each is recorded and answered with a plausible
 * result. `fail` lets a test make chosen calls fail like Telegram would.
 */
export function recordingApi(fail?: (call: RecordedCall) => { error_code: number; description: string } | undefined) {
  const calls: RecordedCall[] = [];
  let nextMessageId = 100;
  const api = new Api('123456:TEST-TOKEN-FOR-UNIT-TESTS-ONLY');
  api.config.use(async (_prev, method, payload) => {
    const call = { method, payload: payload as Record<string, unknown> };
    calls.push(call);
    const failure = fail?.(call);
    if (failure) return { ok: false, ...failure } as never;
    if (method === 'sendMediaGroup') {
      const media = (payload as { media: unknown[] }).media;
      return { ok: true, result: media.map(() => ({ message_id: nextMessageId++, date: 0, chat: { id: 1, type: 'channel' } })) } as never;
    }
    if (method === 'createForumTopic') return { ok: true, result: { message_thread_id: nextMessageId++, name: (payload as { name: string }).name, icon_color: 0 } } as never;
    if (method === 'copyMessage') return { ok: true, result: { message_id: nextMessageId++ } } as never;
    if (method === 'copyMessages') {
      const ids = (payload as { message_ids: number[] }).message_ids;
      return { ok: true, result: ids.map(() => ({ message_id: nextMessageId++ })) } as never;
    }
    if (method.startsWith('send')) return { ok: true, result: { message_id: nextMessageId++, date: 0, chat: { id: 1, type: 'channel' } } } as never;
    return { ok: true, result: true } as never;
  });
  return { api, calls };
}
