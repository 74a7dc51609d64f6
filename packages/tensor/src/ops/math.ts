import { type DType, getDefaultDtype, isFloatingPoint } from '../dtype.js';
import type { Scalar } from '../elements.js';
import { DtypeError, dtypeLabel } from '../op.js';
import { Tensor } from '../tensor.js';
import { type ClampBound, checkPowExponent, clampInto, scaledOther } from './arith-rules.js';
import { cast } from './copy.js';
import { elementwise, type TensorOrScalar } from './elementwise.js';
import { nonzero } from './indexing.js';
import { scalarTensor } from './scalar.js';

/** Functional forms of the elementwise ops (`torch.add(a, b)`), PyTorch's names camelCased. */
type Unary = (x: Tensor) => Tensor;
type Binary = (a: TensorOrScalar, b: TensorOrScalar) => Tensor;
const unary = (name: string): Unary => (x) => elementwise(name, [x]);
const binary = (name: string): Binary => (a, b) => elementwise(name, [a, b]);

export const exp = unary('exp');
export const exp2 = unary('exp2');
export const expm1 = unary('expm1');
export const log = unary('log');
export const log2 = unary('log2');
export const log10 = unary('log10');
export const log1p = unary('log1p');
export const sqrt = unary('sqrt');
export const rsqrt = unary('rsqrt');
export const sin = unary('sin');
export const cos = unary('cos');
export const tan = unary('tan');
export const asin = unary('asin');
export const acos = unary('acos');
export const atan = unary('atan');
export const sinh = unary('sinh');
export const cosh = unary('cosh');
export const tanh = unary('tanh');
export const asinh = unary('asinh');
export const acosh = unary('acosh');
export const atanh = unary('atanh');
export const sigmoid = unary('sigmoid');
export const relu = unary('relu');
export const erf = unary('erf');
export const erfc = unary('erfc');
export const reciprocal = unary('reciprocal');
export const neg = unary('neg');
export const negative = neg;
export const abs = unary('abs');
export const absolute = abs;
export const sign = unary('sign');
export const sgn = sign;
export const floor = unary('floor');
export const ceil = unary('ceil');
export const trunc = unary('trunc');
export const fix = trunc;
export const frac = unary('frac');
export const bitwiseNot = unary('bitwise_not');
export const logicalNot = unary('logical_not');
export const isnan = unary('isnan');
export const isinf = unary('isinf');
export const isposinf = unary('isposinf');
export const isneginf = unary('isneginf');
export const isfinite = unary('isfinite');
export const signbit = unary('signbit');
export const arcsin = asin;
export const arccos = acos;
export const arctan = atan;

/** `torch.round(x, { decimals })`: half to even. */
export function round(x: Tensor, opts?: { decimals?: number }): Tensor {
  const d = opts?.decimals ?? 0;
  if (d === 0) return elementwise('round', [x]);
  if (!isFloatingPoint(x.dtype)) throw new DtypeError(`"round_cpu" not implemented for '${dtypeLabel(x.dtype)}'`);
  // As PyTorch: x·10^d rounded, then /10^d; for d < 0, x/10^-d rounded, then ·10^-d (10^d is inexact).
  const scale = 10 ** Math.abs(d);
  const [there, back] = d > 0 ? ['mul', 'div'] : ['div', 'mul'];
  return elementwise(back, [elementwise('round', [elementwise(there, [x, scale])]), scale]);
}

/** `torch.square(x)` is `x ** 2` (bool squares to int64, as in PyTorch). */
export function square(x: Tensor): Tensor {
  return elementwise('pow', [x.dtype === 'bool' ? x.to('int64') : x, 2]);
}

export function add(a: TensorOrScalar, b: TensorOrScalar, opts?: { alpha?: Scalar }): Tensor {
  return elementwise('add', [a, scaledOther(a, b, opts?.alpha)]);
}
export function sub(a: TensorOrScalar, b: TensorOrScalar, opts?: { alpha?: Scalar }): Tensor {
  return elementwise('sub', [a, scaledOther(a, b, opts?.alpha)]);
}
export const subtract = sub;
export const mul = binary('mul');
export const multiply = mul;

export type RoundingMode = 'trunc' | 'floor' | null;
/** `torch.div(a, b, { roundingMode })`: true division unless 'trunc' or 'floor'. */
export function div(a: TensorOrScalar, b: TensorOrScalar, opts?: { roundingMode?: RoundingMode }): Tensor {
  const mode = opts?.roundingMode ?? null;
  if (mode === 'trunc') return elementwise('div_trunc', [a, b]);
  if (mode === 'floor') return elementwise('floor_divide', [a, b]);
  return elementwise('div', [a, b]);
}
export const divide = div;
export const trueDivide = binary('div');
export const floorDivide = binary('floor_divide');
export const remainder = binary('remainder');
export const fmod = binary('fmod');
export function pow(base: TensorOrScalar, exponent: TensorOrScalar): Tensor {
  checkPowExponent(base, exponent);
  return elementwise('pow', [base, exponent]);
}
export const atan2 = binary('atan2');
export const arctan2 = atan2;
export const maximum = binary('maximum');
export const minimum = binary('minimum');
export const fmax = binary('fmax');
export const fmin = binary('fmin');
export const bitwiseAnd = binary('bitwise_and');
export const bitwiseOr = binary('bitwise_or');
export const bitwiseXor = binary('bitwise_xor');
export const eq = binary('eq');
export const ne = binary('ne');
export const lt = binary('lt');
export const le = binary('le');
export const gt = binary('gt');
export const ge = binary('ge');
export const greater = gt;
export const greaterEqual = ge;
export const less = lt;
export const lessEqual = le;
export const notEqual = ne;
export const logicalAnd = binary('logical_and');
export const logicalOr = binary('logical_or');
export const logicalXor = binary('logical_xor');

/** `torch.where(cond, a, b)`; the one-argument `torch.where(cond)` is `nonzero(cond, { asTuple: true })`. */
export function where(cond: Tensor): Tensor[];
export function where(cond: Tensor, a: TensorOrScalar, b: TensorOrScalar): Tensor;
export function where(cond: Tensor, a?: TensorOrScalar, b?: TensorOrScalar): Tensor | Tensor[] {
  if (a === undefined && b === undefined) return nonzero(cond, { asTuple: true });
  if (a === undefined || b === undefined) throw new DtypeError('where(): expected a condition only, or a condition and two values');
  return elementwise('where', [cond, a, b]);
}

/** `torch.clamp(x, min, max)`; either bound may be null; bounds may be tensors. */
export function clamp(x: Tensor, min?: ClampBound, max?: TensorOrScalar | null): Tensor {
  return clampInto(x, min, max);
}
export const clip = clamp;

export function lerp(start: Tensor, end: TensorOrScalar, weight: TensorOrScalar): Tensor {
  return elementwise('lerp', [start, end, weight]);
}

/**
 * `torch.isclose`: a == b, or |a − b| ≤ atol + |rtol·b| and finite, as PyTorch computes it (integers
 * too; bools as the default float). Infinities are close only to themselves.
 */
export function isclose(a: Tensor, b: TensorOrScalar, opts?: { rtol?: number; atol?: number; equalNan?: boolean }): Tensor {
  const rtol = opts?.rtol ?? 1e-5;
  const atol = opts?.atol ?? 1e-8;
  if (b instanceof Tensor && a.dtype !== b.dtype) {
    throw new DtypeError(`${dtypeLabel(a.dtype)} did not match ${dtypeLabel(b.dtype)}`);
  }
  if (rtol < 0) throw new RangeError(`rtol must be greater than or equal to zero, but got ${rtol}`);
  if (atol < 0) throw new RangeError(`atol must be greater than or equal to zero, but got ${atol}`);
  const other = b instanceof Tensor ? b : scalarTensor(b, a.dtype, a.device);
  let close = elementwise('eq', [a, other]);
  if (opts?.equalNan && isFloatingPoint(a.dtype)) {
    close = elementwise('logical_or', [close, elementwise('logical_and', [isnan(a), isnan(other)])]);
  }
  if (rtol === 0 && atol === 0) return close;
  const [x, y] = a.dtype === 'bool' ? [cast(a, getDefaultDtype()), cast(other, getDefaultDtype())] : [a, other];
  const allowed = elementwise('add', [abs(elementwise('mul', [y, rtol])), atol]);
  const actual = abs(elementwise('sub', [x, y]));
  return elementwise('logical_or', [close, elementwise('logical_and', [isfinite(actual), elementwise('le', [actual, allowed])])]);
}

export function allclose(a: Tensor, b: TensorOrScalar, opts?: { rtol?: number; atol?: number; equalNan?: boolean }): boolean {
  return isclose(a, b, opts).all().item() as boolean;
}

/** `torch.equal`: same shape and same values (NaN ≠ NaN). */
export function equal(a: Tensor, b: Tensor): boolean {
  if (a.ndim !== b.ndim || a.shape.some((s, i) => s !== b.shape[i])) return false;
  return elementwise('eq', [a, b]).all().item() as boolean;
}

export type { DType };
