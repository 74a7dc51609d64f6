// The handbook's chapters 3–4 (shared/handbook.md, sections 3.1–4.3): every code example and every
// table example in its TypeScript form, with the values and shapes its comments state. Where a comment
// states only a shape (or nothing), the values follow from the definition (views of arange) or came from
// PyTorch 1.13 (Debian's python3-torch) and are marked so. Subscripts are `x.index(...)`: Python's
// `x[0, 1:4]` is `x.index(0, '1:4')`, and `x[mask] = v` is `x.indexPut_([mask], v)` (DESIGN §3).
import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import type { DType, Tensor } from '@kindling/tensor';

type Nested = number | boolean | Nested[];

function shapeOf(v: Nested): number[] {
  return Array.isArray(v) ? [v.length, ...(v.length > 0 ? shapeOf(v[0]!) : [])] : [];
}

/** `t` has `expected`'s shape (or `shape`, for empty results), the given dtype and exactly its values. */
function expectTensor(t: Tensor, expected: Nested, dtype: DType, shape = shapeOf(expected)): void {
  expect(t).toBeInstanceOf(torch.Tensor);
  expect(t.dtype).toBe(dtype);
  expect([...t.shape]).toEqual(shape);
  expect(t.tolist()).toEqual(expected);
}

/** `view` shares `base`'s memory: a write through it shows in `base` (and the storages are one). */
function expectSharesMemory(view: Tensor, base: Tensor): void {
  expect(view.storageId).toBe(base.storageId);
}

/** Values of a float tensor as nested arrays, for comparing two tensors exactly. */
const values = (t: Tensor): unknown => t.tolist();

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

describe('handbook 4.1 基本索引 (basic indexing)', () => {
  it('code example: integers, slices, steps and negative indices (views)', () => {
    const x = torch.randn(4, 5, 6);
    const at = (i: number, j: number, k: number) => x.index(i, j, k).item();

    const a = x.index(0); // x[0]  第一个元素 [5, 6]
    expect(a.shape).toEqual([5, 6]);
    const b = x.index(0, 1); // x[0, 1]  [6]
    expect(b.shape).toEqual([6]);
    const c = x.index(0, 1, 2); // x[0, 1, 2]  标量 (a 0-d tensor)
    expect(c.shape).toEqual([]);
    expect(c.item()).toBe(b.index(2).item());

    const d = x.index('1:3'); // x[1:3]  [2, 5, 6]
    expect(d.shape).toEqual([2, 5, 6]);
    expect(d.index(0, 4, 5).item()).toBe(at(1, 4, 5));
    const e = x.index(':', '1:4'); // x[:, 1:4]  [4, 3, 6]
    expect(e.shape).toEqual([4, 3, 6]);
    expect(e.index(3, 0, 2).item()).toBe(at(3, 1, 2));
    const f = x.index('::2'); // x[::2]  步长为2 (step 2): rows 0 and 2
    expect(f.shape).toEqual([2, 5, 6]);
    expect(f.index(1, 2, 3).item()).toBe(at(2, 2, 3));
    expect(values(x.index(torch.slice(null, null, 2)))).toEqual(values(f));

    const g = x.index(-1); // x[-1]  最后一个 (the last)
    expect(values(g)).toEqual(values(x.index(3)));
    const h = x.index(':', -1); // x[:, -1]  最后一列 (the last column)
    expect(h.shape).toEqual([4, 6]);
    expect(h.index(2, 5).item()).toBe(at(2, 4, 5));

    // Basic indexing returns views: writing through one changes x.
    for (const v of [a, b, c, d, e, f, g, h]) expectSharesMemory(v, x);
    f.index(1).fill_(7);
    expect(at(2, 0, 0)).toBe(7);
  });
});

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

describe('chapters 3–4: misuse gets a clear error and changes nothing', () => {
  it('an index past the end', () => {
    const x = torch.tensor([1, 2, 3]);
    expect(() => x.index(5)).toThrow('index 5 is out of bounds for dimension 0 with size 3');
    expect(() => x.index(torch.tensor([0, 5]))).toThrow('index 5 is out of bounds for dimension 0 with size 3');
    expect(() => x.indexPut_([torch.tensor([5])], 0)).toThrow('index 5 is out of bounds for dimension 0 with size 3');
    expect(() => torch.gather(x, 0, torch.tensor([3]))).toThrow('index 3 is out of bounds for dimension 0 with size 3');
    expect(() => x.scatter_(0, torch.tensor([0, -1]), 9)).toThrow('index -1 is out of bounds for dimension 0 with size 3');
    expect(() => x.indexSelect(0, torch.tensor([3]))).toThrow('index out of range in self');
    expect(() => torch.take(x, torch.tensor([3]))).toThrow('out of range: tried to access index 3 on a tensor of 3 elements.');
    expect(x.tolist()).toEqual([1, 2, 3]);
  });

  it('a mask of the wrong shape', () => {
    const x = torch.zeros(4, 5);
    expect(() => x.index(torch.tensor([true, false, true]))).toThrow(
      'The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [4, 5] at index 0',
    );
    expect(() => x.indexPut_([torch.ones(4, 4, { dtype: torch.bool })], 1)).toThrow('The shape of the mask [4, 4] at index 1');
    expect(x.sum().item()).toBe(0);
  });

  it('view on incompatible strides, and as_strided past the storage', () => {
    const x = torch.arange(12).view(3, 4);
    expect(() => x.t().view(12)).toThrow(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
    expect(x.t().reshape(12).tolist()).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    expect(() => x.asStrided([4, 4], [4, 1])).toThrow(
      'setStorage: sizes [4, 4], strides [4, 1], storage offset 0, and itemsize 8 requiring a storage size of 128 are out of bounds for storage of size 96',
    );
  });
});
