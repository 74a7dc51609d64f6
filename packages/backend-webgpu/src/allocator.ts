/**
 * A caching allocator, as PyTorch's CUDA one: freed buffers are kept by size class and handed out
 * again, since creating a GPU buffer costs far more than reusing one. Size classes are powers of two
 * split in four steps (so at most 25% is wasted), at least 256 bytes.
 */
const MIN_BYTES = 256;

export function sizeClass(nbytes: number): number {
  if (nbytes <= MIN_BYTES) return MIN_BYTES;
  const pow = 2 ** Math.floor(Math.log2(nbytes));
  const step = pow / 4;
  return Math.ceil(nbytes / step) * step;
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  allocatedBytes = 0;
  reservedBytes = 0;
  peakAllocatedBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: number,
  ) {}

  acquire(nbytes: number): GPUBuffer {
    const size = sizeClass(nbytes);
    const cached = this.free.get(size)?.pop();
    this.allocatedBytes += size;
    this.peakAllocatedBytes = Math.max(this.peakAllocatedBytes, this.allocatedBytes);
    if (cached) return cached;
    this.reservedBytes += size;
    return this.device.createBuffer({ size, usage: this.usage });
  }

  release(buffer: GPUBuffer): void {
    this.allocatedBytes -= buffer.size;
    let list = this.free.get(buffer.size);
    if (!list) this.free.set(buffer.size, (list = []));
    list.push(buffer);
  }

  /** Destroy every cached (unused) buffer: `torch.webgpu.emptyCache()`. */
  emptyCache(): void {
    for (const list of this.free.values()) for (const b of list) {
      this.reservedBytes -= b.size;
      b.destroy();
    }
    this.free.clear();
  }
}
