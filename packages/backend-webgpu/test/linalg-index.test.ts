import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import { openTestDevice } from './gpu-setup.js';

const ready = await openTestDevice();

async function expectClose(gpu: torch.Tensor, cpu: torch.Tensor, tol = 1e-4): Promise<void> {
  expect(gpu.shape).toEqual(cpu.shape);
  const a = (await gpu.data()) as Float32Array;
  const b = cpu.dataSync() as Float32Array;
  for (let i = 0; i < b.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!)));
}

describe.runIf(ready)('webgpu matmul, scans and indexing', () => {
  it('matmul of strided operands matches cpu', async () => {
    torch.manualSeed(0);
    const a = torch.randn(3, 37, 20);
    const b = torch.randn(3, 45, 20).transpose(1, 2);
    await expectClose(torch.matmul(a.to('webgpu'), b.to('webgpu')), torch.matmul(a, b));
    const i = torch.randint(-5, 5, [4, 6]);
    expect(await torch.matmul(i.to('webgpu'), i.t().to('webgpu')).tolistAsync()).toEqual(torch.matmul(i, i.t()).tolist());
  });
  it('det and inverse of a batch of strided matrices match cpu', async () => {
    torch.manualSeed(2);
    const a = torch.randn(3, 5, 5).transpose(1, 2);
    await expectClose(torch.det(a.to('webgpu')), torch.det(a));
    await expectClose(torch.inverse(a.to('webgpu')), torch.inverse(a), 1e-3);
    const singular = torch.tensor([[1, 2], [2, 4]], { dtype: 'float32' });
    expect(await torch.det(singular.to('webgpu')).itemAsync()).toBe(torch.det(singular).item());
  });
  it('cumsum and cumprod', async () => {
    const x = torch.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' });
    expect(await x.to('webgpu').cumsum(1).tolistAsync()).toEqual([[1, 3, 6], [4, 9, 15]]);
    expect(await x.to('webgpu').cumprod(0).tolistAsync()).toEqual([[1, 2, 3], [4, 10, 18]]);
  });
  it('gather, scatter, scatter_add, index, index_put with accumulate', async () => {
    const x = torch.arange(12, { dtype: 'float32' }).reshape(3, 4);
    const g = x.to('webgpu');
    const idx = torch.tensor([[0, 3], [1, 1], [2, 0]]);
    expect(await g.gather(1, idx.to('webgpu')).tolistAsync()).toEqual(x.gather(1, idx).tolist());
    const z = torch.zeros(3, 4);
    const src = torch.ones(3, 2);
    expect(await z.to('webgpu').scatterAdd(1, idx.to('webgpu'), src.to('webgpu')).tolistAsync()).toEqual(z.scatterAdd(1, idx, src).tolist());
    const rows = torch.tensor([2, 0, -1]);
    expect(await g.index(rows.to('webgpu'), '1:3').tolistAsync()).toEqual(x.index(rows, '1:3').tolist());
    const h = torch.zeros(5);
    const at = torch.tensor([1, 1, 3, 1]);
    const v = torch.tensor([1, 2, 3, 4], { dtype: 'float32' });
    const hg = h.to('webgpu');
    hg.indexPut_([at.to('webgpu')], v.to('webgpu'), { accumulate: true });
    expect(await hg.tolistAsync()).toEqual([0, 7, 0, 3, 0]);
  });
});
