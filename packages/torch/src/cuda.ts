// `torch.cuda` (handbook 13.1-13.2): answers from the registered `cuda` backend. The umbrella does not
// depend on @kindling/backend-cuda (GPU backends are opt-in): importing that package registers the
// backend, and these functions find it through the registry. Without it (or without a driver or a
// GPU) CUDA is reported unavailable, as PyTorch does on a machine without a GPU, and the functions that
// need a GPU throw an error that says why.
import { DeviceError, getBackend, hasBackend, manualSeed as seedAll } from '@kindling/tensor';
import { cudaAmp } from './amp.js';

/** What @kindling/backend-cuda's backend offers beyond the Backend interface (found by duck typing). */
export interface CudaBackendApi {
  deviceCount(): number;
  /** Why CUDA cannot be used (no addon, no driver, no device), or null when it can. */
  readonly unavailableReason?: string | null;
  currentDevice?(): number;
  setDevice?(device: number): void;
  getDeviceName?(device: number): string;
  getDeviceCapability?(device: number): [number, number];
  synchronize?(device: number): void;
  /** PyTorch's flat `torch.cuda.memory_stats()` dict ("allocated_bytes.all.current", ...). */
  memoryStats?(device: number): Record<string, number>;
  resetPeakMemoryStats?(device: number): void;
  emptyCache?(): void;
  setAllowTF32?(allow: boolean): void;
}

export class CudaError extends DeviceError {
  override name = 'CudaError';
}

/** `torch.cuda.amp`: autocast fixed to cuda and GradScaler. */
export const amp = cudaAmp;

function registered(): CudaBackendApi | null {
  return hasBackend('cuda') ? (getBackend('cuda') as unknown as CudaBackendApi) : null;
}

/** Why CUDA is unavailable, or null when it is available. */
export function unavailableReason(): string | null {
  const b = registered();
  if (!b) {
    // Imported but unusable here: the package leaves its reason (no addon, no driver, no GPU) on globalThis.
    const status = (globalThis as unknown as Record<symbol, { reason?: string | null } | undefined>)[Symbol.for('kindling.cuda.status')];
    if (status?.reason) return status.reason;
    return "@kindling/backend-cuda is not imported (install it and `import '@kindling/backend-cuda'`)";
  }
  if (b.unavailableReason) return b.unavailableReason;
  if (b.deviceCount() === 0) return 'no CUDA device was found';
  return null;
}

/** The backend, when CUDA can be used; else the error PyTorch's lazy init raises, with the reason. */
function lazyInit(): CudaBackendApi {
  const why = unavailableReason();
  if (why !== null) throw new CudaError(`CUDA is not available: ${why}`);
  return registered()!;
}

function index(device: number | string | { type: string; index: number | null } | undefined, b: CudaBackendApi): number {
  if (device === undefined || device === null) return b.currentDevice?.() ?? 0;
  if (typeof device === 'number') return device;
  if (typeof device === 'string') {
    const m = /^cuda(?::(\d+))?$/.exec(device);
    if (!m) throw new CudaError(`Expected a cuda device, but got: ${device}`);
    return m[1] === undefined ? (b.currentDevice?.() ?? 0) : Number(m[1]);
  }
  if (device.type !== 'cuda') throw new CudaError(`Expected a cuda device, but got: ${device.type}`);
  return device.index ?? b.currentDevice?.() ?? 0;
}

function checkIndex(i: number, b: CudaBackendApi): number {
  const n = b.deviceCount();
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new CudaError(`Invalid device id ${i}: ${n} CUDA device(s) are available`);
  return i;
}

export type CudaDeviceLike = number | string | { type: string; index: number | null };

export function isAvailable(): boolean {
  return unavailableReason() === null;
}
export function deviceCount(): number {
  const b = registered();
  return b && !b.unavailableReason ? b.deviceCount() : 0;
}
/** Whether CUDA has been initialized (here: whether it can be used; Kindling initializes at import). */
export function isInitialized(): boolean {
  return isAvailable();
}
export function currentDevice(): number {
  return lazyInit().currentDevice?.() ?? 0;
}
export function setDevice(device: CudaDeviceLike): void {
  const b = lazyInit();
  const i = checkIndex(index(device, b), b);
  if (!b.setDevice) throw new CudaError('the cuda backend cannot change the current device');
  b.setDevice(i);
}
export function getDeviceName(device?: CudaDeviceLike): string {
  const b = lazyInit();
  const i = checkIndex(index(device, b), b);
  if (!b.getDeviceName) throw new CudaError('the cuda backend does not report device names');
  return b.getDeviceName(i);
}
export function getDeviceCapability(device?: CudaDeviceLike): [number, number] {
  const b = lazyInit();
  const i = checkIndex(index(device, b), b);
  if (!b.getDeviceCapability) throw new CudaError('the cuda backend does not report compute capabilities');
  return b.getDeviceCapability(i);
}
/** Wait for all work queued on the device. */
export function synchronize(device?: CudaDeviceLike): void {
  const b = lazyInit();
  b.synchronize?.(checkIndex(index(device, b), b));
}
/** One generator serves every device, so seeding CUDA seeds the same stream. */
export function manualSeed(seed: number | bigint): void {
  seedAll(seed);
}
export const manualSeedAll = manualSeed;

/** The names of PyTorch's allocator statistics that memorySummary() shows. */
const SUMMARY_METRICS: readonly [string, string, 'size' | 'count'][] = [
  ['allocated_bytes', 'Allocated memory', 'size'],
  ['active_bytes', 'Active memory', 'size'],
  ['reserved_bytes', 'GPU reserved memory', 'size'],
  ['inactive_split_bytes', 'Non-releasable memory', 'size'],
  ['allocation', 'Allocations', 'count'],
  ['active', 'Active allocs', 'count'],
  ['segment', 'GPU reserved segments', 'count'],
  ['inactive_split', 'Non-releasable allocs', 'count'],
];

/**
 * `torch.cuda.memory_stats(device)`: the caching allocator's statistics under PyTorch's flat keys.
 * Without CUDA it is empty, as in PyTorch before CUDA is initialized.
 */
export function memoryStats(device?: CudaDeviceLike): Record<string, number> {
  const b = registered();
  if (!b || unavailableReason() !== null || !b.memoryStats) return {};
  return b.memoryStats(checkIndex(index(device, b), b));
}
function stat(device: CudaDeviceLike | undefined, key: string): number {
  return memoryStats(device)[key] ?? 0;
}
/** Bytes occupied by tensors on the device. */
export function memoryAllocated(device?: CudaDeviceLike): number {
  return stat(device, 'allocated_bytes.all.current');
}
/** The most bytes occupied by tensors since the start (or resetPeakMemoryStats). */
export function maxMemoryAllocated(device?: CudaDeviceLike): number {
  return stat(device, 'allocated_bytes.all.peak');
}
/** Bytes held by the caching allocator: in use and cached for reuse. */
export function memoryReserved(device?: CudaDeviceLike): number {
  return stat(device, 'reserved_bytes.all.current');
}
export function maxMemoryReserved(device?: CudaDeviceLike): number {
  return stat(device, 'reserved_bytes.all.peak');
}
/** Reset the peaks (maxMemoryAllocated, maxMemoryReserved, ...) to the current values. */
export function resetPeakMemoryStats(device?: CudaDeviceLike): void {
  const b = registered();
  if (!b || unavailableReason() !== null) return;
  b.resetPeakMemoryStats?.(checkIndex(index(device, b), b));
}
/** Give the cached, unused device memory back to the driver (memoryReserved drops; memoryAllocated does not). */
export function emptyCache(): void {
  const b = registered();
  if (!b || unavailableReason() !== null) return;
  b.emptyCache?.();
}

function formatSize(sz: number, pref: number): string {
  const prefixes = ['B ', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let prefix = prefixes[0]!;
  for (const p of prefixes.slice(1)) {
    if (pref < 768 * 1024) break;
    prefix = p;
    sz = Math.floor(sz / 1024);
    pref /= 1024;
  }
  return `${String(sz).padStart(7)} ${prefix}`;
}
function formatCount(cnt: number, pref: number): string {
  const prefixes = [' ', 'K', 'M'];
  let prefix = prefixes[0]!;
  for (const p of prefixes.slice(1)) {
    if (pref < 750 * 1000) break;
    prefix = p;
    cnt = Math.floor(cnt / 1000);
    pref /= 1000;
  }
  return `${String(cnt).padStart(7)} ${prefix} `;
}

/** PyTorch's memory_summary table for a memory_stats() dict (missing keys count as 0). */
export function formatMemorySummary(stats: Readonly<Record<string, number>>, device: number, abbreviated = false): string {
  const get = (k: string) => stats[k] ?? 0;
  const lines: string[] = [];
  lines.push('='.repeat(75));
  lines.push(` ${' '.repeat(16)} PyTorch CUDA memory summary, device ID ${String(device).padEnd(17)} `);
  lines.push('-'.repeat(75));
  lines.push(`  ${' '.repeat(9)} CUDA OOMs: ${String(get('num_ooms')).padEnd(12)} | ${' '.repeat(6)} cudaMalloc retries: ${String(get('num_alloc_retries')).padEnd(8)}  `);
  lines.push('='.repeat(75));
  lines.push('        Metric         | Cur Usage  | Peak Usage | Tot Alloc  | Tot Freed  ');
  for (const [key, name, kind] of SUMMARY_METRICS) {
    lines.push('-'.repeat(75));
    const fmt = kind === 'size' ? formatSize : formatCount;
    const subs: [string, string][] = [['all', name]];
    if (!abbreviated) subs.push(['large_pool', '      from large pool'], ['small_pool', '      from small pool']);
    let pref: number[] | null = null;
    for (const [sub, label] of subs) {
      const vals = ['current', 'peak', 'allocated', 'freed'].map((f) => get(`${key}.${sub}.${f}`));
      pref ??= vals;
      lines.push(` ${label.padEnd(21)} | ${vals.map((v, i) => fmt(v, pref![i]!)).join(' | ')} `);
    }
  }
  for (const [key, name] of [['oversize_allocations', 'Oversize allocations'], ['oversize_segments', 'Oversize GPU segments']] as const) {
    lines.push('-'.repeat(75));
    const vals = ['current', 'peak', 'allocated', 'freed'].map((f) => get(`${key}.${f}`));
    lines.push(` ${name.padEnd(21)} | ${vals.map((v) => formatCount(v, v)).join(' | ')} `);
  }
  lines.push('='.repeat(75));
  return `|${lines.join('|\n|')}|\n`;
}

/**
 * `torch.cuda.memory_summary(device, abbreviated)`: the caching allocator's statistics as PyTorch's
 * table. Without CUDA it shows zeros (PyTorch raises a KeyError there).
 */
export function memorySummary(device?: CudaDeviceLike, opts: { abbreviated?: boolean } = {}): string {
  const b = registered();
  const usable = b !== null && unavailableReason() === null;
  const i = usable ? checkIndex(index(device, b), b) : typeof device === 'number' ? device : 0;
  return formatMemorySummary(memoryStats(usable ? i : undefined), i, opts.abbreviated ?? false);
}

let allowTf32 = false;
/**
 * `torch.backends.cuda`: `torch.backends.cuda.matmul.allowTf32 = true` lets float32 matmuls on cuda use
 * TF32 tensor cores (off by default, as in PyTorch >= 1.12). Applied to the registered cuda backend.
 */
export const backendsCuda = {
  matmul: {
    get allowTf32(): boolean {
      return allowTf32;
    },
    set allowTf32(allow: boolean) {
      allowTf32 = Boolean(allow);
      registered()?.setAllowTF32?.(allowTf32);
    },
  },
};
