// Activations (handbook 6) as compositions of tensor ops, so autograd differentiates them as PyTorch's
// kernels do, including at the kinks (x = 0 takes the side PyTorch's backward takes).
import { type DType, type Tensor, empty, onesLike, scalarTensor, where } from '@kindling/tensor';
import { isGradEnabled, noGrad } from '@kindling/autograd';
import { type PyArgs, pyArgs } from '../args.js';

const s = (v: number, like: Tensor) => scalarTensor(v, like.dtype, like.device);
/** The in-place form writes the result into x and returns x, as `F.relu(x, inplace=True)`. */
const result = (x: Tensor, y: Tensor, inplace: boolean) => (inplace ? x.copy_(y) : y);
/**
 * For activations whose backward needs their input: the in-place form computes from a copy of x when
 * autograd records, so overwriting x does not invalidate what the backward saved (PyTorch's in-place
 * kernels keep the original the same way).
 */
function applyTo(x: Tensor, inplace: boolean, f: (input: Tensor) => Tensor): Tensor {
  if (!inplace) return f(x);
  return x.copy_(f(x.requiresGrad && isGradEnabled() ? x.clone() : x));
}

export interface InplaceOptions {
  inplace?: boolean;
}
const inplaceOnly = (fn: string, args: PyArgs<[inplace: boolean], InplaceOptions>) => pyArgs(fn, args, ['inplace'], { inplace: false }).inplace;

export function relu(x: Tensor, ...args: PyArgs<[inplace: boolean], InplaceOptions>): Tensor {
  return inplaceOnly('relu', args) ? x.relu_() : x.relu();
}
export function relu6(x: Tensor, ...args: PyArgs<[inplace: boolean], InplaceOptions>): Tensor {
  return hardtanh(x, { minVal: 0, maxVal: 6, inplace: inplaceOnly('relu6', args) });
}

export interface LeakyReluOptions extends InplaceOptions {
  negativeSlope?: number;
}
export function leakyRelu(x: Tensor, ...args: PyArgs<[negativeSlope: number, inplace: boolean], LeakyReluOptions>): Tensor {
  const o = pyArgs('leaky_relu', args, ['negativeSlope', 'inplace'], { negativeSlope: 0.01, inplace: false });
  return result(x, where(x.gt(0), x, x.mul(o.negativeSlope)), o.inplace);
}

/** One learnable slope shared by all channels, or one per channel (dim 1; dim 0 for 1-D input). */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  const n = weight.numel();
  if (n !== 1) {
    const channels = x.ndim >= 2 ? x.shape[1] : x.shape[0];
    if (x.ndim === 0 || channels !== n) {
      throw new Error(`Mismatch of parameter numbers and input channel size. Found parameter numbers = ${n} and channel size = ${x.ndim === 0 ? 1 : channels}.`);
    }
  }
  const w = n === 1 ? weight.reshape([]) : x.ndim >= 2 ? weight.reshape([-1, ...new Array<number>(x.ndim - 2).fill(1)]) : weight.reshape([-1]);
  return where(x.gt(0), x, x.mul(w));
}

export interface RreluOptions extends InplaceOptions {
  lower?: number;
  upper?: number;
  training?: boolean;
}
/**
 * Randomized leaky ReLU. In eval (the default) the slope is the mean of [lower, upper]. In training each
 * x ≤ 0 gets its own slope from U(lower, upper), drawn in order as PyTorch's CPU kernel draws them
 * (one double per such element), so `torch.manualSeed` gives PyTorch's slopes.
 */
export function rrelu(x: Tensor, ...args: PyArgs<[lower: number, upper: number, training: boolean, inplace: boolean], RreluOptions>): Tensor {
  const o = pyArgs('rrelu', args, ['lower', 'upper', 'training', 'inplace'], { lower: 1 / 8, upper: 1 / 3, training: false, inplace: false });
  if (!o.training) return leakyRelu(x, { negativeSlope: (o.lower + o.upper) / 2, inplace: o.inplace });
  const slope = noGrad(() => {
    const negative = x.le(0);
    const count = Number(negative.sum().item());
    const noise = empty([count], { dtype: 'float64', device: x.device }).uniform_(o.lower, o.upper).to(x.dtype);
    const out = onesLike(x);
    if (count > 0) out.indexPut_([negative], noise);
    return out;
  });
  return result(x, x.mul(slope), o.inplace);
}

export interface EluOptions extends InplaceOptions {
  alpha?: number;
}
export function elu(x: Tensor, ...args: PyArgs<[alpha: number, inplace: boolean], EluOptions>): Tensor {
  const o = pyArgs('elu', args, ['alpha', 'inplace'], { alpha: 1, inplace: false });
  return result(x, where(x.gt(0), x, x.expm1().mul(o.alpha)), o.inplace);
}
export function celu(x: Tensor, ...args: PyArgs<[alpha: number, inplace: boolean], EluOptions>): Tensor {
  const o = pyArgs('celu', args, ['alpha', 'inplace'], { alpha: 1, inplace: false });
  if (o.alpha === 0) throw new Error('ZeroDivisionError: alpha cannot be 0 for CELU');
  return result(x, where(x.gt(0), x, x.div(o.alpha).expm1().mul(o.alpha)), o.inplace);
}
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
export function selu(x: Tensor, ...args: PyArgs<[inplace: boolean], InplaceOptions>): Tensor {
  // scale·x above 0, scale·α·(eˣ − 1) below, with PyTorch's coefficients.
  const y = where(x.gt(0), x.mul(SELU_SCALE), x.expm1().mul(SELU_ALPHA * SELU_SCALE));
  return result(x, y, inplaceOnly('selu', args));
}

export interface GeluOptions {
  approximate?: 'none' | 'tanh';
}
export function gelu(x: Tensor, ...args: PyArgs<[approximate: 'none' | 'tanh'], GeluOptions>): Tensor {
  const { approximate } = pyArgs('gelu', args, ['approximate'], { approximate: 'none' as 'none' | 'tanh' });
  if (approximate === 'tanh') {
    const inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
    return x.mul(0.5).mul(inner.tanh().add(1));
  }
  if (approximate !== 'none') throw new Error(`approximate argument must be either none or tanh.`);
  return x.mul(0.5).mul(x.mul(Math.SQRT1_2).erf().add(1));
}
export function silu(x: Tensor, ...args: PyArgs<[inplace: boolean], InplaceOptions>): Tensor {
  return applyTo(x, inplaceOnly('silu', args), (v) => v.mul(v.sigmoid()));
}
export function mish(x: Tensor, ...args: PyArgs<[inplace: boolean], InplaceOptions>): Tensor {
  // x·tanh(softplus(x)), with softplus unthresholded as PyTorch's mish kernel.
  return applyTo(x, inplaceOnly('mish', args), (v) => v.mul(v.exp().log1p().tanh()));
}
export function sigmoid(x: Tensor): Tensor {
  return x.sigmoid();
}
export function tanh(x: Tensor): Tensor {
  return x.tanh();
}

export interface SoftplusOptions {
  beta?: number;
  threshold?: number;
}
export function softplus(x: Tensor, ...args: PyArgs<[beta: number, threshold: number], SoftplusOptions>): Tensor {
  const { beta, threshold } = pyArgs('softplus', args, ['beta', 'threshold'], { beta: 1, threshold: 20 });
  const bx = x.mul(beta);
  // Above the threshold softplus is the identity (PyTorch's overflow guard).
  return where(bx.gt(threshold), x, bx.exp().log1p().div(beta));
}

export interface HardtanhOptions extends InplaceOptions {
  minVal?: number;
  maxVal?: number;
}
export function hardtanh(x: Tensor, ...args: PyArgs<[minVal: number, maxVal: number, inplace: boolean], HardtanhOptions>): Tensor {
  const o = pyArgs('hardtanh', args, ['minVal', 'maxVal', 'inplace'], { minVal: -1, maxVal: 1, inplace: false });
  // At the edges the gradient is 0 (PyTorch's hardtanh_backward uses strict inequalities).
  const y = where(x.le(o.minVal), s(o.minVal, x), where(x.ge(o.maxVal), s(o.maxVal, x), x));
  return result(x, y, o.inplace);
}
export function hardsigmoid(x: Tensor, ...args: PyArgs<[inplace: boolean], InplaceOptions>): Tensor {
  const y = where(x.le(-3), s(0, x), where(x.ge(3), s(1, x), x.add(3).div(6)));
  return result(x, y, inplaceOnly('hardsigmoid', args));
}
export function hardswish(x: Tensor, ...args: PyArgs<[inplace: boolean], InplaceOptions>): Tensor {
  // The gradient at −3 is −0.5 and at 3 is 1: PyTorch 1.13's vectorised CPU backward (which handles
  // all but the tail of a tensor) puts x = 3 in the upper piece; its scalar tail loop says 1.5.
  return applyTo(x, inplaceOnly('hardswish', args), (v) => where(v.lt(-3), s(0, v), where(v.ge(3), v, v.mul(v.add(3)).div(6))));
}
export function logsigmoid(x: Tensor): Tensor {
  // log σ(x) = min(x, 0) − log1p(exp(−|x|)), stable for large |x|, split at 0 so that the gradient
  // there is PyTorch's 0.5.
  return where(x.lt(0), x.sub(x.exp().log1p()), x.neg().exp().log1p().neg());
}
export function softsign(x: Tensor): Tensor {
  return x.div(x.abs().add(1));
}
export function tanhshrink(x: Tensor): Tensor {
  return x.sub(x.tanh());
}
export function softshrink(x: Tensor, ...args: PyArgs<[lambd: number], { lambd?: number }>): Tensor {
  const { lambd } = pyArgs('softshrink', args, ['lambd'], { lambd: 0.5 });
  if (lambd < 0) throw new Error(`lambda must be greater or equal to 0, but found to be ${lambd}.`);
  return where(x.gt(lambd), x.sub(lambd), where(x.lt(-lambd), x.add(lambd), s(0, x)));
}
export function hardshrink(x: Tensor, ...args: PyArgs<[lambd: number], { lambd?: number }>): Tensor {
  const { lambd } = pyArgs('hardshrink', args, ['lambd'], { lambd: 0.5 });
  return where(x.gt(lambd).logicalOr(x.lt(-lambd)), x, s(0, x));
}

export interface ThresholdOptions extends InplaceOptions {
  threshold?: number;
  value?: number;
}
/** `F.threshold(x, threshold, value)`: x where x > threshold, else value. */
export function threshold(x: Tensor, ...args: PyArgs<[threshold: number, value: number, inplace: boolean], ThresholdOptions>): Tensor {
  const o = pyArgs('threshold', args, ['threshold', 'value', 'inplace'], { threshold: NaN, value: NaN, inplace: false });
  if (Number.isNaN(o.threshold) || Number.isNaN(o.value)) throw new TypeError("threshold() missing required arguments: 'threshold' and 'value'");
  return result(x, where(x.gt(o.threshold), x, s(o.value, x)), o.inplace);
}
export function glu(x: Tensor, ...args: PyArgs<[dim: number], { dim?: number }>): Tensor {
  const { dim } = pyArgs('glu', args, ['dim'], { dim: -1 });
  if (x.ndim === 0) throw new Error('glu does not support scalars because halving size must be even');
  const n = x.size(dim);
  if (n % 2 !== 0) throw new Error(`Halving dimension must be even, but dimension ${dim < 0 ? dim + x.ndim : dim} is size ${n}`);
  const [a, b] = x.chunk(2, dim) as [Tensor, Tensor];
  return a.mul(b.sigmoid());
}

export interface SoftmaxOptions {
  dim?: number | null;
  dtype?: DType | null;
}
/** PyTorch's legacy implicit dim (with a deprecation warning there): 0 for 0-, 1- and 3-D input, else 1. */
export function implicitSoftmaxDim(ndim: number): number {
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}
function softmaxArgs(fn: string, x: Tensor, args: PyArgs<[dim: number | null], SoftmaxOptions>): { dim: number; dtype: DType | null } {
  const o = pyArgs(fn, args, ['dim'], { dim: null as number | null, dtype: null as DType | null });
  return { dim: o.dim ?? implicitSoftmaxDim(x.ndim), dtype: o.dtype };
}
export function softmax(x: Tensor, ...args: PyArgs<[dim: number | null], SoftmaxOptions>): Tensor {
  const o = softmaxArgs('softmax', x, args);
  return x.softmax(o.dim, o.dtype ? { dtype: o.dtype } : undefined);
}
export function logSoftmax(x: Tensor, ...args: PyArgs<[dim: number | null], SoftmaxOptions>): Tensor {
  const o = softmaxArgs('log_softmax', x, args);
  return x.logSoftmax(o.dim, o.dtype ? { dtype: o.dtype } : undefined);
}
export function softmin(x: Tensor, ...args: PyArgs<[dim: number | null], SoftmaxOptions>): Tensor {
  const o = softmaxArgs('softmin', x, args);
  const input = o.dtype ? x.to(o.dtype) : x;
  return input.neg().softmax(o.dim);
}
