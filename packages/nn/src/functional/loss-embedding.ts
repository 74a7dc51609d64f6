// Distances, similarities and the losses built on them (handbook 7.3), in PyTorch's formulas.
import { type Tensor, scalarTensor, where } from '@kindling/tensor';
import { type PyArgs, pyArgs } from '../args.js';
import { type Reduction, type ReductionOptions, reduce } from './reduction.js';

export interface CosineSimilarityOptions {
  dim?: number;
  eps?: number;
}
/** `F.cosine_similarity(x1, x2, dim = 1, eps = 1e-8)`: x1·x2 / √(max(‖x1‖², eps²)·max(‖x2‖², eps²)). */
export function cosineSimilarity(x1: Tensor, x2: Tensor, ...args: PyArgs<[dim: number, eps: number], CosineSimilarityOptions>): Tensor {
  const { dim, eps } = pyArgs('cosine_similarity', args, ['dim', 'eps'], { dim: 1, eps: 1e-8 });
  const w12 = x1.mul(x2).sum(dim);
  const n1 = x1.mul(x1).sum(dim);
  const n2 = x2.mul(x2).sum(dim);
  return w12.div(n1.mul(n2).clamp(eps * eps).sqrt());
}

export interface PairwiseDistanceOptions {
  p?: number;
  eps?: number;
  keepdim?: boolean;
}
/** `F.pairwise_distance(x1, x2, p = 2, eps = 1e-6, keepdim = false)`: ‖x1 − x2 + eps‖_p over the last dim. */
export function pairwiseDistance(x1: Tensor, x2: Tensor, ...args: PyArgs<[p: number, eps: number, keepdim: boolean], PairwiseDistanceOptions>): Tensor {
  const o = pyArgs('pairwise_distance', args, ['p', 'eps', 'keepdim'], { p: 2, eps: 1e-6, keepdim: false });
  const innermost = Math.max(x1.ndim, x2.ndim) - 1;
  return x1.sub(x2).add(o.eps).norm(o.p, innermost, { keepdim: o.keepdim });
}

export type KLReduction = Reduction | 'batchmean';
export interface KLDivOptions {
  reduction?: KLReduction;
  logTarget?: boolean;
}
/**
 * `F.kl_div(input = log q, target = p, reduction = 'mean', logTarget = false)`: xlogy(p, p) − p·log q
 * (0 where p = 0), or e^t·(t − log q) for log targets; 'batchmean' divides the sum by the batch size.
 */
export function klDiv(input: Tensor, target: Tensor, o?: KLDivOptions): Tensor {
  const reduction = o?.reduction ?? 'mean';
  const zero = scalarTensor(0, input.dtype, input.device);
  const loss = o?.logTarget
    ? target.exp().mul(target.sub(input))
    : where(target.eq(0), zero, target.mul(target.log())).sub(target.mul(input));
  if (reduction === 'batchmean') return input.ndim === 0 ? loss.sum() : loss.sum().div(input.shape[0]!);
  return reduce(loss, reduction);
}

export interface MarginOptions extends ReductionOptions {
  margin?: number;
}
/** `F.cosine_embedding_loss(x1, x2, y, margin = 0)`: 1 − cos for y = 1, max(0, cos − margin) for y = −1, 0 otherwise. */
export function cosineEmbeddingLoss(x1: Tensor, x2: Tensor, target: Tensor, o?: MarginOptions): Tensor {
  if (target.ndim > 1) throw new Error('0D or 1D target tensor expected, multi-target not supported');
  if (target.ndim === 1 && (x1.ndim !== 2 || x2.ndim !== 2)) {
    throw new Error(`1D target tensor expects 2D input tensors, but found inputs with sizes [${x1.shape.join(', ')}] and [${x2.shape.join(', ')}].`);
  }
  if (target.ndim === 0 && (x1.ndim !== 1 || x2.ndim !== 1)) {
    throw new Error(`0D target tensor expects 1D input tensors, but found inputs with sizes [${x1.shape.join(', ')}] and [${x2.shape.join(', ')}].`);
  }
  const EPSILON = 1e-12;
  const d = target.ndim;
  const prod = x1.mul(x2).sum(d);
  const m1 = x1.mul(x1).sum(d).add(EPSILON);
  const m2 = x2.mul(x2).sum(d).add(EPSILON);
  const cos = prod.div(m1.mul(m2).sqrt());
  const zero = scalarTensor(0, cos.dtype, cos.device);
  const pos = where(target.eq(1), cos.neg().add(1), zero);
  const neg = where(target.eq(-1), cos.sub(o?.margin ?? 0).clamp(0), zero);
  return reduce(pos.add(neg), o?.reduction);
}
/** `F.margin_ranking_loss(x1, x2, y, margin = 0)`: max(0, −y·(x1 − x2) + margin). */
export function marginRankingLoss(x1: Tensor, x2: Tensor, target: Tensor, o?: MarginOptions): Tensor {
  if (x1.ndim !== x2.ndim || x1.ndim !== target.ndim) {
    throw new Error(`margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: torch.Size([${x1.shape.join(', ')}]), input2: torch.Size([${x2.shape.join(', ')}]), target: torch.Size([${target.shape.join(', ')}]) `);
  }
  return reduce(target.neg().mul(x1.sub(x2)).add(o?.margin ?? 0).clamp(0), o?.reduction);
}

export interface TripletMarginOptions extends MarginOptions {
  p?: number;
  eps?: number;
  swap?: boolean;
}
/** `F.triplet_margin_loss(a, p, n, margin = 1, p = 2, eps = 1e-6, swap = false)`: max(0, margin + d(a, p) − d(a, n)). */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, o?: TripletMarginOptions): Tensor {
  const dims = [anchor.ndim, positive.ndim, negative.ndim];
  if (dims[0] !== dims[1] || dims[0] !== dims[2]) {
    throw new Error(`The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor ${dims[0]}D, positive ${dims[1]}D, and negative ${dims[2]}D inputs`);
  }
  const d = { p: o?.p ?? 2, eps: o?.eps ?? 1e-6 };
  const dPos = pairwiseDistance(anchor, positive, d);
  let dNeg = pairwiseDistance(anchor, negative, d);
  if (o?.swap) dNeg = dNeg.minimum(pairwiseDistance(positive, negative, d));
  return reduce(dPos.add(o?.margin ?? 1).sub(dNeg).clamp(0), o?.reduction);
}
