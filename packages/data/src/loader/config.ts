/** What a DataLoader's iterators need from it, resolved once by the DataLoader's constructor. */
import type { Generator } from '@kindling/tensor';
import { defaultCollate, defaultConvert } from '../collate.js';
import type { CollateFn } from '../fetch.js';
import type { DatasetModuleSpec } from '../recipe.js';
import type { CollateMode, FunctionRef } from '../worker/protocol.js';

/** A function named by module and export, for a worker thread to import. */
export interface WorkerFunction {
  module: string;
  export?: string;
}

export function isWorkerFunction(x: unknown): x is WorkerFunction {
  return typeof x === 'object' && x !== null && typeof (x as WorkerFunction).module === 'string';
}

export interface LoaderConfig {
  readonly dataset: unknown;
  readonly datasetKind: 'map' | 'iterable';
  readonly autoCollation: boolean;
  /** The batch sampler (automatic batching) or the sampler. */
  readonly indexSampler: Iterable<unknown>;
  readonly collateFn: CollateFn | WorkerFunction;
  readonly dropLast: boolean;
  readonly numWorkers: number;
  readonly prefetchFactor: number;
  /** Seconds; 0 waits forever. */
  readonly timeout: number;
  readonly persistentWorkers: boolean;
  readonly generator: Generator | undefined;
  readonly workerInitFn: ((workerId: number) => unknown) | WorkerFunction | undefined;
  readonly workerDataset: DatasetModuleSpec | undefined;
}

/** Where a worker pool collates: in the workers when they can load the function, else here. */
export function collateMode(cfg: LoaderConfig): CollateMode {
  const fn = cfg.collateFn;
  if (fn === (defaultCollate as CollateFn)) return { kind: 'default' };
  if (fn === (defaultConvert as CollateFn)) return { kind: 'convert' };
  if (isWorkerFunction(fn)) return { kind: 'worker', fn: { module: fn.module, export: fn.export ?? 'default' } };
  return { kind: 'main' };
}

export function initFnRef(cfg: LoaderConfig): FunctionRef | null {
  const fn = cfg.workerInitFn;
  if (fn === undefined) return null;
  if (isWorkerFunction(fn)) return { module: fn.module, export: fn.export ?? 'default' };
  // A worker cannot share this closure; it recompiles the function's source (see load-function.ts).
  return { source: Function.prototype.toString.call(fn) };
}

/** The worker task for a sampler item: an iterable dataset gets only how many samples to pull. */
export function taskIndex(cfg: LoaderConfig, index: unknown): number | readonly number[] | null {
  if (cfg.datasetKind === 'iterable') return Array.isArray(index) ? index.length : null;
  return index as number | readonly number[];
}
