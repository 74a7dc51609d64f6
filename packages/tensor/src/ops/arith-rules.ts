// PyTorch's argument rules for the arithmetic in math.ts that Tensor methods share (add_/sub_ with
// alpha, pow_, clamp_). Internal: not part of the `torch` namespace.
import { isFloatingPoint, isIntegral, resultType } from '../dtype.js';
import type { Scalar } from '../elements.js';
import { DtypeError } from '../op.js';
import { Tensor } from '../tensor.js';
import { cast } from './copy.js';
import { elementwise, type TensorOrScalar } from './elementwise.js';

export type ClampBound = TensorOrScalar | null | { min?: TensorOrScalar | null; max?: TensorOrScalar | null };

const promotionOperand = (x: TensorOrScalar) => (x instanceof Tensor ? { dtype: x.dtype, dim: x.ndim } : x);

/**
 * `alpha · b` for `add`/`sub`, with PyTorch's checks. The result dtype comes from `a` and `b` alone
 * (alpha takes no part in promotion), so the product is cast back to it: `bool + 2·bool` stays bool.
 */
export function scaledOther(a: TensorOrScalar, b: TensorOrScalar, alpha: Scalar = 1): TensorOrScalar {
  if (alpha === 1) return b;
  const result = resultType(promotionOperand(a), promotionOperand(b));
  if (typeof alpha === 'boolean' && result !== 'bool') throw new DtypeError('Boolean alpha only supported for Boolean results.');
  if (isIntegral(result, true) && typeof alpha === 'number' && !Number.isInteger(alpha)) {
    throw new DtypeError('For integral input tensors, argument alpha must not be a floating point number.');
  }
  if (!(b instanceof Tensor)) {
    if (result === 'bool') return Boolean(b) && Boolean(alpha);
    if (typeof b === 'bigint' || typeof alpha === 'bigint') return BigInt(b) * BigInt(alpha);
    return Number(b) * Number(alpha);
  }
  const scaled = elementwise('mul', [b, alpha]);
  return scaled.dtype === result || isFloatingPoint(scaled.dtype) ? scaled : cast(scaled, result);
}

/** PyTorch refuses an integer tensor to a negative integer scalar power (a tensor exponent gives 0 or ±1). */
export function checkPowExponent(base: TensorOrScalar, exponent: TensorOrScalar): void {
  if (!(base instanceof Tensor) || exponent instanceof Tensor || !isIntegral(base.dtype, true)) return;
  if (typeof exponent === 'boolean' || !(typeof exponent === 'bigint' || Number.isInteger(exponent))) return;
  if (exponent < 0) throw new RangeError('Integers to negative integer powers are not allowed.');
}

/** clamp, written into `out` when given (`clamp_`: the result must cast to out's dtype). */
export function clampInto(x: Tensor, min?: ClampBound, max?: TensorOrScalar | null, out?: Tensor): Tensor {
  let lo = min;
  let hi = max;
  if (lo !== null && typeof lo === 'object' && !(lo instanceof Tensor)) {
    hi = lo.max;
    lo = lo.min;
  }
  if ((lo === undefined || lo === null) && (hi === undefined || hi === null)) {
    throw new Error("torch.clamp: At least one of 'min' or 'max' must not be None");
  }
  // One bound: minimum/maximum, marked so autograd gives x the whole gradient at the bound (PyTorch's clamp).
  if (lo === undefined || lo === null) return elementwise('minimum', [x, hi as TensorOrScalar], out, { clamp: true });
  if (hi === undefined || hi === null) return elementwise('maximum', [x, lo], out, { clamp: true });
  return elementwise('clamp', [x, lo, hi], out);
}
