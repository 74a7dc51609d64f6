// How a workload is timed. bench/torch_bench.py's measure() does the same, with the same settings.

/** Settings for a full run and for `--quick`; the driver passes the chosen one to PyTorch too. */
export const TIMING = {
  full: { warmup: 3, minTimeS: 0.5, minIters: 5, maxIters: 10_000 },
  quick: { warmup: 1, minTimeS: 0.1, minIters: 3, maxIters: 10_000 },
};

/**
 * Run `iteration` `warmup` times untimed, then time each further call on its own until at least
 * `minIters` calls and `minTimeS` seconds have gone by (or `maxIters` calls).
 * Returns the median seconds per iteration and how many iterations were timed.
 */
export function measure(iteration, { warmup, minTimeS, minIters, maxIters }) {
  for (let i = 0; i < warmup; i++) iteration();
  const samples = [];
  let total = 0;
  while ((samples.length < minIters || total < minTimeS) && samples.length < maxIters) {
    const t0 = process.hrtime.bigint();
    iteration();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    samples.push(s);
    total += s;
  }
  return { medianS: median(samples), iters: samples.length };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
