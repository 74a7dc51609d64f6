import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { fmaf } from '../src/random/distributions.js';
it('fmaf', () => {
  const f = readFileSync('/tmp/rp/fmaf.bin');
  const e = new Float64Array(f.buffer.slice(f.byteOffset, f.byteOffset + f.length));
  let F = 0;
  for (let i = 0; i < e.length / 4; i++) { const r = fmaf(e[4*i]!, e[4*i+1]!, e[4*i+2]!); if (!Object.is(r, e[4*i+3]) && !(r === 0 && e[4*i+3] === 0)) { if (F++ < 5) console.log(e[4*i], e[4*i+1], e[4*i+2], e[4*i+3], r); } }
  console.log({ n: e.length / 4, F });
});
