/**
 * The worker threads of one DataLoader iterator, and the queue of their answers.
 *
 * Threads keep a Node process alive only while the main thread is waiting for them: between
 * batches (an abandoned iterator, persistent workers between epochs) they are `unref`'d, so a
 * program that stops iterating can still exit. Nothing here refers back to the iterator, so an
 * abandoned iterator can be garbage-collected, and its finalizer terminates the threads.
 */
import type { Worker } from 'node:worker_threads';
import { DataLoaderWorkerExitError } from '../errors.js';
import type { FromWorker, ToWorker, WorkerInit } from '../worker/protocol.js';
import { refusedExecArgv, workerEntryUrl, workerExecArgv } from './worker-url.js';

/** Threads started and not yet exited, across all pools (tests check that none leak). */
let live = 0;
export function liveWorkerThreads(): number {
  return live;
}

export type Inbound = (FromWorker & { worker: number }) | { type: 'fatal'; worker: number; error: Error };

export class WorkerPool {
  readonly #workers: Worker[] = [];
  readonly #inbox: Inbound[] = [];
  readonly #ready = new Set<number>();
  #wake: (() => void) | null = null;
  #closing = false;

  private constructor() {}

  static async start(inits: readonly WorkerInit[]): Promise<WorkerPool> {
    const { Worker } = await import('node:worker_threads');
    const { existsSync } = await import('node:fs');
    const url = workerEntryUrl();
    if (url.protocol === 'file:' && !existsSync(url)) {
      throw new Error(`@kindling/data: the worker script ${url.href} is missing; build the package first (pnpm run build)`);
    }
    const pool = new WorkerPool();
    for (const init of inits) pool.#spawn(Worker, url, init);
    return pool;
  }

  #spawn(W: typeof Worker, url: URL, init: WorkerInit): void {
    const id = init.id;
    let execArgv = workerExecArgv(process.execArgv);
    let w: Worker;
    try {
      w = new W(url, { workerData: init, ...(execArgv ? { execArgv } : {}) });
    } catch (e) {
      const refused = refusedExecArgv(e);
      if (!refused || !execArgv) throw e;
      execArgv = execArgv.filter((a) => !refused.some((r) => a === r || a.startsWith(`${r}=`)));
      w = new W(url, { workerData: init, execArgv });
    }
    const threadId = w.threadId;
    live++;
    w.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') this.#ready.add(id);
      this.#push({ ...msg, worker: id });
    });
    w.on('error', (err: Error) => {
      const detail = err?.stack ?? String(err);
      this.#push({ type: 'fatal', worker: id, error: new DataLoaderWorkerExitError(id, threadId, `uncaught ${detail}`) });
    });
    w.on('messageerror', (err: Error) => {
      this.#push({ type: 'fatal', worker: id, error: new DataLoaderWorkerExitError(id, threadId, `a message could not be read: ${err.message}`) });
    });
    w.on('exit', (code: number) => {
      live--;
      if (!this.#closing) this.#push({ type: 'fatal', worker: id, error: new DataLoaderWorkerExitError(id, threadId, `exit code ${code}`) });
    });
    w.unref();
    this.#workers.push(w);
  }

  #push(msg: Inbound): void {
    this.#inbox.push(msg);
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** Whether worker `id` has finished starting (built its dataset, ran workerInitFn). */
  isReady(id: number): boolean {
    return this.#ready.has(id);
  }

  get size(): number {
    return this.#workers.length;
  }

  post(worker: number, msg: ToWorker): void {
    this.#workers[worker]!.postMessage(msg);
  }

  /**
   * The next answer from any worker. With `timeoutMs`, rejects with `onTimeout()` if none comes in
   * time. A dead worker's 'fatal' message is thrown.
   */
  async receive(timeoutMs: number | null, onTimeout: () => Error): Promise<FromWorker & { worker: number }> {
    let msg = this.#inbox.shift();
    if (!msg) {
      for (const w of this.#workers) w.ref();
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await new Promise<void>((resolve, reject) => {
          this.#wake = resolve;
          if (timeoutMs !== null) {
            timer = setTimeout(() => {
              this.#wake = null;
              reject(onTimeout());
            }, timeoutMs);
          }
        });
      } finally {
        clearTimeout(timer);
        for (const w of this.#workers) w.unref();
      }
      msg = this.#inbox.shift()!;
    }
    if (msg.type === 'fatal') throw msg.error;
    return msg;
  }

  /** Stop every thread; resolves once they have exited. Idempotent. */
  async terminate(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    // Whoever is waiting for an answer gets this instead of waiting forever.
    this.#push({ type: 'fatal', worker: -1, error: new Error('the DataLoader worker threads were shut down') });
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
