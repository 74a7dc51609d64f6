// Handbook 1.4 张量属性 (tensor attributes): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';

describe('handbook 1.4 张量属性 (tensor attributes)', () => {
  it('code example: shape, size, dtype, device, ndim, numel, requires_grad of randn(3, 4, 5)', () => {
    const x = torch.randn(3, 4, 5);
    expect(x.shape).toEqual([3, 4, 5]); // torch.Size([3, 4, 5])
    expect(x.size()).toEqual([3, 4, 5]); // torch.Size([3, 4, 5])
    expect(x.size(0)).toBe(3); // 3 (第0维大小)
    expect(x.dtype).toBe('float32'); // torch.float32
    expect(x.dtype).toBe(torch.float32);
    expect(String(x.device)).toBe('cpu'); // cpu
    expect(x.ndim).toBe(3); // 3
    expect(x.numel()).toBe(60); // 60
    expect(x.requiresGrad).toBe(false); // False
  });

  it('table examples: the same attributes of a deterministic tensor', () => {
    const x = torch.zeros(3, 4, 5);
    expect(x.shape).toEqual([3, 4, 5]);
    expect(x.size()).toEqual([3, 4, 5]);
    expect(x.size(-1)).toBe(5);
    expect(x.dtype).toBe('float32');
    expect(String(x.device)).toBe('cpu');
    expect(x.device.type).toBe('cpu');
    expect(x.ndim).toBe(3);
    expect(x.numel()).toBe(60);
    expect(x.requiresGrad).toBe(false);
    const y = torch.ones(2, { requiresGrad: true });
    expect(y.requiresGrad).toBe(true);
  });
});
