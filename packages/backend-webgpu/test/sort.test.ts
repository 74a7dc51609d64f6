import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import { openTestDevice } from './gpu-setup.js';

const ready = await openTestDevice();

describe.runIf(ready)('webgpu sort and order statistics', () => {
  const x = torch.tensor([[3, NaN, 1, 3, -2, 1, 1], [0, 5, 5, -1, NaN, NaN, 2]], { dtype: 'float32' });
  const g = x.to('webgpu');
  it('sorts stably, NaN last (first when descending), as cpu', async () => {
    for (const descending of [false, true]) {
      const c = torch.sort(x, 1, { descending });
      const w = torch.sort(g, 1, { descending });
      expect(await w.values.tolistAsync()).toEqual(c.values.tolist());
      expect(await w.indices.tolistAsync()).toEqual(c.indices.tolist());
    }
    const c0 = torch.sort(x, 0);
    expect(await torch.sort(g, 0).indices.tolistAsync()).toEqual(c0.indices.tolist());
  });
  it('median, kthvalue and mode pick what cpu picks', async () => {
    const i = torch.tensor([[4, 1, 4, 2, 1, 7], [3, 3, 0, 0, 9, 3]], { dtype: 'int32' });
    for (const t of [x, i]) {
      const w = t.to('webgpu');
      for (const [cpu, gpu] of [
        [torch.median(t, 1), torch.median(w, 1)],
        [torch.kthvalue(t, 2, 1), torch.kthvalue(w, 2, 1)],
        [torch.mode(t, 1), torch.mode(w, 1)],
      ] as const) {
        expect(await gpu.values.tolistAsync()).toEqual(cpu.values.tolist());
        expect(await gpu.indices.tolistAsync()).toEqual(cpu.indices.tolist());
      }
    }
  });
});
