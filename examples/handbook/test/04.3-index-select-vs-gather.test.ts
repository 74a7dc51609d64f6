// Handbook 4.3 索引操作对比 (index_select vs gather): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { expectTensor } from './helpers/ch3-4.js';

describe('handbook 4.3 索引操作对比 (index_select vs gather)', () => {
  it('code example: index_select picks whole columns, gather one position per row', () => {
    const x = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.shape).toEqual([2, 3]); // 形状: [2, 3]

    // result = x.index_select(1, idx)  # [[1, 3], [4, 6]]
    let idx = torch.tensor([0, 2]);
    expectTensor(x.indexSelect(1, idx), [[1, 3], [4, 6]], 'int64');

    // result = torch.gather(x, 1, idx)  # [[1, 2], [6, 4]]
    idx = torch.tensor([[0, 1], [2, 0]]); // 形状需匹配输出 (shaped like the output)
    const result = torch.gather(x, 1, idx);
    expectTensor(result, [[1, 2], [6, 4]], 'int64');
    // idx[i, j] 表示取 x[i, idx[i, j]]
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) expect(result.index(i, j).item()).toBe(x.index(i, idx.index(i, j)).item());
    }
  });
});
