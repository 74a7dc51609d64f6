import { type Device } from '../device.js';
import type { DType } from '../dtype.js';
import type { Scalar } from '../elements.js';
import { dispatch } from '../op.js';
import { Tensor } from '../tensor.js';

/** A zero-dim tensor holding `value` as `dtype` on `device`. */
export function scalarTensor(value: Scalar, dtype: DType, device: Device): Tensor {
  const t = Tensor._empty([], dtype, device);
  dispatch('fill', [t], { value }, t);
  return t;
}
