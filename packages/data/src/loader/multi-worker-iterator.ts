/**
 * Iterating a DataLoader with worker threads: PyTorch 1.13's `_MultiProcessingDataLoaderIter`.
 *
 * Tasks are numbered in sampler order and dealt round robin to the active workers, keeping
 * `prefetchFactor × numWorkers` in flight; answers are handed out strictly in task order (early
 * answers wait in `#taskInfo`), so the batches are the same, in the same order, for any number of
 * workers. An iterable dataset's worker that runs out answers `stop` and gets no more tasks.
 *
 * The workers are terminated when the iteration ends, when it fails, and when a `for await` loop
 * is left early (`return()`), unless `persistentWorkers` keeps them for the next epoch; a
 * persistent pool starts a new epoch by resetting each worker and discarding stale answers.
 */
import { decodeTree } from '../codec.js';
import { describeDataset } from '../describe.js';
import { DataLoaderTimeoutError, DataLoaderWorkerError } from '../errors.js';
import type { CollateFn } from '../fetch.js';
import { drawSeed } from '../seed.js';
import type { FromWorker, WorkerInit } from '../worker/protocol.js';
import { type LoaderConfig, collateMode, initFnRef, taskIndex } from './config.js';
import { WorkerPool } from './worker-pool.js';

interface TaskInfo {
  worker: number;
  answer?: FromWorker & { worker: number };
}

const END: unique symbol = Symbol('end');

// An iterator dropped without being finished (`(await it.next()).value` and no more) still has
// threads; when it is collected, stop them.
const abandoned = new FinalizationRegistry<WorkerPool>((pool) => void pool.terminate());

export class MultiWorkerIterator<B> implements AsyncIterableIterator<B> {
  readonly #cfg: LoaderConfig;
  readonly #baseSeed: bigint;
  #pool: WorkerPool | null = null;
  #samplerIter: Iterator<unknown>;
  #sendIdx = 0;
  #rcvdIdx = 0;
  #taskInfo = new Map<number, TaskInfo>();
  #tasksOutstanding = 0;
  #workerStatus: boolean[];
  #nextWorker = 0;
  #needsResume = false;
  #finished = false;
  /** Set once the threads are gone; a persistent DataLoader then starts a new iterator. */
  #dead = false;
  /** next()/return() calls run one after another even if the caller does not wait. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(cfg: LoaderConfig) {
    this.#cfg = cfg;
    this.#samplerIter = cfg.indexSampler[Symbol.iterator]();
    // Drawn when the iterator is created, before the sampler draws anything (as PyTorch), once
    // per pool: persistent workers keep their seeds across epochs.
    this.#baseSeed = drawSeed(cfg.generator);
    this.#workerStatus = new Array<boolean>(cfg.numWorkers).fill(true);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<B>> {
    const run = this.#queue.then(() => this.#next());
    this.#queue = run.catch(() => {});
    return run;
  }

  return(): Promise<IteratorResult<B>> {
    const run = this.#queue.then(async () => {
      this.#finished = true;
      if (!this.#cfg.persistentWorkers) await this.#shutdown();
      return { done: true as const, value: undefined };
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  get reusable(): boolean {
    return !this.#dead;
  }

  /** Terminate the workers now (a pending `next()` fails); the iterator is then finished. */
  async shutdown(): Promise<void> {
    this.#finished = true;
    await this.#shutdown();
  }

  /** A new epoch on the same (persistent) workers: PyTorch's `_reset`. */
  reset(): void {
    this.#samplerIter = this.#cfg.indexSampler[Symbol.iterator]();
    this.#finished = false;
    if (this.#pool) this.#needsResume = true;
  }

  async #next(): Promise<IteratorResult<B>> {
    if (this.#finished) return { done: true, value: undefined };
    try {
      if (!this.#pool) await this.#start();
      else if (this.#needsResume) await this.#resume();
      const value = await this.#nextData();
      if (value === END) {
        this.#finished = true;
        if (!this.#cfg.persistentWorkers) await this.#shutdown();
        return { done: true, value: undefined };
      }
      return { done: false, value };
    } catch (e) {
      this.#finished = true;
      await this.#shutdown();
      throw e;
    }
  }

  async #start(): Promise<void> {
    const cfg = this.#cfg;
    const dataset = describeDataset(cfg.dataset, cfg.workerDataset);
    const collate = collateMode(cfg);
    const initFn = initFnRef(cfg);
    const inits: WorkerInit[] = [];
    for (let id = 0; id < cfg.numWorkers; id++) {
      inits.push({
        id,
        numWorkers: cfg.numWorkers,
        seed: this.#baseSeed + BigInt(id),
        dataset,
        datasetKind: cfg.datasetKind,
        autoCollation: cfg.autoCollation,
        dropLast: cfg.dropLast,
        collate,
        initFn,
      });
    }
    this.#pool = await WorkerPool.start(inits);
    abandoned.register(this, this.#pool, this);
    this.#resetCounters();
    this.#prefetch();
  }

  #resetCounters(): void {
    this.#sendIdx = 0;
    this.#rcvdIdx = 0;
    this.#taskInfo = new Map();
    this.#tasksOutstanding = 0;
    this.#workerStatus.fill(true);
    this.#nextWorker = 0;
  }

  #prefetch(): void {
    for (let i = 0; i < this.#cfg.prefetchFactor * this.#cfg.numWorkers; i++) this.#tryPutIndex();
  }

  /** Tell every worker to start over, and drop what they answer until they have all done so. */
  async #resume(): Promise<void> {
    const pool = this.#pool!;
    this.#needsResume = false;
    this.#resetCounters();
    for (let w = 0; w < pool.size; w++) pool.post(w, { type: 'reset' });
    const pending = new Set(Array.from({ length: pool.size }, (_, w) => w));
    while (pending.size > 0) {
      const msg = await pool.receive(this.#timeoutMs(), () => new DataLoaderTimeoutError(this.#cfg.timeout, [...pending][0]!, 0));
      if (msg.type === 'reset') pending.delete(msg.worker);
      // anything else is an answer to a task of the abandoned epoch: dropped
    }
    this.#prefetch();
  }

  #timeoutMs(): number | null {
    return this.#cfg.timeout > 0 ? this.#cfg.timeout * 1000 : null;
  }

  #tryPutIndex(): void {
    const r = this.#samplerIter.next();
    if (r.done) return;
    const n = this.#cfg.numWorkers;
    let worker = -1;
    for (let i = 0; i < n; i++) {
      const w = this.#nextWorker;
      this.#nextWorker = (this.#nextWorker + 1) % n;
      if (this.#workerStatus[w]) {
        worker = w;
        break;
      }
    }
    if (worker < 0) return;
    this.#pool!.post(worker, { type: 'fetch', idx: this.#sendIdx, index: taskIndex(this.#cfg, r.value) });
    this.#taskInfo.set(this.#sendIdx, { worker });
    this.#tasksOutstanding++;
    this.#sendIdx++;
  }

  async #nextData(): Promise<B | typeof END> {
    const pool = this.#pool!;
    for (;;) {
      // Skip tasks of workers that ran out (their answers will never come).
      while (this.#rcvdIdx < this.#sendIdx) {
        const info = this.#taskInfo.get(this.#rcvdIdx)!;
        if (info.answer || this.#workerStatus[info.worker]) break;
        this.#taskInfo.delete(this.#rcvdIdx);
        this.#rcvdIdx++;
      }
      if (this.#rcvdIdx >= this.#sendIdx) return END;
      const info = this.#taskInfo.get(this.#rcvdIdx)!;
      if (info.answer) {
        this.#taskInfo.delete(this.#rcvdIdx);
        return this.#process(info.answer);
      }
      const owed = this.#rcvdIdx;
      // The clock runs once the owing worker has started: importing a dataset module in a fresh
      // thread is start-up, not loading.
      const limit = pool.isReady(info.worker) ? this.#timeoutMs() : null;
      const msg = await pool.receive(limit, () => new DataLoaderTimeoutError(this.#cfg.timeout, info.worker, owed));
      if (msg.type === 'ready' || msg.type === 'reset') continue; // 'reset' only matters in #resume
      this.#tasksOutstanding--;
      if (msg.type === 'stop') {
        this.#workerStatus[msg.worker] = false;
        this.#tryPutIndex();
        continue;
      }
      if (msg.idx !== this.#rcvdIdx) {
        const early = this.#taskInfo.get(msg.idx);
        if (early) early.answer = msg;
        continue;
      }
      this.#taskInfo.delete(msg.idx);
      return this.#process(msg);
    }
  }

  #process(msg: FromWorker & { worker: number }): B {
    this.#rcvdIdx++;
    this.#tryPutIndex();
    if (msg.type === 'error') throw new DataLoaderWorkerError(msg.worker, msg.idx, msg.error);
    if (msg.type !== 'data') throw new Error(`DataLoader: unexpected ${msg.type} answer from worker ${msg.worker}`);
    const data = decodeTree(msg.data);
    // pinMemory is accepted and does nothing: CPU memory needs no pinning here.
    return (collateMode(this.#cfg).kind === 'main' ? (this.#cfg.collateFn as CollateFn)(data as never) : data) as B;
  }

  async #shutdown(): Promise<void> {
    const pool = this.#pool;
    this.#dead = true;
    if (!pool) return;
    this.#pool = null;
    abandoned.unregister(this);
    await pool.terminate();
  }
}
