// DataLoader in the calling thread (numWorkers: 0): options, lengths, orders against PyTorch.
import * as torch from '@kindling/tensor';
import type { Tensor } from '@kindling/tensor';
import '@kindling/backend-cpu';
import { describe, expect, it } from 'vitest';
import { BatchSampler, DataLoader, Dataset, IterableDataset, SequentialSampler, TensorDataset } from '../src/index.js';
import { SHUFFLE, range } from './fixtures.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

class Squares extends Dataset<number> {
  constructor(readonly n: number) {
    super();
  }
  get length(): number {
    return this.n;
  }
  getItem(i: number): number {
    return i * i;
  }
}

class AsyncSquares extends Dataset<Promise<number>> {
  constructor(readonly n: number) {
    super();
  }
  get length(): number {
    return this.n;
  }
  async getItem(i: number): Promise<number> {
    await new Promise((r) => setTimeout(r, 1));
    if (i === 5) throw new RangeError('no square for 5');
    return i * i;
  }
}

class Stream extends IterableDataset<number> {
  constructor(readonly start: number, readonly end: number) {
    super();
  }
  *[Symbol.iterator](): Iterator<number> {
    for (let i = this.start; i < this.end; i++) yield i;
  }
  get length(): number {
    return this.end - this.start;
  }
}

describe('shuffle order matches PyTorch 1.13 (numWorkers 0)', () => {
  it.each(SHUFFLE.map((c) => [`seed ${c.seed} n ${c.n} batchSize ${c.batchSize} dropLast ${c.dropLast}${c.generator ? '' : ' (default generator)'}`, c] as const))('%s', async (_, c) => {
    const g = c.generator ? new torch.Generator().manualSeed(BigInt(c.seed)) : undefined;
    if (!g) torch.manualSeed(BigInt(c.seed));
    const loader = new DataLoader(range(c.n), { batchSize: c.batchSize, shuffle: true, dropLast: c.dropLast, ...(g ? { generator: g } : {}) });
    expect(loader.length).toBe(c.length);
    // One epoch synchronously, one asynchronously: both draw as PyTorch's iterator does (a base
    // seed, then the sampler's seed or permutation).
    const first = [...loader].map((b) => b.tolist());
    const second = (await collect(loader)).map((b) => b.tolist());
    expect([first, second]).toEqual(c.epochs);
    expect(torch.randint(0, 1000, [3], g ? { generator: g } : {}).tolist()).toEqual(c.after);
  });
});

describe('DataLoader options', () => {
  it('length is ceil(n / batchSize), or floor with dropLast', () => {
    expect(new DataLoader(range(10), { batchSize: 3 }).length).toBe(4);
    expect(new DataLoader(range(10), { batchSize: 3, dropLast: true }).length).toBe(3);
    expect(new DataLoader(range(10)).length).toBe(10);
    expect(new DataLoader(range(10), { batchSize: null }).length).toBe(10);
    expect(new DataLoader(new Stream(0, 10), { batchSize: 4 }).length).toBe(3);
    expect(new DataLoader(new Stream(0, 10), { batchSize: 4, dropLast: true }).length).toBe(2);
  });

  it('batchSize null turns batching off: samples come one by one, converted', () => {
    const loader = new DataLoader([{ a: new Float32Array([1, 2]), b: 'x' }], { batchSize: null });
    const [s] = [...loader] as unknown as { a: Tensor; b: string }[];
    expect(s!.a.dtype).toBe('float32');
    expect(s!.a.tolist()).toEqual([1, 2]);
    expect(s!.b).toBe('x');
    expect([...new DataLoader(new Squares(3), { batchSize: null })]).toEqual([0, 1, 4]);
  });

  it('sampler: any iterable of indices', () => {
    const loader = new DataLoader(new Squares(10), { sampler: [9, 1, 4], batchSize: 2 });
    expect([...loader].map((b) => b.tolist())).toEqual([[81, 1], [16]]);
    expect(loader.length).toBe(2);
  });

  it('batchSampler: lists of indices', () => {
    const batchSampler = new BatchSampler(new SequentialSampler(range(5)), 2, false);
    const loader = new DataLoader(new Squares(5), { batchSampler });
    expect([...loader].map((b) => b.tolist())).toEqual([[0, 1], [4, 9], [16]]);
    expect(loader.batchSize).toBe(null);
    expect(loader.length).toBe(3);
  });

  it('collateFn receives the list of samples', () => {
    const loader = new DataLoader(new Squares(5), { batchSize: 2, collateFn: (xs: number[]) => xs.join('+') });
    expect([...loader]).toEqual(['0+1', '4+9', '16']);
  });

  it('async datasets: for await awaits getItem; for…of refuses', async () => {
    const loader = new DataLoader(new AsyncSquares(5), { batchSize: 2 });
    expect((await collect(loader)).map((b) => b.tolist())).toEqual([[0, 1], [4, 9], [16]]);
    expect(() => [...loader]).toThrow('returned a Promise: iterate the DataLoader with `for await`');
    // Without workers the dataset's own exception surfaces, as in PyTorch.
    await expect(collect(new DataLoader(new AsyncSquares(6), { batchSize: 2 }))).rejects.toThrow(RangeError);
  });

  it("IterableDataset: PyTorch's example 1 loads [3], [4], [5], [6] in one thread", async () => {
    const ds = new Stream(3, 7);
    expect([...new DataLoader(ds)].map((b) => b.tolist())).toEqual([[3], [4], [5], [6]]);
    expect((await collect(new DataLoader(ds, { batchSize: 3 }))).map((b) => b.tolist())).toEqual([[3, 4, 5], [6]]);
    expect([...new DataLoader(ds, { batchSize: 3, dropLast: true })].map((b) => b.tolist())).toEqual([[3, 4, 5]]);
    expect([...new DataLoader(ds, { batchSize: null })]).toEqual([3, 4, 5, 6]);
  });

  it('TensorDataset batches are tensors with a leading batch dimension', () => {
    const ds = new TensorDataset(torch.arange(12, { dtype: torch.float32 }).reshape(6, 2), torch.arange(6));
    const [x, y] = new DataLoader(ds, { batchSize: 4 })[Symbol.iterator]().next().value!;
    expect(x!.shape).toEqual([4, 2]);
    expect(x!.dtype).toBe('float32');
    expect(y!.tolist()).toEqual([0, 1, 2, 3]);
  });

  it('refuses bad option combinations with PyTorch\'s messages', () => {
    const ds = range(4);
    expect(() => new DataLoader(ds, { numWorkers: -1 })).toThrow('num_workers option should be non-negative');
    expect(() => new DataLoader(ds, { timeout: -1 })).toThrow('timeout option should be non-negative');
    expect(() => new DataLoader(ds, { prefetchFactor: 4 })).toThrow('prefetch_factor option could only be specified in multiprocessing');
    expect(() => new DataLoader(ds, { persistentWorkers: true })).toThrow('persistent_workers option needs numWorkers > 0');
    expect(() => new DataLoader(ds, { sampler: [0], shuffle: true })).toThrow('sampler option is mutually exclusive with shuffle');
    expect(() => new DataLoader(ds, { batchSampler: [[0]], batchSize: 2 })).toThrow('batch_sampler option is mutually exclusive');
    expect(() => new DataLoader(ds, { batchSampler: [[0]], dropLast: true })).toThrow('batch_sampler option is mutually exclusive');
    expect(() => new DataLoader(ds, { batchSize: null, dropLast: true })).toThrow('mutually exclusive with drop_last');
    expect(() => new DataLoader(new Stream(0, 2), { shuffle: true })).toThrow('DataLoader with IterableDataset: expected unspecified shuffle option');
    expect(() => new DataLoader(new Stream(0, 2), { sampler: [0] })).toThrow('expected unspecified sampler option');
    expect(() => new DataLoader(42 as never)).toThrow('DataLoader expects a dataset');
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow('batch_size should be a positive integer value');
    expect(() => new DataLoader(ds, { numWorkers: 2 })[Symbol.iterator]()).toThrow('iterate it with `for await`');
  });

  it('an iterable dataset without length has no len()', () => {
    class NoLen extends IterableDataset<number> {
      *[Symbol.iterator](): Iterator<number> {
        yield 1;
      }
    }
    expect(() => new DataLoader(new NoLen()).length).toThrow("object of type 'NoLen' has no len()");
  });
});

describe('typing', () => {
  it('a DataLoader of any sample type is a DataLoader (as a function parameter, handbook 15.3)', () => {
    const count = (loader: DataLoader): number => loader.length;
    const typed = new DataLoader(new TensorDataset(torch.zeros(4, 2), torch.zeros(4)), { batchSize: 2 });
    const custom = new DataLoader([1, 2, 3], { collateFn: (xs: number[]) => xs.length });
    expect(count(typed) + count(custom)).toBe(5);
  });
});
