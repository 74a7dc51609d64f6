import { type Tensor } from '@kindling/tensor';
import { defineDerivative } from '../derivative.js';
import { sumToShape, zerosOf } from './util.js';

const dimsOf = (a: Record<string, unknown>) => a['dims'] as number[];

/** Rebuild a subscript that puts tensors at `dims` and full slices elsewhere. */
function items(ndim: number, dims: readonly number[], indices: readonly Tensor[]): (Tensor | string)[] {
  return Array.from({ length: ndim }, (_, d) => (dims.includes(d) ? indices[dims.indexOf(d)]! : ':'));
}

defineDerivative('index', {
  name: 'IndexBackward0',
  save: { inputs: (n) => Array.from({ length: n - 1 }, (_, i) => i + 1) },
  backward: (ctx, grads) => {
    const g = grads[0];
    if (!g) return ctx.inputShapes.map(() => null);
    const shape = ctx.inputShapes[0]!;
    const indices = ctx.inputShapes.slice(1).map((_, i) => ctx.input(i + 1));
    const gi = zerosOf(shape, g).indexPut_(items(shape.length, dimsOf(ctx.attrs), indices), g, { accumulate: true });
    return [gi, ...indices.map(() => null)];
  },
});
defineDerivative('index_put', {
  name: 'IndexPutBackward0',
  save: { inputs: (n) => Array.from({ length: n - 2 }, (_, i) => i + 2) },
  backward: (ctx, grads) => {
    const g = grads[0];
    if (!g) return ctx.inputShapes.map(() => null);
    const shape = ctx.inputShapes[0]!;
    const indices = ctx.inputShapes.slice(2).map((_, i) => ctx.input(i + 2));
    const sub = items(shape.length, dimsOf(ctx.attrs), indices);
    const gSelf = ctx.attrs['accumulate'] ? g : g.clone().indexPut_(sub, 0);
    const gValue = ctx.needsInputGrad[1] ? sumToShape(g.index(...sub), ctx.inputShapes[1]!) : null;
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
