// Activations (handbook 6) as compositions of tensor ops, so autograd differentiates them exactly
// as PyTorch's kernels do, including at the kinks (x = 0 gets the left/right value PyTorch uses).
import { type DType, type Tensor, scalarTensor, where } from '@kindling/tensor';

const s = (v: number, like: Tensor) => scalarTensor(v, like.dtype, like.device);
const inplace = (x: Tensor, y: Tensor, yes?: boolean) => (yes ? x.copy_(y) : y);

export function relu(x: Tensor, opts?: { inplace?: boolean }): Tensor {
  return opts?.inplace ? x.relu_() : x.relu();
}
export function relu6(x: Tensor, opts?: { inplace?: boolean }): Tensor {
  return hardtanh(x, { minVal: 0, maxVal: 6, inplace: opts?.inplace });
}
export function leakyRelu(x: Tensor, negativeSlope: number | { negativeSlope?: number; inplace?: boolean } = 0.01, o?: { inplace?: boolean }): Tensor {
  const slope = typeof negativeSlope === 'number' ? negativeSlope : negativeSlope.negativeSlope ?? 0.01;
  const ip = typeof negativeSlope === 'object' ? negativeSlope.inplace : o?.inplace;
  return inplace(x, where(x.gt(0), x, x.mul(slope)), ip);
}
export function prelu(x: Tensor, weight: Tensor): Tensor {
  // One weight per channel (dim 1), or one shared.
  const w = weight.numel() === 1 || x.ndim < 2 ? weight.reshape(weight.numel() === 1 ? [] : [-1]) : weight.reshape([-1, ...new Array<number>(Math.max(0, x.ndim - 2)).fill(1)]);
  return where(x.gt(0), x, x.mul(w));
}
export function elu(x: Tensor, alpha: number | { alpha?: number; inplace?: boolean } = 1, o?: { inplace?: boolean }): Tensor {
  const a = typeof alpha === 'number' ? alpha : alpha.alpha ?? 1;
  const ip = typeof alpha === 'object' ? alpha.inplace : o?.inplace;
  return inplace(x, where(x.gt(0), x, x.expm1().mul(a)), ip);
}
export function celu(x: Tensor, alpha = 1): Tensor {
  return where(x.gt(0), x, x.div(alpha).expm1().mul(alpha));
}
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
export function selu(x: Tensor, opts?: { inplace?: boolean }): Tensor {
  return inplace(x, where(x.gt(0), x, x.expm1().mul(SELU_ALPHA)).mul(SELU_SCALE), opts?.inplace);
}
export function gelu(x: Tensor, opts?: { approximate?: 'none' | 'tanh' }): Tensor {
  if (opts?.approximate === 'tanh') {
    const inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return x.mul(0.5).mul(inner.tanh().add(1));
  }
  return x.mul(0.5).mul(x.mul(Math.SQRT1_2).erf().add(1));
}
export function silu(x: Tensor, opts?: { inplace?: boolean }): Tensor {
  return inplace(x, x.mul(x.sigmoid()), opts?.inplace);
}
export function mish(x: Tensor, opts?: { inplace?: boolean }): Tensor {
  return inplace(x, x.mul(softplus(x).tanh()), opts?.inplace);
}
export function sigmoid(x: Tensor): Tensor {
  return x.sigmoid();
}
export function tanh(x: Tensor): Tensor {
  return x.tanh();
}
export function softplus(x: Tensor, opts?: { beta?: number; threshold?: number }): Tensor {
  const beta = opts?.beta ?? 1;
  const threshold = opts?.threshold ?? 20;
  const bx = x.mul(beta);
  // Above the threshold softplus is the identity (PyTorch's overflow guard).
  return where(bx.gt(threshold), x, bx.exp().log1p().div(beta));
}
export function hardtanh(x: Tensor, opts?: { minVal?: number; maxVal?: number; inplace?: boolean }): Tensor {
  const lo = opts?.minVal ?? -1;
  const hi = opts?.maxVal ?? 1;
  if (lo > hi) throw new Error('min_val cannot be greater than max_val');
  // Strict inequalities: at the edges the gradient is 0, as PyTorch's hardtanh_backward.
  const y = where(x.le(lo), s(lo, x), where(x.ge(hi), s(hi, x), x));
  return inplace(x, y, opts?.inplace);
}
export function hardsigmoid(x: Tensor, opts?: { inplace?: boolean }): Tensor {
  const y = where(x.le(-3), s(0, x), where(x.ge(3), s(1, x), x.div(6).add(0.5)));
  return inplace(x, y, opts?.inplace);
}
export function hardswish(x: Tensor, opts?: { inplace?: boolean }): Tensor {
  const y = where(x.lt(-3), s(0, x), where(x.gt(3), x, x.mul(x.add(3)).div(6)));
  return inplace(x, y, opts?.inplace);
}
export function logsigmoid(x: Tensor): Tensor {
  // log σ(x) = min(x, 0) − log1p(exp(−|x|)), stable for large |x|.
  return x.clamp(null, 0).sub(x.abs().neg().exp().log1p());
}
export function softsign(x: Tensor): Tensor {
  return x.div(x.abs().add(1));
}
export function tanhshrink(x: Tensor): Tensor {
  return x.sub(x.tanh());
}
export function softshrink(x: Tensor, lambd = 0.5): Tensor {
  return where(x.gt(lambd), x.sub(lambd), where(x.lt(-lambd), x.add(lambd), s(0, x)));
}
export function hardshrink(x: Tensor, lambd = 0.5): Tensor {
  return where(x.gt(lambd).logicalOr(x.lt(-lambd)), x, s(0, x));
}
export function threshold(x: Tensor, thresholdValue: number, value: number, opts?: { inplace?: boolean }): Tensor {
  return inplace(x, where(x.gt(thresholdValue), x, s(value, x)), opts?.inplace);
}
export function glu(x: Tensor, dim = -1): Tensor {
  const n = x.size(dim);
  if (n % 2 !== 0) throw new Error(`Halving dimension must be even, but dimension ${dim} is size ${n}`);
  const [a, b] = x.chunk(2, dim) as [Tensor, Tensor];
  return a.mul(b.sigmoid());
}

export interface SoftmaxOptions {
  dim?: number;
  dtype?: DType;
}
function softmaxDim(x: Tensor, dim: number | SoftmaxOptions | undefined): { dim: number; dtype?: DType } {
  if (typeof dim === 'number') return { dim };
  if (dim?.dim !== undefined) return { dim: dim.dim, ...(dim.dtype ? { dtype: dim.dtype } : {}) };
  // PyTorch's legacy implicit dim: 0 for 0-, 1- and 3-D input, else 1.
  return { dim: x.ndim === 0 || x.ndim === 1 || x.ndim === 3 ? 0 : 1 };
}
export function softmax(x: Tensor, dim?: number | SoftmaxOptions): Tensor {
  const d = softmaxDim(x, dim);
  return x.softmax(d.dim, d.dtype ? { dtype: d.dtype } : undefined);
}
export function logSoftmax(x: Tensor, dim?: number | SoftmaxOptions): Tensor {
  const d = softmaxDim(x, dim);
  return x.logSoftmax(d.dim, d.dtype ? { dtype: d.dtype } : undefined);
}
export function softmin(x: Tensor, dim?: number | SoftmaxOptions): Tensor {
  return softmax(x.neg(), dim);
}
