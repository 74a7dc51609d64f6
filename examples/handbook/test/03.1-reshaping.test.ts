// Handbook 3.1 形状变换 (reshaping): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { expectTensor, expectSharesMemory, values } from './helpers/ch3-4.js';

describe('handbook 3.1 形状变换 (reshaping)', () => {
  it('code example: view, reshape, flatten, unsqueeze/squeeze, expand, repeat', () => {
    let x = torch.arange(12);

    // a = x.view(3, 4)  # 必须内存连续 (needs contiguous memory): a view sharing x's memory
    const a = x.view(3, 4);
    expectTensor(a, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], 'int64');
    expectSharesMemory(a, x);
    // b = x.reshape(3, 4)  # 更灵活 (more flexible): a view here, since x is contiguous
    const b = x.reshape(3, 4);
    expectTensor(b, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], 'int64');
    expectSharesMemory(b, x);
    // c = x.view(3, -1)  # -1 自动推断 (inferred): [3, 4]
    const c = x.view(3, -1);
    expect(c.shape).toEqual([3, 4]);
    expect(values(c)).toEqual(values(a));

    // d = a.flatten()  # 一维 (1-D)
    const d = a.flatten();
    expectTensor(d, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 'int64');
    // e = a.flatten(0, 1)  # 指定维度范围 (a range of dims)
    const e = a.flatten(0, 1);
    expectTensor(e, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 'int64');

    // 增删维度 (adding and removing dims)
    x = torch.randn(3, 4);
    let y = x.unsqueeze(0); // [1, 3, 4]
    expect(y.shape).toEqual([1, 3, 4]);
    y = x.unsqueeze(-1); // [3, 4, 1]
    expect(y.shape).toEqual([3, 4, 1]);
    const z = y.squeeze(); // 移除所有维度为1的维 (removes every size-1 dim)
    expect(z.shape).toEqual([3, 4]);
    expect(values(z)).toEqual(values(x));
    expectSharesMemory(z, x);

    // 扩展和重复 (expanding and repeating)
    x = torch.tensor([[1, 2], [3, 4]]);
    const ex = x.unsqueeze(0).expand(3, 2, 2); // [3, 2, 2] 广播扩展 (a broadcast view, no copy)
    expectTensor(ex, [[[1, 2], [3, 4]], [[1, 2], [3, 4]], [[1, 2], [3, 4]]], 'int64');
    expect(ex.stride()).toEqual([0, 2, 1]); // PyTorch 1.13: stride (0, 2, 1)
    expectSharesMemory(ex, x);
    const rep = x.repeat(2, 3); // [4, 6] 复制数据 (copies)
    expectTensor(rep, [[1, 2, 1, 2, 1, 2], [3, 4, 3, 4, 3, 4], [1, 2, 1, 2, 1, 2], [3, 4, 3, 4, 3, 4]], 'int64');
    expect(rep.storageId).not.toBe(x.storageId);
  });

  it('table examples: view, reshape, contiguous, flatten, ravel, squeeze, unsqueeze, expand, repeat, tile', () => {
    const x = torch.arange(12);
    expect(x.view(3, 4).shape).toEqual([3, 4]);
    expect(x.reshape(3, 4).shape).toEqual([3, 4]);
    // contiguous(): itself when already contiguous; a contiguous copy of a transposed view.
    const m = x.view(3, 4);
    expect(m.contiguous()).toBe(m);
    const t = m.t();
    expect(t.isContiguous()).toBe(false);
    const tc = t.contiguous();
    expect(tc.isContiguous()).toBe(true);
    expectTensor(tc, [[0, 4, 8], [1, 5, 9], [2, 6, 10], [3, 7, 11]], 'int64');
    expect(tc.storageId).not.toBe(x.storageId);
    // flatten / ravel: 1-D; a view of a contiguous tensor, a copy of a transposed one.
    expectTensor(m.flatten(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 'int64');
    expectSharesMemory(m.ravel(), x);
    expectTensor(t.ravel(), [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], 'int64');
    expect(t.ravel().storageId).not.toBe(x.storageId);
    // torch.squeeze(x), torch.unsqueeze(x, 0)
    expect(torch.squeeze(torch.zeros(1, 3, 1, 2)).shape).toEqual([3, 2]);
    expect(torch.unsqueeze(torch.zeros(3, 4), 0).shape).toEqual([1, 3, 4]);
    // x.expand(3, 4) of a [3, 1] column; x.repeat(2, 3); x.tile((2, 3))
    const col = torch.tensor([[1], [2], [3]]);
    expectTensor(col.expand(3, 4), [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]], 'int64');
    const sq = torch.tensor([[1, 2], [3, 4]]);
    const tiled = [[1, 2, 1, 2, 1, 2], [3, 4, 3, 4, 3, 4], [1, 2, 1, 2, 1, 2], [3, 4, 3, 4, 3, 4]];
    expectTensor(sq.repeat(2, 3), tiled, 'int64');
    expectTensor(sq.tile([2, 3]), tiled, 'int64');
  });
});
