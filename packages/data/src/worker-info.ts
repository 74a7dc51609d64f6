/**
 * `getWorkerInfo()` (PyTorch's `torch.utils.data.get_worker_info()`): inside a DataLoader worker
 * thread, which worker this is; in the main thread, `null`.
 *
 * The value lives on `globalThis` under a well-known symbol rather than in a module variable: a
 * worker's dataset module may load `@kindling/data` through another path (a bundle, a second
 * copy), and it must still see the info the worker entry set.
 */

const KEY = Symbol.for('kindling.data.workerInfo');

export interface WorkerInfo {
  /** This worker's index, 0 ≤ id < numWorkers. */
  readonly id: number;
  readonly numWorkers: number;
  /** The seed of this worker's default generator: the loader's base seed + id, as in PyTorch. */
  readonly seed: bigint;
  /** This worker's own copy of the dataset (built in the worker from its module). */
  readonly dataset: unknown;
}

export function getWorkerInfo(): WorkerInfo | null {
  return ((globalThis as Record<symbol, unknown>)[KEY] as WorkerInfo | undefined) ?? null;
}

/** Set by the worker entry once per worker thread; frozen, as PyTorch's WorkerInfo refuses writes. */
export function setWorkerInfo(info: WorkerInfo): void {
  (globalThis as Record<symbol, unknown>)[KEY] = Object.freeze({ ...info });
}
