import '@kindling/backend-cpu';
import { afterEach, describe, expect, it } from 'vitest';
import { DataLoader, DistributedSampler } from '../src/index.js';
import { fixture } from './fixtures.js';

interface Dist {
  cases: { n: number; numReplicas: number; shuffle: boolean; dropLast: boolean; seed: number; epoch: number; ranks: number[][]; lengths: number[] }[];
}
const F = fixture<Dist>('distributed.json');
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('DistributedSampler matches PyTorch 1.13', () => {
  it.each(F.cases.map((c) => [`n ${c.n} replicas ${c.numReplicas} shuffle ${c.shuffle} dropLast ${c.dropLast} seed ${c.seed} epoch ${c.epoch}`, c] as const))('%s', (_, c) => {
    for (let rank = 0; rank < c.numReplicas; rank++) {
      const s = new DistributedSampler(range(c.n), { numReplicas: c.numReplicas, rank, shuffle: c.shuffle, seed: c.seed, dropLast: c.dropLast });
      s.setEpoch(c.epoch);
      expect([...s]).toEqual(c.ranks[rank]);
      expect(s.length).toBe(c.lengths[rank]);
    }
  });

  it('gives every rank the same count, together covering the dataset (padding repeats the head)', () => {
    const parts = range(3).map((rank) => [...new DistributedSampler(range(10), { numReplicas: 3, rank, shuffle: false })]);
    expect(parts).toEqual([[0, 3, 6, 9], [1, 4, 7, 0], [2, 5, 8, 1]]);
  });

  it('changes the order with setEpoch and keeps it without', () => {
    const s = new DistributedSampler(range(20), { numReplicas: 2, rank: 0 });
    const e0 = [...s];
    expect([...s]).toEqual(e0);
    s.setEpoch(1);
    expect([...s]).not.toEqual(e0);
  });

  it('validates rank and needs a world size', () => {
    expect(() => new DistributedSampler(range(4), { numReplicas: 2, rank: 2 })).toThrow('Invalid rank 2, rank should be in the interval [0, 1]');
    expect(() => new DistributedSampler(range(4), { numReplicas: 2, rank: -1 })).toThrow('Invalid rank -1');
    delete process.env['WORLD_SIZE'];
    delete process.env['RANK'];
    expect(() => new DistributedSampler(range(4))).toThrow('DistributedSampler needs numReplicas and rank');
  });

  afterEach(() => {
    delete process.env['WORLD_SIZE'];
    delete process.env['RANK'];
  });

  it('handbook 13.3: DistributedSampler(dataset) under a launcher that sets WORLD_SIZE and RANK', () => {
    process.env['WORLD_SIZE'] = '2';
    process.env['RANK'] = '1';
    const dataset = range(7);
    const sampler = new DistributedSampler(dataset);
    const dataloader = new DataLoader(dataset, { sampler });
    expect(sampler.numReplicas).toBe(2);
    expect(sampler.rank).toBe(1);
    expect(dataloader.length).toBe(4);
    const seen = [...dataloader].map((b) => b.tolist());
    expect(seen).toEqual([...sampler].map((i) => [i]));
  });
});
