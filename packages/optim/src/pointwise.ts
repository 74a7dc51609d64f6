// PyTorch's fused pointwise updates written as Kindling ops in the order PyTorch's CPU kernels
// evaluate them, so each intermediate rounds as it does there (float32 trajectories then agree):
//   addcmul: self + value * t1 * t2   is  self + ((value * t1) * t2)
//   addcdiv: self + value * t1 / t2   is  self + ((value * t1) / t2)
// `value` is rounded to the tensor's dtype first, as the kernels cast the Scalar to scalar_t.
import type { Tensor } from '@kindling/tensor';

/** `self.addcmul_(t1, t2, value=value)`. */
export function addcmul_(self: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  return self.add_((value === 1 ? t1 : t1.mul(value)).mul(t2));
}

/** `self.addcmul(t1, t2, value=value)`, out of place. */
export function addcmul(self: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  return self.add((value === 1 ? t1 : t1.mul(value)).mul(t2));
}

/** `self.addcdiv_(t1, t2, value=value)`. */
export function addcdiv_(self: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  return self.add_((value === 1 ? t1 : t1.mul(value)).div(t2));
}

/** `torch.maximum(a, b, out=a)`. */
export function maximumInto(a: Tensor, b: Tensor): Tensor {
  return a.copy_(a.maximum(b));
}
