// Connectionist temporal classification (handbook 7.3, `nn.CTCLoss`): the log-space forward (alpha)
// recursion of Graves et al. written in tensor ops, vectorised over the batch and the extended target,
// so autograd differentiates it. Conventions follow PyTorch 1.13's `ctc_loss`.
import { type Tensor, cat, scalarTensor, tensor, where } from '@kindling/tensor';
import { type PyArgs, pyArgs } from '../args.js';
import { type Reduction, checkReduction } from './reduction.js';

export interface CTCLossOptions {
  blank?: number;
  reduction?: Reduction;
  /** Replace infinite losses (impossible alignments) and their gradients by zero. */
  zeroInfinity?: boolean;
}
export type Lengths = Tensor | readonly number[] | number;

function lengthList(x: Lengths): number[] {
  if (typeof x === 'number') return [x];
  if (Array.isArray(x)) return x.map(Number);
  return ((x as Tensor).reshape(-1).tolist() as (number | bigint)[]).map(Number);
}

/**
 * log(Σ exp(a_i)) of same-shaped tensors, as PyTorch's kernel computes it (max subtracted, taken as 0
 * when every term is −inf). Where every term is −inf the result is −inf and the gradient 0, not NaN:
 * those positions are computed on zeros and replaced.
 */
function logSumExp(terms: Tensor[]): Tensor {
  const negInf = scalarTensor(-Infinity, terms[0]!.dtype, terms[0]!.device);
  const zero = scalarTensor(0, terms[0]!.dtype, terms[0]!.device);
  let m = terms[0]!;
  for (const t of terms.slice(1)) m = m.maximum(t);
  const empty = m.eq(-Infinity);
  const shift = where(empty, zero, m).detach();
  let sum: Tensor | null = null;
  for (const t of terms) {
    const e = where(empty, zero, t).sub(shift).exp();
    sum = sum ? sum.add(e) : e;
  }
  return where(empty, negInf, sum!.log().add(shift));
}

/**
 * `F.ctc_loss(logProbs, targets, inputLengths, targetLengths, blank = 0, reduction = 'mean', zeroInfinity = false)`.
 * logProbs: (T, N, C) log-softmax outputs, or (T, C) unbatched. targets: (N, S) padded, or the targets of
 * all samples concatenated (1-D). Lengths: tensors, arrays or (unbatched) numbers. 'mean' divides each
 * loss by its target length (at least 1), then averages over the batch.
 *
 * The gradient with respect to logProbs is PyTorch's: its kernel returns the gradient with respect to
 * the logits of a log_softmax (the true one plus exp(logProbs) at every valid frame), so that a model
 * ending in log_softmax gets exactly the right gradient. We add that term with a value of exactly zero.
 */
export function ctcLoss(
  logProbs: Tensor,
  targets: Tensor,
  inputLengths: Lengths,
  targetLengths: Lengths,
  ...args: PyArgs<[blank: number, reduction: Reduction, zeroInfinity: boolean], CTCLossOptions>
): Tensor {
  const o = pyArgs('ctc_loss', args, ['blank', 'reduction', 'zeroInfinity'], { blank: 0, reduction: 'mean' as Reduction, zeroInfinity: false });
  const reduction = checkReduction(o.reduction);
  const batched = logProbs.ndim === 3;
  if (!batched && logProbs.ndim !== 2) throw new Error(`ctc_loss: expected log_probs to be 2-D or 3-D, got ${logProbs.ndim}-D`);
  const lp = batched ? logProbs : logProbs.unsqueeze(1);
  const [T, N, C] = lp.shape as [number, number, number];
  const blank = o.blank;
  if (!(blank >= 0 && blank < C)) throw new Error('blank must be in label range');
  const inLen = lengthList(inputLengths);
  const tgLen = lengthList(targetLengths);
  if (inLen.length !== N) throw new Error('input_lengths must be of size batch_size');
  if (tgLen.length !== N) throw new Error('target_lengths must be of size batch_size');
  if (targets.dtype !== 'int64' && targets.dtype !== 'int32') throw new Error(`ctc_loss: expected targets of an integer dtype, got ${targets.dtype}`);
  for (const l of inLen) {
    if (l > T) throw new Error(`Expected input_lengths to have value at most ${T}, but got value ${l} (while checking arguments for ctc_loss_cpu)`);
  }
  // Each sample's target labels, from the padded (N, S) or the concatenated layout.
  const flat = (targets.reshape(-1).tolist() as (number | bigint)[]).map(Number);
  const padded = batched && targets.ndim === 2;
  if (padded && targets.shape[0] !== N) throw new Error(`Expected tensor to have size ${N} at dimension 0, but got size ${targets.shape[0]} for argument #2 'targets' (while checking arguments for ctc_loss_cpu)`);
  const rowStride = padded ? targets.shape[1]! : 0;
  const labels: number[][] = [];
  let offset = 0;
  for (let b = 0; b < N; b++) {
    const len = tgLen[b]!;
    if (padded) {
      if (len > rowStride) throw new Error(`Expected tensor to have size at least ${len} at dimension 1, but got size ${rowStride} for argument #2 'targets' (while checking arguments for ctc_loss_cpu)`);
      labels.push(flat.slice(b * rowStride, b * rowStride + len));
    } else {
      labels.push(flat.slice(offset, offset + len));
      offset += len;
    }
  }
  if (!padded && offset > flat.length) throw new Error(`Expected tensor to have size at least ${offset} at dimension 0, but got size ${flat.length} for argument #2 'targets' (while checking arguments for ctc_loss_cpu)`);

  // The extended targets l' = (blank, l1, blank, l2, …, blank), the skip rule (s − 2 → s allowed
  // when l'_s ≠ l'_{s−2}) and the start positions, as (N, S') tables.
  const S = 2 * Math.max(0, ...tgLen) + 1;
  const ext: number[] = [];
  const skip: boolean[] = [];
  const start: boolean[] = [];
  for (let b = 0; b < N; b++) {
    for (let s = 0; s < S; s++) {
      const l = s % 2 === 1 && (s - 1) / 2 < labels[b]!.length ? labels[b]![(s - 1) / 2]! : blank;
      ext.push(l);
      skip.push(s >= 2 && s % 2 === 1 && (s - 1) / 2 < labels[b]!.length && l !== ext[ext.length - 3]);
      start.push(s === 0 || (s === 1 && tgLen[b]! > 0));
    }
  }
  const dev = lp.device;
  const extIdx = tensor(ext, { dtype: 'int64', device: dev }).reshape([N, S]);
  const skipMask = tensor(skip, { dtype: 'bool', device: dev }).reshape([N, S]);
  const startMask = tensor(start, { dtype: 'bool', device: dev }).reshape([N, S]);
  const negInf = scalarTensor(-Infinity, lp.dtype, dev);
  const negInfCol = (n: number) => tensor(new Array<number>(N * n).fill(-Infinity), { dtype: lp.dtype, device: dev }).reshape([N, n]);

  // Emission log-probabilities of each extended position at every frame: (T, N, S').
  const emit = lp.gather(2, extIdx.unsqueeze(0).expand(T, N, S).contiguous());
  const maxT = Math.max(0, ...inLen);
  let alpha = where(startMask, emit.select(0, 0), negInf);
  for (let t = 1; t < maxT; t++) {
    const stay = alpha;
    const step = S > 1 ? cat([negInfCol(1), alpha.narrow(1, 0, S - 1)], 1) : negInfCol(1);
    const jump = S > 2 ? where(skipMask, cat([negInfCol(2), alpha.narrow(1, 0, S - 2)], 1), negInf) : negInfCol(S);
    const next = logSumExp([stay, step, jump]).add(emit.select(0, t));
    // Samples whose input has ended keep their last alpha.
    const active = tensor(inLen.map((l) => t < l), { dtype: 'bool', device: dev }).unsqueeze(1);
    alpha = where(active, next, alpha);
  }

  // −log p(l | x) = −logsumexp(alpha_T[2L], alpha_T[2L − 1]).
  const lastIdx = tensor(tgLen.map((l) => 2 * l), { dtype: 'int64', device: dev }).unsqueeze(1);
  const prevIdx = tensor(tgLen.map((l) => Math.max(2 * l - 1, 0)), { dtype: 'int64', device: dev }).unsqueeze(1);
  const hasPrev = tensor(tgLen.map((l) => l > 0), { dtype: 'bool', device: dev });
  const l1 = alpha.gather(1, lastIdx).squeeze(1);
  const l2 = where(hasPrev, alpha.gather(1, prevIdx).squeeze(1), negInf);
  let loss = logSumExp([l1, l2]).neg();

  // PyTorch's gradient convention (see above): + Σ_{t < T_b, c} (e^lp − stop_gradient(e^lp)), worth 0.
  const frames = tensor(Array.from({ length: T * N }, (_, i) => Math.floor(i / N) < inLen[i % N]!), { dtype: lp.dtype, device: dev }).reshape([T, N, 1]);
  const p = lp.exp();
  loss = loss.add(p.sub(p.detach()).mul(frames).sum([0, 2]));

  if (o.zeroInfinity) loss = where(loss.eq(Infinity), scalarTensor(0, loss.dtype, dev), loss);
  if (reduction === 'mean') {
    const divisor = tensor(tgLen.map((l) => Math.max(l, 1)), { dtype: loss.dtype, device: dev });
    return loss.div(divisor).mean();
  }
  if (reduction === 'sum') return loss.sum();
  return batched ? loss : loss.squeeze(0);
}
