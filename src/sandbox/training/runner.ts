import { addClient, type SandboxClient, type Scene } from '../scene.js';
import type { CallRecord, Message } from '../telegram-sim/index.js';
import { debrief, type ClientRecord } from './debrief.js';
import type { Scenario } from './scenario.js';

/** What a person did on the page, as the sandbox's server reports it. */
export type SandboxAction =
  | { kind: 'send'; chat: 'client' | 'team' | 'editors'; user: number; text: string; threadId?: number }
  | { kind: 'press'; chat: 'client' | 'team' | 'editors'; user: number; message: Message; data: string };

export interface TrainingView {
  scenarios: { id: string; title: string; language: string; entry: string; brief: string }[];
  problems: string[];
  running: boolean;
  clients: { title: string; name: string; status: string }[];
  debrief?: string[];
}

interface ClientRun {
  scenario: Scenario;
  client: SandboxClient;
  record: ClientRecord;
  topicId?: number;
  status: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** After `within` runs out, how much longer an expected reaction still counts (as late) before the client moves on. */
const LATE_FACTOR = 2;

/**
 * Practice runs: scripted clients (content/training) arrive through the real bot, like anyone else,
 * and write their lines; the runner watches what the consultant does in the Team pane and, at the end,
 * writes a short debrief. Everything is kept in memory only and forgotten with the sandbox.
 */
export class TrainingRunner {
  private runs: ClientRun[] = [];
  private running = false;
  private stopped = false;
  private result?: string[];

  constructor(
    private readonly scene: Scene,
    private readonly scenarios: Scenario[],
    private readonly problems: string[],
    private readonly changed: () => void,
  ) {
    scene.fake.onCall((call) => this.onCall(call));
  }

  view(): TrainingView {
    return {
      scenarios: this.scenarios.map(({ id, title, language, entry, brief }) => ({ id, title, language, entry, brief })),
      problems: this.problems,
      running: this.running,
      clients: this.runs.map((r) => ({ title: r.scenario.title, name: r.client.user.first_name, status: r.status })),
      ...(this.result ? { debrief: this.result } : {}),
    };
  }

  /** Starts a run with these scenarios at once (several make a busy shift). */
  start(ids: string[]): void {
    if (this.running) throw new Error('a practice run is going on: stop it first');
    // Nothing ticked (the page keeps Start disabled then, but a request may still come): the first scenario.
    const chosen = ids.length === 0 ? this.scenarios.slice(0, 1) : this.scenarios.filter((s) => ids.includes(s.id));
    if (chosen.length === 0) throw new Error(this.scenarios.length === 0 ? 'there are no scenarios in content/training' : `no such scenario: ${ids.join(', ')}`);
    this.stopped = false;
    this.result = undefined;
    this.running = true;
    this.runs = chosen.map((scenario) => ({
      scenario,
      client: addClient(this.scene, scenario.language, scenario.name),
      record: { title: scenario.title, entry: scenario.entry, expectations: [] },
      status: 'arriving',
    }));
    void Promise.all(this.runs.map((run) => this.play(run).catch((error: unknown) => (run.status = `stopped: ${(error as Error).message}`)))).then(() => this.finish());
    this.changed();
  }

  stop(): void {
    if (!this.running) return;
    this.stopped = true;
  }

  /** The consultant's actions on the page: taking the case, notes, closing, replies. */
  observe(action: SandboxAction): void {
    if (!this.running || action.chat !== 'team') return;
    const consultant = this.scene.consultants.find((c) => c.id === action.user)?.first_name;
    for (const run of this.runs) {
      if (run.topicId === undefined) continue;
      if (action.kind === 'press') {
        if (!action.data.startsWith('case:take:') || run.record.takenAt !== undefined) continue;
        if (!this.scene.fake.messages(this.scene.staff.id).some((m) => m.message_thread_id === run.topicId && (m.reply_markup?.inline_keyboard ?? []).flat().some((b) => b.callback_data === action.data))) continue;
        run.record.takenAt = Date.now();
        if (consultant) run.record.takenBy = consultant;
        continue;
      }
      if (action.threadId !== run.topicId) continue;
      const text = action.text.trim();
      const kind = text.startsWith('!') || /^\/note\b/.test(text) ? 'note' : /^\/close\b/.test(text) ? 'close' : text.startsWith('/') ? undefined : 'reply';
      // The expectation of the step the client is on: the latest started (an earlier one that ran out stays missed).
      const pending = run.record.expectations.filter((e) => e.startedAt !== undefined).at(-1);
      if (pending?.metAt !== undefined) continue;
      if (kind && pending?.expect === kind) pending.metAt = Date.now();
    }
  }

  /** The topic of each scripted client: where the bot copies their messages. */
  private onCall(call: CallRecord): void {
    if (!this.running || !call.ok || !call.method.startsWith('copyMessage') || call.params.chat_id !== this.scene.staff.id) return;
    const run = this.runs.find((r) => r.client.user.id === call.params.from_chat_id);
    if (run && run.topicId === undefined && typeof call.params.message_thread_id === 'number') run.topicId = call.params.message_thread_id;
  }

  private async waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = probe();
      if (found !== undefined || this.stopped || Date.now() > until) return found;
      await sleep(100);
    }
  }

  /** Presses a button of the bot's as soon as one with this data shows in the client's chat. */
  private async press(run: ClientRun, data: string): Promise<void> {
    const { fake } = this.scene;
    const message = await this.waitFor(() => fake.botMessages(run.client.user.id).reverse().find((m) => (m.reply_markup?.inline_keyboard ?? []).flat().some((b) => b.callback_data === data)), 15_000);
    if (!message) throw new Error(`the bot did not offer ${data}`);
    fake.pressButton(run.client.user, message, data);
  }

  private setStatus(run: ClientRun, status: string): void {
    run.status = status;
    this.changed();
  }

  private async play(run: ClientRun): Promise<void> {
    const { fake } = this.scene;
    const user = run.client.user;
    if (run.scenario.entry === 'urgent') {
      fake.sendText(user, '/help');
      await this.press(run, 'n:consult:urgent');
    } else {
      fake.sendText(user, '/consult');
      await this.press(run, `intake:topic:${run.scenario.entry}`);
      await this.press(run, 'intake:skip');
      await this.press(run, 'intake:go');
    }
    run.record.queuedAt = Date.now();
    this.setStatus(run, 'waiting in the queue');
    for (const [index, step] of run.scenario.script.entries()) {
      if (this.stopped) return;
      if (step.client) fake.sendText(user, step.client);
      if (!step.expect) {
        await sleep(1500); // a person types the next line
        continue;
      }
      const expectation: ClientRecord['expectations'][number] = { expect: step.expect, within: step.within, ...(step.hint ? { hint: step.hint } : {}) };
      run.record.expectations.push(expectation);
      // The clock starts once the case is someone's.
      await this.waitFor(() => run.record.takenAt, Number.POSITIVE_INFINITY);
      if (this.stopped) return;
      expectation.startedAt = Math.max(Date.now(), run.record.takenAt ?? 0);
      this.setStatus(run, `step ${index + 1} of ${run.scenario.script.length}: expects ${step.expect === 'reply' ? 'a message to the client' : step.expect === 'note' ? 'an internal note (start with !)' : '/close'}${step.hint ? ` (${step.hint})` : ''} within ${step.within} s`);
      await this.waitFor(() => expectation.metAt, step.within * 1000 * LATE_FACTOR);
    }
    this.setStatus(run, 'done');
  }

  private finish(): void {
    this.running = false;
    this.result = debrief(this.runs.map((r) => r.record));
    for (const run of this.runs) if (run.status !== 'done') run.status = this.stopped ? 'stopped' : run.status;
    this.changed();
  }
}
