import { dispatch1 } from '@kindling/tensor';
import { defineDerivative } from '../derivative.js';

// im2col and col2im are adjoint linear maps, so each one's derivative is the other.
const windowOf = (a: Record<string, unknown>) => ({ kernel: a['kernel'], stride: a['stride'], padding: a['padding'], dilation: a['dilation'], outSize: a['outSize'] });

defineDerivative('im2col', {
  name: 'Im2ColBackward0',
  backward: (ctx, [g]) => {
    if (!g) return [null];
    const inSize = ctx.inputShapes[0]!.slice(2);
    return [dispatch1('col2im', [g], { ...windowOf(ctx.attrs), inSize })];
  },
});
defineDerivative('col2im', {
  name: 'Col2ImBackward0',
  backward: (ctx, [g]) => [g ? dispatch1('im2col', [g], { ...windowOf(ctx.attrs), padValue: 0 }) : null],
});

// max_pool: each output's gradient goes to the input element its index names (summed where windows overlap).
defineDerivative('max_pool', {
  name: (inputs) => `MaxPool${inputs[0]!.ndim - 2}DWithIndicesBackward0`,
  save: { outputs: [1] },
  backward: (ctx, [g]) => {
    if (!g) return [null];
    return [dispatch1('max_pool_backward', [g, ctx.output(1)], { inSize: ctx.inputShapes[0]!.slice(2) })];
  },
});
// Linear in the gradient: its own derivative reads the incoming gradient back at the same indices.
defineDerivative('max_pool_backward', {
  save: { inputs: [1] },
  backward: (ctx, [g]) => {
    if (!g) return [null, null];
    const idx = ctx.input(1);
    const [N, C] = [idx.shape[0]!, idx.shape[1]!];
    return [g.reshape([N, C, -1]).gather(2, idx.reshape([N, C, -1])).reshape([...idx.shape]), null];
  },
});
