import { dispatch1, zeros } from '@kindling/tensor';
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
    const shape = ctx.inputShapes[0]!;
    const [N, C] = [shape[0]!, shape[1]!];
    const plane = shape.slice(2).reduce((a, b) => a * b, 1);
    const flat = zeros([N, C, plane], { dtype: g.dtype, device: g.device });
    return [flat.scatterAdd(2, ctx.output(1).reshape([N, C, -1]), g.reshape([N, C, -1])).reshape([...shape])];
  },
});
