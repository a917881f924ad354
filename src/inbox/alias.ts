/** The longest alias, in characters: clients see it in one line ("Aigerim has joined"). */
export const ALIAS_MAX_LENGTH = 32;

/**
 * Control characters and invisible formatting that could hide or reorder what a client reads
 * (bidi overrides turn "Anna" into something else on screen). The zero-width joiner stays: emoji need it.
 */
const INVISIBLE = /[\p{Cc}\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u061C\uFEFF]/gu;

/** A consultant's alias as typed, made safe to show; undefined when nothing usable is left or it is too long. */
export function cleanAlias(typed: string): string | undefined {
  const alias = typed.replace(/\s+/g, ' ').replace(INVISIBLE, '').trim();
  if (!alias || [...alias].length > ALIAS_MAX_LENGTH) return undefined;
  return alias;
}
