import { type Generator, randperm } from '@kindling/tensor';
import { type MapDatasetLike, datasetLength } from './dataset.js';
import { Subset } from './datasets/subset.js';
import { indicesOf } from './seed.js';

export interface RandomSplitOptions {
  /** The generator of the permutation; the default generator when omitted (as PyTorch). */
  generator?: Generator;
}

/** Python's `math.isclose(a, b)` with its default tolerances. */
function isClose(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= Math.max(1e-9 * Math.max(Math.abs(a), Math.abs(b)), 0);
}

/**
 * The split lengths PyTorch 1.13 computes: fractions that sum to 1 become `floor(n * f)` each, and
 * what is left over is handed out one by one, round robin from the first split.
 */
export function splitLengths(n: number, lengths: readonly number[]): number[] {
  const total = lengths.reduce((a, b) => a + b, 0);
  if (isClose(total, 1) && total <= 1) {
    const out = lengths.map((frac, i) => {
      if (frac < 0 || frac > 1) throw new RangeError(`Fraction at index ${i} is not between 0 and 1`);
      return Math.floor(n * frac);
    });
    const remainder = n - out.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) out[i % out.length]! += 1;
    out.forEach((len, i) => {
      if (len === 0) console.warn(`Length of split at index ${i} is 0. This might result in an empty dataset.`);
    });
    return out;
  }
  return [...lengths];
}

/**
 * `random_split(dataset, lengths, generator)`: non-overlapping random subsets. The permutation is
 * `torch.randperm(n, generator)`, cut in order, so a seed gives PyTorch's exact indices.
 */
export function randomSplit<T>(dataset: MapDatasetLike<T>, lengths: readonly number[], opts: RandomSplitOptions = {}): Subset<T>[] {
  const n = datasetLength(dataset);
  const sizes = splitLengths(n, lengths);
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (sum !== n) throw new RangeError('Sum of input lengths does not equal the length of the input dataset!');
  for (const len of sizes) {
    if (!Number.isInteger(len) || len < 0) {
      throw new RangeError(`random_split: lengths must be non-negative integers or fractions summing to 1, got [${lengths.join(', ')}]`);
    }
  }
  const perm = indicesOf(randperm(sum, opts.generator ? { generator: opts.generator } : {}));
  let offset = 0;
  return sizes.map((len) => new Subset(dataset, perm.slice(offset, (offset += len))));
}
