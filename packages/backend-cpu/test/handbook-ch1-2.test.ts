// The handbook's chapters 1–2 (shared/handbook.md, sections 1.1–2.5), every code example and every
// table example in its TypeScript form, with the outputs its comments state. Where a comment states
// no value, the expected value came from PyTorch 1.13 (Debian's python3-torch) and is marked so.
// Printing (`print(t)`) is checked against the exact string PyTorch 1.13 prints.
import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import type { DType, Tensor } from '@kindling/tensor';

type Nested = number | boolean | Nested[];

function shapeOf(v: Nested): number[] {
  return Array.isArray(v) ? [v.length, ...(v.length > 0 ? shapeOf(v[0]!) : [])] : [];
}
function flat(v: unknown): unknown[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v];
}

/**
 * `t` has `expected`'s shape, the given dtype, and its values: exact for integer and bool dtypes,
 * within `tol` (relative, absolute below 1) for floating dtypes. NaN matches NaN; infinities match exactly.
 */
function expectTensor(t: Tensor, expected: Nested, dtype: DType, tol = 1e-6): void {
  expect(t).toBeInstanceOf(torch.Tensor);
  expect(t.dtype).toBe(dtype);
  expect([...t.shape]).toEqual(shapeOf(expected));
  const got = flat(t.tolist());
  const want = flat(expected);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i];
    if (typeof w === 'boolean' || !torch.isFloatingPoint(dtype)) {
      expect(g, `element ${i}`).toBe(w);
      return;
    }
    const gv = g as number;
    const wv = w as number;
    if (Number.isNaN(wv) || !Number.isFinite(wv)) {
      expect(gv, `element ${i}`).toBe(wv);
      return;
    }
    expect(typeof gv, `element ${i} type`).toBe('number');
    if (!(Math.abs(gv - wv) <= tol * Math.max(1, Math.abs(wv)))) {
      expect.fail(`element ${i}: expected ${wv} (±${tol}), got ${gv}; tensor ${String(t)}`);
    }
  });
}

/** `print(t)` in PyTorch 1.13 prints exactly `printed`. */
function expectPrints(t: Tensor | boolean | number, printed: string): void {
  expect(String(t)).toBe(printed);
}

describe('handbook 1.1 张量创建 (creating tensors)', () => {
  it('code example: basic, sequence and special-matrix creation', () => {
    // x = torch.tensor([[1, 2], [3, 4]], dtype=torch.float32)
    const x = torch.tensor([[1, 2], [3, 4]], { dtype: torch.float32 });
    expectTensor(x, [[1, 2], [3, 4]], 'float32');
    expectPrints(x, 'tensor([[1., 2.],\n        [3., 4.]])');
    const zeros = torch.zeros(3, 4);
    expectTensor(zeros, [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], 'float32');
    const ones = torch.ones(3, 4);
    expectTensor(ones, [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]], 'float32');
    const empty = torch.empty(3, 4); // 未初始化，值随机: only shape and dtype are defined
    expect(empty.shape).toEqual([3, 4]);
    expect(empty.dtype).toBe('float32');

    const seq = torch.arange(0, 10, 2); // tensor([0, 2, 4, 6, 8])
    expectTensor(seq, [0, 2, 4, 6, 8], 'int64');
    expectPrints(seq, 'tensor([0, 2, 4, 6, 8])');
    const lin = torch.linspace(0, 1, 5); // tensor([0.00, 0.25, 0.50, 0.75, 1.00])
    expectTensor(lin, [0, 0.25, 0.5, 0.75, 1], 'float32', 0);
    expectPrints(lin, 'tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])'); // as PyTorch 1.13 prints it

    const eye = torch.eye(3); // 3x3 单位矩阵
    expectTensor(eye, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], 'float32');
    expectPrints(eye, 'tensor([[1., 0., 0.],\n        [0., 1., 0.],\n        [0., 0., 1.]])');
    const diag = torch.diag(torch.tensor([1, 2, 3])); // 对角矩阵
    expectTensor(diag, [[1, 0, 0], [0, 2, 0], [0, 0, 3]], 'int64');
    expectPrints(diag, 'tensor([[1, 0, 0],\n        [0, 2, 0],\n        [0, 0, 3]])');
  });

  it('table examples: tensor, zeros, ones, empty, full, arange, linspace, logspace, eye, diag', () => {
    expectTensor(torch.tensor([1, 2, 3]), [1, 2, 3], 'int64');
    expect(torch.zeros(3, 4).shape).toEqual([3, 4]);
    expect(torch.ones(3, 4).sum().item()).toBe(12);
    expect(torch.empty(3, 4).numel()).toBe(12);
    // torch.full((3, 4), 5.0): Python infers float32 from 5.0; JS cannot tell 5.0 from 5, so say it.
    const full = torch.full([3, 4], 5.0, { dtype: torch.float32 });
    expectTensor(full, [[5, 5, 5, 5], [5, 5, 5, 5], [5, 5, 5, 5]], 'float32');
    expectPrints(full, 'tensor([[5., 5., 5., 5.],\n        [5., 5., 5., 5.],\n        [5., 5., 5., 5.]])');
    // torch.full((3, 4), 5) is int64 in PyTorch 1.13, which is what an integral JS number gives.
    expect(torch.full([3, 4], 5).dtype).toBe('int64');
    expectTensor(torch.arange(0, 10, 2), [0, 2, 4, 6, 8], 'int64');
    expectTensor(torch.linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1], 'float32');
    // torch.logspace(0, 2, 5): values from PyTorch 1.13.
    const logspace = torch.logspace(0, 2, 5);
    expectTensor(logspace, [1.0, 3.1622776985168457, 10.0, 31.62277603149414, 100.0], 'float32');
    expectPrints(logspace, 'tensor([  1.0000,   3.1623,  10.0000,  31.6228, 100.0000])');
    expectTensor(torch.eye(3), [[1, 0, 0], [0, 1, 0], [0, 0, 1]], 'float32');
    expectTensor(torch.diag(torch.tensor([1, 2, 3])), [[1, 0, 0], [0, 2, 0], [0, 0, 3]], 'int64');
  });
});

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

describe('handbook 1.3 从其他数据创建 (from other data)', () => {
  it('code example: NumPy interop shares memory both ways; item(); tolist()', () => {
    // np_array = np.array([1, 2, 3]) is int64: the JS counterpart is a BigInt64Array.
    const npArray = new BigInt64Array([1n, 2n, 3n]);
    const tensor = torch.fromArray(npArray); // 共享内存
    expectTensor(tensor, [1, 2, 3], 'int64');
    const backToNumpy = tensor.numpy(); // 共享内存
    expect(backToNumpy).toBeInstanceOf(BigInt64Array);
    expect(backToNumpy.buffer).toBe(npArray.buffer);
    // writing the array changes the tensor ...
    npArray[0] = 10n;
    expect(tensor.tolist()).toEqual([10, 2, 3]);
    // ... and writing through numpy() changes the tensor and the original array
    (backToNumpy as BigInt64Array)[1] = 20n;
    expect(tensor.tolist()).toEqual([10, 20, 3]);
    expect([...npArray]).toEqual([10n, 20n, 3n]);
    // ... and an in-place op on the tensor is seen by both arrays
    tensor.add_(1);
    expect([...npArray]).toEqual([11n, 21n, 4n]);
    expect([...(backToNumpy as BigInt64Array)]).toEqual([11n, 21n, 4n]);

    const scalar = torch.tensor(3.14);
    expect(scalar.dtype).toBe('float32');
    expect(scalar.shape).toEqual([]);
    const value = scalar.item(); // 3.14
    expect(value).toBeCloseTo(3.14, 6);
    expect(value).toBe(Math.fround(3.14)); // PyTorch 1.13 gives 3.140000104904175 (float32)

    const x = torch.tensor([[1, 2], [3, 4]]);
    const lst = x.tolist(); // [[1, 2], [3, 4]]
    expect(lst).toEqual([[1, 2], [3, 4]]);
  });

  it('table examples: from_numpy, as_tensor, numpy, tolist, item', () => {
    const f = new Float32Array([1.5, 2.5]);
    const t = torch.fromArray(f);
    expectTensor(t, [1.5, 2.5], 'float32');
    // torch.as_tensor(data) shares memory with a typed array, and returns a matching tensor itself
    const shared = torch.asTensor(f);
    f[0] = 7;
    expect(shared.tolist()).toEqual([7, 2.5]);
    expect(torch.asTensor(t)).toBe(t);
    // ... but copies nested arrays (nothing to share)
    const fromList = torch.asTensor([[1, 2], [3, 4]]);
    expectTensor(fromList, [[1, 2], [3, 4]], 'int64');
    const n = t.numpy();
    expect(n).toBeInstanceOf(Float32Array);
    expect([...n]).toEqual([7, 2.5]);
    expect(torch.tensor([[1, 2], [3, 4]]).tolist()).toEqual([[1, 2], [3, 4]]);
    expect(torch.tensor([[1.5]]).item()).toBe(1.5);
    expect(torch.tensor([true]).item()).toBe(true);
  });
});

describe('handbook 1.4 张量属性 (tensor attributes)', () => {
  it('code example: shape, size, dtype, device, ndim, numel, requires_grad of randn(3, 4, 5)', () => {
    const x = torch.randn(3, 4, 5);
    expect(x.shape).toEqual([3, 4, 5]); // torch.Size([3, 4, 5])
    expect(x.size()).toEqual([3, 4, 5]); // torch.Size([3, 4, 5])
    expect(x.size(0)).toBe(3); // 3 (第0维大小)
    expect(x.dtype).toBe('float32'); // torch.float32
    expect(x.dtype).toBe(torch.float32);
    expect(String(x.device)).toBe('cpu'); // cpu
    expect(x.ndim).toBe(3); // 3
    expect(x.numel()).toBe(60); // 60
    expect(x.requiresGrad).toBe(false); // False
  });

  it('table examples: the same attributes of a deterministic tensor', () => {
    const x = torch.zeros(3, 4, 5);
    expect(x.shape).toEqual([3, 4, 5]);
    expect(x.size()).toEqual([3, 4, 5]);
    expect(x.size(-1)).toBe(5);
    expect(x.dtype).toBe('float32');
    expect(String(x.device)).toBe('cpu');
    expect(x.device.type).toBe('cpu');
    expect(x.ndim).toBe(3);
    expect(x.numel()).toBe(60);
    expect(x.requiresGrad).toBe(false);
    const y = torch.ones(2, { requiresGrad: true });
    expect(y.requiresGrad).toBe(true);
  });
});

describe('handbook 1.5 类型转换 (type conversion)', () => {
  it('code example: float, double, half, long, bool, to, type', () => {
    const x = torch.tensor([1, 2, 3]);
    expect(x.dtype).toBe('int64');
    const xFloat = x.float(); // torch.float32
    expectTensor(xFloat, [1, 2, 3], 'float32');
    expectPrints(xFloat, 'tensor([1., 2., 3.])');
    const xDouble = x.double(); // torch.float64
    expectTensor(xDouble, [1, 2, 3], 'float64');
    expectPrints(xDouble, 'tensor([1., 2., 3.], dtype=torch.float64)');
    const xHalf = x.half(); // torch.float16
    expectTensor(xHalf, [1, 2, 3], 'float16');
    expectPrints(xHalf, 'tensor([1., 2., 3.], dtype=torch.float16)');
    const xLong = x.long(); // torch.int64
    expectTensor(xLong, [1, 2, 3], 'int64');
    const xBool = x.bool(); // torch.bool
    expectTensor(xBool, [true, true, true], 'bool');
    expectPrints(xBool, 'tensor([True, True, True])');

    const xConverted = x.to(torch.float32);
    expectTensor(xConverted, [1, 2, 3], 'float32');
    const xTyped = x.type('torch.FloatTensor'); // x.type(torch.FloatTensor)
    expectTensor(xTyped, [1, 2, 3], 'float32');
    expectPrints(xTyped, 'tensor([1., 2., 3.])');
    // the source is unchanged by every conversion
    expectTensor(x, [1, 2, 3], 'int64');
  });

  it('table examples: int(), type() with no argument, conversions that truncate, no-op conversions', () => {
    const x = torch.tensor([1, 2, 3]);
    const xInt = x.int();
    expectTensor(xInt, [1, 2, 3], 'int32');
    expectPrints(xInt, 'tensor([1, 2, 3], dtype=torch.int32)'); // as PyTorch 1.13 prints it
    expect(x.type()).toBe('torch.LongTensor'); // PyTorch 1.13
    expect(x.to(torch.float64).dtype).toBe('float64');
    // float → int truncates toward zero; nonzero → True (PyTorch 1.13)
    const f = torch.tensor([-1.7, 0.0, 2.9], { dtype: torch.float32 });
    expectTensor(f.long(), [-1, 0, 2], 'int64');
    expectTensor(f.bool(), [true, false, true], 'bool');
    // to() with the tensor's own dtype returns the tensor itself, as in PyTorch
    expect(x.to(torch.int64)).toBe(x);
    expect(x.long()).toBe(x);
  });
});

describe('handbook 2.1 基本运算 (basic arithmetic)', () => {
  it('code example: + - * / ** and in-place add_', () => {
    const a = torch.tensor([1.0, 2.0, 3.0], { dtype: torch.float32 });
    const b = torch.tensor([4.0, 5.0, 6.0], { dtype: torch.float32 });
    const addResult = a.add(b); // tensor([5., 7., 9.])
    expectTensor(addResult, [5, 7, 9], 'float32');
    expectPrints(addResult, 'tensor([5., 7., 9.])');
    const subResult = a.sub(b); // tensor([-3., -3., -3.])
    expectTensor(subResult, [-3, -3, -3], 'float32');
    expectPrints(subResult, 'tensor([-3., -3., -3.])');
    const mulResult = a.mul(b); // tensor([4., 10., 18.])
    expectTensor(mulResult, [4, 10, 18], 'float32');
    expectPrints(mulResult, 'tensor([ 4., 10., 18.])');
    const divResult = a.div(b); // tensor([0.25, 0.4, 0.5])
    expectTensor(divResult, [0.25, 0.4, 0.5], 'float32');
    expectPrints(divResult, 'tensor([0.2500, 0.4000, 0.5000])');
    const powResult = a.pow(2); // tensor([1., 4., 9.])
    expectTensor(powResult, [1, 4, 9], 'float32');
    expectPrints(powResult, 'tensor([1., 4., 9.])');

    const version = a._version;
    const returned = a.add_(1); // a = a + 1，修改 a 本身
    expect(returned).toBe(a);
    expectTensor(a, [2, 3, 4], 'float32');
    expect(a._version).toBe(version + 1);
    expectTensor(addResult, [5, 7, 9], 'float32'); // results made before are not views of a
  });

  it('table examples: functional forms, floor_divide, remainder, pow, neg, abs and their in-place forms', () => {
    const a = torch.tensor([1.0, 2.0, 3.0], { dtype: torch.float32 });
    const b = torch.tensor([4.0, 5.0, 6.0], { dtype: torch.float32 });
    expectTensor(torch.add(a, b), [5, 7, 9], 'float32');
    expectTensor(torch.sub(a, b), [-3, -3, -3], 'float32');
    expectTensor(torch.mul(a, b), [4, 10, 18], 'float32');
    expectTensor(torch.div(a, b), [0.25, 0.4000000059604645, 0.5], 'float32'); // PyTorch 1.13
    // floor_divide / remainder round toward -inf and take the divisor's sign (PyTorch 1.13)
    const p = torch.tensor([7.0, -7.0, 5.0], { dtype: torch.float32 });
    const q = torch.tensor([2.0, 2.0, -3.0], { dtype: torch.float32 });
    expectTensor(torch.floorDivide(p, q), [3, -4, -2], 'float32');
    expectTensor(torch.remainder(p, q), [1, 1, -1], 'float32');
    expectTensor(torch.floorDivide(torch.tensor([7, -7, 5]), torch.tensor([2, 2, -3])), [3, -4, -2], 'int64');
    expectTensor(torch.remainder(torch.tensor([7, -7, 5]), torch.tensor([2, 2, -3])), [1, 1, -1], 'int64');
    expectTensor(torch.pow(a, 2), [1, 4, 9], 'float32');
    expectTensor(torch.neg(a), [-1, -2, -3], 'float32');
    expectTensor(torch.abs(torch.tensor([-1.0, 2.0, -3.0], { dtype: torch.float32 })), [1, 2, 3], 'float32');

    const c = torch.tensor([1.0, 2.0, 3.0], { dtype: torch.float32 });
    expect(c.sub_(b)).toBe(c);
    expectTensor(c, [-3, -3, -3], 'float32');
    expect(c.mul_(b)).toBe(c);
    expectTensor(c, [-12, -15, -18], 'float32');
    expect(c.div_(b)).toBe(c);
    expectTensor(c, [-3, -3, -3], 'float32');
    expect(c.pow_(2)).toBe(c);
    expectTensor(c, [9, 9, 9], 'float32');
    expect(c.neg_()).toBe(c);
    expectTensor(c, [-9, -9, -9], 'float32');
    expect(c.abs_()).toBe(c);
    expectTensor(c, [9, 9, 9], 'float32');
    expectTensor(b, [4, 5, 6], 'float32'); // the other operand is untouched
  });
});

describe('handbook 2.2 矩阵运算 (matrix operations)', () => {
  it('code example: mm, @, bmm, matmul, dot, outer, T, transpose, permute', () => {
    const A = torch.randn(3, 4);
    const B = torch.randn(4, 5);
    let C = torch.mm(A, B); // [3, 5]
    expect(C.shape).toEqual([3, 5]);
    const viaMm = C;
    C = A.matmul(B); // 等价写法 (A @ B)
    expect(C.shape).toEqual([3, 5]);
    expect(torch.allclose(C, viaMm)).toBe(true);
    // element (1, 2) by hand
    const a = A.tolist() as number[][];
    const b = B.tolist() as number[][];
    const c12 = a[1]!.reduce((s, v, k) => s + v * b[k]![2]!, 0);
    expect((C.tolist() as number[][])[1]![2]).toBeCloseTo(c12, 4);

    const batchA = torch.randn(10, 3, 4);
    const batchB = torch.randn(10, 4, 5);
    const batchC = torch.bmm(batchA, batchB); // [10, 3, 5]
    expect(batchC.shape).toEqual([10, 3, 5]);
    const result = torch.matmul(batchA, batchB); // 通用矩阵乘法 (自动广播)
    expect(result.shape).toEqual([10, 3, 5]);
    expect(torch.allclose(result, batchC)).toBe(true);

    const v1 = torch.tensor([1.0, 2.0, 3.0], { dtype: torch.float32 });
    const v2 = torch.tensor([4.0, 5.0, 6.0], { dtype: torch.float32 });
    const dotProduct = torch.dot(v1, v2); // 32.0
    expect(dotProduct.shape).toEqual([]);
    expect(dotProduct.item()).toBe(32);
    expectPrints(dotProduct, 'tensor(32.)');
    const outerProduct = torch.outer(v1, v2); // [3, 3]
    expectTensor(outerProduct, [[4, 5, 6], [8, 10, 12], [12, 15, 18]], 'float32');

    let AT = A.T; // 2D 转置
    expect(AT.shape).toEqual([4, 3]);
    expect(AT.tolist()).toEqual(a[0]!.map((_, j) => a.map((row) => row[j])));
    AT = A.transpose(0, 1); // 指定维度转置
    expect(AT.tolist()).toEqual(A.T.tolist());
    AT = A.permute(1, 0); // 维度重排
    expect(AT.tolist()).toEqual(A.T.tolist());
  });

  it('table examples with fixed inputs: mm, bmm, matmul, mv, dot, outer, transpose, T, mT, inverse, det, trace', () => {
    const M = torch.arange(6, { dtype: torch.float32 }).reshape(2, 3);
    const N = torch.arange(12, { dtype: torch.float32 }).reshape(3, 4);
    // values from PyTorch 1.13
    const mn = [[20, 23, 26, 29], [56, 68, 80, 92]];
    expectTensor(torch.mm(M, N), mn, 'float32');
    expectTensor(M.matmul(N), mn, 'float32');
    const B1 = torch.arange(12, { dtype: torch.float32 }).reshape(2, 2, 3);
    const B2 = torch.arange(12, { dtype: torch.float32 }).reshape(2, 3, 2);
    expectTensor(torch.bmm(B1, B2), [[[10, 13], [28, 40]], [[172, 193], [244, 274]]], 'float32');
    // matmul broadcasts a 2-D right operand over the batch
    expectTensor(torch.matmul(B1, N), [[[20, 23, 26, 29], [56, 68, 80, 92]], [[92, 113, 134, 155], [128, 158, 188, 218]]], 'float32');
    expectTensor(torch.mv(M, torch.tensor([1.0, 0.0, -1.0], { dtype: torch.float32 })), [-2, -2], 'float32');
    const v = torch.tensor([1.0, 2.0, 3.0], { dtype: torch.float32 });
    expect(torch.dot(v, v).item()).toBe(14);
    expectTensor(torch.outer(v, torch.tensor([4.0, 5.0, 6.0], { dtype: torch.float32 })), [[4, 5, 6], [8, 10, 12], [12, 15, 18]], 'float32');
    expectTensor(torch.transpose(M, 0, 1), [[0, 3], [1, 4], [2, 5]], 'float32');
    expectTensor(M.T, [[0, 3], [1, 4], [2, 5]], 'float32');
    expectTensor(B1.mT, [[[0, 3], [1, 4], [2, 5]], [[6, 9], [7, 10], [8, 11]]], 'float32');
    // transposes are views: writing through one changes the original
    const Mt = M.T;
    Mt.copy_(torch.zeros(3, 2));
    expectTensor(M, [[0, 0, 0], [0, 0, 0]], 'float32');

    const A = torch.tensor([[2.0, 1.0], [1.0, 3.0]], { dtype: torch.float32 });
    // inverse/det/trace values from PyTorch 1.13
    expectTensor(torch.inverse(A), [[0.6000000238418579, -0.20000000298023224], [-0.20000000298023224, 0.4000000059604645]], 'float32');
    expectTensor(torch.det(A), 5, 'float32', 1e-6);
    expectTensor(torch.trace(A), 5, 'float32');
    expectTensor(A.inverse().matmul(A), [[1, 0], [0, 1]], 'float32', 1e-6);
  });
});

describe('handbook 2.3 统计运算 (statistics)', () => {
  const make = () => torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], { dtype: torch.float32 });

  it('code example: global and per-dim statistics, keepdim, max with indices, cumsum', () => {
    const x = make();
    expect(x.sum().item()).toBe(21); // 21.0
    expectPrints(x.sum(), 'tensor(21.)');
    expect(x.mean().item()).toBe(3.5); // 3.5
    expectPrints(x.mean(), 'tensor(3.5000)');
    expect(x.std().item()).toBeCloseTo(1.8708, 4); // 1.8708
    expectPrints(x.std(), 'tensor(1.8708)');
    expect(x.max().item()).toBe(6); // 6.0
    expectPrints(x.max(), 'tensor(6.)');
    expect(x.min().item()).toBe(1); // 1.0
    expectPrints(x.min(), 'tensor(1.)');

    const sum0 = x.sum(0); // tensor([5., 7., 9.])  沿行求和
    expectTensor(sum0, [5, 7, 9], 'float32');
    expectPrints(sum0, 'tensor([5., 7., 9.])');
    const sum1 = x.sum(1); // tensor([6., 15.])     沿列求和
    expectTensor(sum1, [6, 15], 'float32');
    expectPrints(sum1, 'tensor([ 6., 15.])');
    const mean0 = x.mean(0); // tensor([2.5, 3.5, 4.5])
    expectTensor(mean0, [2.5, 3.5, 4.5], 'float32');
    expectPrints(mean0, 'tensor([2.5000, 3.5000, 4.5000])');

    const keep = x.sum(1, { keepdim: true }); // [[6.], [15.]]
    expectTensor(keep, [[6], [15]], 'float32');
    expectPrints(keep, 'tensor([[ 6.],\n        [15.]])');

    const [maxVal, maxIdx] = x.max(1);
    expectTensor(maxVal!, [3, 6], 'float32'); // tensor([3., 6.])
    expectPrints(maxVal!, 'tensor([3., 6.])');
    expectTensor(maxIdx!, [2, 2], 'int64'); // tensor([2, 2])
    expectPrints(maxIdx!, 'tensor([2, 2])');
    const named = x.max(1);
    expectTensor(named.values, [3, 6], 'float32');
    expectTensor(named.indices, [2, 2], 'int64');

    const cs = x.cumsum(1); // [[1, 3, 6], [4, 9, 15]]
    expectTensor(cs, [[1, 3, 6], [4, 9, 15]], 'float32');
    expectPrints(cs, 'tensor([[ 1.,  3.,  6.],\n        [ 4.,  9., 15.]])');
  });

  it('table examples: var, argmax, argmin, median, mode, prod, cumprod, min(dim), functional forms', () => {
    const x = make();
    // all values from PyTorch 1.13
    expect(x.var().item()).toBe(3.5);
    expectTensor(torch.var(x, 0), [4.5, 4.5, 4.5], 'float32');
    expectTensor(x.argmax(), 5, 'int64');
    expectTensor(x.argmax(0), [1, 1, 1], 'int64');
    expectTensor(x.argmin(), 0, 'int64');
    expectTensor(x.median(), 3, 'float32'); // the lower of the two middle values
    const mode = x.mode();
    expectTensor(mode.values, [1, 4], 'float32');
    expectTensor(mode.indices, [0, 0], 'int64');
    expectTensor(x.prod(), 720, 'float32');
    expectTensor(x.cumsum(0), [[1, 2, 3], [5, 7, 9]], 'float32');
    expectTensor(x.cumprod(0), [[1, 2, 3], [4, 10, 18]], 'float32');
    const mn = x.min(0);
    expectTensor(mn.values, [1, 2, 3], 'float32');
    expectTensor(mn.indices, [0, 0, 0], 'int64');
    const mx = torch.max(x, 0);
    expectTensor(mx.values, [4, 5, 6], 'float32');
    expectTensor(mx.indices, [1, 1, 1], 'int64');
    expect(torch.sum(x).item()).toBe(21);
    expect(torch.mean(x).item()).toBe(3.5);
    expect(torch.std(x).item()).toBeCloseTo(1.8708287477493286, 6);
    expectTensor(torch.cumsum(x, 1), [[1, 3, 6], [4, 9, 15]], 'float32');
    expectTensor(torch.cumprod(x, 1), [[1, 2, 6], [4, 20, 120]], 'float32');
    expectTensor(torch.argmax(x, 1), [2, 2], 'int64');
  });
});

describe('handbook 2.4 比较运算 (comparisons)', () => {
  it('code example: elementwise comparison, equal, allclose, isnan/isinf/isfinite', () => {
    const a = torch.tensor([1, 2, 3]);
    const b = torch.tensor([2, 2, 2]);
    const gt = a.gt(b); // tensor([False, False, True])
    expectTensor(gt, [false, false, true], 'bool');
    expectPrints(gt, 'tensor([False, False,  True])');
    const eq = a.eq(b); // tensor([False, True, False])
    expectTensor(eq, [false, true, false], 'bool');
    expectPrints(eq, 'tensor([False,  True, False])');
    expectTensor(torch.eq(a, b), [false, true, false], 'bool');

    expect(torch.equal(a, b)).toBe(false); // False
    expect(torch.equal(a, torch.tensor([1, 2, 3]))).toBe(true);

    const x = torch.tensor([1.0, 2.0], { dtype: torch.float32 });
    const y = torch.tensor([1.0001, 2.0001]);
    expect(torch.allclose(x, y, { atol: 1e-3 })).toBe(true); // True
    expect(torch.allclose(x, y)).toBe(false); // default atol=1e-8, rtol=1e-5 (PyTorch 1.13: False)

    const z = torch.tensor([1.0, NaN, Infinity], { dtype: torch.float32 });
    expectTensor(torch.isnan(z), [false, true, false], 'bool'); // tensor([False, True, False])
    expectPrints(torch.isnan(z), 'tensor([False,  True, False])');
    expectTensor(torch.isinf(z), [false, false, true], 'bool'); // tensor([False, False, True])
    expectTensor(torch.isfinite(z), [true, false, false], 'bool'); // tensor([True, False, False])
    expectPrints(torch.isfinite(z), 'tensor([ True, False, False])');
  });

  it('table examples: ne, ge, lt, le and the functional forms', () => {
    const a = torch.tensor([1, 2, 3]);
    const b = torch.tensor([2, 2, 2]);
    expectTensor(torch.ne(a, b), [true, false, true], 'bool');
    expectTensor(torch.ge(a, b), [false, true, true], 'bool');
    expectTensor(torch.lt(a, b), [true, false, false], 'bool');
    expectTensor(torch.le(a, b), [true, true, false], 'bool');
    expectTensor(torch.gt(a, b), [false, false, true], 'bool');
    expectTensor(a.ne(2), [true, false, true], 'bool');
    // comparisons promote: int64 vs float32 compares values
    expectTensor(a.eq(torch.tensor([1.0, 2.5, 3.0])), [true, false, true], 'bool');
    // NaN is not equal to itself
    const n = torch.tensor([NaN], { dtype: torch.float32 });
    expect(torch.equal(n, n)).toBe(false);
  });
});

describe('handbook 2.5 数学函数 (math functions)', () => {
  it('code example: exp, log, log2, log1p, sqrt, square, sin, cos, floor, ceil, round, clamp', () => {
    const x = torch.tensor([0.5, 1.0, 2.0], { dtype: torch.float32 });
    // values and prints from PyTorch 1.13 (the comments name only the function)
    expectTensor(torch.exp(x), [1.6487212181091309, 2.7182817459106445, 7.389056205749512], 'float32'); // e^x
    expectPrints(torch.exp(x), 'tensor([1.6487, 2.7183, 7.3891])');
    expectTensor(torch.log(x), [-0.6931471824645996, 0.0, 0.6931471824645996], 'float32'); // ln(x)
    expectPrints(torch.log(x), 'tensor([-0.6931,  0.0000,  0.6931])');
    expectTensor(torch.log2(x), [-1, 0, 1], 'float32'); // log2(x)
    expectPrints(torch.log2(x), 'tensor([-1.,  0.,  1.])');
    expectTensor(torch.log1p(x), [0.40546509623527527, 0.6931471824645996, 1.0986123085021973], 'float32'); // ln(1+x)
    expectPrints(torch.log1p(x), 'tensor([0.4055, 0.6931, 1.0986])');

    expectTensor(torch.sqrt(x), [0.7071067690849304, 1.0, 1.4142135381698608], 'float32'); // √x
    expectPrints(torch.sqrt(x), 'tensor([0.7071, 1.0000, 1.4142])');
    expectTensor(torch.square(x), [0.25, 1, 4], 'float32'); // x²
    expectPrints(torch.square(x), 'tensor([0.2500, 1.0000, 4.0000])');

    expectTensor(torch.sin(x), [0.4794255495071411, 0.8414709568023682, 0.9092974066734314], 'float32');
    expectPrints(torch.sin(x), 'tensor([0.4794, 0.8415, 0.9093])');
    expectTensor(torch.cos(x), [0.8775825500488281, 0.5403023362159729, -0.416146844625473], 'float32');
    expectPrints(torch.cos(x), 'tensor([ 0.8776,  0.5403, -0.4161])');

    const y = torch.tensor([1.2, 2.5, 3.8]);
    expect(y.dtype).toBe('float32');
    expectTensor(torch.floor(y), [1, 2, 3], 'float32'); // tensor([1., 2., 3.])
    expectPrints(torch.floor(y), 'tensor([1., 2., 3.])');
    expectTensor(torch.ceil(y), [2, 3, 4], 'float32'); // tensor([2., 3., 4.])
    expectPrints(torch.ceil(y), 'tensor([2., 3., 4.])');
    expectTensor(torch.round(y), [1, 2, 4], 'float32'); // tensor([1., 2., 4.])  (2.5 rounds half to even)
    expectPrints(torch.round(y), 'tensor([1., 2., 4.])');

    const clamped = torch.clamp(y, { min: 2.0, max: 3.0 }); // tensor([2., 2.5, 3.])
    expectTensor(clamped, [2, 2.5, 3], 'float32');
    expectPrints(clamped, 'tensor([2.0000, 2.5000, 3.0000])');
    expectTensor(torch.clamp(y, 2.0, 3.0), [2, 2.5, 3], 'float32');
    expectTensor(y, [1.2000000476837158, 2.5, 3.799999952316284], 'float32'); // inputs untouched
  });

  it('table examples: log10, rsqrt, tan, sinh, cosh, tanh, sigmoid, sign, trunc, frac, round half-even, clamp one-sided', () => {
    const x = torch.tensor([0.5, 1.0, 2.0], { dtype: torch.float32 });
    // values from PyTorch 1.13
    expectTensor(torch.log10(x), [-0.3010300099849701, 0.0, 0.3010300099849701], 'float32');
    expectTensor(torch.rsqrt(x), [1.4142135381698608, 1.0, 0.7071067690849304], 'float32');
    expectTensor(torch.tan(x), [0.5463024973869324, 1.5574077367782593, -2.185039758682251], 'float32');
    expectTensor(torch.sinh(x), [0.5210952758789062, 1.175201177597046, 3.6268603801727295], 'float32');
    expectTensor(torch.cosh(x), [1.1276259422302246, 1.5430805683135986, 3.7621958255767822], 'float32');
    expectTensor(torch.tanh(x), [0.46211716532707214, 0.7615941762924194, 0.9640275835990906], 'float32');
    expectTensor(torch.sigmoid(x), [0.622459352016449, 0.7310585975646973, 0.8807970285415649], 'float32');
    const w = torch.tensor([-1.5, 0.0, 2.7]);
    expectTensor(torch.sign(w), [-1, 0, 1], 'float32');
    expectTensor(torch.trunc(w), [-1, 0, 2], 'float32');
    expectTensor(torch.frac(w), [-0.5, 0.0, 0.7000000476837158], 'float32');
    expectTensor(torch.round(torch.tensor([0.5, 1.5, 2.5, -2.5])), [0, 2, 2, -2], 'float32');
    expectTensor(torch.clamp(torch.tensor([1.2, 2.5, 3.8]), { min: 2.0 }), [2, 2.5, 3.8], 'float32');
    expectTensor(torch.clamp(torch.tensor([1.2, 2.5, 3.8]), { max: 2.0 }), [1.2, 2, 2], 'float32');
    // int inputs: float-valued functions promote to the default float dtype (PyTorch 1.13)
    expectTensor(torch.sqrt(torch.tensor([4, 9])), [2, 3], 'float32');
    expectTensor(torch.exp(torch.tensor([0])), [1], 'float32');
    // methods and in-place forms agree with the functions
    expectTensor(x.exp(), [1.6487212181091309, 2.7182817459106445, 7.389056205749512], 'float32');
    const c = x.clone();
    expect(c.sqrt_()).toBe(c);
    expectTensor(c, [0.7071067690849304, 1.0, 1.4142135381698608], 'float32');
    expectTensor(x, [0.5, 1, 2], 'float32');
  });
});
