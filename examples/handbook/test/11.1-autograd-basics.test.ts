// Handbook 11.1 基本操作 (autograd basics): the section's code block in TypeScript, run as a test that
// checks the values its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';

describe('11.1 autograd basics', () => {
  test('requires_grad, backward, dz/dx = 2x = [2, 4, 6], zero_(), accumulation', () => {
    // 创建需要梯度的张量 (1.0 is an integer to JavaScript: say float32)
    let x = torch.tensor([1.0, 2.0, 3.0], { dtype: torch.float32, requiresGrad: true });
    expect(x.requiresGrad).toBe(true);

    // 或后续设置
    const x2 = torch.randn(3);
    x2.requiresGrad_(true);
    expect(x2.requiresGrad).toBe(true);

    // 计算
    const y = x.pow(2);
    const z = y.sum();

    // 反向传播 (retainGraph so that the accumulation below can run backward again, as PyTorch needs too)
    z.backward(null, { retainGraph: true });
    expect(x.grad!.tolist()).toEqual([2, 4, 6]); // dz/dx = 2x = [2, 4, 6]
    expect(String(x.grad)).toBe('tensor([2., 4., 6.])');

    // 清除梯度
    x.grad!.zero_();
    expect(x.grad!.tolist()).toEqual([0, 0, 0]);

    // 梯度累加（默认行为）
    z.backward(null, { retainGraph: true });
    z.backward(); // 梯度会累加
    expect(x.grad!.tolist()).toEqual([4, 8, 12]);

    // Taken literally (a second backward without retain_graph), the handbook's sequence fails in PyTorch
    // too: the graph's saved tensors are freed by the first backward.
    x = torch.tensor([1.0, 2.0, 3.0], { dtype: torch.float32, requiresGrad: true });
    const z2 = x.pow(2).sum();
    z2.backward();
    expect(() => z2.backward()).toThrow('Trying to backward through the graph a second time');
  });
});
