import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import { describe, expect, it, vi } from 'vitest';
import { Subset, TensorDataset, randomSplit, splitLengths } from '../src/index.js';
import { fixture } from './fixtures.js';

interface Split {
  cases: { n: number; lengths: number[]; seed: string; generator: boolean; indices: number[][]; after?: number[] }[];
  errors: { n: number; lengths: number[]; error: string | null }[];
}
const F = fixture<Split>('split.json');
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('randomSplit matches PyTorch 1.13 random_split', () => {
  it.each(F.cases.map((c) => [`n ${c.n} lengths [${c.lengths.join(', ')}] seed ${c.seed}${c.generator ? '' : ' (default generator)'}`, c] as const))('%s', (_, c) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const g = c.generator ? new torch.Generator().manualSeed(BigInt(c.seed)) : undefined;
    if (!g) torch.manualSeed(BigInt(c.seed));
    const parts = randomSplit(range(c.n), c.lengths, g ? { generator: g } : {});
    expect(parts.map((p) => [...p.indices])).toEqual(c.indices);
    if (c.after && g) expect(torch.randint(0, 1000, [3], { generator: g }).tolist()).toEqual(c.after);
    warn.mockRestore();
  });

  it.each(F.errors.map((c) => [`n ${c.n} lengths [${c.lengths.join(', ')}]`, c] as const))('refuses %s with PyTorch\'s message', (_, c) => {
    expect(() => randomSplit(range(c.n), c.lengths, { generator: new torch.Generator() })).toThrow(c.error!);
  });

  it('fractions: floor each, then hand out the remainder round robin', () => {
    expect(splitLengths(10, [0.33, 0.33, 0.34])).toEqual([4, 3, 3]);
    expect(splitLengths(7, [0.1, 0.2, 0.7])).toEqual([1, 2, 4]);
    expect(splitLengths(11, [0.5, 0.5])).toEqual([6, 5]);
  });

  it('warns about an empty split, as PyTorch does', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(splitLengths(10, [0, 1])).toEqual([0, 10]);
    expect(warn).toHaveBeenCalledWith('Length of split at index 0 is 0. This might result in an empty dataset.');
    warn.mockRestore();
  });

  it('returns Subsets of the dataset', () => {
    const ds = new TensorDataset(torch.arange(10).mul(100));
    const [a, b] = randomSplit(ds, [3, 7], { generator: new torch.Generator().manualSeed(42) });
    expect(a).toBeInstanceOf(Subset);
    expect(a!.length).toBe(3);
    expect(b!.length).toBe(7);
    const values = [...a!.indices, ...b!.indices].map((i) => (ds.getItem(i)[0]!.item() as number) / 100);
    expect(values.sort((x, y) => x - y)).toEqual(range(10));
    expect(a!.getItem(0)[0]!.item()).toBe(a!.indices[0]! * 100);
  });

  it('rejects lengths that are neither counts nor fractions', () => {
    expect(() => randomSplit(range(4), [1.5, 2.5])).toThrow('lengths must be non-negative integers or fractions summing to 1');
  });
});
