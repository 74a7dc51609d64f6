import { type MapDatasetLike, Dataset, itemAt } from '../dataset.js';
import { type DatasetRecipe, toRecipe } from '../recipe.js';
import { describeDataset } from '../describe.js';

/** `Subset(dataset, indices)`: sample `i` is `dataset[indices[i]]`. */
export class Subset<T = unknown> extends Dataset<T> {
  readonly dataset: MapDatasetLike<T>;
  readonly indices: readonly number[];

  constructor(dataset: MapDatasetLike<T>, indices: Iterable<number>) {
    super();
    this.dataset = dataset;
    this.indices = [...indices];
  }

  get length(): number {
    return this.indices.length;
  }

  getItem(index: number): T {
    const i = index < 0 ? this.indices.length + index : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.indices.length) {
      throw new RangeError(`index ${index} is out of range for a Subset of length ${this.indices.length}`);
    }
    return itemAt(this.dataset, this.indices[i]!);
  }

  [toRecipe](): DatasetRecipe {
    return { kind: 'subset', dataset: describeDataset(this.dataset), indices: [...this.indices] };
  }
}
