import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  BatchSampler, RandomSampler, SequentialSampler, SubsetRandomSampler, WeightedRandomSampler,
} from '../src/index.js';
import { fixture } from './fixtures.js';

interface Epochs {
  seed: string;
  generator: boolean;
  epochs: number[][];
  after?: number[];
}
interface Samplers {
  random: (Epochs & { n: number; replacement: boolean; numSamples: number | null })[];
  subsetRandom: (Epochs & { indices: number[] })[];
  weighted: (Epochs & { weights: number[]; numSamples: number; replacement: boolean; weightsDtype?: string; labels?: number[] })[];
  batch: { n: number; batchSize: number; dropLast: boolean; batches: number[][]; length: number }[];
}
const F = fixture<Samplers>('samplers.json');

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Where the generator stands afterwards: the next three torch.randint(0, 1000, [3]) values. */
function after(g?: torch.Generator): number[] {
  return (torch.randint(0, 1000, [3], g ? { generator: g } : {}).tolist() as number[]);
}

/** Run a case on its own generator, or on the default generator seeded as the case says. */
function withGenerator(c: Epochs, make: (g: torch.Generator | undefined) => Iterable<number>): { epochs: number[][]; after: number[] } {
  const g = c.generator ? new torch.Generator().manualSeed(BigInt(c.seed)) : undefined;
  if (!g) torch.manualSeed(BigInt(c.seed));
  const s = make(g);
  const epochs = c.epochs.map(() => [...s]);
  return { epochs, after: after(g) };
}

describe('RandomSampler matches PyTorch 1.13', () => {
  it.each(F.random.map((c) => [`seed ${c.seed} n ${c.n} replacement ${c.replacement} numSamples ${c.numSamples} ${c.generator ? 'generator' : 'default generator'}`, c] as const))('%s', (_, c) => {
    const r = withGenerator(c, (g) => new RandomSampler(range(c.n), {
      replacement: c.replacement, ...(c.numSamples !== null ? { numSamples: c.numSamples } : {}), ...(g ? { generator: g } : {}),
    }));
    expect(r.epochs).toEqual(c.epochs);
    if (c.after) expect(r.after).toEqual(c.after);
  });

  it('has numSamples as its length, read from the dataset each time', () => {
    const data = [1, 2, 3];
    const s = new RandomSampler(data);
    expect(s.length).toBe(3);
    data.push(4);
    expect(s.length).toBe(4);
    expect(new RandomSampler(data, { numSamples: 10, replacement: true }).length).toBe(10);
  });

  it('rejects bad options as PyTorch does', () => {
    expect(() => new RandomSampler([])).toThrow('num_samples should be a positive integer value, but got num_samples=0');
    expect(() => new RandomSampler([1], { numSamples: -1 })).toThrow(/num_samples=-1/);
    expect(() => new RandomSampler([1], { replacement: 1 as unknown as boolean })).toThrow('replacement should be a boolean value');
  });
});

describe('SubsetRandomSampler matches PyTorch 1.13', () => {
  it.each(F.subsetRandom.map((c) => [`seed ${c.seed} ${c.generator ? 'generator' : 'default generator'}`, c] as const))('%s', (_, c) => {
    const r = withGenerator(c, (g) => new SubsetRandomSampler(c.indices, g ? { generator: g } : {}));
    expect(r.epochs).toEqual(c.epochs);
    if (c.after) expect(r.after).toEqual(c.after);
  });
});

describe('WeightedRandomSampler matches PyTorch 1.13 (torch.multinomial)', () => {
  it.each(F.weighted.map((c) => [`seed ${c.seed} weights [${c.weights.length}] numSamples ${c.numSamples} replacement ${c.replacement}`, c] as const))('%s', (_, c) => {
    const weights = c.weightsDtype === 'float32' ? torch.tensor(c.weights, { dtype: torch.float32 }) : c.weights;
    const r = withGenerator(c, (g) => new WeightedRandomSampler(weights, c.numSamples, { replacement: c.replacement, ...(g ? { generator: g } : {}) }));
    expect(r.epochs).toEqual(c.epochs);
    if (c.after) expect(r.after).toEqual(c.after);
  });

  it('validates its arguments', () => {
    expect(() => new WeightedRandomSampler([1, 2], 0)).toThrow('num_samples should be a positive integer value');
    expect(() => new WeightedRandomSampler(torch.ones(2, 2), 2)).toThrow('weights should be a 1d sequence but given weights have shape (2, 2)');
    expect(() => [...new WeightedRandomSampler([1, 2], 3, { replacement: false })]).toThrow('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
    expect(() => [...new WeightedRandomSampler([0, 0], 2)]).toThrow('invalid multinomial distribution (sum of probabilities <= 0)');
    expect(() => [...new WeightedRandomSampler([-1, 2], 2)]).toThrow('invalid multinomial distribution (encountering probability entry < 0)');
    expect(() => [...new WeightedRandomSampler([Infinity, 2], 2)]).toThrow('encountering probability entry = infinity or NaN');
    expect(() => [...new WeightedRandomSampler([NaN, 2], 2, { replacement: false })]).toThrow('probability tensor contains either `inf`, `nan` or element < 0');
  });
});

describe('SequentialSampler and BatchSampler', () => {
  it('SequentialSampler yields 0..n-1', () => {
    expect([...new SequentialSampler(range(4))]).toEqual([0, 1, 2, 3]);
    expect(new SequentialSampler(range(4)).length).toBe(4);
  });

  it.each(F.batch.map((c) => [`n ${c.n} batchSize ${c.batchSize} dropLast ${c.dropLast}`, c] as const))('BatchSampler %s', (_, c) => {
    const b = new BatchSampler(new SequentialSampler(range(c.n)), c.batchSize, c.dropLast);
    expect([...b]).toEqual(c.batches);
    expect(b.length).toBe(c.length);
  });

  it("BatchSampler's docstring examples", () => {
    expect([...new BatchSampler(new SequentialSampler(range(10)), 3, false)]).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    expect([...new BatchSampler(new SequentialSampler(range(10)), 3, true)]).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
  });

  it('BatchSampler validates batchSize and dropLast', () => {
    expect(() => new BatchSampler(range(3), 0, false)).toThrow('batch_size should be a positive integer value, but got batch_size=0');
    expect(() => new BatchSampler(range(3), 1.5, false)).toThrow('batch_size=1.5');
    expect(() => new BatchSampler(range(3), 2, 'no' as unknown as boolean)).toThrow('drop_last should be a boolean value');
    // Any iterable works as the inner sampler; its length is needed only for `length`.
    expect([...new BatchSampler(new Set([5, 6, 7]), 2, false)]).toEqual([[5, 6], [7]]);
    expect(() => new BatchSampler(new Set([5, 6, 7]), 2, false).length).toThrow("has no len()");
  });
});
