// Training without dispose or tidy (DESIGN §2 "Memory": no user should need tidy to train on CPU
// without leaking): each step builds a graph, runs backward and updates the weights in place; the graph,
// its saved tensors and every intermediate are dropped and must be given back when garbage collected.
// Bytes come from memoryStats() (live tensors' memory, from the caching allocator's bookkeeping), read
// after a full GC has let the FinalizationRegistry callbacks run, so the check does not depend on timing.
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import { memoryStats } from '@kindling/backend-cpu';
import * as autograd from '@kindling/autograd';
import type { Tensor } from '@kindling/tensor';

/** A full garbage collection: `globalThis.gc` under --expose-gc, else V8's gc enabled at run time. */
function findGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as unknown;
  if (typeof gc !== 'function') throw new Error('cannot enable gc(): run node with --expose-gc');
  return gc as () => void;
}
const gc = findGc();
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One full GC, then wait until the FinalizationRegistry cleanup it scheduled has run: a sentinel
 * registered just before the GC is finalized in the same cleanup round as the tensors it found dead.
 */
async function collect(): Promise<void> {
  let done = false;
  const sentinel = new FinalizationRegistry(() => {
    done = true;
  });
  (() => sentinel.register({}, 0))();
  gc();
  for (let i = 0; i < 1000 && !done; i++) await tick();
  if (!done) throw new Error('the FinalizationRegistry cleanup did not run');
  await tick();
}

/** Collect until memoryStats().allocated stops changing (three equal readings), and return it. */
async function settledAllocated(): Promise<number> {
  let last = -1;
  let stable = 0;
  for (let i = 0; i < 50 && stable < 3; i++) {
    await collect();
    const now = memoryStats().allocated;
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

const KiB = 1024;
const MiB = 1024 * KiB;

describe('a training loop of 10,000 small steps without dispose or tidy', () => {
  it('keeps allocated memory flat', async () => {
    torch.manualSeed(0);
    const x = torch.randn([32, 8]);
    const wTrue = torch.randn([8, 1]);
    const y = x.matmul(wTrue);
    const w = torch.zeros([8, 1], { requiresGrad: true });

    let loss: Tensor | null = null;
    const step = () => {
      loss = x.matmul(w).sub(y).pow(2).mean();
      loss.backward();
      autograd.noGrad(() => w.sub_(w.grad!.mul(0.01)));
      w.grad!.zero_();
    };

    for (let i = 0; i < 1_000; i++) step();
    const firstLoss = loss!.item() as number;
    const after1k = await settledAllocated();
    const rss1k = process.memoryUsage().rss;

    const t0 = performance.now();
    for (let i = 1_000; i < 10_000; i++) step();
    const seconds = (performance.now() - t0) / 1000;
    const lastLoss = loss!.item() as number;
    const after10k = await settledAllocated();
    const rss10k = process.memoryUsage().rss;

    console.log(
      `autograd memory: allocated ${after1k} B after 1,000 steps, ${after10k} B after 10,000; ` +
        `RSS ${(rss1k / MiB).toFixed(1)} MiB -> ${(rss10k / MiB).toFixed(1)} MiB; ` +
        `${Math.round(9_000 / seconds)} steps/s; loss ${firstLoss.toExponential(3)} -> ${lastLoss.toExponential(3)}`,
    );
    // it trains ...
    expect(lastLoss).toBeLessThan(firstLoss);
    // ... and what is live after 10,000 steps is what was live after 1,000: x, y, w, w.grad, the last loss.
    expect(after10k - after1k).toBeLessThanOrEqual(4 * KiB);
    expect(after10k).toBeLessThan(64 * KiB);
    expect(w.grad).not.toBeNull();
    expect(w.gradFn).toBeNull();
  }, 300_000);

  // A synchronous `for` loop of training steps — the natural way to write one — must not keep every step's
  // buffers alive until it ends: for CPU memory the finalization registry holds only a refcount, never a
  // path to the buffer (a WeakRef would keep its target alive for the whole synchronous job).
  it('also inside one synchronous loop (no await between steps)', () => {
    const x = torch.randn([64, 32]);
    const y = x.matmul(torch.randn([32, 8]));
    const w = torch.zeros([32, 8], { requiresGrad: true });
    const live = () => {
      gc();
      return process.memoryUsage().arrayBuffers;
    };
    const run = (n: number) => {
      for (let i = 0; i < n; i++) {
        x.matmul(w).sub(y).pow(2).mean().backward();
        autograd.noGrad(() => w.sub_(w.grad!.mul(0.01)));
        w.grad!.zero_();
      }
    };
    run(200);
    const before = live();
    run(10_000); // about 15 KiB of tensors per step: ~150 MiB if every step's buffers were kept
    const after = live();
    console.log(`autograd memory, synchronous loop: ${((after - before) / MiB).toFixed(1)} MiB more ArrayBuffer memory after 10,000 more steps`);
    // V8 frees dead backing stores lazily, so some tens of MiB may still be outstanding mid-job; keeping
    // every step's buffers (the bug this guards against) would be over twice this bound (measured: it plateaus near 30–40 MiB over 50,000 steps).
    expect(after - before).toBeLessThan(64 * MiB);
  }, 300_000);

  // These two watch the tensors themselves (FinalizationRegistry), not byte counts: they are about what the
  // graph keeps reachable, whatever the allocator's bookkeeping says.
  it('a loss kept after backward (for logging) does not keep its step’s intermediates alive', async () => {
    const w = torch.randn([64, 64], { requiresGrad: true });
    const x = torch.randn([64, 64]);
    const losses: Tensor[] = [];
    let freed = 0;
    const watch = new FinalizationRegistry(() => freed++);
    // a function per step, so this async test's own frame does not hold the last step's locals
    const step = () => {
      const h1 = x.matmul(w);
      const h2 = h1.tanh(); // TanhBackward0 saves h2, PowBackward0 saves h2 and h3: freed by backward
      const h3 = h2.pow(2);
      const loss = h3.mean();
      for (const t of [h1, h2, h3]) watch.register(t, 0);
      loss.backward();
      losses.push(loss);
    };
    for (let i = 0; i < 20; i++) step();
    for (let i = 0; i < 20 && freed < 60; i++) await collect();
    expect(freed).toBe(60);
    expect(losses.every((l) => l.gradFn !== null)).toBe(true);
  });

  it('frees the graph of a step, with its saved tensors, once its result is dropped (no backward)', async () => {
    const w = torch.randn([64, 64], { requiresGrad: true });
    let freed = 0;
    const watch = new FinalizationRegistry(() => freed++);
    (() => {
      const a = w.matmul(w);
      const b = a.tanh();
      const c = b.matmul(w).sigmoid();
      for (const t of [a, b, c]) watch.register(t, 0);
      void c.sum();
    })();
    for (let i = 0; i < 20 && freed < 3; i++) await collect();
    expect(freed).toBe(3);
  });
});
