import { it } from 'vitest';
import * as torch from '@kindling/tensor';
import { loadFixture, makeLoss, problemParams, flat, type OptimizerFixture } from '../helpers.js';
it('grads', () => {
  const fx = loadFixture<OptimizerFixture>('lbfgs');
  for (const name of ['rosenbrock', 'mlp'] as const) {
    const ps = problemParams(fx.problems, name);
    const l = makeLoss(fx.problems, name)(ps);
    l.backward();
    console.log(name, JSON.stringify({ loss: l.item(), grads: ps.map((p) => flat(p.grad!)) }));
  }
});
