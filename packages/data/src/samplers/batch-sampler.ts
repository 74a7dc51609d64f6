import { Sampler, checkBool, checkPositiveInt, samplerLength } from './sampler.js';

/**
 * `BatchSampler(sampler, batchSize, dropLast)`: groups the indices of `sampler` into lists of
 * `batchSize`; the last, shorter list is kept unless `dropLast`.
 */
export class BatchSampler<T = number> extends Sampler<T[]> {
  readonly sampler: Iterable<T>;
  readonly batchSize: number;
  readonly dropLast: boolean;

  constructor(sampler: Iterable<T>, batchSize: number, dropLast: boolean) {
    super();
    this.batchSize = checkPositiveInt('batch_size', batchSize);
    this.dropLast = checkBool('drop_last', dropLast);
    this.sampler = sampler;
  }

  *[Symbol.iterator](): Iterator<T[]> {
    let batch: T[] = [];
    for (const idx of this.sampler) {
      batch.push(idx);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }

  get length(): number {
    const n = samplerLength(this.sampler);
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }
}
