// Handbook 3.2 维度操作 (dimension operations): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { expectTensor, expectSharesMemory, values } from './helpers/ch3-4.js';

describe('handbook 3.2 维度操作 (dimension ops)', () => {
  it('code example: transpose, permute, movedim, T, mT', () => {
    const x = torch.randn(2, 3, 4);
    // y = x.transpose(0, 2)  # [4, 3, 2]
    let y = x.transpose(0, 2);
    expect(y.shape).toEqual([4, 3, 2]);
    expect(y.index(3, 1, 0).item()).toBe(x.index(0, 1, 3).item());
    expectSharesMemory(y, x);
    // y = x.permute(2, 0, 1)  # [4, 2, 3]
    y = x.permute(2, 0, 1);
    expect(y.shape).toEqual([4, 2, 3]);
    expect(y.index(3, 1, 2).item()).toBe(x.index(1, 2, 3).item());
    // y = x.movedim(0, -1)  # [3, 4, 2]
    y = x.movedim(0, -1);
    expect(y.shape).toEqual([3, 4, 2]);
    expect(y.index(2, 3, 1).item()).toBe(x.index(1, 2, 3).item());

    // A_T = A.T  # [4, 3]
    const A = torch.randn(3, 4);
    const AT = A.T;
    expect(AT.shape).toEqual([4, 3]);
    expect(values(AT.T)).toEqual(values(A));
    expectSharesMemory(AT, A);

    // batch_T = batch.mT  # [10, 4, 3] 最后两维转置 (the last two dims swapped)
    const batch = torch.randn(10, 3, 4);
    const batchT = batch.mT;
    expect(batchT.shape).toEqual([10, 4, 3]);
    expect(batchT.index(7, 3, 2).item()).toBe(batch.index(7, 2, 3).item());
  });

  it('table examples: transpose, permute, movedim, swapaxes, T, mT', () => {
    const x = torch.arange(24).view(2, 3, 4);
    expectTensor(x.view(6, 4).transpose(0, 1).index(0), [0, 4, 8, 12, 16, 20], 'int64');
    expect(x.permute(2, 0, 1).shape).toEqual([4, 2, 3]);
    // movedim(0, -1): PyTorch 1.13 gives x[:, :, 0] the values below.
    expectTensor(x.movedim(0, -1).index(0), [[0, 12], [1, 13], [2, 14], [3, 15]], 'int64');
    expect(values(x.swapaxes(0, 1))).toEqual(values(x.transpose(0, 1)));
    expectTensor(torch.tensor([[1, 2, 3], [4, 5, 6]]).T, [[1, 4], [2, 5], [3, 6]], 'int64');
    expect(x.mT.shape).toEqual([2, 4, 3]);
    expect(x.mT.stride()).toEqual([12, 1, 4]);
  });
});
