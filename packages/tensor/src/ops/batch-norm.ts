// Batch normalisation's training steps as three ops (handbook 5.4, nn.BatchNorm*d), the split PyTorch's
// CUDA kernels use: per-channel statistics, the normalisation itself, and the whole backward pass
// (whose gradient already accounts for the statistics depending on the input). A backend with kernels
// for them reads the input twice each way; elsewhere each decomposes into the tensor ops that
// F.batch_norm would otherwise record, with the same results.
//
// Inputs are [N, C, *] with per-channel vectors of C elements. Optional weight and bias are named by
// the attributes `weight` and `bias` (true: the tensor follows in the inputs).
import { dispatch1, registerOp } from '../op.js';
import { isFloatingPoint } from '../dtype.js';
import { formatShape, ShapeError } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** The reduced dims of an [N, C, *] tensor: all but the channel dim. */
export function batchNormDims(ndim: number): number[] {
  return [0, ...Array.from({ length: ndim - 2 }, (_, i) => i + 2)];
}

/** A per-channel vector [C] shaped to broadcast over [N, C, *]. */
function perChannel(v: Tensor, ndim: number): Tensor {
  return v.reshape([1, -1, ...new Array<number>(Math.max(0, ndim - 2)).fill(1)]);
}

function checkInput(name: string, x: Tensor): number {
  if (x.ndim < 2) throw new ShapeError(`${name}: expected an input of 2 or more dims [N, C, *], got ${formatShape(x.shape)}`);
  if (!isFloatingPoint(x.dtype)) throw new ShapeError(`${name}: expected a floating point input, got ${x.dtype}`);
  return x.shape[1]!;
}

function checkChannels(name: string, c: number, vectors: readonly Tensor[]): void {
  for (const v of vectors) {
    if (v.ndim !== 1 || v.shape[0] !== c) throw new ShapeError(`${name}: expected per-channel vectors of ${c} elements, got ${formatShape(v.shape)}`);
  }
}

/** The optional weight and bias that follow the first `fixed` inputs, as the attributes say. */
function affine(inputs: readonly Tensor[], fixed: number, attrs: Record<string, unknown>): { weight: Tensor | null; bias: Tensor | null } {
  let i = fixed;
  const weight = attrs['weight'] ? inputs[i++]! : null;
  const bias = attrs['bias'] ? inputs[i++]! : null;
  return { weight, bias };
}

/** `batch_norm_stats(x)`: each channel's mean and biased variance over (N, *), as [C] each. */
registerOp({
  name: 'batch_norm_stats',
  nondifferentiable: true,
  infer([x]) {
    const c = checkInput('batch_norm_stats', x!);
    return [{ shape: [c], dtype: x!.dtype }, { shape: [c], dtype: x!.dtype }];
  },
  decompose([x]) {
    const dims = batchNormDims(x!.ndim);
    const mean = x!.mean(dims, { keepdim: true });
    const variance = x!.sub(mean).pow(2).mean(dims);
    return [mean.reshape([-1]), variance];
  },
});

/** `batch_norm_elemt(x, mean, invstd[, weight][, bias])`: (x − mean)·invstd·weight + bias per channel. */
registerOp({
  name: 'batch_norm_elemt',
  infer(inputs, attrs) {
    const x = inputs[0]!;
    const c = checkInput('batch_norm_elemt', x);
    checkChannels('batch_norm_elemt', c, inputs.slice(1));
    if (inputs.length !== 3 + (attrs['weight'] ? 1 : 0) + (attrs['bias'] ? 1 : 0)) throw new ShapeError('batch_norm_elemt: the inputs do not match the weight and bias attributes');
    return [{ shape: x.shape, dtype: x.dtype }];
  },
  decompose(inputs, attrs) {
    const [x, mean, invstd] = inputs as [Tensor, Tensor, Tensor];
    const { weight, bias } = affine(inputs, 3, attrs);
    let y = x.sub(perChannel(mean, x.ndim)).mul(perChannel(invstd, x.ndim));
    if (weight) y = y.mul(perChannel(weight, x.ndim));
    if (bias) y = y.add(perChannel(bias, x.ndim));
    return [y];
  },
});

/**
 * `batch_norm_backward(grad, x, mean, invstd[, weight])`: the gradients of batch_norm in training for
 * the input (through the batch statistics too), the weight and the bias: with x̂ = (x − mean)·invstd
 * and g' = grad·weight, dx = invstd·(g' − mean(g') − x̂·mean(g'·x̂)), dweight = Σ grad·x̂, dbias = Σ grad.
 */
registerOp({
  name: 'batch_norm_backward',
  nondifferentiable: true,
  infer(inputs, attrs) {
    const [g, x] = inputs as [Tensor, Tensor];
    const c = checkInput('batch_norm_backward', x);
    if (g.shape.length !== x.shape.length || g.shape.some((s, i) => s !== x.shape[i])) {
      throw new ShapeError(`batch_norm_backward: grad ${formatShape(g.shape)} and input ${formatShape(x.shape)} differ`);
    }
    checkChannels('batch_norm_backward', c, inputs.slice(2));
    if (inputs.length !== 4 + (attrs['weight'] ? 1 : 0)) throw new ShapeError('batch_norm_backward: the inputs do not match the weight attribute');
    return [{ shape: x.shape, dtype: x.dtype }, { shape: [c], dtype: x.dtype }, { shape: [c], dtype: x.dtype }];
  },
  decompose(inputs, attrs) {
    const [g, x, mean, invstd] = inputs as [Tensor, Tensor, Tensor, Tensor];
    const { weight } = affine(inputs, 4, attrs);
    const nd = x.ndim;
    const dims = batchNormDims(nd);
    const xhat = x.sub(perChannel(mean, nd)).mul(perChannel(invstd, nd));
    const gw = weight ? g.mul(perChannel(weight, nd)) : g;
    const dx = gw.sub(gw.mean(dims, { keepdim: true })).sub(xhat.mul(gw.mul(xhat).mean(dims, { keepdim: true }))).mul(perChannel(invstd, nd));
    return [dx, dispatch1('sum', [g.mul(xhat)], { dims, keepdim: false }), dispatch1('sum', [g], { dims, keepdim: false })];
  },
});
