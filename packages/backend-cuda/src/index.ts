// @kindling/backend-cuda: importing this module registers the `cuda` device (`cuda`, `cuda:0`, `cuda:1`,
// ...) when CUDA can be used here. On a machine without the addon, a driver or a GPU it registers
// nothing, and `cudaStatus()` (and `torch.cuda.isAvailable()` / the errors of `torch.cuda`) say why.
import { registerBackend } from '@kindling/tensor';
import { type CudaAddon, type HostCachingAllocator, loadAddon } from './addon.js';
import { type CudaBackend, createCudaBackend } from './backend.js';

export interface CudaStatus {
  /** Whether the `cuda` device was registered and can be used. */
  readonly available: boolean;
  /** Why not (no addon, no driver, no device), or null when available. */
  readonly reason: string | null;
  readonly deviceCount: number;
  /** Whether the native addon loaded (it loads without a driver, to say why CUDA is unusable). */
  readonly addonLoaded: boolean;
  /** cudart's version numbers (e.g. 13000), 0 where unknown; the driver's is 0 without a driver. */
  readonly runtimeVersion: number;
  readonly driverVersion: number;
}

const loaded = loadAddon();
const addon: CudaAddon | null = loaded.addon;

const status: CudaStatus = (() => {
  if (!addon) return { available: false, reason: loaded.addonError, deviceCount: 0, addonLoaded: false, runtimeVersion: 0, driverVersion: 0 };
  const s = addon.status();
  return {
    available: s.reason === null && s.deviceCount > 0,
    reason: s.reason ?? (s.deviceCount > 0 ? null : 'no CUDA-capable device was found'),
    deviceCount: s.reason === null ? s.deviceCount : 0,
    addonLoaded: true,
    runtimeVersion: s.runtimeVersion,
    driverVersion: s.driverVersion,
  };
})();

/** The registered backend, or null when CUDA is unavailable here. */
export const cudaBackend: CudaBackend | null = status.available && addon ? createCudaBackend(addon, status.deviceCount) : null;
if (cudaBackend) registerBackend('cuda', cudaBackend);

// Where torch.cuda (the `kindling` umbrella, which does not depend on this package) finds the reason
// CUDA is unavailable when this package was imported but registered nothing.
(globalThis as unknown as Record<symbol, CudaStatus>)[Symbol.for('kindling.cuda.status')] = status;

/** Whether CUDA can be used here, and if not, why. */
export function cudaStatus(): CudaStatus {
  return status;
}

function requireAddon(what: string): CudaAddon {
  if (!addon || !status.available) throw new Error(`${what}: CUDA is not available: ${status.reason ?? 'unknown reason'}`);
  return addon;
}

/** cuBLAS (loaded at run time on first use): whether it loaded, from where, or why not. */
export function cublasStatus(): { loaded: boolean; path: string | null; error: string | null } {
  return requireAddon('cublasStatus').cublasStatus();
}

/** `torch.backends.cuda.matmul.allow_tf32 = allow`: float32 matmuls may use TF32 tensor cores (default false, as PyTorch ≥ 1.12). */
export function setAllowTF32(allow: boolean): void {
  requireAddon('setAllowTF32').setAllowTF32(allow);
}

/** `torch.cuda.Event(enable_timing)`: record on the current stream, synchronize, time between two events. */
export class Event {
  private readonly handle: bigint;
  constructor(opts: { enableTiming?: boolean } = {}) {
    this.handle = requireAddon('torch.cuda.Event').createEvent(opts.enableTiming ?? false);
  }
  record(stream?: Stream): void {
    addon!.recordEvent(this.handle, stream?.handle);
  }
  synchronize(): void {
    addon!.eventSynchronize(this.handle);
  }
  /** Milliseconds from this event to `end` (both recorded, timing enabled). */
  elapsedTime(end: Event): number {
    return addon!.eventElapsedTime(this.handle, end.handle);
  }
  [Symbol.dispose](): void {
    addon!.destroyEvent(this.handle);
  }
}

/** `torch.cuda.Stream()`. Kernels run on the current stream; `withStream(s, fn)` switches it. */
export class Stream {
  readonly handle: bigint;
  constructor() {
    this.handle = requireAddon('torch.cuda.Stream').createStream();
  }
  synchronize(): void {
    addon!.streamSynchronize(this.handle);
  }
  [Symbol.dispose](): void {
    addon!.destroyStream(this.handle);
  }
}

/**
 * `with torch.cuda.stream(s):`. Memory freed while another stream is current is reused without
 * waiting for that stream (PyTorch's record_stream is not implemented): synchronize before freeing
 * tensors a side stream still uses.
 */
export function withStream<R>(stream: Stream, fn: () => R): R {
  const a = requireAddon('torch.cuda.stream');
  const prev = a.getStream();
  a.setStream(stream.handle);
  try {
    return fn();
  } finally {
    a.setStream(prev);
  }
}

/**
 * The caching allocator's logic on host memory with a capacity: what tests (and the curious) use to
 * see size classes, splitting, caching, emptyCache and the statistics without a GPU. Needs the addon
 * (built wherever nvcc is), not a driver.
 */
export function hostCachingAllocator(capacityBytes = 2 ** 32): HostCachingAllocator {
  if (!addon) throw new Error(`the CUDA addon is not available: ${loaded.addonError}`);
  return new addon.HostCachingAllocator(capacityBytes);
}

export type { CudaBackend } from './backend.js';
export { CudaStorage, DTYPE_CODE, OP_CODE, createCudaBackend } from './backend.js';
export type { CudaAddon } from './addon.js';

/** The loaded addon (null without it): its pure functions (gemmPlan, HostCachingAllocator) work without a GPU. */
export const nativeAddon: CudaAddon | null = addon;
export type { HostCachingAllocator, MemoryStatsDict } from './addon.js';
