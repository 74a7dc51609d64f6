import { datasetLength } from '../dataset.js';
import { Sampler } from './sampler.js';

/** `SequentialSampler(dataSource)`: 0, 1, …, len − 1, every time. */
export class SequentialSampler extends Sampler<number> {
  constructor(readonly dataSource: { readonly length: number }) {
    super();
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = datasetLength(this.dataSource);
    for (let i = 0; i < n; i++) yield i;
  }

  get length(): number {
    return datasetLength(this.dataSource);
  }
}
