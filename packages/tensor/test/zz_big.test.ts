import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { Generator } from '../src/random/generator.js';
import * as D from '../src/random/distributions.js';
it('big', () => {
  const B = JSON.parse(readFileSync('/tmp/rp/big.json', 'utf8')) as Record<string, number[]>;
  const g = (s: number) => new Generator().manualSeed(s);
  const cases: Record<string, () => ArrayLike<number>> = {
    randn_f16: () => D.normalValues(g(1), 50000, 'float16'),
    normal_f16: () => D.normalValues(g(2), 50000, 'float16', -1.5, 0.3),
    randn_bf16: () => D.normalValues(g(3), 50000, 'bfloat16'),
    normal_bf16: () => D.normalValues(g(4), 50000, 'bfloat16', -1.5, 0.3),
    randn_f64: () => D.normalValues(g(5), 200000, 'float64'),
    normal_f64: () => D.normalValues(g(6), 100000, 'float64', 2.5, 3.3),
    randn_f64_nc: () => D.normalValues(g(7), 100000, 'float64', 2.5, 3.3, false),
    randn_f32_nc: () => D.normalValues(g(7), 100000, 'float32', 2.5, 3.3, false),
    exp_f64: () => D.exponentialValues(g(8), 50000, 'float64', 1.5),
    exp_f32: () => D.exponentialValues(g(8), 50000, 'float32', 1.5),
    geom_f64: () => D.geometricValues(g(9), 50000, 'float64', 0.05),
    randn_f32: () => D.normalValues(g(10), 200003, 'float32'),
    normal_f32: () => D.normalValues(g(11), 100000, 'float32', 2.5, 3.3),
    uni_f32: () => D.uniformValues(g(12), 100000, 'float32', -3.3, 7.1),
    uni_f64: () => D.uniformValues(g(13), 100000, 'float64', -3.3, 7.1),
    uni_f16: () => D.uniformValues(g(14), 100000, 'float16', -3.3, 7.1),
    uni_bf16: () => D.uniformValues(g(15), 100000, 'bfloat16', 0.1, 0.35),
    lognormal_f32: () => D.logNormalValues(g(16), 50000, 'float32', 0.5, 0.25),
    lognormal_f64: () => D.logNormalValues(g(16), 50000, 'float64', 0.5, 0.25),
    cauchy_f32: () => D.cauchyValues(g(17), 50000, 'float32', 1.0, 2.0),
    cauchy_f64: () => D.cauchyValues(g(17), 50000, 'float64', 1.0, 2.0),
    randn_f16_small: () => { const gg = g(18); const o: number[] = []; for (let i = 0; i < 2000; i++) o.push(...D.normalValues(gg, 7, 'float16')); return o; },
  };
  for (const [k, f] of Object.entries(cases)) {
    const t0 = Date.now();
    const a = f(); const e = B[k]!;
    let bad = 0, maxr = 0, first = -1;
    for (let i = 0; i < e.length; i++) if (!Object.is(a[i], e[i]) && !(a[i] === 0 && e[i] === 0)) { bad++; if (first < 0) first = i; maxr = Math.max(maxr, Math.abs(a[i]! - e[i]!) / Math.abs(e[i]!)); }
    console.log(k, e.length, a.length, 'bad', bad, 'maxrel', maxr, first >= 0 ? [first, a[first], e[first]] : '', Date.now() - t0, 'ms');
  }
});
