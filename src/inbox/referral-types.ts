import { REFERRALS } from './cases.js';

/**
 * Every type a code can be issued for: the referral types, then the pick-up types the organisation
 * allows (PICKUP_TYPES). The one place that reads the referral list, so it can move to content/.
 */
export function codeTypes(pickupTypes: readonly string[]): string[] {
  return [...new Set<string>([...REFERRALS, ...pickupTypes])];
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
