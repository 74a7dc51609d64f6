// Handbook 1.3 从其他数据创建 (from other data): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { expectTensor } from './helpers/ch1-2.js';

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
