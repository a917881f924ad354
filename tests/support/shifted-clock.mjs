// A preload (`node --import ./tests/support/shifted-clock.mjs`) that moves the process's wall clock
// and nothing else, as an NTP step, a restored VM snapshot or a resumed laptop does: `Date` (with no
// arguments) and `Date.now()` read the real time plus an offset; timers, `performance.now()` and
// `process.hrtime` are untouched.
//
// The offset (ms, may be negative) comes from SHIFTED_CLOCK_OFFSET_MS at start, and from the file named
// by SHIFTED_CLOCK_FILE whenever that file changes (looked at every 100 ms), so a test can move the
// clock while the process runs.
import { readFileSync } from 'node:fs';

const RealDate = Date;
let offset = Number(process.env.SHIFTED_CLOCK_OFFSET_MS ?? 0) || 0;
const file = process.env.SHIFTED_CLOCK_FILE;

function readOffset() {
  try {
    const value = Number(readFileSync(file, 'utf8').trim());
    if (Number.isFinite(value)) offset = value;
  } catch {
    // no file yet: keep the offset
  }
}

if (file) {
  readOffset();
  setInterval(readOffset, 100).unref();
}

const now = () => RealDate.now() + offset;

globalThis.Date = new Proxy(RealDate, {
  construct(target, args, newTarget) {
    return Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget);
  },
  apply() {
    return new RealDate(now()).toString();
  },
  get(target, property, receiver) {
    if (property === 'now') return now;
    return Reflect.get(target, property, receiver);
  },
});
