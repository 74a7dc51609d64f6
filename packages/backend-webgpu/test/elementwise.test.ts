import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import { openTestDevice } from './gpu-setup.js';

const ready = await openTestDevice();

describe.runIf(ready)('webgpu elementwise', () => {
  it('adds, broadcasts and reads back', async () => {
    const a = torch.tensor([[1, 2, 3], [4, 5, 6]], { device: 'webgpu', dtype: 'float32' });
    const b = torch.tensor([10, 20, 30], { device: 'webgpu', dtype: 'float32' });
    expect(await a.add(b).tolistAsync()).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(await a.t().mul(2).tolistAsync()).toEqual([[2, 8], [4, 10], [6, 12]]);
  });
  it('int64, bool, uint8', async () => {
    const a = torch.tensor([1n, -2n, 2n ** 40n], { device: 'webgpu' });
    expect(await a.add(a).tolistAsync()).toEqual([2, -4, 2 ** 41]);
    expect(await a.gt(0).tolistAsync()).toEqual([true, false, true]);
    const u = torch.tensor([250, 3, 7], { device: 'webgpu', dtype: 'uint8' });
    expect(await u.add(10).tolistAsync()).toEqual([4, 13, 17]);
    expect(await u.float().neg().tolistAsync()).toEqual([-250, -3, -7]);
  });
  it('refuses synchronous reads clearly', () => {
    const a = torch.tensor([1, 2], { device: 'webgpu', dtype: 'float32' });
    expect(() => a.tolist()).toThrow(/synchronously/);
  });
});
