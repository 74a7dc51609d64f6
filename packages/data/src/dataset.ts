/**
 * The two kinds of dataset (PyTorch's `torch.utils.data.Dataset` and `IterableDataset`) and the
 * structural checks the rest of the package uses to tell them apart.
 *
 * The checks are structural, not `instanceof`: a worker thread builds its dataset from a module
 * that may have loaded another copy of this package, and plain objects and arrays are datasets too
 * (PyTorch accepts a `list` or a `range` wherever it accepts a Dataset).
 */

/**
 * A map-style dataset: a size and a way to get sample `i`. `T` is what `getItem` returns: an
 * asynchronous dataset (a file read, a fetch) is a `MapStyleDataset<Promise<Sample>>`.
 */
export interface MapStyleDataset<T = unknown> {
  readonly length: number;
  getItem(index: number): T;
}

export interface DatasetOptions<T> {
  /** Stored as `this.transform` for the subclass to apply, as handbook 10.1's CustomDataset does. */
  transform?: (sample: T) => T;
}

/**
 * A map-style dataset (`__len__` → `length`, `__getitem__(i)` → `getItem(i)`). Subclasses define
 * both. `getItem` may be async (extend `Dataset<Promise<Sample>>`): `for await` over a DataLoader
 * awaits it.
 *
 * `transform` is kept for the subclass to apply where it belongs: PyTorch datasets transform the
 * input and not the label (handbook 10.1), so the base class cannot apply it to the whole sample.
 */
export abstract class Dataset<T = unknown, X = T> implements MapStyleDataset<T> {
  transform: ((x: X) => X) | undefined;

  constructor(opts: { transform?: (x: X) => X } = {}) {
    this.transform = opts.transform;
  }

  abstract readonly length: number;
  abstract getItem(index: number): T;
}

/**
 * An iterable-style dataset: a stream of samples. Define `[Symbol.iterator]` (a sync stream) or
 * override `[Symbol.asyncIterator]` (an async one). With `numWorkers > 0` each worker iterates its
 * own copy, so a dataset that should not repeat itself shards its stream with `getWorkerInfo()`.
 * `length` is optional; `DataLoader.length` needs it.
 */
export abstract class IterableDataset<T = unknown> implements AsyncIterable<T> {
  /** Tells the DataLoader this is a stream, even before it looks for an iterator method. */
  readonly iterableStyle = true as const;

  /** Every iterable dataset can be read with `for await`: by default, its sync iterator. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    const sync = (this as Partial<Iterable<T>>)[Symbol.iterator];
    if (typeof sync !== 'function') {
      throw new TypeError(`${typeName(this)} defines neither [Symbol.iterator] nor [Symbol.asyncIterator]`);
    }
    const it = sync.call(this);
    return {
      next: async () => it.next(),
      return: async (v?: unknown) => (it.return ? it.return(v) : { done: true, value: v }) as IteratorResult<T>,
    };
  }
}

/** The dataset's own synchronous iterator method, if it has one. */
export function syncIteratorOf<T>(ds: object): (() => Iterator<T>) | undefined {
  const f = (ds as Partial<Iterable<T>>)[Symbol.iterator];
  return typeof f === 'function' ? f : undefined;
}

/** Whether `[Symbol.asyncIterator]` is the dataset's own (not the default adapter of its sync iterator). */
export function hasOwnAsyncIterator(ds: object): boolean {
  const f = (ds as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator];
  return typeof f === 'function' && f !== IterableDataset.prototype[Symbol.asyncIterator];
}

/** What a DataLoader (and ConcatDataset, Subset, randomSplit) accepts as a map-style dataset. */
export type MapDatasetLike<T = unknown> = MapStyleDataset<T> | readonly T[];
/** Anything a DataLoader accepts. */
export type DatasetLike<T = unknown> = MapDatasetLike<T> | IterableDataset<T>;

export function isMapStyle<T>(ds: unknown): ds is MapDatasetLike<T> {
  if (Array.isArray(ds)) return true;
  return typeof ds === 'object' && ds !== null && typeof (ds as MapStyleDataset).getItem === 'function';
}

export function isIterableStyle<T>(ds: unknown): ds is IterableDataset<T> {
  if (typeof ds !== 'object' || ds === null || isMapStyle(ds)) return false;
  return syncIteratorOf(ds) !== undefined || typeof (ds as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] === 'function';
}

/** `len(dataset)`, with Python's error when a dataset has no length. */
export function datasetLength(ds: unknown): number {
  const n = (ds as { length?: unknown } | null)?.length;
  if (typeof n !== 'number') {
    throw new TypeError(`object of type '${typeName(ds)}' has no len(): define a \`length\``);
  }
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${typeName(ds)}.length must be a non-negative integer, got ${n}`);
  return n;
}

/** `dataset[i]` for a map-style dataset or an array. */
export function itemAt<T>(ds: MapDatasetLike<T>, index: number): T {
  if (Array.isArray(ds)) {
    const arr = ds as readonly T[];
    const i = index < 0 ? arr.length + index : index;
    if (!Number.isInteger(i) || i < 0 || i >= arr.length) {
      throw new RangeError(`list index ${index} out of range for a dataset of length ${arr.length}`);
    }
    return arr[i]!;
  }
  return (ds as MapStyleDataset<T>).getItem(index);
}

export function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'Array';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'Object';
  return typeof x;
}
