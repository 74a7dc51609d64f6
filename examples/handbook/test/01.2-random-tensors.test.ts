// Handbook 1.2 随机张量 (random tensors): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { flat, expectTensor } from './helpers/ch1-2.js';

describe('handbook 1.2 随机张量 (random tensors)', () => {
  /** The code example's five tensors, drawn after seeding. */
  function draw(seed: number) {
    torch.manualSeed(seed);
    const uniform = torch.rand(3, 4); // 均匀分布 [0, 1)
    const normal = torch.randn(3, 4); // 标准正态分布
    const integers = torch.randint(0, 10, [3, 4]); // 随机整数 [0, 10)
    const perm = torch.randperm(10); // 0-9 的随机排列
    const customNormal = torch.normal(0.0, 1.0, [3, 4]); // normal(mean=0.0, std=1.0, size=(3, 4))
    return { uniform, normal, integers, perm, customNormal };
  }

  it('code example: seeded rand, randn, randint, randperm, normal', () => {
    const { uniform, normal, integers, perm, customNormal } = draw(42);
    expect(uniform.shape).toEqual([3, 4]);
    expect(uniform.dtype).toBe('float32');
    for (const v of flat(uniform.tolist()) as number[]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
    expect(normal.shape).toEqual([3, 4]);
    expect(normal.dtype).toBe('float32');
    expect(torch.isfinite(normal).all().item()).toBe(true);
    expect(integers.shape).toEqual([3, 4]);
    expect(integers.dtype).toBe('int64');
    for (const v of flat(integers.tolist()) as number[]) {
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(10);
    }
    expect(perm.shape).toEqual([10]);
    expect(perm.dtype).toBe('int64');
    expect([...(flat(perm.tolist()) as number[])].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(customNormal.shape).toEqual([3, 4]);
    expect(customNormal.dtype).toBe('float32');

    // torch.manual_seed(42): the same seed gives the same numbers; another seed gives others.
    const again = draw(42);
    expect(again.uniform.tolist()).toEqual(uniform.tolist());
    expect(again.normal.tolist()).toEqual(normal.tolist());
    expect(again.integers.tolist()).toEqual(integers.tolist());
    expect(again.perm.tolist()).toEqual(perm.tolist());
    expect(again.customNormal.tolist()).toEqual(customNormal.tolist());
    expect(draw(43).uniform.tolist()).not.toEqual(uniform.tolist());
  });

  it('code example: after torch.manual_seed(42) the values are PyTorch 1.13\'s', () => {
    // The handbook's comments state no values; these came from PyTorch 1.13 with the same calls.
    const { uniform, normal, integers, perm, customNormal } = draw(42);
    expectTensor(uniform, [
      [0.8822692632675171, 0.9150039553642273, 0.38286375999450684, 0.9593056440353394],
      [0.3904482126235962, 0.600895345211029, 0.2565724849700928, 0.7936413288116455],
      [0.9407714605331421, 0.13318592309951782, 0.9345980882644653, 0.5935796499252319],
    ], 'float32');
    expectTensor(normal, [
      [2.2082014083862305, -0.637997031211853, 0.46165722608566284, 0.2673508822917938],
      [0.5349046587944031, 0.809357225894928, 1.110290288925171, -1.6897989511489868],
      [-0.9889599084854126, 0.9579718112945557, 1.322135090827942, 0.8171897530555725],
    ], 'float32');
    expectTensor(integers, [[9, 6, 2, 0], [6, 2, 7, 9], [7, 3, 3, 4]], 'int64');
    expectTensor(perm, [3, 0, 8, 5, 2, 9, 4, 6, 1, 7], 'int64');
    expectTensor(customNormal, [
      [0.5312084555625916, -0.2482733577489853, -0.17354050278663635, 1.3849544525146484],
      [0.7045449018478394, 1.2197387218475342, -0.6778203248977661, -0.5920337438583374],
      [-0.6381967663764954, -1.9187371730804443, -0.6441153287887573, -0.6060903072357178],
    ], 'float32');
  });

  it('table examples: rand, randn, randint, randperm, normal, bernoulli (distributions)', () => {
    torch.manualSeed(0);
    const n = 10000;
    const u = torch.rand(n);
    expect(u.min().item()).toBeGreaterThanOrEqual(0);
    expect(u.max().item()).toBeLessThan(1);
    expect(u.mean().item()).toBeCloseTo(0.5, 1);
    const z = torch.randn(n);
    expect(Math.abs(z.mean().item() as number)).toBeLessThan(0.05);
    expect(Math.abs((z.std().item() as number) - 1)).toBeLessThan(0.05);
    const ints = torch.randint(0, 10, [n]);
    expect(ints.dtype).toBe('int64');
    expect(new Set(flat(ints.tolist()))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(flat(torch.randperm(10).sort().values.tolist())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const g = torch.normal(3, 2, [n]); // mean 3, std 2
    expect(Math.abs((g.mean().item() as number) - 3)).toBeLessThan(0.1);
    expect(Math.abs((g.std().item() as number) - 2)).toBeLessThan(0.1);
    // torch.bernoulli(torch.full((3,), 0.5)): float32 zeros and ones.
    const b = torch.bernoulli(torch.full([3], 0.5));
    expect(b.shape).toEqual([3]);
    expect(b.dtype).toBe('float32');
    for (const v of flat(b.tolist())) expect([0, 1]).toContain(v);
    const many = torch.bernoulli(torch.full([n], 0.5));
    expect(Math.abs((many.mean().item() as number) - 0.5)).toBeLessThan(0.05);
  });

  it('an explicit Generator gives its own reproducible stream, independent of the default one', () => {
    const g1 = new torch.Generator();
    g1.manualSeed(7);
    const a = torch.rand(5, { generator: g1 });
    torch.manualSeed(123); // reseeding the default generator must not affect g1's stream
    const g2 = new torch.Generator();
    g2.manualSeed(7);
    const b = torch.rand(5, { generator: g2 });
    expect(b.tolist()).toEqual(a.tolist());
    expect(torch.rand(5, { generator: g2 }).tolist()).not.toEqual(a.tolist()); // the stream advances
  });
});
