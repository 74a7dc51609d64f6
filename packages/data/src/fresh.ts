/**
 * Tensors that default collation has just created (by stacking samples). Nothing else refers to
 * their memory, so a worker can hand their buffers to the main thread instead of copying them;
 * every other tensor (say, a view of a dataset tensor) must be copied, since moving its buffer
 * would take the memory away from whatever else uses it.
 */
import type { Tensor } from '@kindling/tensor';

const fresh = new WeakSet<Tensor>();

export function markFreshlyCollated(t: Tensor): Tensor {
  fresh.add(t);
  return t;
}

export function isFreshlyCollated(t: Tensor): boolean {
  return fresh.has(t);
}
