// Handbook 1.1 张量创建 (tensor creation): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { expectTensor, expectPrints } from './helpers/ch1-2.js';

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
