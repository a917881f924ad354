import type { Logger } from '../logger.js';

/** What /healthz shows about the wall clock: the last jump seen while running, and how many. */
export interface ClockReport {
  /** The last jump in ms (positive: the clock moved ahead), or null when none was seen. */
  lastJumpMs: number | null;
  /** When it was noticed (ISO, by the clock after the jump), or null. */
  at: string | null;
  jumps: number;
}

export interface ClockWatchOptions {
  logger: Logger;
  /** Called once per jump, with its size, after it is logged: the schedulers plan again from the new time. */
  onJump: (jumpMs: number) => Promise<void> | void;
  everyMs?: number;
  /** A difference between wall and monotonic time larger than this is a jump (timers run late by less). */
  thresholdMs?: number;
  wall?: () => number;
  monotonic?: () => number;
}

/**
 * A watchdog for the wall clock: every few seconds it compares how far the wall clock moved with how
 * far the monotonic clock moved. An NTP step, a restored VM snapshot or a resumed laptop moves the
 * first and not the second; the difference is logged once (no client data, nothing but the size),
 * recorded for /healthz, and the schedulers are told to plan again.
 */
export class ClockWatch {
  private timer?: NodeJS.Timeout;
  private lastWall = 0;
  private lastMono = 0;
  private readonly report: ClockReport = { lastJumpMs: null, at: null, jumps: 0 };
  private readonly wall: () => number;
  private readonly monotonic: () => number;

  constructor(private readonly options: ClockWatchOptions) {
    this.wall = options.wall ?? Date.now;
    this.monotonic = options.monotonic ?? (() => performance.now());
  }

  start(): void {
    this.lastWall = this.wall();
    this.lastMono = this.monotonic();
    this.timer = setInterval(() => void this.check(), this.options.everyMs ?? 2_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  get state(): ClockReport {
    return { ...this.report };
  }

  /** One comparison (the timer calls it; tests may too). Returns the jump seen, or 0. */
  async check(): Promise<number> {
    const wall = this.wall();
    const mono = this.monotonic();
    const jump = Math.round(wall - this.lastWall - (mono - this.lastMono));
    this.lastWall = wall;
    this.lastMono = mono;
    if (Math.abs(jump) <= (this.options.thresholdMs ?? 5_000)) return 0;
    this.report.lastJumpMs = jump;
    this.report.at = new Date(wall).toISOString();
    this.report.jumps++;
    this.options.logger.warn(
      { jumpMs: jump, direction: jump > 0 ? 'ahead' : 'back' },
      'the wall clock jumped; schedules are planned again from the new time (durations and pacing are not affected)',
    );
    try {
      await this.options.onJump(jump);
    } catch (error) {
      this.options.logger.error({ err: error }, 'planning again after the clock jumped failed');
    }
    return jump;
  }
}
