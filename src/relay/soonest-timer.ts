/** Runs `fn` once after the shortest delay asked for: a later request does not postpone an earlier one. */
export class SoonestTimer {
  private timer?: NodeJS.Timeout;
  private at = Number.POSITIVE_INFINITY;

  constructor(private readonly fn: () => void) {}

  schedule(delay: number): void {
    const at = performance.now() + delay;
    if (this.timer !== undefined && this.at <= at) return;
    clearTimeout(this.timer);
    this.at = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.at = Number.POSITIVE_INFINITY;
      this.fn();
    }, delay);
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.at = Number.POSITIVE_INFINITY;
  }
}
