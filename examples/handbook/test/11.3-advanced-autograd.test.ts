// Handbook 11.3 高级自动求导 (advanced autograd): the section's code block in TypeScript, run as a test
// that checks the values its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import type { Tensor } from 'kindling';

const { autograd } = torch;

describe('11.3 advanced autograd', () => {
  test('高阶导数: y = x³ at x = 1: dy/dx = 3x² = 3, d²y/dx² = 6x = 6', () => {
    const x = torch.tensor([1.0], { dtype: torch.float32, requiresGrad: true });
    const y = x.pow(3);
    const grad1 = autograd.grad(y, x, { createGraph: true })[0]!; // dy/dx = 3x²
    const grad2 = autograd.grad(grad1, x)[0]!; // d²y/dx² = 6x
    expect(grad1.tolist()).toEqual([3]);
    expect(grad2.tolist()).toEqual([6]);
  });

  test('向量-雅可比积, grad_fn, retain_graph and hooks', () => {
    const x = torch.randn(3, { requiresGrad: true });
    const y = x.pow(2);
    const v = torch.tensor([1.0, 0.1, 0.01], { dtype: torch.float32 });
    y.backward(v, { retainGraph: true }); // 计算 v^T @ (dy/dx)
    const xs = x.tolist() as number[];
    const want = xs.map((xi, i) => 2 * xi * [1.0, 0.1, 0.01][i]!);
    (x.grad!.tolist() as number[]).forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 6));

    // 获取梯度函数
    expect(String(y.gradFn)).toBe('<PowBackward0>');

    // 保留计算图: 可以再次 backward (the first call above kept it)
    y.backward(v, { retainGraph: true });
    (x.grad!.tolist() as number[]).forEach((g, i) => expect(g).toBeCloseTo(2 * want[i]!, 6));

    // 钩子函数
    const printed: string[] = [];
    const printGrad = (grad: Tensor) => {
      printed.push(`Gradient: ${String(grad)}`);
    };
    x.registerHook(printGrad);
    x.mul(3).sum().backward();
    expect(printed).toEqual(['Gradient: tensor([3., 3., 3.])']);
  });
});
