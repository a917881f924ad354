/**
 * Texts name emergency numbers through settings.yml (`{{ambulance}}` in markdown, `{ $ambulance }` in
 * .ftl files), so that one change there reaches every text. This finds a number written out instead.
 *
 * Only a whole number equal to a configured value counts, standing alone: not part of a longer number
 * (1030, 2103, 10.3, 1:03), not a range (100–120, 150-300), not a dose, time or amount with a unit
 * right after it (150 mg, 112 мл, 150 мин), not a digit group of a longer phone number (8 800 150 12 34),
 * not inside a link or path (who.int/103).
 */

export interface LiteralNumber {
  /** 1-based line in the text given. */
  line: number;
  number: string;
  /** The settings.yml name to use instead, e.g. ambulance. */
  name: string;
}

/** Units and counted words after which a number is an amount, not a phone number. */
const UNIT = String.raw`(?:mg|mcg|µg|мкг|мг|ml|мл|g|г|kg|кг|l|л|%|°|℃|mm|мм|cm|см|m|м|km|км|h|hrs?|hours?|ч|час\p{L}*|сағ\p{L}*|min\p{L}*|мин\p{L}*|s|sec|сек\p{L}*|days?|дн\p{L}*|күн\p{L}*|times|раз\p{L}*|рет|x|×|tablets?|таб\p{L}*|pills?)`;

/** "Art. 112", "ст. 103", "№ 150": an article or item number, not a phone number. */
const ARTICLE = String.raw`(?<!\p{L})(?:[Aa]rt|[Aa]rticle|[Сс]т|[Сс]тать\p{L}|[Пп]|[Чч]|[Pp]|№|No)\.?\s?`;

function digitsOf(value: string): string | undefined {
  const digits = value.replace(/[\s()-]/g, '');
  return /^\+?\d{2,}$/.test(digits) ? digits.replace(/^\+/, '') : undefined;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Every emergency number of `numbers` (settings.yml emergency_numbers: name → number) written out in
 * `text`. Numbers written with spaces or dashes in settings.yml are matched as written.
 */
export function findLiteralNumbers(text: string, numbers: Record<string, string>): LiteralNumber[] {
  const patterns = Object.entries(numbers).flatMap(([name, value]) => {
    const digits = digitsOf(value);
    if (!digits) return [];
    const written = escapeRegex(value.trim());
    const alternatives = [...new Set([written, digits])].join('|');
    const pattern = new RegExp(
      String.raw`(?<![\p{N}\p{L}/.,:#@_+=-])(?<!\p{N}[ \u00a0])(?<!${ARTICLE})(?<!\p{N}\s?[–—]\s?)(?:${alternatives})(?![\p{N}\p{L}_/@])(?![.,:]\p{N})(?!\s?[-–—]\s?\p{N})(?![ \u00a0]\p{N})(?!-?\s?(?:бап|баб|тармақ))(?!\s?${UNIT}(?![\p{L}]))`,
      'gu',
    );
    return [{ name, pattern }];
  });
  const found: LiteralNumber[] = [];
  text.split('\n').forEach((line, index) => {
    for (const { name, pattern } of patterns) {
      for (const match of line.matchAll(pattern)) found.push({ line: index + 1, number: match[0], name });
    }
  });
  return found.sort((a, b) => a.line - b.line);
}

/** The lines of a Fluent file that are texts (not comments), with their line numbers kept. */
export function fluentTextLines(source: string): string {
  return source
    .split('\n')
    .map((line) => (/^\s*#/.test(line) ? '' : line))
    .join('\n');
}
