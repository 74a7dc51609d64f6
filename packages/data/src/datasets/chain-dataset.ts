import { IterableDataset, datasetLength, hasOwnAsyncIterator, isIterableStyle, syncIteratorOf, typeName } from '../dataset.js';
import { type DatasetRecipe, toRecipe } from '../recipe.js';
import { describeDataset } from '../describe.js';

/**
 * `ChainDataset(datasets)`: iterable datasets one after another, chained as they are iterated.
 * Iterates synchronously when every part can; `for await` also takes async parts.
 */
export class ChainDataset<T = unknown> extends IterableDataset<T> {
  readonly datasets: readonly IterableDataset<T>[];

  constructor(datasets: Iterable<IterableDataset<T>>) {
    super();
    this.datasets = [...datasets];
  }

  *[Symbol.iterator](): Iterator<T> {
    for (const d of this.datasets) {
      const it = syncIteratorOf<T>(check(d));
      if (!it) throw new TypeError(`ChainDataset: ${typeName(d)} can only be iterated asynchronously; use for await`);
      yield* { [Symbol.iterator]: () => it.call(d) };
    }
  }

  override async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (const d of this.datasets) {
      check(d);
      const it = syncIteratorOf<T>(d);
      if (it && !hasOwnAsyncIterator(d)) yield* { [Symbol.iterator]: () => it.call(d) };
      else yield* { [Symbol.asyncIterator]: () => d[Symbol.asyncIterator]() };
    }
  }

  get length(): number {
    let total = 0;
    for (const d of this.datasets) total += datasetLength(check(d));
    return total;
  }

  [toRecipe](): DatasetRecipe {
    return { kind: 'chain', datasets: this.datasets.map((d) => describeDataset(d)) };
  }
}

function check<T>(d: IterableDataset<T>): IterableDataset<T> {
  if (!isIterableStyle(d)) throw new TypeError('ChainDataset only supports IterableDataset');
  return d;
}
