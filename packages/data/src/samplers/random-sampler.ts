import { Generator, randint, randperm } from '@kindling/tensor';
import { datasetLength } from '../dataset.js';
import { drawSeed, indicesOf } from '../seed.js';
import { Sampler, checkBool, checkPositiveInt } from './sampler.js';

export interface RandomSamplerOptions {
  /** Draw with replacement (default false). */
  replacement?: boolean;
  /** How many indices an epoch yields (default: the dataset's length). */
  numSamples?: number;
  /** The generator; without one, each epoch seeds a new generator from the default generator. */
  generator?: Generator;
}

/**
 * `RandomSampler`, drawing exactly as PyTorch 1.13 does, so a seed gives PyTorch's order:
 * without replacement, `floor(numSamples / n)` whole `torch.randperm(n)` permutations and the head
 * of one more; with replacement, `torch.randint(0, n, [32])` chunks and a last partial chunk.
 * Without a generator, each epoch first draws a seed from the default generator
 * (`torch.empty((), dtype=torch.int64).random_()`) and seeds a fresh Generator with it.
 */
export class RandomSampler extends Sampler<number> {
  readonly dataSource: { readonly length: number };
  readonly replacement: boolean;
  readonly generator: Generator | undefined;
  readonly #numSamples: number | undefined;

  constructor(dataSource: { readonly length: number }, opts: RandomSamplerOptions = {}) {
    super();
    this.dataSource = dataSource;
    this.replacement = checkBool('replacement', opts.replacement ?? false);
    this.#numSamples = opts.numSamples;
    this.generator = opts.generator;
    checkPositiveInt('num_samples', this.numSamples);
  }

  /** The dataset may change size between epochs, so this is read each time (as PyTorch). */
  get numSamples(): number {
    return this.#numSamples ?? datasetLength(this.dataSource);
  }

  get length(): number {
    return this.numSamples;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = datasetLength(this.dataSource);
    let generator = this.generator;
    if (generator === undefined) generator = new Generator().manualSeed(drawSeed());
    const num = this.numSamples;
    if (this.replacement) {
      for (let i = 0; i < Math.floor(num / 32); i++) yield* indicesOf(randint(0, n, [32], { generator }));
      yield* indicesOf(randint(0, n, [num % 32], { generator }));
    } else {
      if (n === 0) throw new RangeError('RandomSampler: cannot sample from an empty dataset without replacement');
      for (let i = 0; i < Math.floor(num / n); i++) yield* indicesOf(randperm(n, { generator }));
      yield* indicesOf(randperm(n, { generator })).slice(0, num % n);
    }
  }
}
