/**
 * The messages between a DataLoader and its worker threads.
 *
 * The main thread starts each worker with a `WorkerInit` (as `workerData`), then sends `fetch`
 * tasks, numbered in sampler order and dealt round robin to the workers, and reads the answers
 * back in task order (as PyTorch's `_MultiProcessingDataLoaderIter`). A worker handles its tasks
 * one at a time, in the order they arrive.
 */
import type { SerializedError } from '../errors.js';
import type { DatasetRecipe } from '../recipe.js';

/** A function a worker can load: an export of a module, or self-contained source text. */
export type FunctionRef = { module: string; export?: string } | { source: string };

/** Where a batch is collated. */
export type CollateMode =
  | { kind: 'default' } // defaultCollate in the worker; batch buffers are transferred
  | { kind: 'convert' } // defaultConvert in the worker (automatic batching off)
  | { kind: 'worker'; fn: FunctionRef } // a user collate function the worker can load
  | { kind: 'main' }; // the worker sends the samples; the main thread collates (a closure)

export interface WorkerInit {
  id: number;
  numWorkers: number;
  /** `base_seed + id`: the worker's default generator seed (PyTorch's `torch.manual_seed(seed)`). */
  seed: bigint;
  dataset: DatasetRecipe;
  datasetKind: 'map' | 'iterable';
  autoCollation: boolean;
  dropLast: boolean;
  collate: CollateMode;
  initFn: FunctionRef | null;
}

export type ToWorker =
  /** `index`: a list of indices (automatic batching) or one index; for an iterable dataset, the batch size or null. */
  | { type: 'fetch'; idx: number; index: number | readonly number[] | null }
  /** Start a new epoch (persistent workers): restart the dataset's iterator, then acknowledge. */
  | { type: 'reset' };

export type FromWorker =
  /** Start-up is over (successfully or not): `timeout` starts counting for this worker's tasks. */
  | { type: 'ready' }
  | { type: 'data'; idx: number; data: unknown }
  | { type: 'error'; idx: number; error: SerializedError }
  /** An iterable dataset's copy in this worker is exhausted. */
  | { type: 'stop'; idx: number }
  | { type: 'reset' };
