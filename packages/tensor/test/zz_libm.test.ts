import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { glibcLog, glibcSin, glibcCos, fma64 } from '../src/random/distributions.js';
it('libm', () => {
  const b = readFileSync('/tmp/rp/libm.bin');
  const d = new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  const n = d.length / 6;
  let L = 0, S = 0, C = 0, ML = 0, MS = 0, MC = 0;
  const t0 = Date.now();
  for (let i = 0; i < n; i++) {
    const x = d[6 * i]!, t = d[6 * i + 2]!;
    if (glibcLog(x) !== d[6 * i + 1]) { if (L++ < 5) console.log('log', x, glibcLog(x), d[6*i+1]); }
    if (glibcSin(t) !== d[6 * i + 3]) { if (S++ < 5) console.log('sin', t, glibcSin(t), d[6*i+3]); }
    if (glibcCos(t) !== d[6 * i + 4]) { if (C++ < 5) console.log('cos', t, glibcCos(t), d[6*i+4]); }
    if (Math.log(x) !== d[6 * i + 1]) ML++;
    if (Math.sin(t) !== d[6 * i + 3]) MS++;
    if (Math.cos(t) !== d[6 * i + 4]) MC++;
  }
  console.log({ n, L, S, C, ML, MS, MC, ms: Date.now() - t0 });
  const f = readFileSync('/tmp/rp/fma.bin');
  const e = new Float64Array(f.buffer.slice(f.byteOffset, f.byteOffset + f.length));
  let F = 0;
  for (let i = 0; i < e.length / 4; i++) if (fma64(e[4*i]!, e[4*i+1]!, e[4*i+2]!) !== e[4*i+3]) { if (F++ < 5) console.log('fma', e[4*i], e[4*i+1], e[4*i+2], e[4*i+3], fma64(e[4*i]!, e[4*i+1]!, e[4*i+2]!)); }
  console.log({ fmaN: e.length / 4, F });
});
