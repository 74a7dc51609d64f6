// Classification losses (handbook 7.2), in PyTorch's formulas and with its argument checks.
import { type Tensor, autocastOp, getBackend, scalarTensor, where, zerosLike } from '@kindling/tensor';
import { type PyArgs, pyArgs } from '../args.js';
import { logSoftmax, logsigmoid } from './activation.js';
import { type Reduction, type ReductionOptions, checkReduction, reduce, scalarTypeName, sizeRepr } from './reduction.js';

const shapeRepr = (s: readonly number[]) => `[${s.join(', ')}]`;

/**
 * sum / total for 'mean' reductions over weights: NaN when total is 0 (every target ignored), as
 * PyTorch, but with a zero gradient instead of 0·∞.
 */
function weightedMean(sum: Tensor, total: Tensor): Tensor {
  const empty = total.eq(0);
  const safe = where(empty, scalarTensor(1, total.dtype, total.device), total);
  return where(empty, scalarTensor(NaN, sum.dtype, sum.device), sum.div(safe));
}

export interface NLLOptions extends ReductionOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
}
type WeightedArgs<O> = PyArgs<[weight: Tensor | null], O>;

/** Class dim is 1 for (N, C, d1, …) and 0 for unbatched (C). */
const classDim = (input: Tensor) => (input.ndim === 1 ? 0 : 1);

/** nll_loss_nd's checks: dims, batch size, target shape and dtype, weight size. */
function checkNllArgs(input: Tensor, target: Tensor, weight: Tensor | null): void {
  if (input.ndim < 1) throw new Error(`Expected 1 or more dimensions (got ${input.ndim})`);
  if (input.ndim !== 1 && input.shape[0] !== target.shape[0]) {
    throw new Error(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0] ?? 0}).`);
  }
  const c = input.shape[classDim(input)]!;
  if (input.ndim <= 2) {
    if (target.ndim > 1) throw new Error('0D or 1D target tensor expected, multi-target not supported');
    if (!(input.ndim === 1 && target.ndim === 0) && input.shape[0] !== target.shape[0]) {
      throw new Error(`size mismatch (got input: ${shapeRepr(input.shape)}, target: ${shapeRepr(target.shape)})`);
    }
  } else {
    const expected = input.shape.filter((_, i) => i !== 1);
    if (input.ndim === 4 && target.ndim !== 3) throw new Error(`only batches of spatial targets supported (3D tensors) but got targets of dimension: ${target.ndim}`);
    if (target.shape.join() !== expected.join()) {
      throw new Error(input.ndim === 4
        ? `size mismatch (got input: ${shapeRepr(input.shape)}, target: ${shapeRepr(target.shape)})`
        : `Expected target size ${shapeRepr(expected)}, got ${shapeRepr(target.shape)}`);
    }
  }
  if (weight && (weight.ndim !== 1 || weight.numel() !== c)) {
    throw new Error(`weight tensor should be defined either for all ${c} classes or no classes but got weight tensor of shape: ${shapeRepr(weight.shape)}`);
  }
  if (target.dtype !== 'int64') throw new Error(`expected scalar type Long but found ${scalarTypeName(target.dtype)}`);
}

/**
 * The first target (in order) outside [0, C) that is not ignored: PyTorch's "Target k is out of bounds."
 * Only where values can be read synchronously (cpu, cuda): on a queued device (webgpu) the check would
 * stall every step, so it is skipped, as PyTorch's CUDA kernels report it only later (a device assert).
 */
function checkTargetRange(target: Tensor, c: number, ignoreIndex: number): void {
  if (!getBackend(target.device.type).readSync) return;
  const bad = target.ne(ignoreIndex).logicalAnd(target.lt(0).logicalOr(target.ge(c)));
  if (!(bad.any().item() as boolean)) return;
  const values = target.reshape(-1).tolist() as (number | bigint)[];
  const first = values.find((v) => Number(v) !== ignoreIndex && (Number(v) < 0 || Number(v) >= c));
  throw new RangeError(`Target ${String(first)} is out of bounds.`);
}

/** `F.nll_loss(input, target, weight, ignoreIndex = -100, reduction = 'mean')`: −w[y]·input[y]; 'mean' divides by Σ w[y]. */
function nllLossImpl(input: Tensor, target: Tensor, ...args: WeightedArgs<NLLOptions>): Tensor {
  const o = pyArgs('nll_loss', args, ['weight'], { weight: null as Tensor | null, ignoreIndex: -100, reduction: 'mean' as Reduction });
  const reduction = checkReduction(o.reduction);
  checkNllArgs(input, target, o.weight);
  const cd = classDim(input);
  checkTargetRange(target, input.shape[cd]!, o.ignoreIndex);
  const valid = target.ne(o.ignoreIndex);
  const safe = where(valid, target, scalarTensor(0, 'int64', target.device));
  const picked = input.gather(cd, safe.unsqueeze(cd)).squeeze(cd);
  const zero = scalarTensor(0, input.dtype, input.device);
  const w = where(valid, o.weight ? o.weight.to(input.dtype).index(safe) : scalarTensor(1, input.dtype, input.device), zero);
  const losses = picked.neg().mul(w);
  if (reduction === 'none') return losses;
  if (reduction === 'sum') return losses.sum();
  return weightedMean(losses.sum(), w.sum());
}

export interface CrossEntropyOptions extends NLLOptions {
  labelSmoothing?: number;
}

/**
 * `F.cross_entropy(input, target, weight, ignoreIndex = -100, reduction = 'mean', labelSmoothing = 0)`:
 * log_softmax over the class dim, then NLL for class indices, or −Σ p·log q for class probabilities
 * (a target of the input's shape). Label smoothing mixes in the uniform distribution as PyTorch 1.13 does.
 */
function crossEntropyImpl(input: Tensor, target: Tensor, ...args: WeightedArgs<CrossEntropyOptions>): Tensor {
  const o = pyArgs('cross_entropy', args, ['weight'], { weight: null as Tensor | null, ignoreIndex: -100, reduction: 'mean' as Reduction, labelSmoothing: 0 });
  const reduction = checkReduction(o.reduction);
  const eps = o.labelSmoothing;
  if (!(eps >= 0 && eps <= 1)) throw new Error(`label_smoothing must be between 0.0 and 1.0. Got: ${eps}`);
  const cd = classDim(input);
  const c = input.shape[cd]!;
  const logp = logSoftmax(input, cd);
  const weight = o.weight ? o.weight.to(input.dtype) : null;
  const wShape = input.shape.map((_, i) => (i === cd ? c : 1));
  if (input.shape.join() === target.shape.join()) {
    // Class probabilities.
    if (!target.isFloatingPoint()) throw new Error(`Expected floating point type for target with class probabilities, got ${scalarTypeName(target.dtype)}`);
    const t = eps > 0 ? target.mul(1 - eps).add(eps / c) : target;
    let prod = logp.mul(t);
    if (weight) prod = prod.mul(weight.reshape(wShape));
    if (reduction === 'none') return prod.sum(cd).neg();
    if (reduction === 'sum') return prod.sum().neg();
    return prod.sum().neg().div(input.numel() / c);
  }
  const nll = nllLoss(logp, target, { weight, ignoreIndex: o.ignoreIndex, reduction });
  if (eps === 0) return nll;
  const ignored = target.eq(o.ignoreIndex);
  let smooth = (weight ? logp.mul(weight.reshape(wShape)) : logp).sum(cd).neg();
  smooth = where(ignored, scalarTensor(0, smooth.dtype, smooth.device), smooth);
  let smoothReduced: Tensor;
  if (reduction === 'none') smoothReduced = smooth;
  else if (reduction === 'sum') smoothReduced = smooth.sum();
  else if (weight) {
    const safe = where(ignored, scalarTensor(0, 'int64', target.device), target);
    smoothReduced = weightedMean(smooth.sum(), where(ignored, scalarTensor(0, input.dtype, input.device), weight.index(safe)).sum());
  } else smoothReduced = weightedMean(smooth.sum(), ignored.logicalNot().sum().to(input.dtype));
  return nll.mul(1 - eps).add(smoothReduced.mul(eps / c));
}

export interface BCEOptions extends ReductionOptions {
  weight?: Tensor | null;
}
/** `F.binary_cross_entropy(p, y, weight)`: (y − 1)·max(log1p(−p), −100) − y·max(log p, −100), PyTorch's kernel formula. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, ...args: WeightedArgs<BCEOptions>): Tensor {
  const o = pyArgs('binary_cross_entropy', args, ['weight'], { weight: null as Tensor | null, reduction: 'mean' as Reduction });
  checkReduction(o.reduction);
  if (input.shape.join() !== target.shape.join()) {
    throw new Error(`Using a target size (${sizeRepr(target)}) that is different to the input size (${sizeRepr(input)}) is deprecated. Please ensure they have the same size.`);
  }
  if (input.lt(0).logicalOr(input.gt(1)).any().item() as boolean) throw new Error('all elements of input should be between 0 and 1');
  const log1m = input.neg().log1p().clamp(-100);
  const logp = input.log().clamp(-100);
  let loss = target.sub(1).mul(log1m).sub(target.mul(logp));
  if (o.weight) loss = loss.mul(o.weight);
  return reduce(loss, o.reduction);
}

export interface BCEWithLogitsOptions extends BCEOptions {
  posWeight?: Tensor | null;
}
/**
 * `F.binary_cross_entropy_with_logits(x, y, weight, posWeight)`, PyTorch's stable form with m = max(−x, 0):
 * (1 − y)·x + l·(log(e^{−m} + e^{−x−m}) + m), l = 1 + (posWeight − 1)·y.
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, ...args: WeightedArgs<BCEWithLogitsOptions>): Tensor {
  const o = pyArgs('binary_cross_entropy_with_logits', args, ['weight'], { weight: null as Tensor | null, posWeight: null as Tensor | null, reduction: 'mean' as Reduction });
  checkReduction(o.reduction);
  if (input.shape.join() !== target.shape.join()) {
    throw new Error(`Target size (${sizeRepr(target)}) must be the same as input size (${sizeRepr(input)})`);
  }
  const m = input.neg().clamp(0);
  const softTerm = m.neg().exp().add(input.neg().sub(m).exp()).log();
  const linear = target.neg().add(1).mul(input);
  let loss: Tensor;
  if (o.posWeight) {
    const logWeight = o.posWeight.sub(1).mul(target).add(1);
    loss = linear.add(logWeight.mul(softTerm.add(m)));
  } else loss = linear.add(m).add(softTerm);
  if (o.weight) loss = loss.mul(o.weight);
  return reduce(loss, o.reduction);
}

/** `F.multilabel_soft_margin_loss`: per sample, the mean over classes of the binary logistic losses. */
export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, ...args: WeightedArgs<BCEOptions>): Tensor {
  const o = pyArgs('multilabel_soft_margin_loss', args, ['weight'], { weight: null as Tensor | null, reduction: 'mean' as Reduction });
  let loss = target.mul(logsigmoid(input)).add(target.neg().add(1).mul(logsigmoid(input.neg()))).neg();
  if (o.weight) loss = loss.mul(o.weight);
  const classDimension = input.ndim - 1;
  return reduce(loss.sum(classDimension).div(input.shape[classDimension]!), o.reduction);
}

export interface MultiMarginOptions extends ReductionOptions {
  p?: 1 | 2;
  margin?: number;
  weight?: Tensor | null;
}
/** `F.multi_margin_loss(x, y, p = 1, margin = 1, weight)`: Σ_{i≠y} max(0, margin − x[y] + x[i])^p / C, weighted by w[y]. */
export function multiMarginLoss(input: Tensor, target: Tensor, ...args: PyArgs<[p: 1 | 2, margin: number, weight: Tensor | null], MultiMarginOptions>): Tensor {
  const o = pyArgs('multi_margin_loss', args, ['p', 'margin', 'weight'], { p: 1 as 1 | 2, margin: 1, weight: null as Tensor | null, reduction: 'mean' as Reduction });
  if (o.p !== 1 && o.p !== 2) throw new Error('only p == 1 and p == 2 supported');
  if (o.weight && o.weight.ndim !== 1) throw new Error('weight must be one-dimensional');
  if (input.ndim > 2 || input.numel() === 0) throw new Error(`Expected non-empty vector or matrix with optional 0-dim batch size, but got: ${shapeRepr(input.shape)}`);
  const x = input.ndim <= 1 ? input.reshape([1, -1]) : input;
  const n = x.shape[0]!;
  const c = x.shape[1]!;
  if (target.ndim > 1 || target.numel() !== n) throw new Error(`inconsistent target size, expected ${n} but got ${shapeRepr(target.shape)}`);
  if (target.lt(0).logicalOr(target.ge(c)).any().item() as boolean) throw new Error('target out of range');
  const y = target.reshape([-1, 1]);
  const z = x.sub(x.gather(1, y)).add(o.margin);
  // Strictly positive margins only: PyTorch's kernel skips z ≤ 0 in forward and backward alike.
  const zero = scalarTensor(0, z.dtype, z.device);
  let h = where(z.gt(0), o.p === 2 ? z.mul(z) : z, zero);
  if (o.weight) h = h.mul(o.weight.index(y.reshape(-1)).unsqueeze(1));
  const notTarget = zerosLike(x, { dtype: 'bool' }).scatter(1, y, true).logicalNot();
  const perSample = where(notTarget, h, zero).sum(1).div(c);
  return reduce(input.ndim <= 1 ? perSample.reshape([]) : perSample, o.reduction);
}

/** `F.soft_margin_loss`: log(1 + exp(−y·x)). */
export function softMarginLoss(input: Tensor, target: Tensor, o?: ReductionOptions): Tensor {
  return reduce(input.neg().mul(target).exp().log1p(), o?.reduction);
}

/** Under autocast, `nll_loss` runs in float32 (PyTorch's fp32 list): lower-precision inputs are cast up. */
export function nllLoss(input: Tensor, target: Tensor, ...args: WeightedArgs<NLLOptions>): Tensor {
  return autocastOp('nll_loss', [input] as const, (i) => nllLossImpl(i, target, ...args));
}

/** Under autocast, `cross_entropy_loss` runs in float32 (PyTorch's fp32 list): lower-precision inputs are cast up. */
export function crossEntropy(input: Tensor, target: Tensor, ...args: WeightedArgs<CrossEntropyOptions>): Tensor {
  return autocastOp('cross_entropy_loss', [input] as const, (i) => crossEntropyImpl(i, target, ...args));
}
