import type { Db } from '../db/connection.js';
import type { Logger } from '../logger.js';
import { getJobState, setJobState } from '../db/job-state.js';

/** How often each inbox's group settings are read again. */
export const GROUP_SETTINGS_EVERY_MS = 5 * 60_000;

/** A group setting that exposes clients: what ChatFullInfo says about an inbox's group. */
export type GroupProblem = 'visible-history' | 'not-protected';

/** The fields of ChatFullInfo this looks at (both optional: Telegram leaves out what is false). */
export interface GroupInfo {
  has_visible_history?: boolean;
  has_protected_content?: boolean;
}

/**
 * What is unsafe in a staff group: new members who can read the old messages see every open or recent
 * case (`has_visible_history`, "Chat history for new members: Visible"), and without "Restrict saving
 * content" (`has_protected_content`) staff replies and notes can be forwarded and saved out of the group.
 */
export function groupProblems(info: GroupInfo): GroupProblem[] {
  const problems: GroupProblem[] = [];
  if (info.has_visible_history === true) problems.push('visible-history');
  if (info.has_protected_content !== true) problems.push('not-protected');
  return problems;
}

export interface GroupStatus {
  problems: GroupProblem[];
  /** When it was last read (ms since the epoch), if it could be. */
  checkedAt?: number;
  /** Why it could not be read the last time, if it could not. */
  error?: string;
}

export interface GroupSettingsDeps {
  db: Db;
  logger: Logger;
  /** The inbox names and their chats. */
  inboxes: { names: readonly string[]; chatOf(name: string): number };
  getChat: (chatId: number) => Promise<GroupInfo>;
  /** Tells the group (its General topic) about a change: problems found, or none left. */
  notify: (inbox: string, problems: GroupProblem[]) => void;
  clock: () => number;
  everyMs?: number;
}

const stateKey = (inbox: string) => `inbox.group_settings.${inbox}`;

/**
 * Reads each inbox's group settings at start and every few minutes. A change (problems found, or
 * fixed) is told once in that group's General topic and logged; the last state is kept in job_state,
 * so a restart does not repeat it. It never stops the relay: a team must keep working while an
 * administrator fixes the setting.
 */
export class GroupSettingsWatch {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly status = new Map<string, GroupStatus>();

  constructor(private readonly deps: GroupSettingsDeps) {}

  start(): void {
    this.running = this.check();
    this.timer = setInterval(() => {
      this.running ??= this.check().finally(() => (this.running = undefined));
    }, this.deps.everyMs ?? GROUP_SETTINGS_EVERY_MS);
    this.timer.unref();
    void this.running.finally(() => (this.running = undefined));
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Each inbox's last known state (for /healthz). */
  report(): Record<string, GroupStatus> {
    return Object.fromEntries(this.status);
  }

  async check(): Promise<void> {
    const { db, logger, inboxes, clock } = this.deps;
    for (const name of inboxes.names) {
      let info: GroupInfo;
      try {
        info = await this.deps.getChat(inboxes.chatOf(name));
      } catch (error) {
        logger.warn({ err: error, inbox: name }, 'could not read the staff group settings');
        this.status.set(name, { ...(this.status.get(name) ?? { problems: [] }), error: (error as Error).message });
        continue;
      }
      const problems = groupProblems(info);
      const seen = this.status.get(name);
      this.status.set(name, { problems, checkedAt: clock() });
      const now = problems.join(',');
      // Logged once per process and per change, not every few minutes.
      if (problems.length > 0 && seen?.problems.join(',') !== now) logger.warn({ inbox: name, problems }, 'the staff group settings expose clients: see README "Running the staff group safely"');
      const before = getJobState(db, stateKey(name));
      if (before === now || (before === undefined && problems.length === 0)) continue;
      setJobState(db, stateKey(name), now);
      try {
        this.deps.notify(name, problems);
      } catch (error) {
        logger.error({ err: error, inbox: name }, 'could not queue the notice about the staff group settings');
      }
    }
  }
}
