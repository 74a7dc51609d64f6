/**
 * `DataLoader` (handbook 10.2): batches from a dataset, in the calling thread or in worker threads.
 *
 * Every option of PyTorch 1.13's DataLoader, camelCased: `batchSize` (null turns automatic
 * batching off), `shuffle`, `sampler`, `batchSampler`, `numWorkers`, `collateFn`, `pinMemory`,
 * `dropLast`, `timeout` (seconds, as PyTorch), `workerInitFn`, `generator`, `prefetchFactor`,
 * `persistentWorkers`, plus `workerDataset`, which says how worker threads build the dataset.
 *
 * Iterate with `for await (const batch of loader)`; with `numWorkers: 0` a plain `for…of` works too.
 * The batches and their order depend on the seed only, not on `numWorkers`.
 *
 * Worker threads cannot share the main thread's objects, so with `numWorkers > 0` each worker
 * builds its own dataset (see recipe.ts): a dataset made by `loadDataset({ module, export, args })`,
 * or named by the `workerDataset` option, is imported in each worker; the built-in datasets
 * (TensorDataset, Subset, ConcatDataset, ChainDataset, randomSplit's parts) and arrays travel by
 * themselves. `collateFn` and `workerInitFn` run in the workers when given as
 * `{ module, export }`; a `collateFn` closure instead runs in the main thread on the samples the
 * workers send, and a `workerInitFn` function is recompiled in each worker from its source (so it
 * must be self-contained).
 */
import type { Generator } from '@kindling/tensor';
import { defaultCollate, defaultConvert } from '../collate.js';
import { type DatasetLike, datasetLength, isIterableStyle, isMapStyle, typeName } from '../dataset.js';
import type { CollateFn } from '../fetch.js';
import type { DatasetModuleSpec } from '../recipe.js';
import { BatchSampler } from '../samplers/batch-sampler.js';
import { RandomSampler } from '../samplers/random-sampler.js';
import { samplerLength } from '../samplers/sampler.js';
import { SequentialSampler } from '../samplers/sequential-sampler.js';
import type { Collated } from './collated.js';
import { type LoaderConfig, type WorkerFunction, isWorkerFunction } from './config.js';
import { InfiniteConstantSampler } from './infinite-sampler.js';
import { MultiWorkerIterator } from './multi-worker-iterator.js';
import { singleProcessAsync, singleProcessSync } from './single-process.js';

/**
 * A collate function. Declared as a method so that its parameter is checked bivariantly: a
 * `DataLoader<Sample>` is then usable where a plain `DataLoader` is expected (handbook 15.3's
 * `trainEpoch(model, dataloader, …)`), as it would be in PyTorch.
 */
export type CollateFunction<S, B> = { bivariance(samples: S[]): B }['bivariance'];

export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1); `null` turns automatic batching off (one sample per item). */
  batchSize?: number | null;
  /** Reshuffle every epoch (a RandomSampler with `generator`). */
  shuffle?: boolean;
  /** The order of the indices (any iterable of indices); excludes `shuffle`. */
  sampler?: Iterable<number>;
  /** Yields lists of indices; excludes batchSize, shuffle, sampler and dropLast. */
  batchSampler?: Iterable<readonly number[]>;
  /** Worker threads loading batches (default 0: load in the calling thread). */
  numWorkers?: number;
  /** Makes a batch from a list of samples (default `defaultCollate`), or `{ module, export }` to run it in the workers. */
  collateFn?: CollateFunction<Awaited<T>, B> | WorkerFunction;
  /** Accepted for PyTorch compatibility; CPU batches need no pinning. */
  pinMemory?: boolean;
  pinMemoryDevice?: string;
  /** Drop the last batch if it is short. */
  dropLast?: boolean;
  /**
   * Seconds to wait for a batch from a worker before failing (0, the default, waits forever),
   * counted once that worker has started (imported its dataset module, run workerInitFn).
   */
  timeout?: number;
  /** Runs in each worker after its dataset is built, with the worker id: a self-contained function or `{ module, export }`. */
  workerInitFn?: ((workerId: number) => unknown) | WorkerFunction;
  /** Draws the shuffle order and the workers' base seed (default: the default generator). */
  generator?: Generator;
  /** Batches each worker loads ahead (default 2). */
  prefetchFactor?: number;
  /** Keep the worker threads between epochs. */
  persistentWorkers?: boolean;
  /** How worker threads build the dataset: `{ module, export, args }` (see `loadDataset`). */
  workerDataset?: DatasetModuleSpec;
}

export class DataLoader<T = unknown, B = Collated<Awaited<T>>> implements AsyncIterable<B> {
  readonly dataset: DatasetLike<T>;
  readonly batchSize: number | null;
  readonly dropLast: boolean;
  readonly sampler: Iterable<unknown>;
  readonly batchSampler: Iterable<readonly unknown[]> | null;
  readonly numWorkers: number;
  readonly prefetchFactor: number;
  readonly pinMemory: boolean;
  readonly timeout: number;
  readonly workerInitFn: ((workerId: number) => unknown) | WorkerFunction | undefined;
  readonly generator: Generator | undefined;
  readonly persistentWorkers: boolean;
  readonly collateFn: CollateFunction<Awaited<T>, B> | WorkerFunction;
  readonly #config: LoaderConfig;
  #persistentIterator: MultiWorkerIterator<B> | null = null;

  constructor(dataset: DatasetLike<T>, opts: DataLoaderOptions<T, B> = {}) {
    const numWorkers = opts.numWorkers ?? 0;
    const timeout = opts.timeout ?? 0;
    if (!Number.isInteger(numWorkers) || numWorkers < 0) {
      throw new RangeError('num_workers option should be non-negative; use numWorkers: 0 to disable worker threads.');
    }
    if (!(timeout >= 0)) throw new RangeError('timeout option should be non-negative');
    if (numWorkers === 0 && opts.prefetchFactor !== undefined && opts.prefetchFactor !== 2) {
      throw new RangeError('prefetch_factor option could only be specified in multiprocessing. let numWorkers > 0 to enable worker threads.');
    }
    const prefetchFactor = opts.prefetchFactor ?? 2;
    if (!Number.isInteger(prefetchFactor) || prefetchFactor <= 0) throw new RangeError(`prefetchFactor must be a positive integer, got ${prefetchFactor}`);
    if (opts.persistentWorkers && numWorkers === 0) throw new RangeError('persistent_workers option needs numWorkers > 0');

    const iterable = isIterableStyle(dataset);
    if (!iterable && !isMapStyle(dataset)) {
      throw new TypeError(`DataLoader expects a dataset (length and getItem), an IterableDataset or an array, got ${typeName(dataset)}`);
    }
    let shuffle = opts.shuffle;
    let sampler: Iterable<unknown> | undefined = opts.sampler;
    let batchSampler: Iterable<readonly unknown[]> | undefined = opts.batchSampler;
    let batchSize = opts.batchSize === undefined ? 1 : opts.batchSize;
    let dropLast = opts.dropLast ?? false;
    if (iterable) {
      if (shuffle !== undefined && shuffle !== false) {
        throw new TypeError(`DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=${String(shuffle)}`);
      }
      if (sampler !== undefined) throw new TypeError('DataLoader with IterableDataset: expected unspecified sampler option');
      if (batchSampler !== undefined) throw new TypeError('DataLoader with IterableDataset: expected unspecified batchSampler option');
    } else {
      shuffle = Boolean(shuffle);
    }
    if (sampler !== undefined && shuffle) throw new TypeError('sampler option is mutually exclusive with shuffle');
    if (batchSampler !== undefined) {
      if (batchSize !== 1 || shuffle || sampler !== undefined || dropLast) {
        throw new TypeError('batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last');
      }
      batchSize = null;
      dropLast = false;
    } else if (batchSize === null && dropLast) {
      throw new TypeError('batch_size=null option disables auto-batching and is mutually exclusive with drop_last');
    }
    if (sampler === undefined) {
      if (iterable) sampler = new InfiniteConstantSampler();
      else if (shuffle) sampler = new RandomSampler(dataset as { length: number }, opts.generator ? { generator: opts.generator } : {});
      else sampler = new SequentialSampler(dataset as { length: number });
    }
    if (batchSize !== null && batchSampler === undefined) batchSampler = new BatchSampler(sampler, batchSize, dropLast);

    this.dataset = dataset;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
    this.sampler = sampler;
    this.batchSampler = batchSampler ?? null;
    this.numWorkers = numWorkers;
    this.prefetchFactor = prefetchFactor;
    this.pinMemory = opts.pinMemory ?? false;
    this.timeout = timeout;
    this.workerInitFn = opts.workerInitFn;
    this.generator = opts.generator;
    this.persistentWorkers = opts.persistentWorkers ?? false;
    const autoCollation = this.batchSampler !== null;
    this.collateFn = opts.collateFn ?? ((autoCollation ? defaultCollate : defaultConvert) as unknown as CollateFunction<Awaited<T>, B>);
    this.#config = {
      dataset,
      datasetKind: iterable ? 'iterable' : 'map',
      autoCollation,
      indexSampler: this.batchSampler ?? this.sampler,
      collateFn: this.collateFn as CollateFn | WorkerFunction,
      dropLast,
      numWorkers,
      prefetchFactor,
      timeout,
      persistentWorkers: this.persistentWorkers,
      generator: opts.generator,
      workerInitFn: opts.workerInitFn,
      workerDataset: opts.workerDataset,
    };
    if (opts.workerDataset !== undefined && !isWorkerFunction(opts.workerDataset)) {
      throw new TypeError('workerDataset must be { module, export?, args? }');
    }
  }

  /**
   * `len(dataloader)`: the number of batches (ceil, or floor with dropLast). For an iterable
   * dataset, from its `length`, which PyTorch also trusts.
   */
  get length(): number {
    if (this.#config.datasetKind === 'iterable') {
      const n = datasetLength(this.dataset);
      if (this.batchSize === null) return n;
      return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
    }
    return samplerLength(this.#config.indexSampler);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<B> {
    if (this.numWorkers === 0) return singleProcessAsync<B>(this.#config);
    if (!this.persistentWorkers) return new MultiWorkerIterator<B>(this.#config);
    const it = this.#persistentIterator;
    if (it && it.reusable) {
      it.reset();
      return it;
    }
    return (this.#persistentIterator = new MultiWorkerIterator<B>(this.#config));
  }

  /**
   * Stop the persistent worker threads now (PyTorch stops them when the DataLoader is garbage
   * collected, which also happens here, but a program may want them gone at a known point).
   * A later iteration starts new workers.
   */
  async close(): Promise<void> {
    const it = this.#persistentIterator;
    this.#persistentIterator = null;
    if (it) await it.shutdown();
  }

  /** Synchronous iteration, for `numWorkers: 0` and synchronous datasets. */
  [Symbol.iterator](): Iterator<B> {
    if (this.numWorkers > 0) {
      throw new TypeError('a DataLoader with numWorkers > 0 loads in worker threads: iterate it with `for await`');
    }
    return singleProcessSync<B>(this.#config);
  }
}
