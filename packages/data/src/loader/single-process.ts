/**
 * Iterating a DataLoader in the calling thread (`numWorkers: 0`, PyTorch's
 * `_SingleProcessDataLoaderIter`): synchronously for `for…of`, or asynchronously for `for await`
 * (which also awaits datasets whose `getItem` or iterator is asynchronous).
 *
 * Errors are the dataset's own exceptions, unwrapped, as PyTorch raises them in this mode.
 */
import type { IterableDataset, MapDatasetLike } from '../dataset.js';
import { type CollateFn, IterableFetcher, STOP, SampleError, fetchMap, fetchMapSync } from '../fetch.js';
import { drawSeed } from '../seed.js';
import { loadFunction } from '../worker/load-function.js';
import { type LoaderConfig, isWorkerFunction, taskIndex } from './config.js';

function unwrap(e: unknown): unknown {
  return e instanceof SampleError ? e.original : e;
}

/** The sampler iterator, after the base seed draw every DataLoader iterator makes (as PyTorch). */
function begin(cfg: LoaderConfig): Iterator<unknown> {
  const it = cfg.indexSampler[Symbol.iterator]();
  drawSeed(cfg.generator); // unused without workers, but PyTorch draws it, and the stream must match
  return it;
}

export function singleProcessSync<B>(cfg: LoaderConfig): Iterator<B> {
  if (isWorkerFunction(cfg.collateFn)) {
    throw new TypeError('a collateFn given as { module, export } is loaded asynchronously: iterate with `for await`');
  }
  const collate = cfg.collateFn;
  const samplerIter = begin(cfg);
  const fetcher = cfg.datasetKind === 'iterable' ? new IterableFetcher(cfg.dataset as IterableDataset, collate, cfg.dropLast, true) : null;
  return (function* () {
    for (let r = samplerIter.next(); !r.done; r = samplerIter.next()) {
      let data: unknown;
      try {
        const index = taskIndex(cfg, r.value);
        data = fetcher
          ? fetcher.fetchSync(index as number | null)
          : fetchMapSync(cfg.dataset as MapDatasetLike, index as number | readonly number[], cfg.autoCollation, collate);
      } catch (e) {
        throw unwrap(e);
      }
      if (data === STOP) return;
      yield data as B;
    }
  })();
}

export function singleProcessAsync<B>(cfg: LoaderConfig): AsyncIterableIterator<B> {
  const samplerIter = begin(cfg);
  return (async function* () {
    const collate = isWorkerFunction(cfg.collateFn) ? ((await loadFunction(cfg.collateFn, 'collateFn')) as CollateFn) : cfg.collateFn;
    const fetcher = cfg.datasetKind === 'iterable' ? new IterableFetcher(cfg.dataset as IterableDataset, collate, cfg.dropLast, false) : null;
    for (let r = samplerIter.next(); !r.done; r = samplerIter.next()) {
      let data: unknown;
      try {
        const index = taskIndex(cfg, r.value);
        data = fetcher
          ? await fetcher.fetch(index as number | null)
          : await fetchMap(cfg.dataset as MapDatasetLike, index as number | readonly number[], cfg.autoCollation, collate);
      } catch (e) {
        throw unwrap(e);
      }
      if (data === STOP) return;
      yield data as B;
    }
  })();
}
