import { type MapDatasetLike, Dataset, datasetLength, isIterableStyle, itemAt } from '../dataset.js';
import { type DatasetRecipe, toRecipe } from '../recipe.js';
import { describeDataset } from '../describe.js';

/** `ConcatDataset(datasets)`: the datasets one after another, as one map-style dataset. */
export class ConcatDataset<T = unknown> extends Dataset<T> {
  readonly datasets: readonly MapDatasetLike<T>[];
  /** `cumulative_sizes`: the running totals of the datasets' lengths. */
  readonly cumulativeSizes: readonly number[];

  constructor(datasets: Iterable<MapDatasetLike<T>>) {
    super();
    this.datasets = [...datasets];
    if (this.datasets.length === 0) throw new RangeError('datasets should not be an empty iterable');
    for (const d of this.datasets) {
      if (isIterableStyle(d)) throw new TypeError('ConcatDataset does not support IterableDataset');
    }
    let total = 0;
    this.cumulativeSizes = this.datasets.map((d) => (total += datasetLength(d)));
  }

  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1]!;
  }

  getItem(index: number): T {
    let idx = index;
    if (idx < 0) {
      if (-idx > this.length) throw new RangeError('absolute value of index should not exceed dataset length');
      idx = this.length + idx;
    }
    if (!Number.isInteger(idx) || idx >= this.length) {
      throw new RangeError(`index ${index} is out of range for a ConcatDataset of length ${this.length}`);
    }
    const d = bisectRight(this.cumulativeSizes, idx);
    return itemAt(this.datasets[d]!, d === 0 ? idx : idx - this.cumulativeSizes[d - 1]!);
  }

  [toRecipe](): DatasetRecipe {
    return { kind: 'concat', datasets: this.datasets.map((d) => describeDataset(d)) };
  }
}

/** Python's `bisect.bisect_right`: the first position whose value is greater than `x`. */
function bisectRight(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < a[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
