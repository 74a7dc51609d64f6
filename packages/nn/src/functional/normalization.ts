// Normalization (handbook 5.4) in tensor ops: statistics with the biased variance for normalising and
// the unbiased one for running averages, as PyTorch.
import { type Tensor, dispatch } from '@kindling/tensor';
import { noGrad } from '@kindling/autograd';
import { type PyArgs, pyArgs } from '../args.js';
import { batchNormTrain } from './batch-norm-train.js';

/** Reshape a per-channel vector to broadcast over (N, C, *). */
function perChannel(v: Tensor, ndim: number): Tensor {
  return v.reshape([1, -1, ...new Array<number>(Math.max(0, ndim - 2)).fill(1)]);
}
const sizeRepr = (x: Tensor) => `torch.Size([${x.shape.join(', ')}])`;

function checkChannels(what: string, t: Tensor | null | undefined, c: number): void {
  if (t && t.numel() !== c) throw new Error(`${what} should contain ${c} elements not ${t.numel()}`);
}

/** Mean and biased variance over `dims` (kept), in the input's dtype. */
function moments(x: Tensor, dims: number[]): [Tensor, Tensor] {
  const mean = x.mean(dims, { keepdim: true });
  const variance = x.sub(mean).pow(2).mean(dims, { keepdim: true });
  return [mean, variance];
}

/** batch_norm's argument checks, with PyTorch's messages (BatchNorm runs them before counting a batch). */
export function checkBatchNorm(x: Tensor, runningMean?: Tensor | null, runningVar?: Tensor | null, weight?: Tensor | null, bias?: Tensor | null, training = false): void {
  if (x.ndim < 2) throw new Error(`batch_norm: expected 2D or higher input (got ${x.ndim}D input)`);
  const c = x.shape[1]!;
  checkChannels('running_mean', runningMean, c);
  checkChannels('running_var', runningVar, c);
  checkChannels('weight', weight, c);
  checkChannels('bias', bias, c);
  if (training && x.numel() / c <= 1) throw new Error(`Expected more than 1 value per channel when training, got input size ${sizeRepr(x)}`);
}

export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * `F.batch_norm(x, runningMean, runningVar, weight, bias, training = false, momentum = 0.1, eps = 1e-5)`:
 * in training, normalise with the batch statistics and update the running ones in place
 * (r ← (1 − momentum)·r + momentum·stat, unbiased variance); otherwise use the running statistics.
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null | undefined,
  runningVar: Tensor | null | undefined,
  ...args: PyArgs<[weight: Tensor | null, bias: Tensor | null, training: boolean, momentum: number, eps: number], BatchNormOptions>
): Tensor {
  const o = pyArgs('batch_norm', args, ['weight', 'bias', 'training', 'momentum', 'eps'], {
    weight: null as Tensor | null, bias: null as Tensor | null, training: false, momentum: 0.1, eps: 1e-5,
  });
  checkBatchNorm(x, runningMean, runningVar, o.weight, o.bias, o.training);
  const c = x.shape[1]!;
  if (o.training) {
    const n = x.numel() / c;
    const [mean, variance] = noGrad(() => dispatch('batch_norm_stats', [x.detach()])) as [Tensor, Tensor];
    const m = o.momentum;
    noGrad(() => {
      if (runningMean) runningMean.copy_(runningMean.mul(1 - m).add(mean.mul(m)));
      if (runningVar) runningVar.copy_(runningVar.mul(1 - m).add(variance.mul(n / (n - 1)).mul(m)));
    });
    const invstd = noGrad(() => variance.add(o.eps).rsqrt());
    return batchNormTrain(x, o.weight, o.bias, mean, invstd, o.eps);
  }
  if (!runningMean || !runningVar) throw new Error('running_mean and running_var must be defined in evaluation mode');
  let y = x.sub(perChannel(runningMean, x.ndim)).mul(perChannel(runningVar, x.ndim).add(o.eps).rsqrt());
  if (o.weight) y = y.mul(perChannel(o.weight, x.ndim));
  if (o.bias) y = y.add(perChannel(o.bias, x.ndim));
  return y;
}

export interface LayerNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  eps?: number;
}
/** `F.layer_norm(x, normalizedShape, weight, bias, eps = 1e-5)`: over the last len(normalizedShape) dims. */
export function layerNorm(x: Tensor, normalizedShape: readonly number[] | number, ...args: PyArgs<[weight: Tensor | null, bias: Tensor | null, eps: number], LayerNormOptions>): Tensor {
  const o = pyArgs('layer_norm', args, ['weight', 'bias', 'eps'], { weight: null as Tensor | null, bias: null as Tensor | null, eps: 1e-5 });
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const tail = x.shape.slice(x.ndim - shape.length);
  if (shape.length > x.ndim || tail.some((s, i) => s !== shape[i])) {
    throw new Error(`Given normalized_shape=[${shape.join(', ')}], expected input with shape [*, ${shape.join(', ')}], but got input of size[${x.shape.join(', ')}]`);
  }
  for (const [what, t] of [['weight', o.weight], ['bias', o.bias]] as const) {
    if (t && t.shape.join() !== shape.join()) throw new Error(`Expected ${what} to be of same shape as normalized_shape, but got ${what} of shape [${t.shape.join(', ')}] and normalized_shape = [${shape.join(', ')}]`);
  }
  const [mean, variance] = moments(x, shape.map((_, i) => x.ndim - shape.length + i));
  let y = x.sub(mean).mul(variance.add(o.eps).rsqrt());
  if (o.weight) y = y.mul(o.weight);
  if (o.bias) y = y.add(o.bias);
  return y;
}

/** `F.group_norm(x, numGroups, weight, bias, eps = 1e-5)`: statistics per (sample, group of channels). */
export function groupNorm(x: Tensor, numGroups: number, ...args: PyArgs<[weight: Tensor | null, bias: Tensor | null, eps: number], LayerNormOptions>): Tensor {
  const o = pyArgs('group_norm', args, ['weight', 'bias', 'eps'], { weight: null as Tensor | null, bias: null as Tensor | null, eps: 1e-5 });
  if (x.ndim < 2) throw new Error(`Expected at least 2 dimensions for input tensor but received ${x.ndim}`);
  const [n, c] = x.shape as [number, number];
  for (const [what, t] of [['weight', o.weight], ['bias', o.bias]] as const) {
    if (t && (t.ndim !== 1 || t.numel() !== c)) {
      throw new Error(`Expected ${what} to be a vector of size equal to the number of channels in input, but got ${what} of shape [${t.shape.join(', ')}] and input of shape [${x.shape.join(', ')}]`);
    }
  }
  if (c % numGroups !== 0) {
    throw new Error(`Expected number of channels in input to be divisible by num_groups, but got input of shape [${x.shape.join(', ')}] and num_groups=${numGroups}`);
  }
  const [mean, variance] = moments(x.reshape([n, numGroups, -1]), [2]);
  let y = x.reshape([n, numGroups, -1]).sub(mean).mul(variance.add(o.eps).rsqrt()).reshape([...x.shape]);
  if (o.weight) y = y.mul(perChannel(o.weight, x.ndim));
  if (o.bias) y = y.add(perChannel(o.bias, x.ndim));
  return y;
}

export interface InstanceNormOptions {
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  useInputStats?: boolean;
  momentum?: number;
  eps?: number;
}
/**
 * `F.instance_norm(x, runningMean, runningVar, weight, bias, useInputStats = true, momentum, eps)`:
 * batch norm of each sample separately (statistics over the spatial dims); the running statistics
 * move by the average over the batch, as PyTorch's reshape-to-(1, N·C) implementation does.
 */
export function instanceNorm(
  x: Tensor,
  ...args: PyArgs<[runningMean: Tensor | null, runningVar: Tensor | null, weight: Tensor | null, bias: Tensor | null, useInputStats: boolean, momentum: number, eps: number], InstanceNormOptions>
): Tensor {
  const o = pyArgs('instance_norm', args, ['runningMean', 'runningVar', 'weight', 'bias', 'useInputStats', 'momentum', 'eps'], {
    runningMean: null as Tensor | null, runningVar: null as Tensor | null, weight: null as Tensor | null, bias: null as Tensor | null,
    useInputStats: true, momentum: 0.1, eps: 1e-5,
  });
  if (x.ndim < 3) throw new Error(`instance_norm: expected 3D or higher input (got ${x.ndim}D input)`);
  const dims = Array.from({ length: x.ndim - 2 }, (_, i) => i + 2);
  let mean: Tensor;
  let variance: Tensor;
  if (o.useInputStats) {
    const count = dims.reduce((p, d) => p * x.shape[d]!, 1);
    if (count <= 1) throw new Error(`Expected more than 1 spatial element when training, got input size ${sizeRepr(x)}`);
    [mean, variance] = moments(x, dims);
    const { runningMean: rm, runningVar: rv, momentum: m } = o;
    noGrad(() => {
      if (rm) rm.copy_(rm.mul(1 - m).add(mean.detach().reshape([x.shape[0]!, -1]).mean(0).mul(m)));
      if (rv) rv.copy_(rv.mul(1 - m).add(variance.detach().reshape([x.shape[0]!, -1]).mul(count / (count - 1)).mean(0).mul(m)));
    });
  } else {
    if (!o.runningMean || !o.runningVar) throw new Error('Expected running_mean and running_var to be defined when use_input_stats is false');
    mean = perChannel(o.runningMean, x.ndim);
    variance = perChannel(o.runningVar, x.ndim);
  }
  let y = x.sub(mean).mul(variance.add(o.eps).rsqrt());
  if (o.weight) y = y.mul(perChannel(o.weight, x.ndim));
  if (o.bias) y = y.add(perChannel(o.bias, x.ndim));
  return y;
}

export interface NormalizeOptions {
  p?: number;
  dim?: number;
  eps?: number;
}
/** `F.normalize(x, p = 2, dim = 1, eps = 1e-12)`: x / max(‖x‖_p, eps) along dim. */
export function normalize(x: Tensor, ...args: PyArgs<[p: number, dim: number, eps: number], NormalizeOptions>): Tensor {
  const o = pyArgs('normalize', args, ['p', 'dim', 'eps'], { p: 2, dim: 1, eps: 1e-12 });
  return x.div(x.norm(o.p, o.dim, { keepdim: true }).clamp(o.eps));
}
