// Datasets for the worker-thread tests. Worker threads import this file as plain JavaScript (the
// way a user's compiled dataset module is imported), so it is .mjs, not TypeScript.
import * as torch from '@kindling/tensor';
import { Dataset, IterableDataset, getWorkerInfo } from '@kindling/data';

/** Sample i: `{ x: tensor([i, 10 i]) (float32), y: i }`. */
export class RangeDataset extends Dataset {
  constructor(n, opts = {}) {
    super();
    this.n = n;
    this.failAt = opts.failAt ?? -1;
    this.delayMs = opts.delayMs ?? 0;
    this.delayAt = opts.delayAt ?? -1;
  }
  get length() {
    return this.n;
  }
  getItem(i) {
    if (i === this.failAt) throw new RangeError(`sample ${i} is broken`);
    if (this.delayMs > 0 && (this.delayAt < 0 || i === this.delayAt)) {
      // A synchronous sleep: the worker is busy, as with a slow decoder.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, this.delayMs);
    }
    return { x: torch.tensor([i, 10 * i], { dtype: torch.float32 }), y: i };
  }
}

/** Like RangeDataset, but getItem is async (a file read, a fetch). */
export class AsyncRangeDataset extends RangeDataset {
  async getItem(i) {
    await new Promise((r) => setTimeout(r, 1));
    return super.getItem(i);
  }
}

/** A factory export (not a class): the worker calls it. */
export async function makeRange(n) {
  return new RangeDataset(n);
}

/** Each sample says which worker made it, that worker's seed and its default generator's next draw. */
export class WorkerProbe extends Dataset {
  constructor(n) {
    super();
    this.n = n;
  }
  get length() {
    return this.n;
  }
  getItem(i) {
    const info = getWorkerInfo();
    return { index: i, worker: info ? info.id : -1, seed: info ? String(info.seed) : '', draw: Number(torch.randint(0, 1000000, [1]).item()) };
  }
}

/** PyTorch's IterableDataset example 1: each worker takes its own slice of [start, end). */
export class RangeIterable extends IterableDataset {
  constructor(start, end) {
    super();
    this.start = start;
    this.end = end;
  }
  get length() {
    return this.end - this.start;
  }
  *[Symbol.iterator]() {
    const info = getWorkerInfo();
    let s = this.start;
    let e = this.end;
    if (info !== null) {
      const per = Math.ceil((this.end - this.start) / info.numWorkers);
      s = this.start + info.id * per;
      e = Math.min(s + per, this.end);
    }
    for (let i = s; i < e; i++) yield i;
  }
}

/** The same stream, produced asynchronously. */
export class AsyncRangeIterable extends RangeIterable {
  async *[Symbol.asyncIterator]() {
    for (const i of RangeIterable.prototype[Symbol.iterator].call(this)) {
      await new Promise((r) => setTimeout(r, 1));
      yield i;
    }
  }
}

/** PyTorch's IterableDataset example 2: no sharding of its own; workerInitFn narrows it. */
export class PlainRange extends IterableDataset {
  constructor(start, end) {
    super();
    this.start = start;
    this.end = end;
  }
  *[Symbol.iterator]() {
    for (let i = this.start; i < this.end; i++) yield i;
  }
}

/** PyTorch's worker_init_fn of example 2, as a module export. */
export function shardPlainRange(workerId) {
  const info = getWorkerInfo();
  const ds = info.dataset;
  const start = ds.start;
  const end = ds.end;
  const per = Math.ceil((end - start) / info.numWorkers);
  ds.start = start + workerId * per;
  ds.end = Math.min(ds.start + per, end);
}

/** A dataset whose worker dies outright. */
export class ExitingDataset extends Dataset {
  get length() {
    return 4;
  }
  getItem(i) {
    if (i === 2) process.exit(3);
    return i;
  }
}

/** A dataset whose constructor fails (in the worker, where it is rebuilt). */
export class BrokenConstructor extends Dataset {
  constructor(n) {
    super();
    if (getWorkerInfo() !== null) throw new TypeError('cannot open the data files');
    this.n = n;
  }
  get length() {
    return this.n;
  }
  getItem(i) {
    return i;
  }
}

/** Wraps another dataset given as a constructor argument (rebuilt in the worker from its recipe). */
export class Doubled extends Dataset {
  constructor(inner, scale) {
    super();
    this.inner = inner;
    this.scale = scale;
  }
  get length() {
    return this.inner.length;
  }
  getItem(i) {
    const [x, y] = this.inner.getItem(i);
    return [x.mul(this.scale), y];
  }
}

/** A collate function to run in the workers: sums each batch's x. */
export function sumCollate(batch) {
  return { total: torch.stack(batch.map((s) => s.x)).sum(0), count: batch.length };
}
