import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import { describe, expect, it } from 'vitest';
import { ChainDataset, ConcatDataset, Dataset, IterableDataset, Subset, TensorDataset } from '../src/index.js';

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

class Count extends IterableDataset<number> {
  constructor(readonly n: number) {
    super();
  }
  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.n; i++) yield i;
  }
  get length(): number {
    return this.n;
  }
}

class AsyncCount extends IterableDataset<number> {
  constructor(readonly from: number, readonly to: number) {
    super();
  }
  override async *[Symbol.asyncIterator](): AsyncIterator<number> {
    for (let i = this.from; i < this.to; i++) yield await Promise.resolve(i);
  }
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('TensorDataset', () => {
  it('indexes every tensor along its first dimension, as views', () => {
    const x = torch.arange(6).reshape(3, 2);
    const y = torch.tensor([7, 8, 9]);
    const ds = new TensorDataset(x, y);
    expect(ds.length).toBe(3);
    const [xi, yi] = ds.getItem(1);
    expect(xi!.tolist()).toEqual([2, 3]);
    expect(yi!.item()).toBe(8);
    expect(ds.getItem(-1)[1]!.item()).toBe(9);
    xi!.fill_(0);
    expect(x.tolist()).toEqual([[0, 1], [0, 0], [4, 5]]); // a view, as tensor[index] in PyTorch
  });

  it('refuses tensors of different lengths and out-of-range indices', () => {
    expect(() => new TensorDataset(torch.zeros(3), torch.zeros(4))).toThrow('Size mismatch between tensors');
    expect(() => new TensorDataset()).toThrow('at least one tensor');
    expect(() => new TensorDataset(torch.zeros(3)).getItem(3)).toThrow();
  });
});

describe('ConcatDataset', () => {
  it('chains map-style datasets end to end', () => {
    const ds = new ConcatDataset([new Squares(3), [10, 11], new Squares(2)]);
    expect(ds.length).toBe(7);
    expect(ds.cumulativeSizes).toEqual([3, 5, 7]);
    expect(Array.from({ length: 7 }, (_, i) => ds.getItem(i))).toEqual([0, 1, 4, 10, 11, 0, 1]);
    expect(ds.getItem(-1)).toBe(1);
    expect(ds.getItem(-7)).toBe(0);
  });

  it('refuses what PyTorch refuses', () => {
    expect(() => new ConcatDataset([])).toThrow('datasets should not be an empty iterable');
    expect(() => new ConcatDataset([new Count(2) as never])).toThrow('ConcatDataset does not support IterableDataset');
    const ds = new ConcatDataset([[1, 2]]);
    expect(() => ds.getItem(-3)).toThrow('absolute value of index should not exceed dataset length');
    expect(() => ds.getItem(2)).toThrow('out of range');
  });
});

describe('Subset', () => {
  it('maps its indices into the dataset', () => {
    const s = new Subset(new Squares(10), [9, 0, 3]);
    expect(s.length).toBe(3);
    expect([0, 1, 2].map((i) => s.getItem(i))).toEqual([81, 0, 9]);
    expect(s.getItem(-1)).toBe(9);
    expect(() => s.getItem(3)).toThrow('out of range for a Subset of length 3');
  });
});

describe('IterableDataset and ChainDataset', () => {
  it('an IterableDataset iterates synchronously and asynchronously', async () => {
    expect([...new Count(3)]).toEqual([0, 1, 2]);
    expect(await collect(new Count(3))).toEqual([0, 1, 2]);
    expect(await collect(new AsyncCount(2, 5))).toEqual([2, 3, 4]);
  });

  it('ChainDataset chains streams, synchronously when every part is synchronous', async () => {
    const chain = new ChainDataset<number>([new Count(2), new Count(3)]);
    expect([...chain]).toEqual([0, 1, 0, 1, 2]);
    expect(chain.length).toBe(5);
    const mixed = new ChainDataset<number>([new Count(2), new AsyncCount(5, 7)]);
    expect(await collect(mixed)).toEqual([0, 1, 5, 6]);
    expect(() => [...mixed]).toThrow('can only be iterated asynchronously');
    expect(() => mixed.length).toThrow("has no len()");
    expect(() => [...new ChainDataset([[1, 2] as never])]).toThrow('ChainDataset only supports IterableDataset');
  });
});

describe('Dataset', () => {
  it('keeps the transform for the subclass to apply', () => {
    class Scaled extends Dataset<number> {
      constructor(transform?: (x: number) => number) {
        super(transform ? { transform } : {});
      }
      get length(): number {
        return 2;
      }
      getItem(i: number): number {
        return this.transform ? this.transform(i) : i;
      }
    }
    expect(new Scaled((x) => x * 10).getItem(1)).toBe(10);
    expect(new Scaled().getItem(1)).toBe(1);
  });
});
