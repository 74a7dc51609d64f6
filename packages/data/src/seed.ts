import { type Generator, Tensor, defaultGenerator } from '@kindling/tensor';

/**
 * `int(torch.empty((), dtype=torch.int64).random_(generator=g).item())`: how PyTorch draws a fresh
 * seed for a RandomSampler without a generator and for a DataLoader iterator's workers. For int64,
 * `random_()` is one 64-bit draw modulo 2^63, so this consumes exactly what PyTorch consumes.
 */
export function drawSeed(generator?: Generator): bigint {
  return (generator ?? defaultGenerator()).random64() % (1n << 63n);
}

/** Values of a 1-d integer tensor as numbers (indices are far below 2^53). */
export function indicesOf(t: Tensor): number[] {
  return Array.from(t.dataSync() as ArrayLike<number | bigint>, Number);
}
