// What importing @kindling/backend-cuda does on this machine. Without CUDA (no addon, no driver or no
// GPU) it registers nothing and says why; with CUDA it registers the device. Both branches are real:
// which one runs depends on the machine, and the other is skipped with the reason.
import { describe, expect, it } from 'vitest';
import '@kindling/backend-cpu';
import * as torch from '@kindling/tensor';
import { cudaStatus, cudaBackend } from '@kindling/backend-cuda';

const status = cudaStatus();

describe.skipIf(status.available)(`without CUDA (${status.reason ?? ''})`, () => {
  it('registers nothing and gives a clear reason', () => {
    expect(status.deviceCount).toBe(0);
    expect(cudaBackend).toBeNull();
    expect(torch.registeredBackends()).not.toContain('cuda');
    expect(status.reason).toMatch(/not built|driver|device|failed to load|disabled|Node/);
    // The reason is where torch.cuda (the umbrella) looks for it.
    const shared = (globalThis as unknown as Record<symbol, { reason: string | null }>)[Symbol.for('kindling.cuda.status')];
    expect(shared.reason).toBe(status.reason);
    // Asking for the device is an error, not a crash.
    expect(() => torch.zeros([2], { device: 'cuda' })).toThrow(/cuda/);
  });

  it.skipIf(!status.addonLoaded)('loads the addon without a driver, which reports the driver as missing', () => {
    expect(status.runtimeVersion).toBeGreaterThanOrEqual(12000);
    expect(status.reason).toMatch(/no CUDA driver was found|older than the runtime|no CUDA-capable device/);
  });
});

describe.skipIf(!status.available)(`with CUDA (${status.deviceCount} device(s))`, () => {
  it('registers the cuda device', () => {
    expect(torch.registeredBackends()).toContain('cuda');
    expect(torch.getBackend('cuda').deviceCount()).toBe(status.deviceCount);
  });
});
