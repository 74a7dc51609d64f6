// Handbook 2.2 矩阵运算 (matrix operations): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { expectTensor, expectPrints } from './helpers/ch1-2.js';

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
