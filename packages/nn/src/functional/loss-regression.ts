// Regression losses (handbook 7.1), in the same arithmetic order as PyTorch's kernels.
import { type Tensor, autocastOp, broadcastTensors, scalarTensor, where } from '@kindling/tensor';
import { noGrad } from '@kindling/autograd';
import { type ReductionOptions, reduce, sizeRepr } from './reduction.js';

/** PyTorch warns (and broadcasts) when target and input shapes differ. */
function broadcastPair(input: Tensor, target: Tensor): [Tensor, Tensor] {
  if (input.shape.join() === target.shape.join()) return [input, target];
  console.warn(`Using a target size (${sizeRepr(target)}) that is different to the input size (${sizeRepr(input)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`);
  return broadcastTensors(input, target) as [Tensor, Tensor];
}

/** `F.mse_loss`: (x − y)². */
function mseLossImpl(input: Tensor, target: Tensor, o?: ReductionOptions): Tensor {
  const [x, y] = broadcastPair(input, target);
  const d = x.sub(y);
  return reduce(d.mul(d), o?.reduction);
}
/** `F.l1_loss`: |x − y|. */
function l1LossImpl(input: Tensor, target: Tensor, o?: ReductionOptions): Tensor {
  const [x, y] = broadcastPair(input, target);
  return reduce(x.sub(y).abs(), o?.reduction);
}
/** `F.smooth_l1_loss`: 0.5·z²/β below β, z − 0.5β above (z = |x − y|); β = 0 is the L1 loss. */
function smoothL1LossImpl(input: Tensor, target: Tensor, o?: ReductionOptions & { beta?: number }): Tensor {
  const beta = o?.beta ?? 1;
  if (beta < 0) throw new Error('smooth_l1_loss does not support negative values for beta.');
  const [x, y] = broadcastPair(input, target);
  const d = x.sub(y);
  // β = 0 is |x − y|. At x = y PyTorch's backward (which tests x ≤ −β first) gives −1 for the input,
  // and −1 for the target too (its target gradient is the same function with the arguments swapped):
  // there the loss is x̄ − x + ȳ − y (bars: detached), worth 0 with exactly those gradients.
  if (beta === 0) {
    const tie = x.detach().sub(x).add(y.detach().sub(y));
    return reduce(where(d.eq(0), tie, where(d.lt(0), d.neg(), d)), o?.reduction);
  }
  const z = d.abs();
  return reduce(where(z.lt(beta), z.mul(0.5).mul(z).div(beta), z.sub(0.5 * beta)), o?.reduction);
}
/** `F.huber_loss`: 0.5·z² below δ, δ·(z − 0.5δ) above. */
function huberLossImpl(input: Tensor, target: Tensor, o?: ReductionOptions & { delta?: number }): Tensor {
  const delta = o?.delta ?? 1;
  if (!(delta > 0)) throw new Error('huber_loss does not support non-positive values for delta.');
  const [x, y] = broadcastPair(input, target);
  const z = x.sub(y).abs();
  return reduce(where(z.lt(delta), z.mul(0.5).mul(z), z.sub(0.5 * delta).mul(delta)), o?.reduction);
}

/** `F.gaussian_nll_loss`: ½(log σ² + (x − y)²/σ²); σ² is clamped to eps without blocking its gradient, as PyTorch. */
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor, o?: ReductionOptions & { full?: boolean; eps?: number }): Tensor {
  let v = variance;
  if (v.ndim === input.ndim - 1 && v.shape.join() === input.shape.slice(0, -1).join()) v = v.unsqueeze(-1);
  v = v.clone();
  noGrad(() => v.clamp_(o?.eps ?? 1e-6));
  let loss = v.log().add(input.sub(target).pow(2).div(v)).mul(0.5);
  if (o?.full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  return reduce(loss, o?.reduction);
}
/** `F.poisson_nll_loss`: eˣ − y·x for log input, else x − y·log(x + eps); `full` adds Stirling's term where y > 1. */
export function poissonNllLoss(input: Tensor, target: Tensor, o?: ReductionOptions & { logInput?: boolean; full?: boolean; eps?: number }): Tensor {
  const logInput = o?.logInput ?? true;
  let loss = logInput ? input.exp().sub(target.mul(input)) : input.sub(target.mul(input.add(o?.eps ?? 1e-8).log()));
  if (o?.full) {
    const stirling = target.mul(target.log()).sub(target).add(target.mul(2 * Math.PI).log().mul(0.5));
    loss = loss.add(where(target.gt(1), stirling, scalarTensor(0, loss.dtype, loss.device)));
  }
  return reduce(loss, o?.reduction);
}

/** Under autocast, `mse_loss` runs in float32 (PyTorch's fp32 list): lower-precision inputs are cast up. */
export function mseLoss(input: Tensor, target: Tensor, o?: ReductionOptions): Tensor {
  return autocastOp('mse_loss', [input, target] as const, (i, t) => mseLossImpl(i, t, o));
}

/** Under autocast, `l1_loss` runs in float32 (PyTorch's fp32 list): lower-precision inputs are cast up. */
export function l1Loss(input: Tensor, target: Tensor, o?: ReductionOptions): Tensor {
  return autocastOp('l1_loss', [input, target] as const, (i, t) => l1LossImpl(i, t, o));
}

/** Under autocast, `smooth_l1_loss` runs in float32 (PyTorch's fp32 list): lower-precision inputs are cast up. */
export function smoothL1Loss(input: Tensor, target: Tensor, o?: ReductionOptions & { beta?: number }): Tensor {
  return autocastOp('smooth_l1_loss', [input, target] as const, (i, t) => smoothL1LossImpl(i, t, o));
}

/** Under autocast, `huber_loss` runs in float32 (PyTorch's fp32 list): lower-precision inputs are cast up. */
export function huberLoss(input: Tensor, target: Tensor, o?: ReductionOptions & { delta?: number }): Tensor {
  return autocastOp('huber_loss', [input, target] as const, (i, t) => huberLossImpl(i, t, o));
}
