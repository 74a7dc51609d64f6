import { it } from 'vitest';
import { Generator } from '../src/random/generator.js';
import { MT19937 } from '../src/random/mt19937.js';
import * as D from '../src/random/distributions.js';
it("perf", { timeout: 120000 }, () => {
  const g = new Generator().manualSeed(1);
  const buf = new Uint32Array(1e6);
  const mt = new MT19937(1);
  for (const [name, f] of [
    ['mt fill 1e6', () => mt.fill(buf)],
    ['mt next 1e6', () => { let s = 0; for (let i = 0; i < 1e6; i++) s += mt.nextUint32(); return s; }],
    ['uniform f32 1e6', () => D.uniformValues(g, 1e6, 'float32')],
    ['uniform f32 range 1e6', () => D.uniformValues(g, 1e6, 'float32', -1, 3)],
    ['uniform f64 1e6', () => D.uniformValues(g, 1e6, 'float64')],
    ['randn f32 1e6', () => D.normalValues(g, 1e6, 'float32')],
    ['randn f64 1e6', () => D.normalValues(g, 1e6, 'float64')],
    ['randn f16 1e6', () => D.normalValues(g, 1e6, 'float16')],
    ['randint 1e6', () => D.randintValues(g, 1e6, 0, 10)],
    ['randperm 1e6', () => D.randpermValues(g, 1e6)],
    ['bernoulli 1e6', () => D.bernoulliValues(g, 0.5, 1e6, 'float32')],
    ['log 1e6', () => { let s = 0; for (let i = 1; i <= 1e6; i++) s += D.glibcLog(i * 1e-6); return s; }],
    ['sin 1e6', () => { let s = 0; for (let i = 1; i <= 1e6; i++) s += D.glibcSin(i * 6e-6); return s; }],
    ['fma64 1e6', () => { let s = 0; for (let i = 1; i <= 1e6; i++) s += D.fma64(i * 1e-6, 1.1, 0.3); return s; }],
  ] as const) {
    let best = 1e9;
    for (let k = 0; k < 5; k++) { const t0 = performance.now(); f(); best = Math.min(best, performance.now() - t0); }
    console.log(name, best.toFixed(1), 'ms');
  }
});
