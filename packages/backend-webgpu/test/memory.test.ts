import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import { emptyCache, memoryStats, synchronize } from '@kindling/backend-webgpu';
import { openTestDevice } from './gpu-setup.js';

const ready = await openTestDevice();

describe.runIf(ready)('webgpu memory', () => {
  it('dispose and tidy give buffers back to the caching allocator, which reuses them', async () => {
    await synchronize();
    const before = memoryStats();
    const a = torch.ones(1000, { device: 'webgpu' });
    expect(memoryStats().allocated).toBe(before.allocated + 4096);
    a.dispose();
    expect(memoryStats().allocated).toBe(before.allocated);
    // Everything a tidy made but its result goes back; run again, it is served from the cache.
    const step = () => torch.tidy(() => torch.ones(1000, { device: 'webgpu' }).mul(2).add(1));
    step().dispose();
    const reserved = memoryStats().reserved;
    const kept = step();
    expect(memoryStats().reserved).toBe(reserved);
    expect(memoryStats().allocated).toBe(before.allocated + 4096);
    expect(await kept.sum().itemAsync()).toBe(3000);
    kept.dispose();
    emptyCache();
    expect(memoryStats().reserved).toBeLessThan(reserved);
  });
});
