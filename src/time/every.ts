/**
 * Runs `task` every `intervalMs` on the monotonic timers (setTimeout), never two at once, and never
 * "catching up": a cron library that plans by the wall clock walks through every slot it thinks it
 * missed when the clock jumps (864 000 of them for a per-second task moved 10 days ahead), and stops
 * the bot. What a run should do after a jump is the task's own business (it reads the clock itself).
 */
export class Every {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<void> | void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Starts the rhythm; the first run is `intervalMs` from now (call `runNow` for one at once). */
  start(): void {
    this.stopped = false;
    this.arm();
  }

  /** One run now (or the one under way), outside the rhythm. */
  runNow(): Promise<void> {
    if (this.running) return this.running;
    this.running = Promise.resolve()
      .then(() => this.task())
      .catch(this.onError)
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** No further runs; resolves once the one under way (if any) is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  get isRunning(): boolean {
    return !this.stopped;
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.runNow().finally(() => this.arm()), this.intervalMs);
  }
}
