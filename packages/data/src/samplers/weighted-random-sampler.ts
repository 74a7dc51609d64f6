import { type Generator, Tensor } from '@kindling/tensor';
import { multinomial } from './multinomial.js';
import { Sampler, checkBool, checkPositiveInt } from './sampler.js';

export interface WeightedRandomSamplerOptions {
  /** With replacement (the default, as PyTorch) an index can come back; without, each comes once. */
  replacement?: boolean;
  generator?: Generator;
}

/**
 * `WeightedRandomSampler(weights, numSamples, replacement=True)`: indices 0…len(weights)−1 drawn
 * with probabilities proportional to `weights` (which need not sum to one), by PyTorch's
 * `torch.multinomial` algorithm on float64 weights, so a seed gives PyTorch's draws.
 */
export class WeightedRandomSampler extends Sampler<number> {
  readonly weights: Float64Array;
  readonly numSamples: number;
  readonly replacement: boolean;
  readonly generator: Generator | undefined;

  constructor(weights: Tensor | ArrayLike<number>, numSamples: number, opts: WeightedRandomSamplerOptions = {}) {
    super();
    this.numSamples = checkPositiveInt('num_samples', numSamples);
    this.replacement = checkBool('replacement', opts.replacement ?? true);
    if (weights instanceof Tensor) {
      if (weights.ndim !== 1) throw new RangeError(`weights should be a 1d sequence but given weights have shape (${weights.shape.join(', ')})`);
      this.weights = weights.to('float64').dataSync() as Float64Array;
    } else {
      this.weights = Float64Array.from(weights as ArrayLike<number>, Number);
    }
    this.generator = opts.generator;
  }

  *[Symbol.iterator](): Iterator<number> {
    yield* multinomial(this.weights, this.numSamples, this.replacement, this.generator);
  }

  get length(): number {
    return this.numSamples;
  }
}
