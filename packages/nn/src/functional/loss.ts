// Losses (handbook 7), written in tensor ops in PyTorch's numerically stable forms.
import { type Tensor, scalarTensor, where, zerosLike } from '@kindling/tensor';
import { logSoftmax, logsigmoid } from './activation.js';

export type Reduction = 'none' | 'mean' | 'sum';
export interface ReductionOptions {
  reduction?: Reduction;
}

export function reduce(loss: Tensor, reduction: Reduction = 'mean'): Tensor {
  if (reduction === 'none') return loss;
  if (reduction === 'sum') return loss.sum();
  if (reduction === 'mean') return loss.mean();
  throw new Error(`${String(reduction)} is not a valid value for reduction`);
}

function sameShape(name: string, input: Tensor, target: Tensor): void {
  if (input.shape.join() !== target.shape.join()) {
    console.warn(`Using a target size (torch.Size([${target.shape.join(', ')}])) that is different to the input size (torch.Size([${input.shape.join(', ')}])). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size. (${name})`);
  }
}

export function mseLoss(input: Tensor, target: Tensor, o?: ReductionOptions): Tensor {
  sameShape('mse_loss', input, target);
  return reduce(input.sub(target).pow(2), o?.reduction);
}
export function l1Loss(input: Tensor, target: Tensor, o?: ReductionOptions): Tensor {
  sameShape('l1_loss', input, target);
  return reduce(input.sub(target).abs(), o?.reduction);
}
export function smoothL1Loss(input: Tensor, target: Tensor, o?: ReductionOptions & { beta?: number }): Tensor {
  const beta = o?.beta ?? 1;
  const d = input.sub(target).abs();
  if (beta === 0) return reduce(d, o?.reduction);
  return reduce(where(d.lt(beta), d.pow(2).mul(0.5 / beta), d.sub(0.5 * beta)), o?.reduction);
}
export function huberLoss(input: Tensor, target: Tensor, o?: ReductionOptions & { delta?: number }): Tensor {
  const delta = o?.delta ?? 1;
  const d = input.sub(target).abs();
  return reduce(where(d.lt(delta), d.pow(2).mul(0.5), d.sub(0.5 * delta).mul(delta)), o?.reduction);
}

export interface NLLOptions extends ReductionOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
}

/** Class dim is 1 for (N, C, d1, …) and 0 for (C); targets are (N, d1, …) class indices. */
function classDim(input: Tensor): number {
  return input.ndim === 1 ? 0 : 1;
}

/** `F.nll_loss`: −w[y]·logp[y], averaged over the weights of the non-ignored targets for 'mean'. */
export function nllLoss(input: Tensor, target: Tensor, o?: NLLOptions): Tensor {
  const ignore = o?.ignoreIndex ?? -100;
  const cd = classDim(input);
  const c = input.shape[cd]!;
  const expected = input.shape.filter((_, i) => i !== cd);
  if (target.shape.join() !== expected.join()) {
    if (input.ndim === 2 && target.ndim === 1) {
      throw new Error(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`);
    }
    throw new Error(`Expected target size [${expected.join(', ')}], got [${target.shape.join(', ')}]`);
  }
  if (target.dtype !== 'int64') throw new Error(`expected scalar type Long but found ${target.dtype}`);
  const valid = target.ne(ignore);
  const safe = where(valid, target, scalarTensor(0, 'int64', target.device));
  const outOfRange = safe.lt(0).logicalOr(safe.ge(c)).any().item();
  if (outOfRange) throw new Error(`Target ${String(safe.max().item())} is out of bounds.`);
  const picked = input.gather(cd, safe.unsqueeze(cd)).squeeze(cd);
  const zero = scalarTensor(0, input.dtype, input.device);
  const w = o?.weight ? where(valid, o.weight.index(safe), zero) : where(valid, scalarTensor(1, input.dtype, input.device), zero);
  const losses = picked.neg().mul(w);
  const reduction = o?.reduction ?? 'mean';
  if (reduction === 'none') return losses;
  if (reduction === 'sum') return losses.sum();
  return losses.sum().div(w.sum());
}

export interface CrossEntropyOptions extends NLLOptions {
  labelSmoothing?: number;
}

/** `F.cross_entropy`: log_softmax over the class dim, then NLL (indices) or −Σ p·logq (probabilities). */
export function crossEntropy(input: Tensor, target: Tensor, o?: CrossEntropyOptions): Tensor {
  const cd = classDim(input);
  const logp = logSoftmax(input, cd);
  const eps = o?.labelSmoothing ?? 0;
  if (eps < 0 || eps > 1) throw new Error(`label_smoothing must be between 0.0 and 1.0. Got: ${eps}`);
  const c = input.shape[cd]!;
  const reduction = o?.reduction ?? 'mean';
  const wShape = input.shape.map((_, i) => (i === cd ? c : 1));
  if (target.isFloatingPoint()) {
    // Class probabilities.
    if (target.shape.join() !== input.shape.join()) throw new Error(`Expected target size [${input.shape.join(', ')}], got [${target.shape.join(', ')}]`);
    const t = eps > 0 ? target.mul(1 - eps).add(eps / c) : target;
    let prod = logp.mul(t);
    if (o?.weight) prod = prod.mul(o.weight.reshape(wShape));
    const losses = prod.sum(cd).neg();
    if (reduction === 'none') return losses;
    if (reduction === 'sum') return losses.sum();
    return losses.sum().div(input.numel() / c);
  }
  const nll = nllLoss(logp, target, o);
  if (eps === 0) return nll;
  const ignore = o?.ignoreIndex ?? -100;
  const ignored = target.eq(ignore);
  let smooth = (o?.weight ? logp.mul(o.weight.reshape(wShape)) : logp).sum(cd).neg();
  smooth = where(ignored, scalarTensor(0, smooth.dtype, smooth.device), smooth);
  let smoothReduced: Tensor;
  if (reduction === 'none') smoothReduced = smooth;
  else if (reduction === 'sum') smoothReduced = smooth.sum();
  else if (o?.weight) {
    const safe = where(ignored, scalarTensor(0, 'int64', target.device), target);
    const wsum = where(ignored, scalarTensor(0, input.dtype, input.device), o.weight.index(safe)).sum();
    smoothReduced = smooth.sum().div(wsum);
  } else smoothReduced = smooth.sum().div(ignored.logicalNot().sum());
  return nll.mul(1 - eps).add(smoothReduced.mul(eps / c));
}

export interface BCEOptions extends ReductionOptions {
  weight?: Tensor | null;
}
/** `F.binary_cross_entropy`: −(y·log p + (1−y)·log(1−p)), logs clamped at −100 as PyTorch. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, o?: BCEOptions): Tensor {
  if (input.shape.join() !== target.shape.join()) {
    throw new Error(`Using a target size (torch.Size([${target.shape.join(', ')}])) that is different to the input size (torch.Size([${input.shape.join(', ')}])) is deprecated. Please ensure they have the same size.`);
  }
  const logP = input.log().clamp(-100);
  const log1mP = input.neg().add(1).log().clamp(-100);
  let loss = target.mul(logP).add(target.neg().add(1).mul(log1mP)).neg();
  if (o?.weight) loss = loss.mul(o.weight);
  return reduce(loss, o?.reduction);
}
export interface BCEWithLogitsOptions extends BCEOptions {
  posWeight?: Tensor | null;
}
/** `F.binary_cross_entropy_with_logits`, in the stable form (1−y)x + w_y·(log1p(e^{−|x|}) + max(−x, 0)). */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, o?: BCEWithLogitsOptions): Tensor {
  if (input.shape.join() !== target.shape.join()) {
    throw new Error(`Target size (torch.Size([${target.shape.join(', ')}])) must be the same as input size (torch.Size([${input.shape.join(', ')}]))`);
  }
  const softTerm = input.abs().neg().exp().log1p().add(input.neg().clamp(0));
  let loss: Tensor;
  if (o?.posWeight) {
    const logWeight = o.posWeight.sub(1).mul(target).add(1);
    loss = target.neg().add(1).mul(input).add(logWeight.mul(softTerm));
  } else loss = target.neg().add(1).mul(input).add(softTerm);
  if (o?.weight) loss = loss.mul(o.weight);
  return reduce(loss, o?.reduction);
}

export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, o?: BCEOptions): Tensor {
  let loss = target.mul(logsigmoid(input)).add(target.neg().add(1).mul(logsigmoid(input.neg()))).neg();
  if (o?.weight) loss = loss.mul(o.weight);
  const perSample = loss.mean(loss.ndim - 1);
  return reduce(perSample, o?.reduction);
}

export function multiMarginLoss(input: Tensor, target: Tensor, o?: ReductionOptions & { p?: 1 | 2; margin?: number; weight?: Tensor | null }): Tensor {
  const p = o?.p ?? 1;
  const margin = o?.margin ?? 1;
  const x = input.ndim === 1 ? input.unsqueeze(0) : input;
  const y = target.reshape([-1, 1]);
  const c = x.shape[1]!;
  const xy = x.gather(1, y);
  let m = x.sub(xy).add(margin).clamp(0);
  if (p === 2) m = m.pow(2);
  if (o?.weight) m = m.mul(o.weight.index(y.reshape(-1)).unsqueeze(1));
  // The target's own column is excluded from the sum.
  const notTarget = zerosLike(x, { dtype: 'bool' }).scatter(1, y, true).logicalNot();
  const perSample = where(notTarget, m, scalarTensor(0, m.dtype, m.device)).sum(1).div(c);
  return reduce(input.ndim === 1 ? perSample.squeeze(0) : perSample, o?.reduction);
}

export type KLReduction = Reduction | 'batchmean';
/** `F.kl_div(input=log q, target=p)`: p·(log p − log q), 0 where p = 0; 'batchmean' divides the sum by N. */
export function klDiv(input: Tensor, target: Tensor, o?: { reduction?: KLReduction; logTarget?: boolean }): Tensor {
  const reduction = o?.reduction ?? 'mean';
  const loss = o?.logTarget
    ? target.exp().mul(target.sub(input))
    : where(target.gt(0), target.mul(target.log().sub(input)), scalarTensor(0, input.dtype, input.device).mul(input));
  if (reduction === 'batchmean') return input.ndim === 0 ? loss.sum() : loss.sum().div(input.shape[0]!);
  return reduce(loss, reduction);
}

export function cosineSimilarity(x1: Tensor, x2: Tensor, opts?: { dim?: number; eps?: number }): Tensor {
  const dim = opts?.dim ?? 1;
  const eps = opts?.eps ?? 1e-8;
  const w12 = x1.mul(x2).sum(dim);
  const n1 = x1.mul(x1).sum(dim);
  const n2 = x2.mul(x2).sum(dim);
  return w12.div(n1.mul(n2).clamp(eps * eps).sqrt());
}
export function pairwiseDistance(x1: Tensor, x2: Tensor, opts?: { p?: number; eps?: number; keepdim?: boolean }): Tensor {
  const d = x1.sub(x2).add(opts?.eps ?? 1e-6);
  return d.norm(opts?.p ?? 2, -1, { keepdim: opts?.keepdim ?? false });
}

export function cosineEmbeddingLoss(x1: Tensor, x2: Tensor, target: Tensor, o?: ReductionOptions & { margin?: number }): Tensor {
  const margin = o?.margin ?? 0;
  const eps = 1e-12;
  const prod = x1.mul(x2).sum(-1);
  const m1 = x1.mul(x1).sum(-1).add(eps);
  const m2 = x2.mul(x2).sum(-1).add(eps);
  const cos = prod.div(m1.mul(m2).sqrt());
  const zero = scalarTensor(0, cos.dtype, cos.device);
  const pos = where(target.eq(1), cos.neg().add(1), zero);
  const neg = where(target.eq(-1), cos.sub(margin).clamp(0), zero);
  return reduce(pos.add(neg), o?.reduction);
}
export function marginRankingLoss(x1: Tensor, x2: Tensor, target: Tensor, o?: ReductionOptions & { margin?: number }): Tensor {
  return reduce(target.neg().mul(x1.sub(x2)).add(o?.margin ?? 0).clamp(0), o?.reduction);
}
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, o?: ReductionOptions & { margin?: number; p?: number; eps?: number; swap?: boolean }): Tensor {
  const opts = { p: o?.p ?? 2, eps: o?.eps ?? 1e-6 };
  const dPos = pairwiseDistance(anchor, positive, opts);
  let dNeg = pairwiseDistance(anchor, negative, opts);
  if (o?.swap) dNeg = dNeg.minimum(pairwiseDistance(positive, negative, opts));
  return reduce(dPos.sub(dNeg).add(o?.margin ?? 1).clamp(0), o?.reduction);
}
export function softMarginLoss(input: Tensor, target: Tensor, o?: ReductionOptions): Tensor {
  return reduce(target.neg().mul(input).exp().log1p(), o?.reduction);
}
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor, o?: ReductionOptions & { full?: boolean; eps?: number }): Tensor {
  const v = variance.clamp(o?.eps ?? 1e-6);
  let loss = v.log().add(input.sub(target).pow(2).div(v)).mul(0.5);
  if (o?.full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  return reduce(loss, o?.reduction);
}
export function poissonNllLoss(input: Tensor, target: Tensor, o?: ReductionOptions & { logInput?: boolean; full?: boolean; eps?: number }): Tensor {
  const logInput = o?.logInput ?? true;
  let loss = logInput ? input.exp().sub(target.mul(input)) : input.sub(target.mul(input.add(o?.eps ?? 1e-8).log()));
  if (o?.full) {
    const stirling = target.mul(target.log()).sub(target).add(target.mul(2 * Math.PI).log().mul(0.5));
    loss = loss.add(where(target.gt(1), stirling, scalarTensor(0, loss.dtype, loss.device)));
  }
  return reduce(loss, o?.reduction);
}
