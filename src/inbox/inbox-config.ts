/**
 * The shape of INBOXES and INBOX_ROUTES, and how their text is read. Plain functions that return
 * problems as sentences naming the variable and the entry, so src/config.ts can report them all.
 */

/** One team's forum supergroup. */
export interface InboxConfig {
  name: string;
  chatId: number;
}

/** Which cases an inbox takes: an intake topic, a region the client chose, or urgent cases. */
export type RouteMatch = { kind: 'topic'; id: string } | { kind: 'region'; id: string } | { kind: 'urgent' };

export interface InboxRoute {
  match: RouteMatch;
  inbox: string;
  /** The rule as written, for messages. */
  rule: string;
}

/** The inbox a single STAFF_CHAT_ID makes. */
export const DEFAULT_INBOX_NAME = 'main';

const NAME = /^[a-z0-9-]{1,32}$/;
/** Forum topics exist only in supergroups, whose ids are -100 followed by digits. */
const SUPERGROUP_ID = /^-100\d{1,16}$/;
const ID = /^[a-z][a-z0-9-]{0,23}$/;

const entries = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);

/** `name=-100…` pairs, comma-separated, the first being the default inbox. */
export function parseInboxes(value: string): { inboxes: InboxConfig[]; problems: string[] } {
  const inboxes: InboxConfig[] = [];
  const problems: string[] = [];
  for (const raw of entries(value)) {
    const [left = '', right, ...rest] = raw.split('=').map((s) => s.trim());
    const name = left.toLowerCase();
    if (right === undefined || rest.length > 0) {
      problems.push(`INBOXES entry "${raw}" must look like name=-1001234567890 (a name, =, the group's id)`);
      continue;
    }
    if (!NAME.test(name)) {
      problems.push(`INBOXES entry "${raw}": the name must be 1–32 lowercase latin letters, digits and dashes, like lawyers`);
      continue;
    }
    if (!SUPERGROUP_ID.test(right)) {
      problems.push(`INBOXES entry "${raw}": ${right || 'the id'} is not a supergroup id; it must be -100 followed by digits, like -1001234567890`);
      continue;
    }
    const chatId = Number(right);
    if (inboxes.some((i) => i.name === name)) problems.push(`INBOXES names the inbox "${name}" twice`);
    else if (inboxes.some((i) => i.chatId === chatId)) problems.push(`INBOXES gives the group ${right} twice (as "${inboxes.find((i) => i.chatId === chatId)!.name}" and "${name}"): each inbox needs a group of its own`);
    else inboxes.push({ name, chatId });
  }
  if (inboxes.length === 0 && problems.length === 0) problems.push('INBOXES must list at least one inbox, like main=-1001234567890');
  return { inboxes, problems };
}

/** `topic:legal=lawyers,region:south=south,urgent=main`: first match wins. Inbox names are checked later. */
export function parseRoutes(value: string): { routes: InboxRoute[]; problems: string[] } {
  const routes: InboxRoute[] = [];
  const problems: string[] = [];
  for (const rule of entries(value)) {
    const [left = '', inbox = '', ...rest] = rule.split('=').map((s) => s.trim().toLowerCase());
    if (rest.length > 0 || !inbox) {
      problems.push(`INBOX_ROUTES rule "${rule}" must look like topic:legal=lawyers, region:south=south or urgent=main`);
      continue;
    }
    const [kind = '', id, ...more] = left.split(':');
    let match: RouteMatch | undefined;
    if (kind === 'urgent' && id === undefined) match = { kind: 'urgent' };
    else if ((kind === 'topic' || kind === 'region') && id !== undefined && more.length === 0 && ID.test(id)) match = { kind, id };
    if (!match) {
      problems.push(
        `INBOX_ROUTES rule "${rule}": "${left}" is not a kind of case; use topic:<intake topic id>, region:<region id> or urgent (ids are lowercase latin letters, digits and dashes)`,
      );
      continue;
    }
    routes.push({ match, inbox, rule });
  }
  return { routes, problems };
}

/** Rules that send cases to an inbox INBOXES does not name: a config error naming each rule. */
export function unknownInboxProblems(routes: InboxRoute[], inboxes: InboxConfig[]): string[] {
  const names = inboxes.map((i) => i.name);
  return routes
    .filter((r) => !names.includes(r.inbox))
    .map((r) => `INBOX_ROUTES rule "${r.rule}" names the inbox "${r.inbox}", which is not one of ${names.map((n) => `"${n}"`).join(', ')} (INBOXES, or "${DEFAULT_INBOX_NAME}" for STAFF_CHAT_ID alone)`);
}
