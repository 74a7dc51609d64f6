// What the cpu backend runs on, and its thread count (torch.get_num_threads / set_num_threads).
import { nativeAddon, nativeUnavailableReason } from './addon.js';
import { NATIVE_OPS } from './kernels.js';

export interface CpuBackendInfo {
  /** True when the native addon is loaded and its kernels replace the TypeScript ones where they apply. */
  readonly native: boolean;
  /** The native instruction-set path ('avx2' or 'portable'); null without the addon. */
  readonly isa: string | null;
  /** Threads the native kernels use (1 without the addon: the TypeScript kernels are single-threaded). */
  readonly threads: number;
  /** Ops with a native fast path (empty without the addon). */
  readonly nativeOps: readonly string[];
  /** Why the addon is not in use; null when it is. */
  readonly reason: string | null;
}

export function backendInfo(): CpuBackendInfo {
  return {
    native: nativeAddon !== null,
    isa: nativeAddon ? nativeAddon.isa() : null,
    threads: getNumThreads(),
    nativeOps: nativeAddon ? [...NATIVE_OPS] : [],
    reason: nativeUnavailableReason,
  };
}

/** Threads used for intra-op parallelism (PyTorch's torch.get_num_threads). */
export function getNumThreads(): number {
  return nativeAddon ? nativeAddon.getNumThreads() : 1;
}

/**
 * Set the threads used for intra-op parallelism (torch.set_num_threads). Without the native addon
 * the TypeScript kernels run on one thread whatever is set.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer number of threads, got ${n}`);
  nativeAddon?.setNumThreads(Math.min(n, 1024));
}
