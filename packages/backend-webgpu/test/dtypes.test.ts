import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import { openTestDevice } from './gpu-setup.js';

const ready = await openTestDevice();

describe.runIf(ready)('webgpu dtypes', () => {
  it('narrow dtypes compute and store as on cpu, neighbours in a word untouched', async () => {
    for (const dtype of ['float16', 'bfloat16', 'int8', 'uint8', 'int16', 'bool'] as const) {
      const a = torch.tensor([1.5, -2, 3, 0, 7, -1, 100], { dtype: dtype === 'bool' ? 'float32' : 'float32' }).to(dtype);
      const b = torch.tensor([2, 3, -0.5, 4, 1, 1, 3], { dtype: 'float32' }).to(dtype);
      const ga = a.to('webgpu');
      const gb = b.to('webgpu');
      if (dtype !== 'bool') expect(await ga.mul(gb).tolistAsync()).toEqual(a.mul(b).tolist());
      expect(await ga.lt(gb).tolistAsync()).toEqual(a.lt(b).tolist());
      // Writing every other element leaves the others (sharing their 32-bit words) as they were.
      const view = ga.index('::2');
      view.copy_(gb.index('::2'));
      const expected = a.clone();
      expected.index('::2').copy_(b.index('::2'));
      expect(await ga.tolistAsync()).toEqual(expected.tolist());
    }
  });
  it('int64 keeps all 64 bits through copies, arithmetic and casts', async () => {
    const big = torch.tensor([2n ** 62n + 3n, -(2n ** 40n) - 1n, 5n]);
    const g = big.to('webgpu');
    expect(await g.mul(3).sub(1).tolistAsync()).toEqual(big.mul(3).sub(1).tolist());
    expect(await g.floorDivide(torch.tensor([7n, -3n, 2n]).to('webgpu')).tolistAsync()).toEqual(big.floorDivide(torch.tensor([7n, -3n, 2n])).tolist());
    expect(await g.to('int32').tolistAsync()).toEqual(big.to('int32').tolist());
    expect(await g.float().tolistAsync()).toEqual(big.float().tolist());
  });
  it('float64 is stored and copied, and computing on it is refused naming op, dtype and device', async () => {
    const x = torch.tensor([[1.25, 2.5], [3.75, 1e300]], { dtype: 'float64' });
    const g = x.to('webgpu');
    expect(await g.t().contiguous().tolistAsync()).toEqual(x.t().tolist());
    expect(() => g.add(1)).toThrow(`"add" is not supported for dtype float64 on device 'webgpu'`);
    expect(() => g.float()).toThrow(`"copy" is not supported for dtype float64 on device 'webgpu'`);
  });
  it('a synchronous read is refused with the asynchronous form named', () => {
    expect(() => torch.ones(1, { device: 'webgpu' }).item()).toThrow(/itemAsync/);
  });
});
