import { isFloatingPoint } from '../dtype.js';
import { DtypeError, dispatch1, registerOp } from '../op.js';
import type { Tensor } from '../tensor.js';
import { Tensor as TensorClass } from '../tensor.js';
import { reduceDims, reducedShape } from './reduction.js';

export type NormOrd = number | 'fro';

registerOp({
  name: 'norm',
  infer(inputs, attrs) {
    const t = inputs[0]!;
    if (!isFloatingPoint(t.dtype)) {
      throw new DtypeError(`linalg.vector_norm: Expected a floating point or complex tensor as input. Got ${t.dtype}`);
    }
    return [{ shape: reducedShape(t.shape, attrs['dims'] as number[], attrs['keepdim'] as boolean), dtype: t.dtype }];
  },
  decompose(inputs, attrs) {
    const x = inputs[0]!;
    const p = attrs['p'] as number;
    const o = { keepdim: attrs['keepdim'] as boolean };
    const dims = attrs['dims'] as number[];
    const a = x.abs();
    if (p === Infinity) return [a.amax(dims, o)];
    if (p === -Infinity) return [a.amin(dims, o)];
    if (p === 0) return [a.ne(0).to(x.dtype).sum(dims, o)];
    if (p === 1) return [a.sum(dims, o)];
    if (p === 2) return [x.mul(x).sum(dims, o).sqrt()];
    return [a.pow(p).sum(dims, o).pow(1 / p)];
  },
});

/** `x.norm(p=2, dim, keepdim)` / `torch.linalg.vector_norm`: the vector p-norm over `dim` (all by default). */
export function norm(t: Tensor, p: NormOrd = 2, dim?: number | readonly number[] | null, opts?: { keepdim?: boolean }): Tensor {
  const ord = p === 'fro' ? 2 : p;
  return dispatch1('norm', [t], { p: ord, dims: reduceDims(t, dim), keepdim: opts?.keepdim ?? false });
}

declare module '../tensor.js' {
  interface Tensor {
    norm(p?: NormOrd, dim?: number | readonly number[] | null, opts?: { keepdim?: boolean }): Tensor;
  }
}
(TensorClass.prototype as unknown as Record<string, unknown>)['norm'] = function (this: Tensor, p?: NormOrd, dim?: number | readonly number[] | null, opts?: { keepdim?: boolean }) {
  return norm(this, p, dim, opts);
};
