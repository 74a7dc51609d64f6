import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import { describe, expect, it } from 'vitest';
import { defaultCollate, defaultConvert } from '../src/index.js';

const T = (x: unknown) => x as torch.Tensor;

describe('defaultCollate (PyTorch default_collate)', () => {
  it("docstring examples: ints, strings, dicts, tuples, lists", () => {
    const a = T(defaultCollate([0, 1, 2, 3]));
    expect(a.dtype).toBe('int64');
    expect(a.tolist()).toEqual([0, 1, 2, 3]);
    expect(defaultCollate(['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
    const d = defaultCollate([{ A: 0, B: 1 }, { A: 100, B: 100 }]) as Record<string, torch.Tensor>;
    expect(Object.keys(d)).toEqual(['A', 'B']);
    expect(d['A']!.tolist()).toEqual([0, 100]);
    expect(d['B']!.tolist()).toEqual([1, 100]);
    // Tuples and lists both collate to a list of per-position batches.
    const t = defaultCollate([[0, 1], [2, 3]]) as torch.Tensor[];
    expect(t.map((x) => x.tolist())).toEqual([[0, 2], [1, 3]]);
  });

  it('numbers: all integral → int64, any fraction → float64; booleans → bool; bigints → int64', () => {
    expect(T(defaultCollate([1, 2])).dtype).toBe('int64');
    const f = T(defaultCollate([1, 2.5]));
    expect(f.dtype).toBe('float64');
    expect(f.tolist()).toEqual([1, 2.5]);
    expect(T(defaultCollate([0.5, NaN])).dtype).toBe('float64');
    const b = T(defaultCollate([true, false]));
    expect(b.dtype).toBe('bool');
    expect(b.tolist()).toEqual([true, false]);
    const big = T(defaultCollate([1n, 2n ** 60n]));
    expect(big.dtype).toBe('int64');
    expect(big.tolist()).toEqual([1, 2n ** 60n]);
  });

  it('tensors are stacked along a new first dimension, keeping their dtype', () => {
    const out = T(defaultCollate([torch.tensor([1, 2], { dtype: torch.float32 }), torch.tensor([3, 4], { dtype: torch.float32 })]));
    expect(out.shape).toEqual([2, 2]);
    expect(out.dtype).toBe('float32');
    expect(out.tolist()).toEqual([[1, 2], [3, 4]]);
    const scalars = T(defaultCollate([torch.tensor(1.5, { dtype: torch.float64 }), torch.tensor(2, { dtype: torch.float64 })]));
    expect(scalars.shape).toEqual([2]);
    expect(() => defaultCollate([torch.zeros(2), torch.zeros(3)])).toThrow();
  });

  it('typed arrays (NumPy arrays) become tensors of their dtype', () => {
    const out = T(defaultCollate([new Float32Array([1, 2]), new Float32Array([3, 4])]));
    expect(out.dtype).toBe('float32');
    expect(out.tolist()).toEqual([[1, 2], [3, 4]]);
    expect(T(defaultCollate([new BigInt64Array([1n]), new BigInt64Array([2n])])).dtype).toBe('int64');
  });

  it('nested structures: (x, y) pairs, dicts of tensors, Maps, nested lists', () => {
    const samples = [0, 1, 2].map((i) => [torch.full([2], i, { dtype: torch.float32 }), i] as const);
    const [x, y] = defaultCollate(samples) as torch.Tensor[];
    expect(x!.shape).toEqual([3, 2]);
    expect(y!.tolist()).toEqual([0, 1, 2]);
    const nested = defaultCollate([
      { img: torch.zeros(1, 2), meta: { id: 'a', scores: [1, 2] } },
      { img: torch.ones(1, 2), meta: { id: 'b', scores: [3, 4] } },
    ]) as { img: torch.Tensor; meta: { id: string[]; scores: torch.Tensor[] } };
    expect(nested.img.shape).toEqual([2, 1, 2]);
    expect(nested.meta.id).toEqual(['a', 'b']);
    expect(nested.meta.scores.map((s) => s.tolist())).toEqual([[1, 3], [2, 4]]);
    const m = defaultCollate([new Map([['k', 1]]), new Map([['k', 2]])]) as Map<string, torch.Tensor>;
    expect(m.get('k')!.tolist()).toEqual([1, 2]);
  });

  it("refuses what PyTorch refuses", () => {
    expect(() => defaultCollate([null, null])).toThrow(TypeError);
    expect(() => defaultCollate([null, null])).toThrow(/default_collate: batch must contain tensors.*found null/);
    expect(() => defaultCollate([new Date(), new Date()])).toThrow(/found Date/);
    expect(() => defaultCollate([[1, 2], [3]])).toThrow('each element in list of batch should be of equal size');
    expect(() => defaultCollate([{ a: 1 }, { b: 2 }])).toThrow("a sample lacks the key 'a'");
    expect(() => defaultCollate([1, 'x'])).toThrow(/a mix of number and string/);
    expect(() => defaultCollate([])).toThrow('the batch is empty');
  });
});

describe('defaultConvert (PyTorch default_convert)', () => {
  it('turns typed arrays into tensors and leaves everything else', () => {
    expect(defaultConvert(0)).toBe(0);
    const t = defaultConvert(new Float64Array([0, 1])) as torch.Tensor;
    expect(t.dtype).toBe('float64');
    expect(t.tolist()).toEqual([0, 1]);
    const p = defaultConvert({ x: 0, y: new Int32Array([1]) }) as { x: number; y: torch.Tensor };
    expect(p.x).toBe(0);
    expect(p.y.tolist()).toEqual([1]);
    const l = defaultConvert([new Int32Array([0, 1]), new Int32Array([2, 3])]) as torch.Tensor[];
    expect(l.map((x) => x.tolist())).toEqual([[0, 1], [2, 3]]);
    const x = torch.zeros(2);
    expect(defaultConvert(x)).toBe(x);
  });
});
