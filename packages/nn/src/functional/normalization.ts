import { type Tensor } from '@kindling/tensor';
import { noGrad } from '@kindling/autograd';

/** Reshape a per-channel vector to broadcast over (N, C, *). */
function perChannel(v: Tensor, ndim: number): Tensor {
  return v.reshape([1, -1, ...new Array<number>(Math.max(0, ndim - 2)).fill(1)]);
}

export interface BatchNormOptions {
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * `F.batch_norm`: in training, normalise with the batch statistics (biased variance) and update the
 * running ones (unbiased variance), as PyTorch; in eval, use the running statistics.
 */
export function batchNorm(x: Tensor, o: BatchNormOptions): Tensor {
  const eps = o.eps ?? 1e-5;
  const momentum = o.momentum ?? 0.1;
  if (x.ndim < 2) throw new Error(`batch_norm: expected 2D or higher input (got ${x.ndim}D input)`);
  const dims = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
  let mean: Tensor;
  let varb: Tensor;
  if (o.training || !o.runningMean || !o.runningVar) {
    const n = x.numel() / x.shape[1]!;
    if (o.training && n <= 1) {
      throw new Error(`Expected more than 1 value per channel when training, got input size [${x.shape.join(', ')}]`);
    }
    mean = x.mean(dims);
    varb = x.sub(perChannel(mean, x.ndim)).pow(2).mean(dims);
    if (o.training && o.runningMean && o.runningVar) {
      const rm = o.runningMean;
      const rv = o.runningVar;
      noGrad(() => {
        rm.mul_(1 - momentum).add_(mean.detach().mul(momentum));
        rv.mul_(1 - momentum).add_(varb.detach().mul(n / Math.max(n - 1, 1)).mul(momentum));
      });
    }
  } else {
    mean = o.runningMean;
    varb = o.runningVar;
  }
  let y = x.sub(perChannel(mean, x.ndim)).mul(perChannel(varb.add(eps).rsqrt(), x.ndim));
  if (o.weight) y = y.mul(perChannel(o.weight, x.ndim));
  if (o.bias) y = y.add(perChannel(o.bias, x.ndim));
  return y;
}

/** `F.layer_norm(x, normalizedShape, weight, bias, eps)`: over the last len(normalizedShape) dims. */
export function layerNorm(x: Tensor, normalizedShape: readonly number[] | number, weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const tail = x.shape.slice(x.ndim - shape.length);
  if (tail.length !== shape.length || tail.some((s, i) => s !== shape[i])) {
    throw new Error(`Given normalized_shape=[${shape.join(', ')}], expected input with shape [*, ${shape.join(', ')}], but got input of size[${x.shape.join(', ')}]`);
  }
  const dims = shape.map((_, i) => x.ndim - shape.length + i);
  const mean = x.mean(dims, { keepdim: true });
  const centered = x.sub(mean);
  const variance = centered.pow(2).mean(dims, { keepdim: true });
  let y = centered.mul(variance.add(eps).rsqrt());
  if (weight) y = y.mul(weight);
  if (bias) y = y.add(bias);
  return y;
}

/** `F.group_norm(x, numGroups, weight, bias, eps)`: statistics per (sample, group of channels). */
export function groupNorm(x: Tensor, numGroups: number, weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  const [n, c] = x.shape as [number, number];
  if (c % numGroups !== 0) throw new Error(`Expected number of channels in input to be divisible by num_groups, but got input of shape [${x.shape.join(', ')}] and num_groups=${numGroups}`);
  const grouped = x.reshape([n, numGroups, -1]);
  const mean = grouped.mean(2, { keepdim: true });
  const centered = grouped.sub(mean);
  const variance = centered.pow(2).mean(2, { keepdim: true });
  let y = centered.mul(variance.add(eps).rsqrt()).reshape([...x.shape]);
  if (weight) y = y.mul(perChannel(weight, x.ndim));
  if (bias) y = y.add(perChannel(bias, x.ndim));
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
/** `F.instance_norm`: batch norm applied to each sample separately (statistics over spatial dims). */
export function instanceNorm(x: Tensor, o: InstanceNormOptions = {}): Tensor {
  const useInput = o.useInputStats ?? true;
  const eps = o.eps ?? 1e-5;
  const dims = Array.from({ length: x.ndim - 2 }, (_, i) => i + 2);
  let y: Tensor;
  if (useInput || !o.runningMean || !o.runningVar) {
    const mean = x.mean(dims, { keepdim: true });
    const centered = x.sub(mean);
    const variance = centered.pow(2).mean(dims, { keepdim: true });
    y = centered.mul(variance.add(eps).rsqrt());
    if (useInput && o.runningMean && o.runningVar) {
      const momentum = o.momentum ?? 0.1;
      const count = dims.reduce((p, d) => p * x.shape[d]!, 1);
      const rm = o.runningMean;
      const rv = o.runningVar;
      noGrad(() => {
        rm.mul_(1 - momentum).add_(mean.detach().mean([0]).reshape([-1]).mul(momentum));
        rv.mul_(1 - momentum).add_(variance.detach().mul(count / Math.max(count - 1, 1)).mean([0]).reshape([-1]).mul(momentum));
      });
    }
  } else {
    y = x.sub(perChannel(o.runningMean, x.ndim)).mul(perChannel(o.runningVar.add(eps).rsqrt(), x.ndim));
  }
  if (o.weight) y = y.mul(perChannel(o.weight, x.ndim));
  if (o.bias) y = y.add(perChannel(o.bias, x.ndim));
  return y;
}

/** `F.normalize(x, p, dim, eps)`: x / max(‖x‖_p, eps). */
export function normalize(x: Tensor, opts?: { p?: number; dim?: number; eps?: number }): Tensor {
  const n = x.norm(opts?.p ?? 2, opts?.dim ?? 1, { keepdim: true });
  return x.div(n.clamp(opts?.eps ?? 1e-12));
}
