import type { Language } from '../config.js';
import type { ContentStore } from '../content/store.js';
import { escapeHtml } from '../content/markdown.js';
import type { ReferralCodeRow } from '../db/schema.js';
import { formatCode } from '../inbox/referral-codes.js';
import { typeLabel } from '../inbox/referral-types.js';
import { formatLocal } from '../time/zoned.js';

type Translate = (key: string, vars?: Record<string, string | number>) => string;

/**
 * What the client receives with a code: the code, what it is for, where (the services directory entry
 * with its addresses and hours), until when, and what to say. Built as HTML blocks; content escaped.
 */
export function codeMessageBlocks(
  t: Translate,
  content: ContentStore,
  lang: Language,
  code: ReferralCodeRow,
  timezone: string,
): string[] {
  const region = code.place ? content.for(lang).services.find((r) => r.slug === code.place) : undefined;
  const head = t('code-issued', {
    code: formatCode(code.code),
    type: escapeHtml(typeLabel(t, code.type)),
    place: escapeHtml(region?.region ?? t('code-any-place')),
    until: formatLocal(new Date(code.expiresAt), timezone).slice(0, 10),
  });
  if (!region) return [head];
  return [head, `📍 <b>${escapeHtml(region.region)}</b>`, ...(region.sample ? [t('services-sample-note')] : []), ...region.blocks];
}
