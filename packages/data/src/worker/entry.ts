/**
 * The worker thread's program (PyTorch's `_worker_loop`): seed the default generator, build the
 * dataset from its recipe, run `workerInitFn`, then answer fetch tasks in arrival order.
 *
 * An error while starting is reported as the answer to the first task (as PyTorch does), so it
 * surfaces in the main thread where the batch was expected, with this thread's stack.
 */
import { parentPort, workerData } from 'node:worker_threads';
import '@kindling/backend-cpu';
import { manualSeed } from '@kindling/tensor';
import { defaultCollate, defaultConvert } from '../collate.js';
import { encodeTree } from '../codec.js';
import type { IterableDataset, MapDatasetLike } from '../dataset.js';
import { type SerializedError, serializeError } from '../errors.js';
import { type CollateFn, IterableFetcher, STOP, fetchMap } from '../fetch.js';
import { setWorkerInfo } from '../worker-info.js';
import { buildDataset } from './build-dataset.js';
import { loadFunction } from './load-function.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';

const port = parentPort!;
const init = workerData as WorkerInit;

let dataset: unknown;
let collate: CollateFn;
let fetcher: IterableFetcher | null = null;
let initError: SerializedError | null = null;
/** After an iterable dataset's copy is exhausted, further tasks get no answer (as PyTorch). */
let iterationEnd = false;

const identity = (x: never) => x as unknown;

async function resolveCollate(): Promise<CollateFn> {
  switch (init.collate.kind) {
    case 'default':
      return defaultCollate as CollateFn;
    case 'convert':
      return defaultConvert as CollateFn;
    case 'main':
      return identity; // the main thread collates: send the samples as they are
    case 'worker':
      return (await loadFunction(init.collate.fn, 'collateFn')) as CollateFn;
  }
}

function makeFetcher(): IterableFetcher | null {
  return init.datasetKind === 'iterable' ? new IterableFetcher(dataset as IterableDataset, collate, init.dropLast, false) : null;
}

const ready = (async () => {
  manualSeed(init.seed);
  const info = { id: init.id, numWorkers: init.numWorkers, seed: init.seed };
  setWorkerInfo({ ...info, dataset: null }); // a dataset constructor may already ask which worker it is in
  try {
    dataset = await buildDataset(init.dataset);
    setWorkerInfo({ ...info, dataset });
    if (init.initFn) await (await loadFunction(init.initFn, 'workerInitFn'))(init.id as never);
    collate = await resolveCollate();
    fetcher = makeFetcher();
  } catch (e) {
    initError = serializeError(e, 'init');
  }
  send({ type: 'ready' });
})();

function send(msg: FromWorker, transfer: Set<ArrayBuffer> = new Set()): void {
  try {
    port.postMessage(msg, [...transfer]);
  } catch (e) {
    // A sample that structured clone cannot copy (a function, a class with private state, …).
    const idx = 'idx' in msg ? msg.idx : -1;
    const err = serializeError(new TypeError(`the batch could not be sent to the main thread: ${(e as Error).message}`), 'collate');
    port.postMessage({ type: 'error', idx, error: err } satisfies FromWorker);
  }
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'reset') {
    iterationEnd = false;
    if (!initError) {
      try {
        fetcher = makeFetcher();
      } catch (e) {
        initError = serializeError(e, 'init');
      }
    }
    send({ type: 'reset' });
    return;
  }
  if (iterationEnd) return;
  const { idx, index } = msg;
  if (initError) {
    send({ type: 'error', idx, error: initError });
    return;
  }
  try {
    const data = fetcher
      ? await fetcher.fetch(index as number | null)
      : await fetchMap(dataset as MapDatasetLike, index as number | readonly number[], init.autoCollation, collate);
    if (data === STOP) {
      iterationEnd = true;
      send({ type: 'stop', idx });
      return;
    }
    const transfer = new Set<ArrayBuffer>();
    send({ type: 'data', idx, data: encodeTree(data, transfer) }, transfer);
  } catch (e) {
    send({ type: 'error', idx, error: serializeError(e) });
  }
}

// One task at a time, in arrival order, after start-up has finished.
let chain: Promise<void> = ready;
port.on('message', (msg: ToWorker) => {
  chain = chain.then(() => handle(msg));
});
