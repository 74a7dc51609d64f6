import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import { openTestDevice } from './gpu-setup.js';

const ready = await openTestDevice();

describe.runIf(ready)('webgpu reductions', () => {
  it('sum, prod, amax, amin over dims, strided, keepdim', async () => {
    const x = torch.arange(24, { dtype: 'float32' }).reshape(2, 3, 4).permute(2, 0, 1);
    const g = x.to('webgpu' as never);
    for (const dims of [[0], [1, 2], [0, 2], []] as number[][]) {
      for (const keepdim of [false, true]) {
        expect(await g.sum(dims, { keepdim }).tolistAsync()).toEqual(x.sum(dims, { keepdim }).tolist());
        expect(await g.amax(dims, { keepdim }).tolistAsync()).toEqual(x.amax(dims, { keepdim }).tolist());
      }
    }
    const big = torch.arange(5000, { dtype: 'int32' });
    expect(await big.to('webgpu').sum().itemAsync()).toBe(4999 * 5000 / 2);
    expect(big.to('webgpu').sum().dtype).toBe('int64');
  });
  it('softmax and log_softmax along any dim match cpu', async () => {
    torch.manualSeed(4);
    const x = torch.randn(4, 70, 3).mul(10).transpose(0, 2);
    for (const dim of [0, 1, 2]) {
      for (const [cpu, gpu] of [
        [torch.softmax(x, dim), torch.softmax(x.to('webgpu'), dim)],
        [torch.logSoftmax(x, dim), torch.logSoftmax(x.to('webgpu'), dim)],
      ] as const) {
        const a = (await gpu.data()) as Float32Array;
        const b = cpu.dataSync() as Float32Array;
        b.forEach((v, i) => expect(Math.abs(a[i]! - v)).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(v)));
      }
    }
  });
  it('all/any, max/min with indices', async () => {
    const x = torch.tensor([[1, 5, 5], [7, -2, 7]], { dtype: 'float32' });
    const g = x.to('webgpu');
    const m = torch.max(g, 1);
    expect(await m.values.tolistAsync()).toEqual([5, 7]);
    expect(await m.indices.tolistAsync()).toEqual([1, 0]);
    expect(await g.gt(0).all(1).tolistAsync()).toEqual([true, false]);
    expect(await g.gt(6).any().itemAsync()).toBe(true);
  });
});
