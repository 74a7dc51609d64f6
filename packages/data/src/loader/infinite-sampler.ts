import { Sampler } from '../samplers/sampler.js';

/**
 * PyTorch's `_InfiniteConstantSampler`, the sampler of an iterable dataset: `null` forever. Batched,
 * each item only says how many samples the next batch takes from the dataset's stream.
 */
export class InfiniteConstantSampler extends Sampler<null> {
  *[Symbol.iterator](): Iterator<null> {
    for (;;) yield null;
  }
}
