// The caching allocator's logic (native/src/allocator.h), run on host memory: the addon exposes the
// same template over malloc with a capacity, so size classes, splitting, caching, empty_cache, retries,
// OOM and PyTorch's statistics are tested on any machine where the addon builds (nvcc present), GPU or not.
import { describe, expect, it } from 'vitest';
import { cudaStatus, hostCachingAllocator } from '@kindling/backend-cuda';

const MiB = 1 << 20;
const status = cudaStatus();

describe.skipIf(!status.addonLoaded)(`caching allocator${status.addonLoaded ? '' : ` (skipped: ${status.reason})`}`, () => {
  it('rounds to 512 bytes and serves small requests from 2 MiB segments, split and reused', () => {
    const a = hostCachingAllocator(64 * MiB);
    const p = a.malloc(1);
    let s = a.memoryStats();
    expect(s['allocated_bytes.all.current']).toBe(512);
    expect(s['allocated_bytes.small_pool.current']).toBe(512);
    expect(s['reserved_bytes.all.current']).toBe(2 * MiB);
    expect(s['segment.all.current']).toBe(1);
    const q = a.malloc(1000);
    s = a.memoryStats();
    expect(q - p).toBe(512n); // carved from the same segment, right after p
    expect(s['allocated_bytes.all.current']).toBe(512 + 1024);
    expect(s['reserved_bytes.all.current']).toBe(2 * MiB);
    expect(s['segment.all.current']).toBe(1);
    expect(s['allocation.all.current']).toBe(2);
    a.free(p);
    s = a.memoryStats();
    // p's block is free but its segment is still in use: "non-releasable" (inactive split) memory.
    expect(s['inactive_split_bytes.all.current']).toBe(512 + (2 * MiB - 1536));
    expect(s['inactive_split.all.current']).toBe(2);
    a.free(q);
    s = a.memoryStats();
    expect(s['allocated_bytes.all.current']).toBe(0);
    expect(s['inactive_split_bytes.all.current']).toBe(0);
    expect(s['reserved_bytes.all.current']).toBe(2 * MiB); // cached, not returned
    const r = a.malloc(700);
    expect(r).toBe(p); // the cached block comes back
    expect(a.memoryStats()['segment.all.allocated']).toBe(1);
    a.free(r);
    a.emptyCache();
    s = a.memoryStats();
    expect(s['reserved_bytes.all.current']).toBe(0);
    expect(s['segment.all.current']).toBe(0);
    expect(a.rawBytesInUse()).toBe(0);
    expect(s['allocated_bytes.all.peak']).toBe(1536);
    expect(s['allocated_bytes.all.allocated']).toBe(512 + 1024 + 1024);
    expect(s['allocated_bytes.all.freed']).toBe(512 + 1024 + 1024);
  });

  it('gives mid-sized requests a shared 20 MiB segment and big ones their size rounded to 2 MiB', () => {
    const a = hostCachingAllocator(256 * MiB);
    const x = a.malloc(3 * MiB);
    expect(a.memoryStats()['reserved_bytes.large_pool.current']).toBe(20 * MiB);
    const y = a.malloc(5 * MiB); // fits in the rest of the 20 MiB segment
    expect(a.memoryStats()['reserved_bytes.large_pool.current']).toBe(20 * MiB);
    expect(y - x).toBe(BigInt(3 * MiB));
    const z = a.malloc(30_000_000);
    let s = a.memoryStats();
    expect(s['reserved_bytes.large_pool.current']).toBe(20 * MiB + 30 * MiB);
    expect(s['segment.large_pool.current']).toBe(2);
    for (const p of [x, y, z]) a.free(p);
    s = a.memoryStats();
    expect(s['allocated_bytes.all.current']).toBe(0);
    expect(s['reserved_bytes.all.current']).toBe(50 * MiB);
    a.resetPeakMemoryStats();
    expect(a.memoryStats()['allocated_bytes.all.peak']).toBe(0);
    a.emptyCache();
    expect(a.memoryStats()['reserved_bytes.all.current']).toBe(0);
    expect(a.rawBytesInUse()).toBe(0);
  });

  it('frees the cache and retries before reporting out of memory, in PyTorch words', () => {
    const a = hostCachingAllocator(22 * MiB);
    const big = a.malloc(3 * MiB); // a 20 MiB segment
    a.free(big); // cached
    const small = a.malloc(1000); // needs a 2 MiB small segment: 22 MiB fits
    a.free(small);
    // No cached block holds 21 MiB, and a new 22 MiB segment does not fit beside the cached ones:
    // the cache is released and the retry succeeds.
    const c = a.malloc(21 * MiB);
    let s = a.memoryStats();
    expect(s['num_alloc_retries']).toBe(1);
    expect(s['num_ooms']).toBe(0);
    expect(() => a.malloc(15 * MiB)).toThrow(/^CUDA out of memory\. Tried to allocate 15\.00 MiB \(GPU 0; 22\.00 MiB total capacity; 22\.00 MiB already allocated/);
    s = a.memoryStats();
    expect(s['num_ooms']).toBe(1);
    expect(s['num_alloc_retries']).toBe(2);
    a.free(c);
    expect(() => a.free(c)).toThrow(/did not allocate/);
  });
});
