// The host caching allocator's policy: freed buffers are reused by size class, and a full cache makes
// room for new sizes by dropping its oldest buffers.
import { describe, expect, it } from 'vitest';
import { HostAllocator } from '../src/allocator.js';

describe('HostAllocator', () => {
  it('hands a freed buffer out again for the same size class', () => {
    const alloc = new HostAllocator(1 << 20);
    const a = alloc.allocate(1000);
    alloc.release(a);
    expect(alloc.allocate(900)).toBe(a);
    expect(alloc.allocatedBytes).toBe(1024);
  });

  it('drops the oldest cached buffers when a new size does not fit', () => {
    const alloc = new HostAllocator(3 * 4096);
    const old = [alloc.allocate(4096), alloc.allocate(4096), alloc.allocate(4096)];
    old.forEach((b) => alloc.release(b));
    expect(alloc.reservedBytes).toBe(3 * 4096);
    const big = alloc.allocate(8192);
    alloc.release(big);
    // The two oldest 4 KiB buffers made room; the newest one and the 8 KiB one stay cached.
    expect(alloc.reservedBytes).toBe(4096 + 8192);
    expect(alloc.allocate(8192)).toBe(big);
    expect(alloc.allocate(4096)).toBe(old[2]);
    expect(alloc.allocate(4096)).not.toBe(old[0]);
  });

  it('never caches a buffer larger than the whole cache', () => {
    const alloc = new HostAllocator(4096);
    const kept = alloc.allocate(4096);
    alloc.release(kept);
    const huge = alloc.allocate(1 << 20);
    alloc.release(huge);
    expect(alloc.reservedBytes).toBe(4096);
    expect(alloc.allocate(1 << 20)).not.toBe(huge);
  });
});
