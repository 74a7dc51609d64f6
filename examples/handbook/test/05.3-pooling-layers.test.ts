// Handbook 5.3 池化层 (pooling layers): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

describe('handbook 5.3 pooling layers', () => {
  test('MaxPool2d, return_indices, adaptive (global) average pooling', () => {
    // 最大池化
    const maxpool = new nn.MaxPool2d({ kernelSize: 2, stride: 2 });
    const x = torch.randn(16, 64, 224, 224);
    const y = maxpool.forward(x);
    expect(y.shape).toEqual([16, 64, 112, 112]);

    // 带索引的最大池化 (用于反池化)
    const maxpoolIdx = new nn.MaxPool2d(2, { stride: 2, returnIndices: true });
    const [y2, indices] = maxpoolIdx.forward(x);
    expect(y2.shape).toEqual([16, 64, 112, 112]);
    expect(indices.shape).toEqual([16, 64, 112, 112]);
    expect(indices.dtype).toBe('int64');
    expect(y2.equal(y)).toBe(true);

    // 自适应池化 (输出固定尺寸)
    const adaptivePool = new nn.AdaptiveAvgPool2d([1, 1]); // 全局平均池化
    let z = adaptivePool.forward(x);
    expect(z.shape).toEqual([16, 64, 1, 1]);
    z = z.flatten(1);
    expect(z.shape).toEqual([16, 64]);
    expect(z.allclose(x.mean([2, 3]), { rtol: 1e-5, atol: 1e-6 })).toBe(true);

    // 全局平均池化的常用写法
    const gap = new nn.AdaptiveAvgPool2d(1);
    expect(gap.forward(x).shape).toEqual([16, 64, 1, 1]);
  }, 120_000);

  test('the table: AvgPool2d, AdaptiveMaxPool2d, MaxUnpool2d', () => {
    const x = torch.randn(2, 3, 8, 8);
    expect(new nn.AvgPool2d(3, { stride: 2, padding: 1 }).forward(x).shape).toEqual([2, 3, 4, 4]);
    expect(new nn.AdaptiveMaxPool2d([3, 5]).forward(x).shape).toEqual([2, 3, 3, 5]);
    const pool = new nn.MaxPool2d(2, { stride: 2, returnIndices: true });
    const unpool = new nn.MaxUnpool2d(2, { stride: 2 });
    const [y, idx] = pool.forward(x);
    const restored = unpool.forward(y, idx);
    expect(restored.shape).toEqual([2, 3, 8, 8]);
    // Each window keeps its maximum in place and zeros elsewhere.
    expect(restored.flatten(2).gather(2, idx.flatten(2)).equal(y.flatten(2))).toBe(true);
    expect(restored.ne(0).sum().item()).toBe(2 * 3 * 16);
  });
});
