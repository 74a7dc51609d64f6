// A dataset for worker-error-latency.test.ts. Worker threads import this file as plain JavaScript.
import * as torch from '@kindling/tensor';
import { Dataset } from '@kindling/data';

/**
 * Sample i is `tensor([i])`, after sleeping `sleepMs` (a slow decoder that does not eat the CPU).
 * getItem(failAt) throws an Error whose message carries the wall-clock time of the throw
 * (`thrown at <Date.now()>`), so the main thread can measure how long the error took to surface.
 */
export class ThrowAtDataset extends Dataset {
  constructor(n, failAt, sleepMs = 0) {
    super();
    this.n = n;
    this.failAt = failAt;
    this.sleepMs = sleepMs;
  }
  get length() {
    return this.n;
  }
  getItem(i) {
    if (this.sleepMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, this.sleepMs);
    if (i === this.failAt) throw new Error(`sample ${i} is broken, thrown at ${Date.now()}`);
    return torch.tensor([i], { dtype: torch.float32 });
  }
}
