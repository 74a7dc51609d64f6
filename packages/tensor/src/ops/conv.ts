// Sliding-window primitives behind convolution, pooling and F.unfold/F.fold (nn, handbook 5.2/5.3).
//
// `im2col` gathers every window of an N-d input into a column: x of shape [N, C, *S] becomes cols of
// shape [N, C·∏k, L], L = ∏ outSize, rows ordered (c, k₀, k₁, …) — PyTorch's F.unfold layout. A
// convolution is then one batched GEMM W[Cout, C·∏k] · cols[n] whose result is already [N, Cout, L].
// Window position o along dim d reads input index o·stride − padding + j·dilation; indices outside the
// input read `padValue` (0 for convolution, −∞ for max pooling). Only the leading padding is an
// attribute: the trailing side follows from `outSize`, so asymmetric ('same', ceil_mode) windows
// need no copy of the input.
// `col2im` (F.fold) is its adjoint: it sums each column's entries back into an image of spatial size `inSize`.
import { dispatch1, registerOp } from '../op.js';
import { isFloatingPoint } from '../dtype.js';
import { formatShape, ShapeError } from '../shape.js';
import type { Tensor } from '../tensor.js';

export interface WindowAttrs {
  kernel: readonly number[];
  stride: readonly number[];
  padding: readonly number[];
  dilation: readonly number[];
}

function checkWindow(name: string, a: Record<string, unknown>, d: number): void {
  for (const key of ['kernel', 'stride', 'padding', 'dilation'] as const) {
    const v = a[key] as number[] | undefined;
    if (!Array.isArray(v) || v.length !== d || v.some((x) => !Number.isInteger(x))) {
      throw new ShapeError(`${name}: expected ${key} to be ${d} integers, got ${JSON.stringify(v)}`);
    }
  }
  const k = a['kernel'] as number[];
  const s = a['stride'] as number[];
  const dl = a['dilation'] as number[];
  if (k.some((x) => x <= 0)) throw new ShapeError(`${name}: kernel size should be greater than zero, but got kernel: ${formatShape(k)}`);
  if (s.some((x) => x <= 0)) throw new ShapeError(`${name}: stride should be greater than zero, but got stride: ${formatShape(s)}`);
  if (dl.some((x) => x <= 0)) throw new ShapeError(`${name}: dilation should be greater than zero, but got dilation: ${formatShape(dl)}`);
}

registerOp({
  name: 'im2col',
  infer([x], a) {
    const outSize = a['outSize'] as number[];
    const d = outSize.length;
    if (x!.ndim !== d + 2) throw new ShapeError(`im2col: expected a ${d + 2}-D input [N, C, *spatial], got ${formatShape(x!.shape)}`);
    checkWindow('im2col', a, d);
    if (outSize.some((o) => !Number.isInteger(o) || o < 0)) throw new ShapeError(`im2col: invalid output size ${formatShape(outSize)}`);
    const k = (a['kernel'] as number[]).reduce((p, q) => p * q, 1);
    const L = outSize.reduce((p, q) => p * q, 1);
    return [{ shape: [x!.shape[0]!, x!.shape[1]! * k, L], dtype: x!.dtype }];
  },
});

registerOp({
  name: 'col2im',
  infer([cols], a) {
    const inSize = a['inSize'] as number[];
    const outSize = a['outSize'] as number[];
    const d = inSize.length;
    checkWindow('col2im', a, d);
    if (outSize.length !== d) throw new ShapeError(`col2im: outSize and inSize must have the same length`);
    const k = (a['kernel'] as number[]).reduce((p, q) => p * q, 1);
    const L = outSize.reduce((p, q) => p * q, 1);
    if (cols!.ndim !== 3 || cols!.shape[2] !== L || cols!.shape[1]! % k !== 0) {
      throw new ShapeError(`col2im: expected columns of shape [N, C*${k}, ${L}], got ${formatShape(cols!.shape)}`);
    }
    if (!isFloatingPoint(cols!.dtype)) throw new ShapeError(`col2im: expected a floating point tensor`);
    return [{ shape: [cols!.shape[0]!, cols!.shape[1]! / k, ...inSize], dtype: cols!.dtype }];
  },
});

/** The windows of x [N, C, *S] as columns: [N, C·∏kernel, ∏outSize]. */
export function im2col(x: Tensor, w: WindowAttrs & { outSize: readonly number[]; padValue?: number }): Tensor {
  return dispatch1('im2col', [x], { ...w, padValue: w.padValue ?? 0 });
}
/** The adjoint of im2col: columns [N, C·∏kernel, ∏outSize] summed into [N, C, *inSize]. */
export function col2im(cols: Tensor, w: WindowAttrs & { outSize: readonly number[]; inSize: readonly number[] }): Tensor {
  return dispatch1('col2im', [cols], { ...w });
}

/**
 * `max_pool`: the maximum of each window of x [N, C, *S] (ties and −∞ windows keep the first
 * in-bounds tap, NaN wins, as PyTorch's CPU kernel) and its flat spatial index into S, as int64.
 * Windows follow im2col's geometry; positions outside the input never win.
 */
registerOp({
  name: 'max_pool',
  infer([x], a) {
    const outSize = a['outSize'] as number[];
    const d = outSize.length;
    if (x!.ndim !== d + 2) throw new ShapeError(`max_pool: expected a ${d + 2}-D input [N, C, *spatial], got ${formatShape(x!.shape)}`);
    checkWindow('max_pool', a, d);
    if (!isFloatingPoint(x!.dtype)) throw new ShapeError(`max_pool: expected a floating point tensor`);
    const shape = [x!.shape[0]!, x!.shape[1]!, ...outSize];
    return [{ shape, dtype: x!.dtype }, { shape, dtype: 'int64' }];
  },
});
