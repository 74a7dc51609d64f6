import { type Tensor, dispatch1, scalarTensor, where } from '@kindling/tensor';
import { defineDerivative } from '../derivative.js';

/** grad where result > threshold, else 0: the threshold_backward op (PyTorch's aten op of that name). */
const thresholdBackward = (grad: Tensor, result: Tensor, threshold: number) => dispatch1('threshold_backward', [grad, result], { threshold });

defineDerivative('relu', {
  save: { outputs: [0] },
  backward: (ctx, [g]) => (g ? [thresholdBackward(g, ctx.output(0), 0)] : [null]),
});
// Linear in the gradient, piecewise constant in the result.
defineDerivative('threshold_backward', {
  save: { inputs: [1] },
  backward: (ctx, [g]) => [g ? thresholdBackward(g, ctx.input(1), ctx.attrs['threshold'] as number) : null, null],
});

/** Vector norm: d‖x‖_p = x·|x|^(p−2) / ‖x‖^(p−1); zero where the norm is zero, as PyTorch. */
defineDerivative('norm', {
  name: 'LinalgVectorNormBackward0',
  save: { inputs: [0], outputs: [0] },
  backward: (ctx, [g]) => {
    if (!g) return [null];
    const x = ctx.input(0);
    const p = ctx.attrs['p'] as number;
    const dims = ctx.attrs['dims'] as number[];
    let n = ctx.output(0);
    let gg = g;
    if (!(ctx.attrs['keepdim'] as boolean)) {
      for (const d of [...dims].sort((a, b) => a - b)) {
        n = n.unsqueeze(d);
        gg = gg.unsqueeze(d);
      }
    }
    const zero = scalarTensor(0, x.dtype, x.device);
    if (p === 0) return [x.mul(0)];
    if (p === 1) return [x.sign().mul(gg)];
    if (p === Infinity || p === -Infinity) {
      const mask = x.abs().eq(n).to(x.dtype);
      return [x.sign().mul(mask).div(mask.sum(dims, { keepdim: true })).mul(gg)];
    }
    const scaled = p === 2 ? x.div(n) : x.mul(x.abs().pow(p - 2)).div(n.pow(p - 1));
    return [where(n.eq(0), zero, scaled.mul(gg))];
  },
});
