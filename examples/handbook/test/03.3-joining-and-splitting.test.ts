// Handbook 3.3 拼接与分割 (joining and splitting): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { expectTensor, expectSharesMemory, values } from './helpers/ch3-4.js';

describe('handbook 3.3 拼接与分割 (joining and splitting)', () => {
  it('code example: cat, stack, chunk, split, unbind', () => {
    const a = torch.randn(2, 3);
    const b = torch.randn(2, 3);
    // c = torch.cat([a, b], dim=0)  # [4, 3] 沿行拼接 (along rows)
    const c = torch.cat([a, b], 0);
    expect(c.shape).toEqual([4, 3]);
    expect(values(c.index('2:'))).toEqual(values(b));
    // d = torch.cat([a, b], dim=1)  # [2, 6] 沿列拼接 (along columns)
    const d = torch.cat([a, b], 1);
    expect(d.shape).toEqual([2, 6]);
    expect(values(d.index(':', ':3'))).toEqual(values(a));
    // e = torch.stack([a, b], dim=0)  # [2, 2, 3]
    const e = torch.stack([a, b], 0);
    expect(e.shape).toEqual([2, 2, 3]);
    expect(values(e.index(1))).toEqual(values(b));
    // f = torch.stack([a, b], dim=1)  # [2, 2, 3]
    const f = torch.stack([a, b], 1);
    expect(f.shape).toEqual([2, 2, 3]);
    expect(values(f.index(':', 0))).toEqual(values(a));

    // 分割 (splitting): views of x
    let x = torch.randn(6, 4);
    const chunks = torch.chunk(x, 3, 0); // 分成3份 (three parts)
    expect(chunks.map((t) => t.shape)).toEqual([[2, 4], [2, 4], [2, 4]]);
    let splits = torch.split(x, 2, 0); // 每份大小为2 (each of size 2)
    expect(splits.map((t) => t.shape)).toEqual([[2, 4], [2, 4], [2, 4]]);
    splits = torch.split(x, [1, 2, 3], 0); // 指定每份大小 (the given sizes)
    expect(splits.map((t) => t.shape)).toEqual([[1, 4], [2, 4], [3, 4]]);
    expect(values(splits[2]!)).toEqual(values(x.index('3:')));
    for (const part of [...chunks, ...splits]) expectSharesMemory(part, x);

    // a, b, c = torch.unbind(x, dim=0)  # 返回3个 [4] 张量 (three [4] tensors)
    x = torch.randn(3, 4);
    const parts = torch.unbind(x, 0);
    expect(parts).toHaveLength(3);
    parts.forEach((p, i) => {
      expect(p.shape).toEqual([4]);
      expect(values(p)).toEqual(values(x.index(i)));
    });
  });

  it('table examples: cat, stack, vstack, hstack, dstack, split, chunk, unbind', () => {
    const a = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    const b = torch.tensor([[7, 8, 9], [10, 11, 12]]);
    expectTensor(torch.cat([a, b], 0), [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]], 'int64');
    expectTensor(torch.stack([a, b], 0), [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]], 'int64');
    // vstack/hstack/dstack: values from PyTorch 1.13.
    expectTensor(torch.vstack([a, b]), [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]], 'int64');
    expectTensor(torch.hstack([a, b]), [[1, 2, 3, 7, 8, 9], [4, 5, 6, 10, 11, 12]], 'int64');
    expectTensor(torch.dstack([a, b]), [[[1, 7], [2, 8], [3, 9]], [[4, 10], [5, 11], [6, 12]]], 'int64');
    const x = torch.arange(6);
    expect(torch.split(x, 2, 0).map((t) => t.tolist())).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(torch.chunk(x, 3, 0).map((t) => t.tolist())).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(torch.unbind(a, 0).map((t) => t.tolist())).toEqual([[1, 2, 3], [4, 5, 6]]);
  });
});
