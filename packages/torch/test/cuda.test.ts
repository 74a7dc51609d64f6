// torch.cuda without a GPU (this suite runs everywhere): CUDA reported unavailable with the reason,
// memory statistics empty, memorySummary's table exactly as PyTorch formats it (fixtures/amp/memory_summary.json,
// PyTorch's own memory_summary fed synthetic statistics), and discovery of a registered cuda backend.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as torch from 'kindling';

interface SummaryCase { id: string; stats: Record<string, number>; summary_device0: string; summary_device1_abbreviated: string }
const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/amp/memory_summary.json', import.meta.url), 'utf8')) as { cases: SummaryCase[] };

describe('torch.cuda without @kindling/backend-cuda', () => {
  it('reports no CUDA and says why where a GPU is needed', () => {
    expect(torch.cuda.isAvailable()).toBe(false);
    expect(torch.cuda.deviceCount()).toBe(0);
    expect(torch.cuda.unavailableReason()).toMatch(/@kindling\/backend-cuda is not imported/);
    for (const f of [() => torch.cuda.currentDevice(), () => torch.cuda.getDeviceName(), () => torch.cuda.synchronize(), () => torch.cuda.setDevice(0)]) {
      expect(f).toThrow(/CUDA is not available: @kindling\/backend-cuda is not imported/);
    }
    expect(torch.cuda.memoryAllocated()).toBe(0);
    expect(torch.cuda.memoryReserved()).toBe(0);
    expect(torch.cuda.maxMemoryAllocated()).toBe(0);
    expect(torch.cuda.memoryStats()).toEqual({});
    torch.cuda.emptyCache();
    torch.cuda.resetPeakMemoryStats();
  });

  it("formats memorySummary as PyTorch's memory_summary", () => {
    for (const c of fixture.cases) {
      expect(torch.cuda.formatMemorySummary(c.stats, 0)).toBe(c.summary_device0);
      expect(torch.cuda.formatMemorySummary(c.stats, 1, true)).toBe(c.summary_device1_abbreviated);
    }
    expect(torch.cuda.memorySummary()).toBe(fixture.cases.find((c) => c.id === 'zeros')!.summary_device0);
  });
});

describe('torch.cuda after @kindling/backend-cuda was imported on a machine without CUDA', () => {
  it("reports the package's reason (it registers no backend and publishes why on globalThis)", () => {
    const key = Symbol.for('kindling.cuda.status');
    const g = globalThis as unknown as Record<symbol, unknown>;
    g[key] = { available: false, reason: 'no CUDA driver was found (cudaErrorInsufficientDriver: CUDA driver version is insufficient for CUDA runtime version)' };
    try {
      expect(torch.cuda.isAvailable()).toBe(false);
      expect(torch.cuda.deviceCount()).toBe(0);
      expect(torch.cuda.unavailableReason()).toMatch(/^no CUDA driver was found/);
      expect(() => torch.cuda.currentDevice()).toThrow('CUDA is not available: no CUDA driver was found (cudaErrorInsufficientDriver');
    } finally {
      delete g[key];
    }
  });
});

describe('torch.cuda finds a cuda backend through the registry', () => {
  afterEach(() => {
    torch.registry.backends.delete('cuda');
  });
  const base = torch.getBackend('cpu');

  it('reports the reason a registered backend gives (no driver), and no devices', () => {
    torch.registerBackend('cuda', { ...base, type: 'cuda', deviceCount: () => 0, unavailableReason: 'no CUDA driver was found (cudaErrorInsufficientDriver)' } as torch.Backend);
    expect(torch.cuda.isAvailable()).toBe(false);
    expect(torch.cuda.deviceCount()).toBe(0);
    expect(() => torch.cuda.getDeviceName()).toThrow('CUDA is not available: no CUDA driver was found (cudaErrorInsufficientDriver)');
  });

  it('answers from a working backend: devices, names, statistics', () => {
    let current = 0;
    const stats = fixture.cases.find((c) => c.id === 'small')!.stats;
    let reset = -1;
    let emptied = false;
    let tf32 = false;
    torch.registerBackend('cuda', {
      ...base, type: 'cuda', unavailableReason: null, deviceCount: () => 2, currentDevice: () => current,
      setDevice: (i: number) => { current = i; }, getDeviceName: (i: number) => `Fake GPU ${i}`, getDeviceCapability: () => [9, 0],
      synchronize: () => {}, memoryStats: (i: number) => (i === 1 ? stats : {}), resetPeakMemoryStats: (i: number) => { reset = i; },
      emptyCache: () => { emptied = true; }, setAllowTF32: (a: boolean) => { tf32 = a; },
    } as unknown as torch.Backend);
    torch.backends.cuda.matmul.allowTf32 = true;
    expect([tf32, torch.backends.cuda.matmul.allowTf32]).toEqual([true, true]);
    torch.backends.cuda.matmul.allowTf32 = false;
    expect(tf32).toBe(false);
    expect(torch.cuda.isAvailable()).toBe(true);
    expect(torch.cuda.deviceCount()).toBe(2);
    torch.cuda.setDevice('cuda:1');
    expect(torch.cuda.currentDevice()).toBe(1);
    expect(torch.cuda.getDeviceName()).toBe('Fake GPU 1');
    expect(torch.cuda.getDeviceName(torch.device('cuda:0'))).toBe('Fake GPU 0');
    expect(torch.cuda.getDeviceCapability()).toEqual([9, 0]);
    expect(torch.cuda.memoryAllocated()).toBe(stats['allocated_bytes.all.current']);
    expect(torch.cuda.maxMemoryAllocated(1)).toBe(stats['allocated_bytes.all.peak']);
    expect(torch.cuda.memoryReserved('cuda:1')).toBe(stats['reserved_bytes.all.current']);
    expect(torch.cuda.memoryAllocated(0)).toBe(0);
    expect(torch.cuda.memorySummary(1, { abbreviated: true })).toBe(fixture.cases.find((c) => c.id === 'small')!.summary_device1_abbreviated);
    torch.cuda.resetPeakMemoryStats();
    expect(reset).toBe(1);
    torch.cuda.emptyCache();
    expect(emptied).toBe(true);
    expect(() => torch.cuda.setDevice(2)).toThrow('Invalid device id 2: 2 CUDA device(s) are available');
    expect(() => torch.cuda.getDeviceName('cpu')).toThrow('Expected a cuda device, but got: cpu');
  });
});
