import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { LBFGS } from '../../src/index.js';
import { loadFixture, makeLoss, problemParams, flat, camelOptions, type OptimizerFixture, type ProblemName } from '../helpers.js';
it('trace', () => {
  const fx = loadFixture<OptimizerFixture>('lbfgs');
  const name = process.env['PROB'] as ProblemName;
  const dtype = process.env['DT'] as 'float32' | 'float64';
  const ps = problemParams(fx.problems, name, dtype);
  const opt = new LBFGS(ps, camelOptions(JSON.parse(process.env['KW']!)));
  const lf = makeLoss(fx.problems, name, dtype);
  const log: unknown[] = [];
  const closure = () => {
    opt.zeroGrad();
    const l = lf(ps);
    l.backward();
    log.push({ x: ps.map(flat), loss: l.item(), g: ps.map((p) => flat(p.grad!)) });
    return l;
  };
  for (let k = 0; k < Number(process.env['STEPS']); k++) {
    opt.step(closure);
    log.push({ step: k, x: ps.map(flat) });
  }
  writeFileSync('/tmp/optexp/ts_trace.json', JSON.stringify(log));
});
