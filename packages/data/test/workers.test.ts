// DataLoader with worker threads. The datasets live in workers/datasets.mjs, which each worker
// imports as plain JavaScript. Small datasets: each pool start costs a few hundred milliseconds.
import * as torch from '@kindling/tensor';
import type { Tensor } from '@kindling/tensor';
import '@kindling/backend-cpu';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConcatDataset, DataLoader, DataLoaderTimeoutError, DataLoaderWorkerError, DataLoaderWorkerExitError, Dataset, Subset,
  TensorDataset, loadDataset, randomSplit,
} from '../src/index.js';
import { liveWorkerThreads } from '../src/loader/worker-pool.js';
import { LOADER, SHUFFLE, range } from './fixtures.js';

const MODULE = new URL('./workers/datasets.mjs', import.meta.url).href;
const load = <T = Dataset<unknown>>(exportName: string, ...args: unknown[]) => loadDataset<T>({ module: MODULE, export: exportName, args });

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

type Sample = { x: Tensor; y: Tensor };
const plain = (b: Sample) => ({ x: b.x.tolist(), y: b.y.tolist() });

afterEach(() => {
  // Every test must leave no thread behind.
  expect(liveWorkerThreads()).toBe(0);
});

describe('batches are identical for any numWorkers', () => {
  // Two of the cases (dataloader.test.ts runs them all without workers): each epoch starts a pool.
  const cases = SHUFFLE.filter((c) => c.numWorkers > 0); // the ones PyTorch ran with 2 workers
  it.each(cases.map((c) => [`seed ${c.seed} n ${c.n} batchSize ${c.batchSize}${c.generator ? '' : ' (default generator)'}`, c] as const))('PyTorch shuffle order, %s, with 2 workers', async (_, c) => {
    const g = c.generator ? new torch.Generator().manualSeed(BigInt(c.seed)) : undefined;
    if (!g) torch.manualSeed(BigInt(c.seed));
    const loader = new DataLoader(range(c.n), { batchSize: c.batchSize, shuffle: true, dropLast: c.dropLast, numWorkers: 2, ...(g ? { generator: g } : {}) });
    const epochs = [];
    for (let e = 0; e < c.epochs.length; e++) epochs.push((await collect(loader)).map((b) => b.tolist()));
    expect(epochs).toEqual(c.epochs);
    expect(torch.randint(0, 1000, [3], g ? { generator: g } : {}).tolist()).toEqual(c.after);
  });

  it('a module dataset: 0 and 2 workers give the same batches', async () => {
    const ds = await load('RangeDataset', 11);
    const run = async (numWorkers: number) =>
      (await collect(new DataLoader<unknown, Sample>(ds, { batchSize: 3, shuffle: true, numWorkers, generator: new torch.Generator().manualSeed(7) }))).map(plain);
    const zero = await run(0);
    expect(zero.length).toBe(4);
    const [x0, y0] = [(zero[0]!.x as number[][])[0], (zero[0]!.y as number[])[0]!];
    expect(x0).toEqual([y0, 10 * y0]);
    expect(await run(2)).toEqual(zero);
  });
});

describe('worker seeds and worker info match PyTorch 1.13', () => {
  type Probe = { index: number; worker: number; seed: string; draw: number };
  const cases = LOADER.cases.filter((c) => c.kind === 'workerSeeds') as unknown as { seed: string; n: number; numWorkers: number; persistentWorkers: boolean; epochs: Probe[][] }[];
  it.each(cases.map((c) => [`seed ${c.seed} workers ${c.numWorkers} persistent ${c.persistentWorkers}`, c] as const))('%s', async (_, c) => {
    const ds = await load('WorkerProbe', c.n);
    const loader = new DataLoader<unknown, Probe>(ds, {
      batchSize: null, numWorkers: c.numWorkers, generator: new torch.Generator().manualSeed(BigInt(c.seed)), persistentWorkers: c.persistentWorkers,
    });
    const epochs = [await collect(loader), await collect(loader)];
    expect(epochs).toEqual(c.epochs);
    await loader.close();
  });
});

describe('IterableDataset in workers', () => {
  const cases = LOADER.cases.filter((c) => c.kind === 'iterable') as unknown as { start: number; end: number; numWorkers: number; batchSize: number; dropLast?: boolean; batches: number[][] }[];
  it.each(cases.map((c) => [`[${c.start}, ${c.end}) workers ${c.numWorkers} batchSize ${c.batchSize} dropLast ${c.dropLast ?? false}`, c] as const))('sharded with getWorkerInfo(): %s', async (_, c) => {
    const ds = await load('RangeIterable', c.start, c.end);
    const loader = new DataLoader<unknown, Tensor>(ds, { batchSize: c.batchSize, numWorkers: c.numWorkers, dropLast: c.dropLast ?? false });
    expect((await collect(loader)).map((b) => b.tolist())).toEqual(c.batches);
  });

  it('an async iterable dataset', async () => {
    const ds = await load('AsyncRangeIterable', 3, 7);
    expect((await collect(new DataLoader<unknown, Tensor>(ds, { numWorkers: 2 }))).map((b) => b.tolist())).toEqual([[3], [5], [4], [6]]);
  });

  it("PyTorch's example 2: without sharding every worker yields everything; workerInitFn shards", async () => {
    const ds = await load('PlainRange', 3, 7);
    const flat = async (loader: DataLoader<unknown, Tensor>) => (await collect(loader)).map((b) => b.item());
    expect(await flat(new DataLoader<unknown, Tensor>(ds, { numWorkers: 2 }))).toEqual([3, 3, 4, 4, 5, 5, 6, 6]);
    // worker_init_fn as a module export…
    expect(await flat(new DataLoader<unknown, Tensor>(ds, { numWorkers: 2, workerInitFn: { module: MODULE, export: 'shardPlainRange' } }))).toEqual([3, 5, 4, 6]);
    // …or as a self-contained function, recompiled in each worker (it gets no imports: the dataset
    // is reached through the worker info that the worker publishes on globalThis).
    const workerInitFn = (workerId: number) => {
      const info = (globalThis as Record<symbol, { dataset: { start: number; end: number }; numWorkers: number }>)[Symbol.for('kindling.data.workerInfo')]!;
      const d = info.dataset;
      const per = Math.ceil((d.end - d.start) / info.numWorkers);
      const start = d.start + workerId * per;
      d.end = Math.min(start + per, d.end);
      d.start = start;
    };
    expect(await flat(new DataLoader<unknown, Tensor>(ds, { numWorkers: 3, workerInitFn }))).toEqual([3, 5, 4, 6]);
  });
});

describe('how workers get their dataset', () => {
  it('TensorDataset, randomSplit parts, ConcatDataset, arrays and constructor arguments', async () => {
    const x = torch.arange(20, { dtype: torch.float32 }).reshape(10, 2);
    const y = torch.arange(10);
    const td = new TensorDataset(x, y);
    const expectSame = async (ds: unknown, batchSize = 4) => {
      const ref = (await collect(new DataLoader(ds as TensorDataset, { batchSize }))).map((b) => b.map((t) => t.tolist()));
      const got = (await collect(new DataLoader(ds as TensorDataset, { batchSize, numWorkers: 2 }))).map((b) => b.map((t) => t.tolist()));
      expect(got).toEqual(ref);
      return got;
    };
    expect((await expectSame(td))[0]).toEqual([[[0, 1], [2, 3], [4, 5], [6, 7]], [0, 1, 2, 3]]);
    const [train] = randomSplit(td, [0.7, 0.3], { generator: new torch.Generator().manualSeed(1) });
    await expectSame(train);
    await expectSame(new ConcatDataset([td, new Subset(td, [9, 8])]));
    // An array travels by structured clone (tensors in it, copied).
    const arr = [0, 1, 2].map((i) => [torch.full([2], i), i]);
    const got = await collect(new DataLoader(arr, { batchSize: 3, numWorkers: 2 }));
    expect((got[0] as Tensor[]).map((t) => t.tolist())).toEqual([[[0, 0], [1, 1], [2, 2]], [0, 1, 2]]);
    // A module dataset whose constructor takes another dataset and a number.
    const doubled = await load('Doubled', td, 2);
    const d = await collect(new DataLoader<unknown, Tensor[]>(doubled, { batchSize: 10, numWorkers: 2 }));
    expect(d[0]![0]!.tolist()).toEqual((x.mul(2).tolist()));
  });

  it('a factory export, async getItem, and the workerDataset option', async () => {
    const fromFactory = await loadDataset<Dataset<Sample>>({ module: MODULE, export: 'makeRange', args: [4] });
    expect((await collect(new DataLoader<unknown, Sample>(fromFactory, { batchSize: 2, numWorkers: 2 }))).map((b) => b.y.tolist())).toEqual([[0, 1], [2, 3]]);
    const asyncDs = await load('AsyncRangeDataset', 5);
    expect((await collect(new DataLoader<unknown, Sample>(asyncDs, { batchSize: 2, numWorkers: 2 }))).map((b) => b.y.tolist())).toEqual([[0, 1], [2, 3], [4]]);
    // A dataset made here by hand; workers build theirs from the named module.
    class Local extends Dataset<number> {
      get length(): number {
        return 3;
      }
      getItem(i: number): number {
        return i;
      }
    }
    const loader = new DataLoader(new Local(), { batchSize: 3, numWorkers: 2, workerDataset: { module: MODULE, export: 'RangeDataset', args: [3] } });
    expect(((await collect(loader))[0] as unknown as Sample).y.tolist()).toEqual([0, 1, 2]);
  });

  it('an instance with no module to load it from is refused with a way out', async () => {
    class Local extends Dataset<number> {
      get length(): number {
        return 3;
      }
      getItem(i: number): number {
        return i;
      }
    }
    await expect(collect(new DataLoader(new Local(), { numWorkers: 2 }))).rejects.toThrow(/a Local instance cannot be sent to a thread.*loadDataset/s);
    await expect(loadDataset({ module: './workers/datasets.mjs' })).rejects.toThrow("use new URL('./workers/datasets.mjs', import.meta.url).href");
  });
});

describe('collation in workers', () => {
  it('a collateFn given as { module, export } runs in the workers', async () => {
    const ds = await load('RangeDataset', 5);
    const loader = new DataLoader<unknown, { total: Tensor; count: number }>(ds, { batchSize: 2, numWorkers: 2, collateFn: { module: MODULE, export: 'sumCollate' } });
    const out = await collect(loader);
    expect(out.map((b) => [b.total.tolist(), b.count])).toEqual([[[1, 10], 2], [[5, 50], 2], [[4, 40], 1]]);
  });
});

describe('errors and shutdown', () => {
  it("an exception in a worker surfaces with the worker's stack, the worker id and the sample index", async () => {
    const ds = await load('RangeDataset', 12, { failAt: 7 });
    const loader = new DataLoader(ds, { batchSize: 2, numWorkers: 2 });
    const seen: number[] = [];
    let caught: unknown;
    try {
      for await (const b of loader) seen.push(...((b as unknown as Sample).y.tolist() as number[]));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DataLoaderWorkerError);
    const err = caught as DataLoaderWorkerError;
    // Sample 7 is in batch 3 ([6, 7]), the second task of worker 1.
    expect(err.workerId).toBe(1);
    expect(err.sampleIndex).toBe(7);
    expect(err.batchIndex).toBe(3);
    expect(err.originalName).toBe('RangeError');
    expect(err.originalMessage).toBe('sample 7 is broken');
    expect(err.originalStack).toMatch(/datasets\.mjs/);
    expect(err.message).toMatch(/^Caught RangeError in DataLoader worker 1 while loading sample 7 \(batch 3\)\.\nOriginal stack \(in the worker\):\nRangeError: sample 7 is broken\n\s+at RangeDataset\.getItem/);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]); // every batch before the failing one arrived, in order
    expect(liveWorkerThreads()).toBe(0);
  });

  it('a failure while building the dataset in the worker is reported at the first batch', async () => {
    const ds = await load('BrokenConstructor', 4);
    const err = await collect(new DataLoader(ds, { numWorkers: 2 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataLoaderWorkerError);
    expect((err as DataLoaderWorkerError).phase).toBe('init');
    expect((err as Error).message).toMatch(/^Caught TypeError in DataLoader worker 0 while starting .*\n.*\nTypeError: cannot open the data files/);
  });

  it('a worker thread that dies is reported by id', async () => {
    const ds = await load('ExitingDataset');
    const err = await collect(new DataLoader(ds, { numWorkers: 2 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataLoaderWorkerExitError);
    expect((err as Error).message).toMatch(/^DataLoader worker 0 \(thread \d+\) exited unexpectedly: exit code 3/);
  });

  it('leaving a for await loop early terminates the workers', async () => {
    const ds = await load('RangeDataset', 40);
    const loader = new DataLoader(ds, { batchSize: 2, numWorkers: 2 });
    let n = 0;
    for await (const _ of loader) {
      expect(liveWorkerThreads()).toBe(2);
      if (++n === 2) break;
    }
    expect(liveWorkerThreads()).toBe(0);
  });

  it('timeout: an error naming the worker that owes the batch', async () => {
    const ds = await load('RangeDataset', 6, { delayMs: 3000, delayAt: 3 });
    const loader = new DataLoader(ds, { numWorkers: 2, timeout: 0.3 });
    const got: number[] = [];
    const t0 = Date.now();
    const err = await (async () => {
      for await (const b of loader) got.push((b as unknown as Sample).y.item() as number);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataLoaderTimeoutError);
    expect((err as Error).message).toBe('DataLoader timed out after 0.3 seconds: worker 1 has not delivered batch 3');
    expect((err as DataLoaderTimeoutError).workerId).toBe(1);
    expect(got).toEqual([0, 1, 2]);
    expect(Date.now() - t0).toBeLessThan(2500); // did not wait for the slow sample
  });

  it('persistent workers: same threads across epochs, a clean new epoch after a break, then close()', async () => {
    const ds = await load('RangeDataset', 9);
    const loader = new DataLoader(ds, { batchSize: 2, numWorkers: 2, persistentWorkers: true, prefetchFactor: 1 });
    const epoch = async () => (await collect(loader)).map((b) => (b as unknown as Sample).y.tolist());
    const full = [[0, 1], [2, 3], [4, 5], [6, 7], [8]];
    expect(await epoch()).toEqual(full);
    expect(liveWorkerThreads()).toBe(2);
    for await (const _ of loader) break; // answers still in flight are discarded next epoch
    expect(liveWorkerThreads()).toBe(2);
    expect(await epoch()).toEqual(full);
    await loader.close();
    expect(liveWorkerThreads()).toBe(0);
    expect(await epoch()).toEqual(full); // a new pool
    await loader.close();
  });
});
