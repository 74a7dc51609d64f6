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
