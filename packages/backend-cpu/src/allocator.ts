/**
 * A caching allocator for host memory: freed buffers are kept by size class and handed out again,
 * because touching fresh pages (a page fault per 4 KiB) costs more than most kernels that fill them.
 */
const MIN_CLASS = 64;
const MAX_CACHED_BYTES = 512 * 1024 * 1024;

function sizeClass(nbytes: number): number {
  if (nbytes <= MIN_CLASS) return MIN_CLASS;
  // Powers of two up to 1 MiB, then 1 MiB steps, so large buffers waste little.
  if (nbytes <= 1 << 20) return 2 ** Math.ceil(Math.log2(nbytes));
  return Math.ceil(nbytes / (1 << 20)) * (1 << 20);
}

/** Where new buffers come from: by default fresh (zeroed) ArrayBuffers. */
export interface BufferSource {
  /** A buffer of exactly `bytes` bytes; its contents are unspecified. */
  allocate(bytes: number): ArrayBuffer;
  /** Release memory the source keeps for reuse. */
  trim(): void;
  /** Bytes the source keeps for reuse. */
  cachedBytes(): number;
}

export class HostAllocator {
  private readonly pools = new Map<number, ArrayBuffer[]>();
  /** The cached buffers, oldest first. */
  private readonly order = new Set<ArrayBuffer>();
  private cachedBytes = 0;
  private source: BufferSource | null = null;
  allocatedBytes = 0;
  peakAllocatedBytes = 0;

  /** `maxCachedBytes`: how much freed memory the cache keeps for reuse. */
  constructor(private readonly maxCachedBytes = MAX_CACHED_BYTES) {}

  allocate(nbytes: number): ArrayBuffer {
    const cls = sizeClass(nbytes);
    const pool = this.pools.get(cls);
    const buf = pool?.pop();
    this.allocatedBytes += cls;
    this.peakAllocatedBytes = Math.max(this.peakAllocatedBytes, this.allocatedBytes);
    if (buf) {
      this.order.delete(buf);
      this.cachedBytes -= cls;
      return buf;
    }
    return this.source ? this.source.allocate(cls) : new ArrayBuffer(cls);
  }

  /**
   * Take new buffers from `source` (the native addon's pool, whose blocks come back when the garbage
   * collector frees a buffer, so even tensors nobody disposed are reused).
   */
  useSource(source: BufferSource): void {
    this.source = source;
  }

  release(buf: ArrayBuffer): void {
    const cls = buf.byteLength;
    this.allocatedBytes -= cls;
    if (cls > this.maxCachedBytes) return; // let GC have it
    // A full cache makes room by dropping its oldest buffers (to the garbage collector, and from there
    // to the source's pool): keeping old sizes instead would leave every new size uncached for good.
    while (this.cachedBytes + cls > this.maxCachedBytes) this.evictOldest();
    let pool = this.pools.get(cls);
    if (!pool) this.pools.set(cls, (pool = []));
    pool.push(buf);
    this.order.add(buf);
    this.cachedBytes += cls;
  }

  private evictOldest(): void {
    const oldest = this.order.values().next().value as ArrayBuffer;
    this.order.delete(oldest);
    const pool = this.pools.get(oldest.byteLength)!;
    pool.splice(pool.indexOf(oldest), 1);
    this.cachedBytes -= oldest.byteLength;
  }

  /** A buffer the garbage collector reclaims itself (never returned here): only the count changes. */
  forget(classBytes: number): void {
    this.allocatedBytes -= classBytes;
  }

  /** Drop every cached buffer (torch.cuda.empty_cache's CPU counterpart). */
  emptyCache(): void {
    this.pools.clear();
    this.order.clear();
    this.cachedBytes = 0;
    this.source?.trim();
  }

  get reservedBytes(): number {
    return this.allocatedBytes + this.cachedBytes + (this.source?.cachedBytes() ?? 0);
  }
}
