/**
 * Two clocks, for two kinds of question. "How long since…", "wait this long", a rate window, a lease:
 * the monotonic clock (`monotonicMs`, `performance.now()`), which only moves forward at the pace of
 * real time. "Is it 10:00 in Almaty yet", "is this code expired": the wall clock (`Date.now()`), which an
 * NTP step, a restored VM snapshot or a resumed laptop moves by hours or days at once.
 */
export const monotonicMs = (): number => performance.now();

/**
 * A clock that reads like the wall clock (ms since 1970) but advances with the monotonic one from
 * `anchor` on: durations measured with it survive a jump of the wall clock, and its values can still be
 * stored next to those of an earlier run (start it at or after the latest value stored).
 */
export function steadyClock(anchor = Date.now()): () => number {
  const start = performance.now();
  return () => anchor + (performance.now() - start);
}
