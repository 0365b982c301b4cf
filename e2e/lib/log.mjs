// One log format for the suite: elapsed time since start, and how long each step took.
const t0 = Date.now();
export const timings = [];

export function log(msg) {
  process.stdout.write(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);
}

/** Runs fn, logs and records how long it took; returns its result. */
export async function timed(what, fn) {
  const s = Date.now();
  const result = await fn();
  const ms = Date.now() - s;
  timings.push({ what, ms, skipped: result === false });
  log(`${what}: ${result === false ? 'cached' : `${(ms / 1000).toFixed(1)}s`}`);
  return result;
}
