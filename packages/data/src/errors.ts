/**
 * The errors a multi-worker DataLoader raises in the main thread. A worker's own exception cannot
 * cross the thread boundary as an object, so it travels as name, message and stack, and surfaces
 * as a `DataLoaderWorkerError` that names the worker and the failing sample and carries the
 * worker's stack (PyTorch: "Caught ValueError in DataLoader worker process 0. Original Traceback").
 */
import { SampleError } from './fetch.js';

export type FailurePhase = 'init' | 'getItem' | 'iterate' | 'collate';

export interface SerializedError {
  name: string;
  message: string;
  stack: string;
  phase: FailurePhase;
  sampleIndex: number | null;
}

export function serializeError(e: unknown, phase: FailurePhase = 'getItem'): SerializedError {
  let sampleIndex: number | null = null;
  let err = e;
  if (e instanceof SampleError) {
    sampleIndex = e.sampleIndex;
    phase = e.phase;
    err = e.original;
  }
  if (err instanceof Error) {
    return { name: err.name, message: err.message, stack: err.stack ?? `${err.name}: ${err.message}`, phase, sampleIndex };
  }
  return { name: 'Error', message: String(err), stack: `thrown value: ${String(err)}`, phase, sampleIndex };
}

function where(phase: FailurePhase, sampleIndex: number | null, batch: number | null): string {
  const b = batch === null ? '' : ` (batch ${batch})`;
  switch (phase) {
    case 'init':
      return 'while starting (building the dataset or running workerInitFn)';
    case 'getItem':
      return `while loading sample ${sampleIndex}${b}`;
    case 'iterate':
      return `while iterating its copy of the dataset (sample ${sampleIndex} of its stream)${b}`;
    case 'collate':
      return `while collating${b}`;
  }
}

export class DataLoaderWorkerError extends Error {
  override readonly name = 'DataLoaderWorkerError';
  /** The index of the worker that failed. */
  readonly workerId: number;
  /** The dataset index of the failing sample (map-style), its position in the worker's stream (iterable), or null. */
  readonly sampleIndex: number | null;
  /** The index of the batch (task) being loaded, or null. */
  readonly batchIndex: number | null;
  readonly phase: FailurePhase;
  readonly originalName: string;
  readonly originalMessage: string;
  /** The stack of the exception in the worker thread. */
  readonly originalStack: string;

  constructor(workerId: number, batchIndex: number | null, e: SerializedError) {
    super(
      `Caught ${e.name} in DataLoader worker ${workerId} ${where(e.phase, e.sampleIndex, batchIndex)}.\n` +
        `Original stack (in the worker):\n${e.stack}`,
    );
    this.workerId = workerId;
    this.sampleIndex = e.sampleIndex;
    this.batchIndex = batchIndex;
    this.phase = e.phase;
    this.originalName = e.name;
    this.originalMessage = e.message;
    this.originalStack = e.stack;
  }
}

/** `timeout` (seconds) passed with no batch from the worker that owes the next one. */
export class DataLoaderTimeoutError extends Error {
  override readonly name = 'DataLoaderTimeoutError';
  constructor(
    readonly timeout: number,
    readonly workerId: number,
    readonly batchIndex: number,
  ) {
    super(`DataLoader timed out after ${timeout} seconds: worker ${workerId} has not delivered batch ${batchIndex}`);
  }
}

/** A worker thread that died (an uncaught error outside any fetch, `process.exit`, out of memory). */
export class DataLoaderWorkerExitError extends Error {
  override readonly name = 'DataLoaderWorkerExitError';
  constructor(
    readonly workerId: number,
    readonly threadId: number,
    detail: string,
  ) {
    super(`DataLoader worker ${workerId} (thread ${threadId}) exited unexpectedly: ${detail}`);
  }
}
