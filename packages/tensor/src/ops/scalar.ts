import { type Device } from '../device.js';
import { type DType, isFloatingPoint } from '../dtype.js';
import type { Scalar } from '../elements.js';
import { dispatch } from '../op.js';
import { Tensor } from '../tensor.js';

const INT_BITS: Partial<Record<DType, number>> = { int8: 8, uint8: 8, int16: 16, int32: 32 };

/** A zero-dim tensor holding `value` as `dtype` on `device` (integers wrap, as a C++ cast does). */
export function scalarTensor(value: Scalar, dtype: DType, device: Device): Tensor {
  const t = Tensor._empty([], dtype, device);
  // Wrap a bigint to the narrower width exactly: going through a double would lose its low bits.
  const bits = INT_BITS[dtype];
  const v = typeof value === 'bigint' && bits ? Number(BigInt.asIntN(bits, value)) : value;
  dispatch('fill', [t], { value: v }, t);
  return t;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A JS scalar where PyTorch takes a Python number: integers must fit in int64, as Python's do. */
export function unpackScalar(value: Scalar): Scalar {
  if (typeof value === 'bigint' && (value < INT64_MIN || value > INT64_MAX)) throw new RangeError('Overflow when unpacking long');
  return value;
}

const RANGE: Partial<Record<DType, readonly [number, number]>> = {
  uint8: [0, 255], int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647],
  int64: [-(2 ** 63), 2 ** 63], float16: [-65504, 65504], bfloat16: [-3.3895313892515355e38, 3.3895313892515355e38],
  float32: [-3.4028234663852886e38, 3.4028234663852886e38],
};

/**
 * PyTorch's checked conversion of a user's scalar into `dtype` (c10's `checked_convert`), used where a
 * value is stored rather than computed with: `torch.tensor` data, `torch.full`, `fill_`. Integers must
 * fit (negative integers may wrap into uint8 down to -255, two's complement as PyTorch allows); NaN and
 * infinities never fit an integer dtype; finite floats must fit a floating dtype unless `floats` is false
 * (torch.tensor lets 1e300 become inf in float32).
 */
export function checkedScalar(value: Scalar, dtype: DType, floats = true): Scalar {
  unpackScalar(value);
  if (typeof value === 'boolean' || dtype === 'bool' || dtype === 'float64') return value;
  const range = RANGE[dtype]!;
  const overflow = () => new RangeError(`value cannot be converted to type ${dtype} without overflow`);
  if (isFloatingPoint(dtype)) {
    const x = Number(value);
    if (floats && Number.isFinite(x) && (x < range[0] || x > range[1])) throw overflow();
    return value;
  }
  if (typeof value === 'bigint') {
    const lo = dtype === 'uint8' ? -255n : BigInt(range[0]);
    if (dtype !== 'int64' && (value < lo || value > BigInt(range[1]))) throw overflow();
    return value;
  }
  if (Number.isNaN(value) || !Number.isFinite(value)) throw overflow();
  const lo = dtype === 'uint8' && Number.isInteger(value) ? -255 : range[0];
  // int64's upper bound, 2**63, is itself out of range.
  if (value < lo || (dtype === 'int64' ? value >= range[1] : value > range[1])) throw overflow();
  return value;
}
