/**
 * Every type a code can be issued for: the referral types (`referrals` in content/settings.yml), then
 * the pick-up types the organisation allows (PICKUP_TYPES).
 */
export function codeTypes(referrals: readonly string[], pickupTypes: readonly string[]): string[] {
  return [...new Set<string>([...referrals, ...pickupTypes])];
}

/** What a partner may record after redeeming: a fixed list, never free text. */
export const OUTCOMES = ['tested', 'treatment-started', 'supplies-given', 'counselled', 'referred-on'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A type's name in the reader's language, or the type itself where the locales have none. */
export function typeLabel(t: (key: string) => string, type: string): string {
  const key = `code-type-${type}`;
  const label = t(key);
  return label === key || label === '' ? type : label;
}
