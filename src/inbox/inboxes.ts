import { DEFAULT_INBOX_NAME, type InboxConfig, type InboxRoute } from './inbox-config.js';

export { DEFAULT_INBOX_NAME };

/** What routing looks at: the case's intake topic, whether it is urgent, the region the client chose (if any). */
export interface RoutedCase {
  topic: string;
  urgent: boolean;
  region?: string | null;
}

/**
 * The teams' inboxes (one forum supergroup each) and which cases go where, built from INBOXES and
 * INBOX_ROUTES. A case stores its inbox's name, which says where it *goes* (`chatOf(row.inbox)`, the
 * default inbox for a name no longer configured), and separately the chat its topic *is* in
 * (`cases.team_chat_id`): topic and message ids mean something only in their own chat, so when an
 * inbox's group changes the case gets a new topic in the new group at start (InboxService.rehomeCases);
 * an old topic id is never read in another group.
 */
export class Inboxes {
  private readonly byName = new Map<string, number>();
  private readonly byId = new Map<number, string>();

  constructor(
    inboxes: readonly InboxConfig[],
    private readonly routes: readonly InboxRoute[] = [],
  ) {
    if (inboxes.length === 0) throw new Error('Inboxes: at least one inbox is needed');
    for (const { name, chatId } of inboxes) {
      this.byName.set(name, chatId);
      this.byId.set(chatId, name);
    }
  }

  static fromConfig(config: { inboxes: readonly InboxConfig[]; inboxRoutes?: readonly InboxRoute[] }): Inboxes {
    return new Inboxes(config.inboxes, config.inboxRoutes ?? []);
  }

  /** Names in configuration order; the first is the default. */
  get names(): string[] {
    return [...this.byName.keys()];
  }

  get chatIds(): number[] {
    return [...this.byName.values()];
  }

  /** The default inbox's name: the first of INBOXES (or "main"). */
  get default(): string {
    return this.names[0]!;
  }

  /** The inbox a team chat is, if it is one. */
  byChat(chatId: number | undefined): string | undefined {
    return chatId === undefined ? undefined : this.byId.get(chatId);
  }

  isInbox(chatId: number | undefined): boolean {
    return this.byChat(chatId) !== undefined;
  }

  /**
   * The group of an inbox. A name no longer configured (an inbox removed from INBOXES, or rows from
   * before INBOXES that say "main" while the first inbox has another name) falls back to the default
   * inbox: a case is never left without a team.
   */
  chatOf(name: string | null | undefined): number {
    return (name != null ? this.byName.get(name) : undefined) ?? this.byName.get(this.default)!;
  }

  /** The name under which a case's inbox is found: the stored one if configured, else the default. */
  nameOf(name: string | null | undefined): string {
    return name != null && this.byName.has(name) ? name : this.default;
  }

  /** Where a new case goes: the first rule that matches it, else the default inbox. */
  route(row: RoutedCase): string {
    for (const { match, inbox } of this.routes) {
      const hit =
        match.kind === 'urgent' ? row.urgent : match.kind === 'topic' ? row.topic === match.id : row.region != null && row.region === match.id;
      if (hit && this.byName.has(inbox)) return inbox;
    }
    return this.default;
  }

  /** Ids the rules name that the content does not list (a warning at start: the lists live in settings.yml). */
  unknownIds(known: { topics: readonly string[]; regions: readonly string[] }): string[] {
    return this.routes.flatMap(({ match, rule }) => {
      if (match.kind === 'topic' && !known.topics.includes(match.id)) return [`INBOX_ROUTES rule "${rule}": "${match.id}" is not one of intake_topics in settings.yml`];
      if (match.kind === 'region' && !known.regions.includes(match.id)) return [`INBOX_ROUTES rule "${rule}": "${match.id}" is not one of regions in settings.yml`];
      return [];
    });
  }
}
