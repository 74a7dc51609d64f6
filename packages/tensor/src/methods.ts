// Tensor methods, attached to the prototype here so each op family stays in its own module.
import type { DeviceLike } from './device.js';
import type { DType } from './dtype.js';
import type { Scalar } from './elements.js';
import { dispatch1 } from './op.js';
import { Tensor } from './tensor.js';
import { copyInto, fill_, to, toAsync, type ToOptions, typeConvert } from './ops/copy.js';
import { diag } from './ops/creation.js';
import { elementwise, type TensorOrScalar } from './ops/elementwise.js';
import * as A from './ops/arith-rules.js';
import * as M from './ops/math.js';
import * as R from './ops/reduction.js';
import * as L from './ops/linalg.js';
import * as V from './ops/views.js';
import { formatTensor } from './print.js';
import { decodeForPrint } from './print-adapter.js';

type Dim = number | readonly number[] | null | undefined;
type Shape = (number | readonly number[])[];

declare module './tensor.js' {
  interface Tensor {
    // conversions
    to(a?: DType | DeviceLike | Tensor | ToOptions, b?: DType | ToOptions): Tensor;
    toAsync(a?: DType | DeviceLike | Tensor | ToOptions, b?: DType | ToOptions): Promise<Tensor>;
    cpu(): Tensor;
    cuda(index?: number): Tensor;
    float(): Tensor;
    double(): Tensor;
    half(): Tensor;
    bfloat16(): Tensor;
    int(): Tensor;
    long(): Tensor;
    short(): Tensor;
    char(): Tensor;
    byte(): Tensor;
    bool(): Tensor;
    type(): string;
    type(dtype: DType | string): Tensor;
    typeAs(other: Tensor): Tensor;
    contiguous(): Tensor;
    clone(): Tensor;
    detach(): Tensor;
    copy_(src: Tensor): Tensor;
    fill_(value: Scalar | Tensor): Tensor;
    zero_(): Tensor;
    // views
    view(...shape: Shape): Tensor;
    viewAs(other: Tensor): Tensor;
    reshape(...shape: Shape): Tensor;
    reshapeAs(other: Tensor): Tensor;
    permute(...dims: Shape): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    t(): Tensor;
    readonly T: Tensor;
    readonly mT: Tensor;
    expand(...shape: Shape): Tensor;
    expandAs(other: Tensor): Tensor;
    broadcastTo(shape: readonly number[]): Tensor;
    unsqueeze(dim: number): Tensor;
    squeeze(dim?: number): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    diagonal(offset?: number, dim1?: number, dim2?: number): Tensor;
    diag(diagonal?: number): Tensor;
    asStrided(size: readonly number[], stride: readonly number[], storageOffset?: number): Tensor;
    // elementwise (generated from the op table)
    exp(): Tensor; exp2(): Tensor; expm1(): Tensor; log(): Tensor; log2(): Tensor; log10(): Tensor; log1p(): Tensor;
    sqrt(): Tensor; rsqrt(): Tensor; sin(): Tensor; cos(): Tensor; tan(): Tensor; asin(): Tensor; acos(): Tensor;
    atan(): Tensor; sinh(): Tensor; cosh(): Tensor; tanh(): Tensor; asinh(): Tensor; acosh(): Tensor; atanh(): Tensor;
    sigmoid(): Tensor; relu(): Tensor; relu_(): Tensor; erf(): Tensor; erfc(): Tensor; reciprocal(): Tensor; neg(): Tensor; negative(): Tensor; abs(): Tensor;
    sign(): Tensor; floor(): Tensor; ceil(): Tensor; trunc(): Tensor; frac(): Tensor; bitwiseNot(): Tensor;
    logicalNot(): Tensor; isnan(): Tensor; isinf(): Tensor; isposinf(): Tensor; isneginf(): Tensor; isfinite(): Tensor; signbit(): Tensor;
    exp_(): Tensor; exp2_(): Tensor; expm1_(): Tensor; log_(): Tensor; log2_(): Tensor; log10_(): Tensor; log1p_(): Tensor;
    sqrt_(): Tensor; rsqrt_(): Tensor; sin_(): Tensor; cos_(): Tensor; tan_(): Tensor; asin_(): Tensor; acos_(): Tensor;
    atan_(): Tensor; sinh_(): Tensor; cosh_(): Tensor; tanh_(): Tensor; asinh_(): Tensor; acosh_(): Tensor; atanh_(): Tensor;
    sigmoid_(): Tensor; erf_(): Tensor; erfc_(): Tensor; reciprocal_(): Tensor; neg_(): Tensor; abs_(): Tensor;
    sign_(): Tensor; floor_(): Tensor; ceil_(): Tensor; trunc_(): Tensor; frac_(): Tensor; bitwiseNot_(): Tensor; logicalNot_(): Tensor;
    round(opts?: { decimals?: number }): Tensor;
    round_(opts?: { decimals?: number }): Tensor;
    square(): Tensor;
    square_(): Tensor;
    add(other: TensorOrScalar, opts?: { alpha?: Scalar }): Tensor;
    add_(other: TensorOrScalar, opts?: { alpha?: Scalar }): Tensor;
    sub(other: TensorOrScalar, opts?: { alpha?: Scalar }): Tensor;
    sub_(other: TensorOrScalar, opts?: { alpha?: Scalar }): Tensor;
    mul(other: TensorOrScalar): Tensor; mul_(other: TensorOrScalar): Tensor;
    div(other: TensorOrScalar, opts?: { roundingMode?: M.RoundingMode }): Tensor;
    div_(other: TensorOrScalar, opts?: { roundingMode?: M.RoundingMode }): Tensor;
    floorDivide(other: TensorOrScalar): Tensor; floorDivide_(other: TensorOrScalar): Tensor;
    remainder(other: TensorOrScalar): Tensor; remainder_(other: TensorOrScalar): Tensor;
    fmod(other: TensorOrScalar): Tensor; fmod_(other: TensorOrScalar): Tensor;
    pow(other: TensorOrScalar): Tensor; pow_(other: TensorOrScalar): Tensor;
    atan2(other: TensorOrScalar): Tensor; atan2_(other: TensorOrScalar): Tensor;
    maximum(other: TensorOrScalar): Tensor; minimum(other: TensorOrScalar): Tensor;
    fmax(other: TensorOrScalar): Tensor; fmin(other: TensorOrScalar): Tensor;
    bitwiseAnd(other: TensorOrScalar): Tensor; bitwiseOr(other: TensorOrScalar): Tensor; bitwiseXor(other: TensorOrScalar): Tensor;
    bitwiseAnd_(other: TensorOrScalar): Tensor; bitwiseOr_(other: TensorOrScalar): Tensor; bitwiseXor_(other: TensorOrScalar): Tensor;
    eq(other: TensorOrScalar): Tensor; ne(other: TensorOrScalar): Tensor; lt(other: TensorOrScalar): Tensor;
    le(other: TensorOrScalar): Tensor; gt(other: TensorOrScalar): Tensor; ge(other: TensorOrScalar): Tensor;
    eq_(other: TensorOrScalar): Tensor; ne_(other: TensorOrScalar): Tensor; lt_(other: TensorOrScalar): Tensor;
    le_(other: TensorOrScalar): Tensor; gt_(other: TensorOrScalar): Tensor; ge_(other: TensorOrScalar): Tensor;
    logicalAnd(other: TensorOrScalar): Tensor; logicalOr(other: TensorOrScalar): Tensor; logicalXor(other: TensorOrScalar): Tensor;
    logicalAnd_(other: TensorOrScalar): Tensor; logicalOr_(other: TensorOrScalar): Tensor; logicalXor_(other: TensorOrScalar): Tensor;
    clamp(min?: TensorOrScalar | null | { min?: TensorOrScalar | null; max?: TensorOrScalar | null }, max?: TensorOrScalar | null): Tensor;
    clamp_(min?: TensorOrScalar | null | { min?: TensorOrScalar | null; max?: TensorOrScalar | null }, max?: TensorOrScalar | null): Tensor;
    clip(min?: TensorOrScalar | null | { min?: TensorOrScalar | null; max?: TensorOrScalar | null }, max?: TensorOrScalar | null): Tensor;
    lerp(end: TensorOrScalar, weight: TensorOrScalar): Tensor;
    lerp_(end: TensorOrScalar, weight: TensorOrScalar): Tensor;
    where(condition: Tensor, other: TensorOrScalar): Tensor;
    isclose(other: TensorOrScalar, opts?: { rtol?: number; atol?: number; equalNan?: boolean }): Tensor;
    allclose(other: TensorOrScalar, opts?: { rtol?: number; atol?: number; equalNan?: boolean }): boolean;
    equal(other: Tensor): boolean;
    // reductions
    sum(dim?: Dim | R.ReduceOptions, opts?: R.ReduceOptions): Tensor;
    prod(dim?: Dim | R.ReduceOptions, opts?: R.ReduceOptions): Tensor;
    mean(dim?: Dim | R.ReduceOptions, opts?: R.ReduceOptions): Tensor;
    amax(dim?: Dim | R.ReduceOptions, opts?: R.ReduceOptions): Tensor;
    amin(dim?: Dim | R.ReduceOptions, opts?: R.ReduceOptions): Tensor;
    all(dim?: Dim | R.ReduceOptions, opts?: R.ReduceOptions): Tensor;
    any(dim?: Dim | R.ReduceOptions, opts?: R.ReduceOptions): Tensor;
    var(dim?: Dim | R.VarOptions, opts?: R.VarOptions): Tensor;
    std(dim?: Dim | R.VarOptions, opts?: R.VarOptions): Tensor;
    max(): Tensor;
    max(dim: number, opts?: { keepdim?: boolean }): R.ValuesIndices;
    max(other: Tensor): Tensor;
    min(): Tensor;
    min(dim: number, opts?: { keepdim?: boolean }): R.ValuesIndices;
    min(other: Tensor): Tensor;
    argmax(dim?: number | null | { keepdim?: boolean }, opts?: { keepdim?: boolean }): Tensor;
    argmin(dim?: number | null | { keepdim?: boolean }, opts?: { keepdim?: boolean }): Tensor;
    median(): Tensor;
    median(dim: number, opts?: { keepdim?: boolean }): R.ValuesIndices;
    mode(dim?: number, opts?: { keepdim?: boolean }): R.ValuesIndices;
    kthvalue(k: number, dim?: number, opts?: { keepdim?: boolean }): R.ValuesIndices;
    sort(dim?: number | { dim?: number; descending?: boolean; stable?: boolean }, opts?: { descending?: boolean; stable?: boolean }): R.ValuesIndices;
    cumsum(dim: number, opts?: { dtype?: DType }): Tensor;
    cumprod(dim: number, opts?: { dtype?: DType }): Tensor;
    logsumexp(dim: number | readonly number[], opts?: { keepdim?: boolean }): Tensor;
    softmax(dim: number, opts?: { dtype?: DType }): Tensor;
    logSoftmax(dim: number, opts?: { dtype?: DType }): Tensor;
    // linear algebra
    matmul(other: Tensor): Tensor;
    mm(other: Tensor): Tensor;
    bmm(other: Tensor): Tensor;
    mv(vec: Tensor): Tensor;
    dot(other: Tensor): Tensor;
    outer(other: Tensor): Tensor;
    inverse(): Tensor;
    det(): Tensor;
    trace(): Tensor;
    toString(): string;
    // autograd (implemented by @kindling/autograd when it is imported)
    /** Accumulate d(this)/d(leaf) into every leaf's `.grad`; `gradient` is required for non-scalars. */
    backward(gradient?: Tensor | null, opts?: { retainGraph?: boolean; createGraph?: boolean; inputs?: readonly Tensor[] }): void;
    requiresGrad_(requiresGrad?: boolean): Tensor;
    retainGrad(): void;
    readonly retainsGrad: boolean;
    detach_(): Tensor;
    /** Run `hook(grad)` when this tensor's gradient is computed; a returned tensor replaces it. */
    registerHook(hook: (grad: Tensor) => Tensor | void): { remove(): void };
    isInference(): boolean;
  }
}

type Proto = Record<string, unknown>;
const P = Tensor.prototype as unknown as Proto;
const def = (name: string, fn: (this: Tensor, ...args: never[]) => unknown) => {
  P[name] = fn;
};
const getter = (name: string, fn: (this: Tensor) => unknown) => Object.defineProperty(Tensor.prototype, name, { get: fn, configurable: true });

def('to', function (a?: DType | DeviceLike | Tensor | ToOptions, b?: DType | ToOptions) { return to(this, a, b); });
def('toAsync', function (a?: DType | DeviceLike | Tensor | ToOptions, b?: DType | ToOptions) { return toAsync(this, a, b); });
def('cpu', function () { return to(this, 'cpu'); });
def('cuda', function (index?: number) { return to(this, index === undefined ? 'cuda' : `cuda:${index}`); });
for (const [m, d] of [['float', 'float32'], ['double', 'float64'], ['half', 'float16'], ['bfloat16', 'bfloat16'], ['int', 'int32'],
  ['long', 'int64'], ['short', 'int16'], ['char', 'int8'], ['byte', 'uint8'], ['bool', 'bool']] as const) {
  def(m, function () { return to(this, d); });
}
def('type', function (d?: DType | string) { return typeConvert(this, d); });
def('typeAs', function (o: Tensor) { return to(this, o.dtype); });
def('contiguous', function () { return this.isContiguous() ? this : dispatch1('copy', [this]); });
def('clone', function () { return dispatch1('copy', [this]); });
def('detach', function () {
  const t = this._view(this.shape, this._strides);
  return t;
});
def('copy_', function (src: Tensor) { return copyInto(this, src); });
def('fill_', function (v: Scalar | Tensor) { return fill_(this, v); });
def('zero_', function () { return fill_(this, 0); });

def('view', function (...s: Shape) { return V.view(this, ...s); });
def('viewAs', function (o: Tensor) { return V.view(this, o.shape); });
def('reshape', function (...s: Shape) { return V.reshape(this, ...s); });
def('reshapeAs', function (o: Tensor) { return V.reshape(this, o.shape); });
def('permute', function (...d: Shape) { return V.permute(this, ...d); });
def('transpose', function (a: number, b: number) { return V.transpose(this, a, b); });
def('t', function () {
  if (this.ndim > 2) throw new Error(`t() expects a tensor with <= 2 dimensions, but self is ${this.ndim}D`);
  return V.T(this);
});
getter('T', function () { return V.T(this); });
getter('mT', function () { return V.mT(this); });
def('expand', function (...s: Shape) { return V.expand(this, ...s); });
def('expandAs', function (o: Tensor) { return V.expand(this, o.shape); });
def('broadcastTo', function (s: readonly number[]) { return V.broadcastTo(this, s); });
def('unsqueeze', function (d: number) { return V.unsqueeze(this, d); });
def('squeeze', function (d?: number) { return V.squeeze(this, d); });
def('flatten', function (s?: number, e?: number) { return V.flatten(this, s, e); });
def('asStrided', function (size: readonly number[], stride: readonly number[], offset?: number) {
  return dispatch1('as_strided', [this], { shape: [...size], strides: [...stride], offset: offset ?? this._offset });
});
def('diagonal', function (o?: number, a?: number, b?: number) { return V.diagonal(this, o, a, b); });
def('diag', function (d?: number) { return diag(this, d); });

def('round', function (opts?: { decimals?: number }) { return M.round(this, opts); });
def('round_', function (opts?: { decimals?: number }) { return copyInto(this, M.round(this, opts)); });
def('square', function () { return M.square(this); });
def('square_', function () { elementwise('pow', [this, 2], this); return this; });
def('add', function (o: TensorOrScalar, opts?: { alpha?: Scalar }) { return M.add(this, o, opts); });
def('sub', function (o: TensorOrScalar, opts?: { alpha?: Scalar }) { return M.sub(this, o, opts); });
def('add_', function (o: TensorOrScalar, opts?: { alpha?: Scalar }) {
  elementwise('add', [this, A.scaledOther(this, o, opts?.alpha)], this);
  return this;
});
def('sub_', function (o: TensorOrScalar, opts?: { alpha?: Scalar }) {
  elementwise('sub', [this, A.scaledOther(this, o, opts?.alpha)], this);
  return this;
});
def('pow', function (e: TensorOrScalar) { return M.pow(this, e); });
def('pow_', function (e: TensorOrScalar) {
  A.checkPowExponent(this, e);
  elementwise('pow', [this, e], this);
  return this;
});
def('div', function (o: TensorOrScalar, opts?: { roundingMode?: M.RoundingMode }) { return M.div(this, o, opts); });
def('div_', function (o: TensorOrScalar, opts?: { roundingMode?: M.RoundingMode }) {
  const mode = opts?.roundingMode ?? null;
  elementwise(mode === 'trunc' ? 'div_trunc' : mode === 'floor' ? 'floor_divide' : 'div', [this, o], this);
  return this;
});
def('clamp', function (lo?: never, hi?: never) { return M.clamp(this, lo, hi); });
def('clip', function (lo?: never, hi?: never) { return M.clamp(this, lo, hi); });
def('clamp_', function (lo?: never, hi?: never) { return A.clampInto(this, lo, hi, this); });
def('where', function (c: Tensor, o: TensorOrScalar) { return M.where(c, this, o); });
def('isclose', function (o: TensorOrScalar, opts?: never) { return M.isclose(this, o, opts); });
def('allclose', function (o: TensorOrScalar, opts?: never) { return M.allclose(this, o, opts); });
def('equal', function (o: Tensor) { return M.equal(this, o); });
def('negative', function () { return M.neg(this); });

def('sum', function (d?: never, o?: never) { return R.sum(this, d, o); });
def('prod', function (d?: never, o?: never) { return R.prod(this, d, o); });
def('mean', function (d?: never, o?: never) { return R.mean(this, d, o); });
def('amax', function (d?: never, o?: never) { return R.amax(this, d, o); });
def('amin', function (d?: never, o?: never) { return R.amin(this, d, o); });
def('all', function (d?: never, o?: never) { return R.all(this, d, o); });
def('any', function (d?: never, o?: never) { return R.any(this, d, o); });
def('var', function (d?: never, o?: never) { return R.variance(this, d, o); });
def('std', function (d?: never, o?: never) { return R.std(this, d, o); });
for (const [m, prim, red, bin] of [['max', 'max_dim', 'amax', 'maximum'], ['min', 'min_dim', 'amin', 'minimum']] as const) {
  def(m, function (d?: number | Tensor, o?: { keepdim?: boolean }) {
    if (d instanceof Tensor) return elementwise(bin, [this, d]);
    if (d === undefined) {
      if (this.numel() === 0) {
        throw new RangeError(`${m}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
      }
      // `full` marks x.max() (not x.amax()) for autograd, which names it MaxBackward1 as PyTorch.
      return dispatch1(red, [this], { dims: this.shape.map((_, i) => i), keepdim: false, full: true });
    }
    return R.maxMinDim(prim, this, d, o?.keepdim);
  });
}
def('argmax', function (d?: number | null | { keepdim?: boolean }, o?: { keepdim?: boolean }) { return R.argmax(this, d, o); });
def('argmin', function (d?: number | null | { keepdim?: boolean }, o?: { keepdim?: boolean }) { return R.argmin(this, d, o); });
def('median', function (d?: number, o?: { keepdim?: boolean }) { return d === undefined ? R.median(this) : R.median(this, d, o); });
def('mode', function (d?: number, o?: { keepdim?: boolean }) { return R.mode(this, d, o); });
def('kthvalue', function (k: number, d?: number, o?: { keepdim?: boolean }) { return R.kthvalue(this, k, d, o); });
def('sort', function (d?: never, o?: never) { return R.sort(this, d, o); });
def('cumsum', function (d: number, o?: { dtype?: DType }) { return R.cumulative('cumsum', this, d, o); });
def('cumprod', function (d: number, o?: { dtype?: DType }) { return R.cumulative('cumprod', this, d, o); });
def('logsumexp', function (d: number | readonly number[], o?: { keepdim?: boolean }) { return R.logsumexp(this, d, o); });
def('softmax', function (d: number, o?: { dtype?: DType }) { return R.softmax(this, d, o); });
def('logSoftmax', function (d: number, o?: { dtype?: DType }) { return R.logSoftmax(this, d, o); });

def('matmul', function (o: Tensor) { return L.matmul(this, o); });
def('mm', function (o: Tensor) { return L.mm(this, o); });
def('bmm', function (o: Tensor) { return L.bmm(this, o); });
def('mv', function (o: Tensor) { return L.mv(this, o); });
def('dot', function (o: Tensor) { return L.dot(this, o); });
def('outer', function (o: Tensor) { return L.outer(this, o); });
def('inverse', function () { return L.inverse(this); });
def('det', function () { return L.det(this); });
def('trace', function () { return L.trace(this); });

def('toString', function () { return formatTensor(decodeForPrint(this)); });
(Tensor.prototype as unknown as Record<symbol, unknown>)[Symbol.for('nodejs.util.inspect.custom')] = function (this: Tensor) {
  return this._disposed ? 'tensor(<disposed>)' : formatTensor(decodeForPrint(this));
};

// Without @kindling/autograd there is no graph: these say what to import instead of failing obscurely.
for (const name of ['backward', 'retainGrad', 'registerHook', 'requiresGrad_', 'detach_']) {
  def(name, function () {
    throw new Error(`Tensor.${name}() needs autograd: install and import '@kindling/autograd'`);
  });
}
def('isInference', function () { return false; });
getter('retainsGrad', function () { return false; });
