// Loads the native addon (native/, built by the package's install script) when it can be: in Node.js,
// unless KINDLING_NO_NATIVE is set, and only if the build succeeded. Everywhere else the TypeScript
// kernels run alone; backendInfo() says which is the case and why.

/** The addon's functions (native/src/addon.cc). Offsets, strides and sizes are in elements. */
export interface NativeAddon {
  readonly abiVersion: number;
  /** An uninitialised ArrayBuffer whose memory returns to the addon's pool when it is collected. */
  hostBuffer(bytes: number): ArrayBuffer;
  /** Free the pool's cached blocks. */
  trimHostPool(): void;
  hostPoolStats(): { live: number; cached: number; fresh: number };
  gemm(
    a: Float32Array | Float64Array, aOff: number, aBs: number, aRs: number, aCs: number,
    b: Float32Array | Float64Array, bOff: number, bBs: number, bRs: number, bCs: number,
    c: Float32Array | Float64Array, cOff: number, cBs: number, cRs: number, cCs: number,
    batch: number, n: number, m: number, k: number,
    /** C = Σ over the batch of the products, one C (cBs unused). */
    sumBatch?: boolean,
  ): void;
  binary(
    op: number,
    a: Float32Array, aOff: number, aRs: number, aCs: number,
    b: Float32Array, bOff: number, bRs: number, bCs: number,
    out: Float32Array, oOff: number, oRs: number,
    rows: number, cols: number,
  ): void;
  exp(a: Float32Array, aOff: number, out: Float32Array, oOff: number, n: number): void;
  /** op 0 neg, 1 abs, 2 sqrt, 3 rsqrt; contiguous float32. */
  unary(op: number, a: Float32Array, aOff: number, out: Float32Array, oOff: number, n: number): void;
  /** scatter (add: scatter_add), float32 by int64 indices; -1, or the first position whose index is out of range (nothing written). */
  scatter(
    add: boolean, out: Float32Array, oOff: number, index: BigInt64Array, iOff: number, src: Float32Array, sOff: number,
    shape: readonly number[], oStrides: readonly number[], iStrides: readonly number[], sStrides: readonly number[], dimSize: number, dimStride: number,
  ): number;
  /** Same-size elements through any strides; shape and strides after merging dims. */
  copy(src: ArrayBufferView, sOff: number, dst: ArrayBufferView, dOff: number, shape: readonly number[], sStrides: readonly number[], dStrides: readonly number[]): void;
  /** out = result <= threshold ? 0 : grad, contiguous float32. */
  thresholdBackward(grad: Float32Array, gOff: number, result: Float32Array, rOff: number, threshold: number, out: Float32Array, oOff: number, n: number): void;
  relu(a: Float32Array, aOff: number, aRs: number, out: Float32Array, oOff: number, oRs: number, rows: number, cols: number): void;
  compare(
    op: number,
    a: Float32Array, aOff: number, aRs: number, aCs: number,
    b: Float32Array, bOff: number, bRs: number, bCs: number,
    out: Uint8Array, oOff: number, oRs: number,
    rows: number, cols: number,
  ): void;
  where(
    c: Uint8Array, cOff: number, cRs: number, cCs: number,
    a: Float32Array, aOff: number, aRs: number, aCs: number,
    b: Float32Array, bOff: number, bRs: number, bCs: number,
    out: Float32Array, oOff: number, oRs: number,
    rows: number, cols: number,
  ): void;
  sum(a: Float32Array | Float64Array, aOff: number, out: Float32Array | Float64Array, oOff: number, outer: number, red: number, inner: number): void;
  /** Σ over outer and inner of a contiguous [outer, mid, inner] input, into [mid]. */
  sumAround(a: Float32Array | Float64Array, aOff: number, out: Float32Array | Float64Array, oOff: number, outer: number, mid: number, inner: number): void;
  softmax(log: boolean, a: Float32Array | Float64Array, aOff: number, out: Float32Array | Float64Array, oOff: number, outer: number, dim: number, inner: number): void;
  /**
   * A window's geometry for im2col/col2im/maxPool: n, c, kernel[3], out[3], in[3], stride[3], padding[3],
   * dilation[3], then the input's strides n, c, spatial[3] (spatial ranks below 3 lifted with unit dims).
   */
  im2col(x: Float32Array, xOff: number, out: Float32Array, oOff: number, geometry: readonly number[], padValue: number): void;
  col2im(cols: Float32Array, cOff: number, out: Float32Array, oOff: number, geometry: readonly number[]): void;
  maxPool(x: Float32Array, xOff: number, values: Float32Array, vOff: number, indices: BigInt64Array, iOff: number, geometry: readonly number[]): void;
  /** Batch norm over a contiguous float32 [n, c, inner]: per-channel mean and biased variance. */
  batchNormStats(x: Float32Array, xOff: number, mean: Float32Array, mOff: number, variance: Float32Array, vOff: number, n: number, c: number, inner: number): void;
  batchNormElemt(
    x: Float32Array, xOff: number, mean: Float32Array | null, mOff: number, invstd: Float32Array | null, iOff: number,
    weight: Float32Array | null, wOff: number, bias: Float32Array | null, bOff: number, y: Float32Array, yOff: number, n: number, c: number, inner: number,
  ): void;
  batchNormBackward(
    g: Float32Array, gOff: number, x: Float32Array, xOff: number, mean: Float32Array | null, mOff: number, invstd: Float32Array | null, iOff: number,
    weight: Float32Array | null, wOff: number, dx: Float32Array | null, dxOff: number, dw: Float32Array, dwOff: number, db: Float32Array, dbOff: number,
    n: number, c: number, inner: number,
  ): void;
  /** max_pool's gradient into contiguous planes; -1, or the first position whose index is out of range (nothing written). */
  maxPoolBackward(grad: Float32Array, gOff: number, indices: BigInt64Array, iOff: number, out: Float32Array, oOff: number, planes: number, positions: number, planeSize: number): number;
  getNumThreads(): number;
  setNumThreads(n: number): number;
  /** The instruction-set path in use: 'avx512', 'avx2' or 'portable'. */
  isa(): string;
  /** The best path this CPU supports. */
  bestIsa(): string;
  /** Use a lower path than the best one (tests compare the paths); returns the path now in use. */
  setIsa(name: string): string;
}

const ABI_VERSION = 3;

type NodeProcess = {
  versions?: { node?: string };
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
  emitWarning?: (message: string) => void;
};

function load(): { addon: NativeAddon | null; reason: string | null } {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (typeof proc === 'undefined' || !proc.versions?.node) return { addon: null, reason: 'not running in Node.js' };
  const off = proc.env?.['KINDLING_NO_NATIVE'];
  if (off !== undefined && off !== '' && off !== '0' && off.toLowerCase() !== 'false') {
    return { addon: null, reason: 'disabled by KINDLING_NO_NATIVE' };
  }
  // process.getBuiltinModule keeps `node:module` out of browser bundles (and needs no top-level await).
  const mod = proc.getBuiltinModule?.('node:module') as { createRequire(url: string): (id: string) => unknown } | undefined;
  if (!mod) return { addon: null, reason: `Node.js ${proc.versions.node} lacks process.getBuiltinModule (20.16 or later loads the addon)` };
  const require = mod.createRequire(import.meta.url);
  // The same path from src/native and dist/native.
  const file = '../../native/build/Release/kindling_native.node';
  try {
    const addon = require(file) as NativeAddon;
    if (addon.abiVersion !== ABI_VERSION) {
      throw new Error(`its ABI version is ${String(addon.abiVersion)}, not ${ABI_VERSION}: rebuild it (pnpm install)`);
    }
    return { addon, reason: null };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === 'MODULE_NOT_FOUND') return { addon: null, reason: 'the native addon is not built' };
    // Built but unusable (a Node.js ABI change, a missing library): worth saying, once.
    const reason = `the native addon failed to load: ${String(e.message ?? err).split('\n')[0]}`;
    proc.emitWarning?.(`@kindling/backend-cpu: ${reason}; using the TypeScript kernels`);
    return { addon: null, reason };
  }
}

const loaded = load();

/** The addon, or null when the TypeScript kernels run alone. */
export const nativeAddon: NativeAddon | null = loaded.addon;
/** Why the addon is not in use (null when it is). */
export const nativeUnavailableReason: string | null = loaded.reason;
