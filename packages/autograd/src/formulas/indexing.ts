import { dispatch1, scalarTensor } from '@kindling/tensor';
import { defineDerivative } from '../derivative.js';
import { putIntoZeros, sumToShape, zerosOf } from './util.js';

const dimsOf = (a: Record<string, unknown>) => a['dims'] as number[];

defineDerivative('index', {
  name: 'IndexBackward0',
  save: { inputs: (n) => Array.from({ length: n - 1 }, (_, i) => i + 1) },
  backward: (ctx, grads) => {
    const g = grads[0];
    if (!g) return ctx.inputShapes.map(() => null);
    const indices = ctx.inputShapes.slice(1).map((_, i) => ctx.input(i + 1));
    return [putIntoZeros(ctx.inputShapes[0]!, dimsOf(ctx.attrs), indices, g, true), ...indices.map(() => null)];
  },
});
defineDerivative('index_put', {
  name: 'IndexPutBackward0',
  save: { inputs: (n) => Array.from({ length: n - 2 }, (_, i) => i + 2) },
  backward: (ctx, grads) => {
    const g = grads[0];
    if (!g) return ctx.inputShapes.map(() => null);
    const dims = dimsOf(ctx.attrs);
    const indices = ctx.inputShapes.slice(2).map((_, i) => ctx.input(i + 2));
    // Overwritten elements get no gradient: zero them in a copy (the op itself, never through a view).
    let gSelf = g;
    if (!ctx.attrs['accumulate']) {
      const copy = g.clone();
      gSelf = dispatch1('index_put', [copy, scalarTensor(0, g.dtype, g.device), ...indices], { dims, accumulate: false }, copy);
    }
    const gValue = ctx.needsInputGrad[1] ? sumToShape(dispatch1('index', [g, ...indices], { dims }), ctx.inputShapes[1]!) : null;
    return [gSelf, gValue, ...indices.map(() => null)];
  },
});
defineDerivative('gather', {
  save: { inputs: [1] },
  backward: (ctx, [g]) => {
    if (!g) return [null, null];
    const dim = ctx.attrs['dim'] as number;
    return [zerosOf(ctx.inputShapes[0]!, g).scatterAdd(dim, ctx.input(1), g), null];
  },
});
defineDerivative('scatter', {
  name: (inputs, a) => (a['reduce'] === 'add' ? 'ScatterAddBackward0' : inputs.length === 3 ? 'ScatterBackward0' : 'ScatterBackward1'),
  save: { inputs: [1] },
  backward: (ctx, grads) => {
    const g = grads[0];
    if (!g) return ctx.inputShapes.map(() => null);
    const dim = ctx.attrs['dim'] as number;
    const reduce = ctx.attrs['reduce'] as string | null;
    if (reduce === 'multiply') throw new Error("the derivative for 'scatter' with reduce='multiply' is not implemented");
    const index = ctx.input(1);
    const gSelf = reduce === 'add' ? g : g.scatter(dim, index, 0);
    const gSrc = ctx.inputShapes.length === 3 && ctx.needsInputGrad[2] ? g.gather(dim, index) : null;
    return ctx.inputShapes.length === 3 ? [gSelf, null, gSrc] : [gSelf, null];
  },
});
