/**
 * Obvious identifiers taken out of a reader's story before anyone reads it: @usernames, links to
 * Telegram accounts, e-mail addresses and phone-like numbers (7 or more digits, with spaces, dashes,
 * dots or brackets between them). Each becomes "[…]" and is counted, so the author is told what went.
 * Names and places cannot be found reliably: the prompt asks the author to leave them out, and editors
 * read every story before it is published.
 */
export const REMOVED = '[…]';

const PATTERNS: RegExp[] = [
  /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/gu, // e-mail
  /(?:https?:\/\/)?(?:t\.me|telegram\.me|telegram\.dog)\/[\w+/-]+/giu, // a Telegram link (account, group, invite)
  /(?<![\w@])@[A-Za-z][\w]{3,31}\b/gu, // @username
  /(?<![\w])\+?\d(?:[\s().-]*\d){6,}(?![\w])/gu, // phone-like: 7+ digits with separators
];

/** A date (2026-12-01, 01.12.2026) has as many digits as a phone number but says nobody's name: kept aside while scanning. */
const DATES = /\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})\b/g;

export function scrubIdentifiers(text: string): { text: string; removed: number } {
  let removed = 0;
  const dates: string[] = [];
  let out = text.replace(DATES, (date) => `\u0000${dates.push(date) - 1}\u0000`);
  for (const pattern of PATTERNS) {
    out = out.replace(pattern, () => {
      removed++;
      return REMOVED;
    });
  }
  out = out.replace(/\u0000(\d+)\u0000/g, (_, index: string) => dates[Number(index)] ?? '');
  return { text: out, removed };
}
