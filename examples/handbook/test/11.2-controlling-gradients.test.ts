// Handbook 11.2 控制梯度 (controlling gradients): the section's code block in TypeScript. Python's
// `with` blocks become functions run in the mode: `torch.noGrad(() => …)`.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

describe('11.2 controlling gradients', () => {
  const x = torch.randn(4, 3, { requiresGrad: true });

  test('no_grad: 停止梯度追踪 — 不会记录操作', () => {
    const y = torch.noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
  });

  test('detach: 返回不需要梯度的新张量 (sharing storage)', () => {
    const y = x.detach();
    expect(y.requiresGrad).toBe(false);
    expect(y.storageId).toBe(x.storageId);
  });

  test('enable_grad inside no_grad records again', () => {
    const y = torch.noGrad(() => torch.enableGrad(() => x.mul(2)));
    expect(y.requiresGrad).toBe(true);
  });

  test('set_grad_enabled(False) / set_grad_enabled(True): 设置全局梯度计算', () => {
    torch.setGradEnabled(false);
    try {
      expect(torch.isGradEnabled()).toBe(false);
      expect(x.mul(2).requiresGrad).toBe(false);
    } finally {
      torch.setGradEnabled(true);
    }
    expect(torch.isGradEnabled()).toBe(true);
    expect(x.mul(2).requiresGrad).toBe(true);
  });

  test('inference_mode: 推理模式 (比 no_grad 更高效)', () => {
    const model = new nn.Linear(3, 2);
    const y = torch.inferenceMode(() => model.forward(x));
    expect(y.shape).toEqual([4, 2]);
    expect(y.requiresGrad).toBe(false);
    expect(y.isInference()).toBe(true);
  });
});
