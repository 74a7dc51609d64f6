// Memory on the cpu device (DESIGN §2 "Memory"): tensors dropped without dispose are given back when
// garbage-collected, so a training loop runs in bounded memory; `dispose()`, `using` and `torch.tidy`
// release memory deterministically. Byte counts come from `memoryStats()` (the caching allocator's
// bookkeeping), never from wall-clock time or process RSS, so the tests are not timing-dependent.
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import { hostAllocator, memoryStats } from '@kindling/backend-cpu';
import type { Tensor } from '@kindling/tensor';
import { nativeAddon } from '../src/native/addon.js';

/** A full garbage collection: `globalThis.gc` when node runs with --expose-gc, else enabled at run time. */
function findGc(): (() => void) | null {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return gc as () => void;
  } catch {
    // fall through to allocation pressure
  }
  return null;
}
const gc = findGc();

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One GC, then let FinalizationRegistry callbacks run. Without gc(), churn memory until a sentinel is finalized. */
async function collect(): Promise<void> {
  if (gc) {
    gc();
    await tick();
    return;
  }
  let finalized = false;
  const registry = new FinalizationRegistry(() => {
    finalized = true;
  });
  (() => registry.register({}, 0))();
  for (let i = 0; i < 500 && !finalized; i++) {
    void new Array(100_000).fill(i);
    await tick();
  }
  if (!finalized) throw new Error('could not force a garbage collection');
  await tick();
}

/** Collect until memoryStats().allocated stops changing (three equal readings), and return it. */
async function settledAllocated(): Promise<number> {
  let last = -1;
  let stable = 0;
  for (let i = 0; i < 100 && stable < 3; i++) {
    await collect();
    const now = memoryStats().allocated;
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

const KiB = 1024;

describe('training-like loop without dispose or tidy', () => {
  /** One step: forward (matmul + add), loss (sum), gradient, update in place (sub_). Results dropped. */
  function step(x: Tensor, w: Tensor, b: Tensor): number {
    const y = x.matmul(w).add(b); // [4, 8]
    const loss = y.pow(2).sum(); // scalar
    const grad = x.t().matmul(y); // [16, 8]
    w.sub_(grad.mul(1e-3));
    return loss.item() as number;
  }

  function params() {
    const x = torch.ones(4, 16);
    const w = torch.full([16, 8], 0.01, { dtype: torch.float32 });
    const b = torch.zeros(8);
    return { x, w, b };
  }

  it('3,000 steps, collected every 100: allocated memory returns to the same level and never grows', async () => {
    const { x, w, b } = params();
    const baseline = await settledAllocated();

    // What one step leaves allocated until it is collected.
    const before = memoryStats().allocated;
    const firstLoss = step(x, w, b);
    const perStep = memoryStats().allocated - before;
    expect(perStep).toBeGreaterThan(0);

    const levels: number[] = [];
    let peak = 0;
    let loss = firstLoss;
    for (let s = 1; s < 3000; s++) {
      loss = step(x, w, b);
      peak = Math.max(peak, memoryStats().allocated - baseline);
      if (s % 100 === 0) {
        // an await in the loop, as when a data loader hands over the next batch
        levels.push((await settledAllocated()) - baseline);
      }
    }
    const end = (await settledAllocated()) - baseline;

    // The loop really trained: the loss went down and stayed finite.
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeLessThan(firstLoss);
    // Every dropped tensor was given back: the level after each collection is the level after the first,
    // within a few small buffers, and does not grow over 3,000 steps.
    expect(levels.length).toBe(29);
    expect(levels[0]!).toBeLessThanOrEqual(4 * KiB);
    // GC timing decides which of the last few small buffers are finalized at each check, so levels
    // may differ by a few small buffers; growth over the run would show as a spread far beyond that.
    expect(Math.max(...levels) - Math.min(...levels)).toBeLessThanOrEqual(4 * KiB);
    expect(end).toBeLessThanOrEqual(levels[0]! + 4 * KiB);
    // Between collections at most ~100 steps' worth is outstanding, never 3,000 steps' worth.
    expect(peak).toBeLessThanOrEqual(110 * perStep + 4 * KiB);
  }, 60_000);

  it('the caching allocator reuses freed buffers: a second run of the loop reserves no new memory', async () => {
    const { x, w, b } = params();
    const run = async () => {
      for (let s = 0; s < 500; s++) {
        step(x, w, b);
        if (s % 100 === 99) await settledAllocated();
      }
      await settledAllocated();
      return memoryStats().reserved;
    };
    const first = await run();
    const second = await run();
    const third = await run();
    expect(second).toBeLessThanOrEqual(first);
    expect(third).toBeLessThanOrEqual(first);
  }, 60_000);

  it('3,000 steps with no await at all: everything is reclaimable once the loop returns', async () => {
    const { x, w, b } = params();
    const baseline = await settledAllocated();
    for (let s = 0; s < 3000; s++) step(x, w, b);
    const end = (await settledAllocated()) - baseline;
    expect(end).toBeLessThanOrEqual(4 * KiB);
  }, 60_000);

  it('a tensor dropped without dispose is freed by garbage collection', async () => {
    const baseline = await settledAllocated();
    (() => {
      const big = torch.ones(256, 256); // 256 KiB
      expect(memoryStats().allocated - baseline).toBeGreaterThanOrEqual(256 * KiB);
      return big.sum().item();
    })();
    expect((await settledAllocated()) - baseline).toBe(0);
  }, 60_000);
});

describe('deterministic release', () => {
  it('dispose() frees at once; a second dispose is a no-op; a disposed tensor cannot be used', () => {
    const base = memoryStats().allocated;
    const t = torch.zeros(1000); // 4,000 bytes
    const held = memoryStats().allocated - base;
    expect(held).toBeGreaterThanOrEqual(4000);
    t.dispose();
    expect(memoryStats().allocated).toBe(base);
    expect(t.isDisposed).toBe(true);
    t.dispose();
    expect(memoryStats().allocated).toBe(base);
    expect(() => t.sum()).toThrow(/disposed/);
  });

  it('a view keeps its storage alive until the view is disposed too', () => {
    const base = memoryStats().allocated;
    const t = torch.arange(1000, { dtype: torch.float32 });
    const v = t.view(10, 100);
    const held = memoryStats().allocated - base;
    t.dispose();
    expect(memoryStats().allocated - base).toBe(held);
    const s = v.sum();
    expect(s.item()).toBe(499500);
    s.dispose();
    v.dispose();
    expect(memoryStats().allocated).toBe(base);
  });

  it('`using` disposes at the end of the block (Symbol.dispose)', () => {
    const base = memoryStats().allocated;
    let escaped: Tensor | undefined;
    {
      using t = torch.ones(1000);
      escaped = t;
      expect(memoryStats().allocated - base).toBeGreaterThanOrEqual(4000);
      expect(t.sum().item()).toBe(1000);
    }
    expect(escaped.isDisposed).toBe(true);
    expect(typeof escaped[Symbol.dispose]).toBe('function');
    // the sum() result above is still live until collected; dispose-by-using released the 4,000 bytes
    expect(memoryStats().allocated - base).toBeLessThan(4000);
  });

  it('tidy: every intermediate is released, the returned tensor is kept', () => {
    const base = memoryStats().allocated;
    let intermediate: Tensor | undefined;
    const result = torch.tidy(() => {
      const a = torch.ones(100, 100); // 40 KB
      intermediate = a.matmul(a).add(1); // 40 KB more, plus temporaries
      return intermediate.sum();
    });
    expect(result.item()).toBe(1010000);
    expect(result.isDisposed).toBe(false);
    expect(intermediate!.isDisposed).toBe(true);
    expect(memoryStats().allocated - base).toBeLessThan(1 * KiB); // only the scalar result
    result.dispose();
    expect(memoryStats().allocated).toBe(base);
    expect(() => intermediate!.sum()).toThrow(/disposed/);
  });

  it('tidy keeps tensors returned in arrays and objects; nested scopes hand results outward', () => {
    const base = memoryStats().allocated;
    const out = torch.tidy(() => {
      const inner = torch.tidy(() => {
        const tmp = torch.ones(50, 50);
        return [tmp.mul(2), tmp.mul(3)];
      });
      const unused = inner[1]!.add(1); // made in the outer scope, not returned: released
      return { w: inner[0]!, extra: unused.sum() };
    });
    expect(out.w.isDisposed).toBe(false);
    expect(out.w.sum().item()).toBe(5000);
    expect(out.extra.item()).toBe(10000);
    out.w.dispose();
    out.extra.dispose();
    // the two sum().item() scalars above are not in a scope; release them by hand
    expect(memoryStats().allocated - base).toBeLessThan(1 * KiB);
  });

  it('tidy releases what it made when its function throws', () => {
    const base = memoryStats().allocated;
    expect(() =>
      torch.tidy(() => {
        torch.ones(100, 100);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(memoryStats().allocated).toBe(base);
  });

  it('tidy refuses an async function', () => {
    expect(() => torch.tidy((async () => torch.ones(1)) as unknown as () => Tensor)).toThrow(/synchronous/);
  });

  it('memory handed to JS (numpy(), fromArray) is never recycled into another tensor', () => {
    const t = torch.zeros(16);
    const view = t.numpy();
    t.dispose();
    const others = Array.from({ length: 8 }, () => torch.ones(16)); // same size class
    expect([...(view as Float32Array)]).toEqual(new Array(16).fill(0));
    const arr = new Float32Array(16);
    const u = torch.fromArray(arr);
    u.dispose();
    const more = Array.from({ length: 8 }, () => torch.full([16], 7, { dtype: torch.float32 }));
    expect([...arr]).toEqual(new Array(16).fill(0));
    for (const o of [...others, ...more]) o.dispose();
  });

  it('emptyCache drops cached buffers: reserved falls to allocated', () => {
    const t = torch.ones(4096);
    t.dispose();
    expect(memoryStats().reserved).toBeGreaterThan(memoryStats().allocated);
    hostAllocator.emptyCache();
    expect(memoryStats().reserved).toBe(memoryStats().allocated);
  });
});

describe.skipIf(!nativeAddon)('native host memory pool', () => {
  it('a buffer the garbage collector frees returns to the pool at once, without a tick (a synchronous loop reuses it)', () => {
    if (!gc) return expect.fail('this test needs gc(): run node with --expose-gc');
    const addon = nativeAddon!;
    gc();
    addon.trimHostPool();
    const before = addon.hostPoolStats();
    // 40 × 1 MiB results, none disposed, no await between them.
    let t: Tensor | null = null;
    for (let i = 0; i < 40; i++) t = torch.ones(1 << 18);
    expect(addon.hostPoolStats().live - before.live).toBeGreaterThanOrEqual(39 << 20);
    t = null;
    gc();
    // V8 frees collected buffers' memory on a sweeper thread; a second collection waits for that
    // sweep to end. Still no tick of the event loop: a synchronous training loop gets the same.
    gc();
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let i = 0; i < 200 && addon.hostPoolStats().live - before.live >= 2 << 20; i++) Atomics.wait(pause, 0, 0, 10);
    const after = addon.hostPoolStats();
    expect(after.live - before.live).toBeLessThan(2 << 20);
    expect(after.cached).toBeGreaterThanOrEqual(39 << 20);
    // The next tensors of that size take their memory from the pool: it shrinks, nothing new is made.
    const u = torch.zeros(1 << 18);
    expect(addon.hostPoolStats().cached).toBe(after.cached - (1 << 20));
    expect(u.sum().item()).toBe(0); // pooled memory is not zeroed: zeros() must fill it
    void t;
  });

  it('emptyCache() trims the pool', () => {
    if (!gc) return expect.fail('this test needs gc(): run node with --expose-gc');
    const addon = nativeAddon!;
    let t: Tensor | null = torch.ones(1 << 18);
    t = null;
    // Collections until V8's sweeper thread has handed back every collected buffer (nothing new is
    // allocated meanwhile), so none can arrive after the trim.
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let i = 0; i < 3; i++) {
      gc();
      Atomics.wait(pause, 0, 0, 20);
    }
    expect(addon.hostPoolStats().cached).toBeGreaterThan(0);
    hostAllocator.emptyCache();
    expect(addon.hostPoolStats().cached).toBe(0);
    void t;
  });
});
