import { type Generator, randperm } from '@kindling/tensor';
import { indicesOf } from '../seed.js';
import { Sampler } from './sampler.js';

/** `SubsetRandomSampler(indices)`: the given indices in the order of `torch.randperm(len)`. */
export class SubsetRandomSampler extends Sampler<number> {
  readonly indices: readonly number[];
  readonly generator: Generator | undefined;

  constructor(indices: Iterable<number>, opts: { generator?: Generator } = {}) {
    super();
    this.indices = [...indices];
    this.generator = opts.generator;
  }

  *[Symbol.iterator](): Iterator<number> {
    const perm = indicesOf(randperm(this.indices.length, this.generator ? { generator: this.generator } : {}));
    for (const i of perm) yield this.indices[i]!;
  }

  get length(): number {
    return this.indices.length;
  }
}
