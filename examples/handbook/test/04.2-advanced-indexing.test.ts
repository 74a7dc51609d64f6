// Handbook 4.2 高级索引 (advanced indexing): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { expectTensor } from './helpers/ch3-4.js';

describe('handbook 4.2 高级索引 (advanced indexing)', () => {
  it('code example: index_select, gather, scatter_, boolean masks, where, nonzero', () => {
    const x = torch.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);

    // selected = x.index_select(0, idx)  # 选择第0和第2行 (rows 0 and 2)
    let idx = torch.tensor([0, 2]);
    expectTensor(x.indexSelect(0, idx), [[1, 2, 3], [7, 8, 9]], 'int64');

    // gathered = torch.gather(x, 1, idx)  # 按行索引收集 (per-row positions); values from PyTorch 1.13
    idx = torch.tensor([[0, 1, 2], [2, 1, 0]]);
    expectTensor(torch.gather(x, 1, idx), [[1, 2, 3], [6, 5, 4]], 'int64');

    // dst.scatter_(1, idx, src)  # 原地操作 (in place)
    const dst = torch.zeros(3, 3);
    idx = torch.tensor([[0], [1], [2]]);
    const src = torch.tensor([[1.0], [2.0], [3.0]], { dtype: torch.float32 });
    expect(dst.scatter_(1, idx, src)).toBe(dst);
    expectTensor(dst, [[1, 0, 0], [0, 2, 0], [0, 0, 3]], 'float32');

    // selected = x[mask]  # tensor([6, 7, 8, 9])
    const mask = x.gt(5);
    expectTensor(x.index(mask), [6, 7, 8, 9], 'int64');

    // result = torch.where(x > 5, x, torch.zeros_like(x)); values from PyTorch 1.13
    expectTensor(torch.where(x.gt(5), x, torch.zerosLike(x)), [[0, 0, 0], [0, 0, 6], [7, 8, 9]], 'int64');

    // indices = torch.nonzero(x > 5)  # 返回坐标 (coordinates); values from PyTorch 1.13
    expectTensor(torch.nonzero(x.gt(5)), [[1, 2], [2, 0], [2, 1], [2, 2]], 'int64');
  });

  it('table examples: index_select, gather, scatter, take, masked_select, where, nonzero (values from PyTorch 1.13)', () => {
    const x = torch.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expectTensor(x.indexSelect(0, torch.tensor([0, 2])), [[1, 2, 3], [7, 8, 9]], 'int64');
    expectTensor(torch.gather(x, 1, torch.tensor([[2], [0], [1]])), [[3], [4], [8]], 'int64');
    expectTensor(torch.zeros(3, 3, { dtype: torch.int64 }).scatter(1, torch.tensor([[2], [0], [1]]), x), [[0, 0, 1], [4, 0, 0], [0, 7, 0]], 'int64');
    expectTensor(torch.take(x, torch.tensor([0, 4, 8])), [1, 5, 9], 'int64');
    const even = x.remainder(2).eq(0);
    expectTensor(torch.maskedSelect(x, even), [2, 4, 6, 8], 'int64');
    expectTensor(x.index(even), [2, 4, 6, 8], 'int64'); // x[mask]
    expectTensor(torch.where(x.gt(5), x, x.neg()), [[-1, -2, -3], [-4, -5, 6], [7, 8, 9]], 'int64');
    expectTensor(torch.nonzero(x.remainder(4).eq(0)), [[1, 0], [2, 1]], 'int64');
    // torch.where(cond) alone is nonzero(cond, as_tuple=True).
    const [rows, cols] = torch.where(x.gt(5));
    expectTensor(rows!, [1, 2, 2, 2], 'int64');
    expectTensor(cols!, [2, 0, 1, 2], 'int64');
  });
});
