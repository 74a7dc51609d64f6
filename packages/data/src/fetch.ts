/**
 * Fetching one batch (PyTorch's `_MapDatasetFetcher` / `_IterableDatasetFetcher`), shared by the
 * main thread (`numWorkers: 0`) and the workers. A failure is wrapped in a `SampleError` that says
 * which sample (dataset index, or position in an iterable's stream) it came from.
 */
import { type IterableDataset, type MapDatasetLike, hasOwnAsyncIterator, itemAt, syncIteratorOf, typeName } from './dataset.js';

export type CollateFn = (data: never) => unknown;

/** The end of an iterable dataset's stream (PyTorch's StopIteration). */
export const STOP: unique symbol = Symbol('kindling.data.stop');

export class SampleError extends Error {
  constructor(
    /** The dataset index (map-style) or stream position (iterable) of the sample; null while collating. */
    readonly sampleIndex: number | null,
    readonly phase: 'getItem' | 'iterate' | 'collate',
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original));
  }
}

export function isPromiseLike(x: unknown): x is PromiseLike<unknown> {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as PromiseLike<unknown>).then === 'function';
}

function collateWith(collate: CollateFn, data: unknown): unknown {
  try {
    return collate(data as never);
  } catch (e) {
    throw new SampleError(null, 'collate', e);
  }
}

function startItem<T>(ds: MapDatasetLike<T>, i: number): T | Promise<Awaited<T>> {
  let r: T;
  try {
    r = itemAt(ds, i);
  } catch (e) {
    throw new SampleError(i, 'getItem', e);
  }
  return isPromiseLike(r) ? Promise.resolve(r).catch((e: unknown) => { throw new SampleError(i, 'getItem', e); }) : r;
}

/** One batch (a list of indices) or one sample (an index) of a map-style dataset. */
export async function fetchMap(ds: MapDatasetLike, index: number | readonly number[], auto: boolean, collate: CollateFn): Promise<unknown> {
  if (!auto) return collateWith(collate, await startItem(ds, index as number));
  const started: unknown[] = [];
  try {
    for (const i of index as readonly number[]) started.push(startItem(ds, i));
  } catch (e) {
    for (const p of started) if (isPromiseLike(p)) Promise.resolve(p).catch(() => {}); // already failing
    throw e;
  }
  const samples = started.some(isPromiseLike) ? await Promise.all(started) : started;
  return collateWith(collate, samples);
}

function syncOnly<T>(r: T, what: string): T {
  if (isPromiseLike(r)) {
    throw new TypeError(`${what} returned a Promise: iterate the DataLoader with \`for await\` to load asynchronous datasets`);
  }
  return r;
}

/** `fetchMap` for synchronous iteration: a Promise from the dataset is an error. */
export function fetchMapSync(ds: MapDatasetLike, index: number | readonly number[], auto: boolean, collate: CollateFn): unknown {
  const get = (i: number) => syncOnly(startItem(ds, i), `${typeName(ds)}.getItem(${i})`);
  if (!auto) return collateWith(collate, get(index as number));
  return collateWith(collate, (index as readonly number[]).map(get));
}

/**
 * Pulls batches from an iterable dataset's iterator. `count` is the batch size (automatic
 * batching) or null (one sample per item). A short last batch is kept unless `dropLast`.
 */
export class IterableFetcher {
  readonly #iter: Iterator<unknown> | AsyncIterator<unknown>;
  #ended = false;
  #position = 0;

  constructor(
    ds: IterableDataset,
    readonly collate: CollateFn,
    readonly dropLast: boolean,
    readonly sync: boolean,
  ) {
    // A sync iterator is used directly when there is one (no await per sample), unless the dataset
    // defines its own async iterator and we may await.
    const syncIt = syncIteratorOf<unknown>(ds);
    if (!sync && hasOwnAsyncIterator(ds)) this.#iter = ds[Symbol.asyncIterator]();
    else if (syncIt) this.#iter = syncIt.call(ds);
    else if (!sync) this.#iter = ds[Symbol.asyncIterator]();
    else throw new TypeError(`${typeName(ds)} can only be iterated asynchronously: iterate the DataLoader with \`for await\``);
  }

  /** The next sample, or STOP. */
  #pull(): unknown {
    const pos = this.#position;
    let r: IteratorResult<unknown> | Promise<IteratorResult<unknown>>;
    try {
      r = this.#iter.next();
    } catch (e) {
      throw new SampleError(pos, 'iterate', e);
    }
    const take = (res: IteratorResult<unknown>) => {
      if (res.done) {
        this.#ended = true;
        return STOP;
      }
      this.#position++;
      return res.value;
    };
    if (isPromiseLike(r)) {
      if (this.sync) throw new TypeError('the dataset iterator returned a Promise: iterate the DataLoader with `for await`');
      return Promise.resolve(r).then(take, (e: unknown) => { throw new SampleError(pos, 'iterate', e); });
    }
    return take(r);
  }

  #finish(data: unknown[], count: number): unknown {
    if (data.length === 0 || (this.dropLast && data.length < count)) return STOP;
    return collateWith(this.collate, data);
  }

  async fetch(count: number | null): Promise<unknown> {
    if (this.#ended) return STOP;
    if (count === null) {
      const v = await this.#pull();
      return v === STOP ? STOP : collateWith(this.collate, v);
    }
    const data: unknown[] = [];
    while (data.length < count) {
      const v = await this.#pull();
      if (v === STOP) break;
      data.push(v);
    }
    return this.#finish(data, count);
  }

  fetchSync(count: number | null): unknown {
    if (this.#ended) return STOP;
    if (count === null) {
      const v = this.#pull();
      return v === STOP ? STOP : collateWith(this.collate, v);
    }
    const data: unknown[] = [];
    while (data.length < count) {
      const v = this.#pull();
      if (v === STOP) break;
      data.push(v);
    }
    return this.#finish(data, count);
  }
}
