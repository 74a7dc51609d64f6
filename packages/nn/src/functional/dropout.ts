import { type Tensor, empty, emptyLike } from '@kindling/tensor';
import { noGrad } from '@kindling/autograd';

function checkP(p: number): void {
  if (p < 0 || p > 1) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
}

/** A mask of `shape`-like 0/1 values kept with probability 1 − p, scaled by 1/(1 − p), as PyTorch draws it. */
function keepMask(like: Tensor, shape: readonly number[], p: number): Tensor {
  const mask = empty([...shape], { dtype: like.dtype, device: like.device });
  noGrad(() => {
    mask.bernoulli_(1 - p);
    if (p < 1) mask.div_(1 - p);
  });
  return mask;
}

export interface DropoutOptions {
  p?: number;
  training?: boolean;
  inplace?: boolean;
}
function opts(p: number | DropoutOptions | undefined, training?: boolean): Required<Omit<DropoutOptions, 'inplace'>> & { inplace: boolean } {
  if (typeof p === 'object') return { p: p.p ?? 0.5, training: p.training ?? true, inplace: p.inplace ?? false };
  return { p: p ?? 0.5, training: training ?? true, inplace: false };
}

/** `F.dropout(x, p, training)`: zero elements with probability p, scale the rest. */
export function dropout(x: Tensor, p?: number | DropoutOptions, training?: boolean): Tensor {
  const o = opts(p, training);
  checkP(o.p);
  if (!o.training || o.p === 0) return x;
  if (o.p === 1) return x.mul(0);
  const y = x.mul(keepMask(x, x.shape, o.p));
  return o.inplace ? x.copy_(y) : y;
}

/** Channel dropout: one draw per (N, C), broadcast over the spatial dims. */
function featureDropout(name: string, minDims: number, x: Tensor, p?: number | DropoutOptions, training?: boolean): Tensor {
  const o = opts(p, training);
  checkP(o.p);
  if (x.ndim < minDims - 1) throw new Error(`${name}: expected at least ${minDims - 1}-D input, got ${x.ndim}-D`);
  if (!o.training || o.p === 0) return x;
  const batched = x.ndim === minDims;
  const shape = batched ? [x.shape[0]!, x.shape[1]!, ...new Array<number>(x.ndim - 2).fill(1)] : [x.shape[0]!, ...new Array<number>(x.ndim - 1).fill(1)];
  const y = x.mul(keepMask(x, shape, o.p));
  return o.inplace ? x.copy_(y) : y;
}
export function dropout1d(x: Tensor, p?: number | DropoutOptions, training?: boolean): Tensor {
  return featureDropout('dropout1d', 3, x, p, training);
}
export function dropout2d(x: Tensor, p?: number | DropoutOptions, training?: boolean): Tensor {
  return featureDropout('dropout2d', 4, x, p, training);
}
export function dropout3d(x: Tensor, p?: number | DropoutOptions, training?: boolean): Tensor {
  return featureDropout('dropout3d', 5, x, p, training);
}

/** Alpha dropout (for SELU): dropped units go to SELU's saturation value, with PyTorch's affine correction. */
export function alphaDropout(x: Tensor, p?: number | DropoutOptions, training?: boolean): Tensor {
  const o = opts(p, training);
  checkP(o.p);
  if (!o.training || o.p === 0) return x;
  const alpha = 1.7580993408473766;
  const a = 1 / Math.sqrt((alpha * alpha * o.p + 1) * (1 - o.p));
  const noise = noGrad(() => emptyLike(x).bernoulli_(1 - o.p));
  // b = (noise − 1)·αa + αap; out = x·(noise·a) + b, in PyTorch's order.
  const b = noise.sub(1).mul(alpha * a).add(alpha * a * o.p);
  const y = x.mul(noise.mul(a)).add(b);
  return o.inplace ? x.copy_(y) : y;
}
