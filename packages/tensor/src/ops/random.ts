// Random tensors (handbook 1.2): the same seed gives PyTorch's CPU numbers, on every backend
// (values are drawn on the host from one generator and written to the device).
import { type DType, getDefaultDtype, isFloatingPoint } from '../dtype.js';
import type { Scalar } from '../elements.js';
import { DtypeError, OpError } from '../op.js';
import { broadcastShapes, numel, shapeFromArgs } from '../shape.js';
import { Tensor } from '../tensor.js';
import { copyInto } from './copy.js';
import { fromValues, getDefaultDevice, type TensorOptions } from './creation.js';
import { type Generator, defaultGenerator } from '../random/generator.js';
import {
  bernoulliValues, cauchyValues, exponentialValues, geometricValues, logNormalValues, normalTensorValues, normalValues,
  randintValues, randomValues, randpermValues, uniformValues,
} from '../random/distributions.js';
import { toDevice } from '../device.js';

export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}
type SizeArgs = (number | readonly number[] | RandomOptions)[];

function splitSize(args: SizeArgs): { shape: number[]; opts: RandomOptions } {
  const last = args[args.length - 1];
  const hasOpts = last !== undefined && typeof last === 'object' && !Array.isArray(last);
  const dims = (hasOpts ? args.slice(0, -1) : args) as (number | readonly number[])[];
  return { shape: shapeFromArgs(dims), opts: hasOpts ? (last as RandomOptions) : {} };
}

const gen = (o?: { generator?: Generator }) => o?.generator ?? defaultGenerator();

function make(values: ArrayLike<Scalar>, shape: readonly number[], dtype: DType, opts: RandomOptions): Tensor {
  const t = fromValues(values, shape, dtype, toDevice(opts.device ?? getDefaultDevice()));
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}

function floatDtype(name: string, opts: RandomOptions): DType {
  const d = opts.dtype ?? getDefaultDtype();
  if (!isFloatingPoint(d)) throw new DtypeError(`"${name}" not implemented for '${d}'`);
  return d;
}

/** `torch.rand(3, 4)`: uniform on [0, 1). */
export function rand(...args: SizeArgs): Tensor {
  const { shape, opts } = splitSize(args);
  const dtype = floatDtype('check_uniform_bounds', opts);
  return make(uniformValues(gen(opts), numel(shape), dtype), shape, dtype, opts);
}
/** `torch.randn(3, 4)`: standard normal. */
export function randn(...args: SizeArgs): Tensor {
  const { shape, opts } = splitSize(args);
  const dtype = floatDtype('normal_kernel_cpu', opts);
  return make(normalValues(gen(opts), numel(shape), dtype), shape, dtype, opts);
}
/** `torch.randint(low?, high, size)`: integers in [low, high); int64 by default. */
export function randint(a: number, b: number | readonly number[], c?: readonly number[] | RandomOptions, d?: RandomOptions): Tensor {
  const [low, high, size, opts] = Array.isArray(b) ? [0, a, b as readonly number[], (c as RandomOptions) ?? {}] : [a, b as number, c as readonly number[], d ?? {}];
  if (!(low < high)) throw new RangeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  const shape = shapeFromArgs([size]);
  const dtype = opts.dtype ?? 'int64';
  return make(randintValues(gen(opts), numel(shape), low, high, dtype), shape, dtype, opts);
}
/** `torch.randperm(n)`: a random permutation of 0..n-1 (int64). */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be non-negative, got${n}`);
  return make(randpermValues(gen(opts), n), [n], opts.dtype ?? 'int64', opts);
}

/**
 * `torch.normal(mean, std, size)` with numbers, or with tensor mean and/or std (broadcast),
 * as PyTorch: samples N(0,1) (or N(0, std)) then scales and shifts.
 */
export function normal(mean: number | Tensor, std: number | Tensor, size?: readonly number[] | RandomOptions, o?: RandomOptions): Tensor {
  const opts = (Array.isArray(size) ? o : (size as RandomOptions | undefined)) ?? {};
  if (typeof mean === 'number' && typeof std === 'number') {
    if (!Array.isArray(size)) throw new OpError('normal(): with scalar mean and std a size is required');
    const shape = shapeFromArgs([size as readonly number[]]);
    const dtype = floatDtype('normal_kernel_cpu', opts);
    return make(normalValues(gen(opts), numel(shape), dtype, mean, std), shape, dtype, opts);
  }
  const like = (mean instanceof Tensor ? mean : std) as Tensor;
  const shape = broadcastShapes(mean instanceof Tensor ? mean.shape : [], std instanceof Tensor ? std.shape : []);
  const dtype = like.dtype;
  const values = (t: number | Tensor) => (t instanceof Tensor ? (t.expand(shape).contiguous().dataSync() as ArrayLike<number>) : t);
  const v = normalTensorValues(gen(opts), values(mean), values(std), numel(shape), dtype);
  return make(v, shape, dtype, { ...opts, device: opts.device ?? like.device });
}

/** `torch.bernoulli(p)`: 0/1 draws with per-element probabilities `p` (or a scalar `p`). */
export function bernoulli(input: Tensor, p?: number | RandomOptions, o?: RandomOptions): Tensor {
  const opts = (typeof p === 'object' ? p : o) ?? {};
  const probs = typeof p === 'number' ? p : (input.contiguous().to('float64').dataSync() as Float64Array);
  return make(bernoulliValues(gen(opts), probs, input.numel(), input.dtype), input.shape, input.dtype, { ...opts, device: input.device });
}

function likeOpts(t: Tensor, o?: RandomOptions): RandomOptions {
  return { dtype: t.dtype, device: t.device, ...o };
}
export function randLike(t: Tensor, o?: RandomOptions): Tensor {
  return rand([...t.shape], likeOpts(t, o));
}
export function randnLike(t: Tensor, o?: RandomOptions): Tensor {
  return randn([...t.shape], likeOpts(t, o));
}
export function randintLike(t: Tensor, low: number, high?: number, o?: RandomOptions): Tensor {
  const [lo, hi] = high === undefined ? [0, low] : [low, high];
  return randint(lo, hi, [...t.shape], likeOpts(t, o));
}

/** Fill `t` in place with host-drawn values (in t's element order). */
function fillWith(t: Tensor, values: ArrayLike<Scalar>): Tensor {
  copyInto(t, fromValues(values, t.shape, t.dtype, t.device));
  return t;
}

declare module '../tensor.js' {
  interface Tensor {
    uniform_(from?: number, to?: number, opts?: { generator?: Generator }): Tensor;
    normal_(mean?: number, std?: number, opts?: { generator?: Generator }): Tensor;
    random_(from?: number, to?: number, opts?: { generator?: Generator }): Tensor;
    bernoulli_(p?: number | Tensor, opts?: { generator?: Generator }): Tensor;
    bernoulli(opts?: { generator?: Generator }): Tensor;
    exponential_(lambd?: number, opts?: { generator?: Generator }): Tensor;
    geometric_(p: number, opts?: { generator?: Generator }): Tensor;
    logNormal_(mean?: number, std?: number, opts?: { generator?: Generator }): Tensor;
    cauchy_(median?: number, sigma?: number, opts?: { generator?: Generator }): Tensor;
  }
}

type Opt = { generator?: Generator } | undefined;
const P = Tensor.prototype as unknown as Record<string, unknown>;
P['uniform_'] = function (this: Tensor, from = 0, to = 1, o?: Opt) {
  return fillWith(this, uniformValues(gen(o), this.numel(), this.dtype, from, to));
};
P['normal_'] = function (this: Tensor, mean = 0, std = 1, o?: Opt) {
  return fillWith(this, normalValues(gen(o), this.numel(), this.dtype, mean, std, this.isContiguous()));
};
P['random_'] = function (this: Tensor, from?: number, to?: number, o?: Opt) {
  if (from === undefined) return fillWith(this, randomValues(gen(o), this.numel(), this.dtype));
  const [lo, hi] = to === undefined ? [0, from] : [from, to];
  return fillWith(this, randintValues(gen(o), this.numel(), lo, hi, this.dtype));
};
P['bernoulli_'] = function (this: Tensor, p: number | Tensor = 0.5, o?: Opt) {
  const probs = typeof p === 'number' ? p : (p.expand(this.shape).contiguous().to('float64').dataSync() as Float64Array);
  // The probabilities' dtype picks PyTorch's uniform draw (double for float64 and scalar p, else float).
  return fillWith(this, bernoulliValues(gen(o), probs, this.numel(), typeof p === 'number' ? 'float64' : p.dtype));
};
P['bernoulli'] = function (this: Tensor, o?: Opt) {
  return bernoulli(this, o ?? {});
};
P['exponential_'] = function (this: Tensor, lambd = 1, o?: Opt) {
  return fillWith(this, exponentialValues(gen(o), this.numel(), this.dtype, lambd));
};
P['geometric_'] = function (this: Tensor, p: number, o?: Opt) {
  return fillWith(this, geometricValues(gen(o), this.numel(), this.dtype, p));
};
P['logNormal_'] = function (this: Tensor, mean = 1, std = 2, o?: Opt) {
  return fillWith(this, logNormalValues(gen(o), this.numel(), this.dtype, mean, std));
};
P['cauchy_'] = function (this: Tensor, median = 0, sigma = 1, o?: Opt) {
  return fillWith(this, cauchyValues(gen(o), this.numel(), this.dtype, median, sigma));
};
