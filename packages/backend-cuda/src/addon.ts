// Loads the CUDA addon (native/, built by the package's install script when nvcc is found). Everything
// that can go wrong is turned into a reason string: not Node.js, addon not built, addon fails to load,
// no driver, no device. `cudaStatus()` reports it; the backend is registered only when CUDA is usable.

/** A strided operand for the elementwise and reduction kernels: pointer (offset applied), dtype code, strides in elements. */
export interface NativeOperand {
  ptr: bigint;
  dtype: number;
  strides: number[];
}

/** The statistics of a caching allocator under PyTorch's flat names ("allocated_bytes.all.current", ...). */
export type MemoryStatsDict = Record<string, number>;

export interface HostCachingAllocator {
  malloc(nbytes: number): bigint;
  free(ptr: bigint): void;
  memoryStats(): MemoryStatsDict;
  emptyCache(): void;
  resetPeakMemoryStats(): void;
  /** Bytes the underlying (host) raw allocator has handed out: what the cache holds from the "driver". */
  rawBytesInUse(): number;
}

/** The addon's functions (native/src/addon.cc). */
export interface CudaAddon {
  readonly abiVersion: number;
  status(): { deviceCount: number; reason: string | null; runtimeVersion: number; driverVersion: number };
  getDeviceName(device: number): string;
  getDeviceCapability(device: number): [number, number];
  totalMemory(device: number): number;
  setDevice(device: number): void;
  currentDevice(): number;
  synchronize(device: number): void;
  malloc(device: number, nbytes: number): bigint;
  free(device: number, ptr: bigint): void;
  memoryStats(device: number): MemoryStatsDict;
  resetPeakMemoryStats(device: number): void;
  emptyCache(): void;
  writeHost(ptr: bigint, byteOffset: number, src: ArrayBufferView): void;
  readHost(ptr: bigint, byteOffset: number, nbytes: number): Uint8Array;
  copyDevice(dst: bigint, src: bigint, nbytes: number): void;
  elementwise(op: number, shape: readonly number[], out: NativeOperand, inputs: readonly NativeOperand[], scalar?: number, iscalar?: bigint): void;
  reduce(
    op: number, oshape: readonly number[], rshape: readonly number[], out: NativeOperand,
    input: { ptr: bigint; dtype: number; ostrides: number[]; rstrides: number[] },
  ): void;
  softmax(log: boolean, dtype: number, input: bigint, out: bigint, outer: number, dim: number, inner: number): void;
  gemm(
    dtype: number, batch: number, n: number, m: number, k: number,
    a: bigint, aStrides: readonly number[], b: bigint, bStrides: readonly number[], c: bigint, cStrides: readonly number[],
  ): void;
  /** How bmm maps a strided batched product onto cuBLAS (op flags and leading dims), or ok: false (fallback kernel). */
  gemmPlan(
    batch: number, n: number, m: number, k: number, aStrides: readonly number[], bStrides: readonly number[], cStrides: readonly number[],
  ): { ok: boolean; transa: 'N' | 'T'; transb: 'N' | 'T'; lda: number; ldb: number; ldc: number };
  cublasStatus(): { loaded: boolean; path: string | null; error: string | null };
  setAllowTF32(allow: boolean): void;
  createStream(): bigint;
  destroyStream(stream: bigint): void;
  setStream(stream: bigint): void;
  getStream(): bigint;
  streamSynchronize(stream: bigint): void;
  createEvent(enableTiming?: boolean): bigint;
  recordEvent(event: bigint, stream?: bigint): void;
  eventSynchronize(event: bigint): void;
  eventElapsedTime(start: bigint, end: bigint): number;
  destroyEvent(event: bigint): void;
  HostCachingAllocator: new (capacityBytes?: number) => HostCachingAllocator;
}

const ABI_VERSION = 1;

type NodeProcess = {
  versions?: { node?: string };
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
};

export interface LoadResult {
  addon: CudaAddon | null;
  /** Why the addon itself is unavailable (null when it loaded). */
  addonError: string | null;
}

export function loadAddon(): LoadResult {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (typeof proc === 'undefined' || !proc.versions?.node) return { addon: null, addonError: 'CUDA needs Node.js (this is not Node.js)' };
  const off = proc.env?.['KINDLING_NO_CUDA'];
  if (off !== undefined && off !== '' && off !== '0' && off.toLowerCase() !== 'false') {
    return { addon: null, addonError: 'disabled by KINDLING_NO_CUDA' };
  }
  const mod = proc.getBuiltinModule?.('node:module') as { createRequire(url: string): (id: string) => unknown } | undefined;
  if (!mod) return { addon: null, addonError: `Node.js ${proc.versions.node} lacks process.getBuiltinModule (20.16 or later loads the addon)` };
  const require = mod.createRequire(import.meta.url);
  // The same path from src/ and dist/.
  const file = proc.env?.['KINDLING_CUDA_ADDON'] || '../native/build/Release/kindling_cuda.node';
  try {
    const addon = require(file) as CudaAddon;
    if (addon.abiVersion !== ABI_VERSION) {
      return { addon: null, addonError: `the CUDA addon's ABI version is ${String(addon.abiVersion)}, not ${ABI_VERSION}: rebuild it (pnpm install)` };
    }
    return { addon, addonError: null };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === 'MODULE_NOT_FOUND') {
      return { addon: null, addonError: 'the CUDA addon is not built (installing @kindling/backend-cuda builds it when nvcc, the CUDA compiler, is found)' };
    }
    return { addon: null, addonError: `the CUDA addon failed to load: ${String(e.message ?? err).split('\n')[0]}` };
  }
}
