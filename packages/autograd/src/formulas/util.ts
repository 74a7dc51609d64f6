import { dispatch1, type Tensor, zeros } from '@kindling/tensor';

/** Sum a broadcast gradient back to the shape of the input it came from. */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.length === shape.length && g.shape.every((s, i) => s === shape[i])) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  let r = dims.length ? g.sum(dims, { keepdim: true }) : g;
  if (lead > 0) r = r.reshape([...shape]);
  return r;
}

/** `g` with the reduced `dims` reinserted as size-1 dims (undoing keepdim=False). */
export function unsqueezeDims(g: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  if (keepdim) return g;
  let r = g;
  for (const d of [...dims].sort((a, b) => a - b)) r = r.unsqueeze(d);
  return r;
}

export function zerosOf(shape: readonly number[], like: Tensor): Tensor {
  return zeros([...shape], { dtype: like.dtype, device: like.device });
}

/**
 * zeros(shape) with `values` written (or, with `accumulate`, added) at `indices` along `dims`: the
 * index_put op applied to a fresh tensor, never through a view of one. Formulas need this form: when a
 * graph is being built (createGraph) the write is recorded, and Kindling refuses in-place ops on views.
 */
export function putIntoZeros(
  shape: readonly number[],
  dims: readonly number[],
  indices: readonly Tensor[],
  values: Tensor,
  accumulate: boolean,
): Tensor {
  const base = zerosOf(shape, values);
  return dispatch1('index_put', [base, values, ...indices], { dims: [...dims], accumulate }, base);
}
