// Issue 8: "a worker that throws ends the loop with a clear error within a second". The dataset
// stamps Date.now() into the thrown message (worker threads share the process clock), and the
// test measures from that stamp to the moment the `for await` loop rejects in the main thread.
import '@kindling/backend-cpu';
import type { Tensor } from '@kindling/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { DataLoader, DataLoaderWorkerError, loadDataset } from '../src/index.js';
import type { Dataset } from '../src/index.js';
import { liveWorkerThreads } from '../src/loader/worker-pool.js';

const MODULE = new URL('./workers/throw-at.mjs', import.meta.url).href;

afterEach(() => {
  expect(liveWorkerThreads()).toBe(0);
});

describe('a worker that throws ends the loop within a second', () => {
  it('DataLoaderWorkerError names the worker and the index, under 1,000 ms after the throw', async () => {
    // 2 workers, batches of 4, 5 ms per sample: sample 21 is in batch 5, worker 1's third task,
    // while worker 0 is busy with batch 4 and later ones are in flight.
    const ds = await loadDataset<Dataset<Tensor>>({ module: MODULE, export: 'ThrowAtDataset', args: [64, 21, 5] });
    const loader = new DataLoader<Tensor, Tensor>(ds, { batchSize: 4, numWorkers: 2 });
    const seen: number[] = [];
    let caught: unknown;
    try {
      for await (const b of loader) seen.push(...(b.tolist() as number[][]).flat());
    } catch (e) {
      caught = e;
    }
    const surfaced = Date.now();

    expect(caught).toBeInstanceOf(DataLoaderWorkerError);
    const err = caught as DataLoaderWorkerError;
    expect(err.workerId).toBe(1);
    expect(err.sampleIndex).toBe(21);
    expect(err.batchIndex).toBe(5);
    expect(err.message).toMatch(/^Caught Error in DataLoader worker 1 while loading sample 21 \(batch 5\)\./);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i)); // batches 0-4 arrived, in order

    const thrownAt = Number(/thrown at (\d+)/.exec(err.originalMessage)?.[1]);
    expect(Number.isFinite(thrownAt)).toBe(true);
    const latencyMs = surfaced - thrownAt;
    console.log(`worker error latency: ${latencyMs} ms from the throw in the worker to the rejected loop`);
    expect(latencyMs).toBeGreaterThanOrEqual(0);
    expect(latencyMs).toBeLessThan(1_000);
    // Every worker thread is gone once the loop has failed (checked again in afterEach).
    expect(liveWorkerThreads()).toBe(0);
  });
});
