import { FluentBundle, FluentResource } from '@fluent/bundle';

/**
 * What Fluent (as the bot loads it, with @fluent/bundle's FluentResource) would silently drop from a
 * .ftl file: a message that does not parse, or lines between messages that belong to none (junk).
 * A dropped text is one a client never gets, so content:check and the tests report each one.
 */

export interface FluentJunk {
  /** 1-based line of the first dropped line. */
  line: number;
  text: string;
  /** The message it was dropped from or after, if any. */
  after?: string;
}

const MESSAGE_START = /^(-?[a-zA-Z][\w-]*) *= */;

const ignorable = (line: string) => line.trim() === '' || line.startsWith('#');

/** The parsed message of a text, as plain data, or undefined when FluentResource drops it. */
function parsed(text: string): string | undefined {
  const body = new FluentResource(text).body;
  return body.length === 1 ? JSON.stringify(body[0]) : undefined;
}

export function fluentJunk(source: string): FluentJunk[] {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  const starts = lines.flatMap((line, index) => (MESSAGE_START.test(line) ? [index] : []));
  const junk: FluentJunk[] = [];
  const report = (from: number, to: number, after?: string) => {
    const first = lines.slice(from, to).findIndex((line) => !ignorable(line));
    if (first >= 0) junk.push({ line: from + first + 1, text: lines[from + first]!.trim().slice(0, 80), ...(after ? { after } : {}) });
  };
  report(0, starts[0] ?? lines.length);
  starts.forEach((start, n) => {
    const end = starts[n + 1] ?? lines.length;
    const id = MESSAGE_START.exec(lines[start]!)![1]!;
    const whole = parsed(lines.slice(start, end).join('\n'));
    if (whole === undefined) {
      junk.push({ line: start + 1, text: lines[start]!.trim().slice(0, 80), after: id });
      return;
    }
    // The message ends on the shortest prefix that parses to the same message; what follows it must be
    // blank lines or comments, or Fluent drops it without a word.
    let last = start;
    while (last < end - 1 && parsed(lines.slice(start, last + 1).join('\n')) !== whole) last += 1;
    report(last + 1, end, id);
  });
  return junk;
}

/**
 * Formats one message of a .ftl source with `args`, or undefined if it has none (or it fails): for
 * content that must show a UI text without the bot's i18n (the placeholder notice).
 */
export function formatFluentMessage(source: string, lang: string, id: string, args: Record<string, string> = {}): string | undefined {
  const bundle = new FluentBundle(lang, { useIsolating: false });
  bundle.addResource(new FluentResource(source));
  const message = bundle.getMessage(id);
  if (!message?.value) return undefined;
  const errors: Error[] = [];
  const text = bundle.formatPattern(message.value, args, errors);
  return errors.length > 0 ? undefined : text;
}
