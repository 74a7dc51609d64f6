// The few core imports the nn package shares, in one place.
export { Tensor } from '@kindling/tensor';
import type { Tensor } from '@kindling/tensor';
import { Tensor as TensorClass } from '@kindling/tensor';

/** The plain tensor repr (`tensor([...], requires_grad=True)`), bypassing subclass toString overrides. */
export function formatTensorRepr(t: Tensor): string {
  return (TensorClass.prototype.toString as (this: Tensor) => string).call(t);
}
