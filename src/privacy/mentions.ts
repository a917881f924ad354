import type { MessageEntity } from 'grammy/types';

/** A text with its formatting, as Telegram sends it. */
export interface FormattedText {
  text: string;
  entities?: MessageEntity[];
}

/** What an @username becomes in a client's copy: the mention is visible, the account is not. */
export const HIDDEN_HANDLE = '@…';

/**
 * A staff member's text made safe for a client: a `text_mention` (a linked name, made for a member
 * without a username) keeps its visible text but loses the link to the account; a `mention` (an
 * @username, visible text) becomes "@…", so neither a colleague's account nor their handle reaches the
 * client. Other formatting stays, moved to where its text now is. `removed` counts the mentions taken out.
 */
export function withoutMentions(input: FormattedText): FormattedText & { removed: number } {
  const entities = input.entities ?? [];
  const mentions = entities.filter((e) => e.type === 'mention' || e.type === 'text_mention');
  if (mentions.length === 0) return { ...input, removed: 0 };
  let text = input.text;
  let kept = entities.filter((e) => e.type !== 'mention' && e.type !== 'text_mention');
  // From the end, so each replacement leaves the offsets before it as they were.
  for (const handle of mentions.filter((e) => e.type === 'mention').sort((a, b) => b.offset - a.offset)) {
    const start = handle.offset;
    const end = handle.offset + handle.length;
    const delta = HIDDEN_HANDLE.length - handle.length;
    text = text.slice(0, start) + HIDDEN_HANDLE + text.slice(end);
    kept = kept.flatMap((e) => {
      const eEnd = e.offset + e.length;
      if (eEnd <= start) return [e]; // before it
      if (e.offset >= end) return [{ ...e, offset: e.offset + delta }]; // after it
      if (e.offset >= start && eEnd <= end) return []; // inside the handle: gone with it
      return [{ ...e, length: e.length + delta }]; // around it (bold over a sentence with a handle)
    });
  }
  return { text, ...(kept.length > 0 ? { entities: kept } : {}), removed: mentions.length };
}
