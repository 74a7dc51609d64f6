import { Generator, randperm } from '@kindling/tensor';
import { datasetLength } from '../dataset.js';
import { indicesOf } from '../seed.js';
import { Sampler } from './sampler.js';

export interface DistributedSamplerOptions {
  /** World size. Kindling has no process group: when omitted, the `WORLD_SIZE` environment variable (set by launchers such as torchrun). */
  numReplicas?: number;
  /** This process's rank in [0, numReplicas). When omitted, the `RANK` environment variable. */
  rank?: number;
  /** Shuffle with `seed + epoch` (default true). */
  shuffle?: boolean;
  /** Must be the same in every process (default 0). */
  seed?: number;
  /** Drop the tail to divide evenly, instead of padding by repeating the head (default false). */
  dropLast?: boolean;
}

function fromEnv(name: string): number | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.[name];
  return v === undefined || v === '' ? undefined : Number(v);
}

/**
 * `DistributedSampler`: each of `numReplicas` processes gets the indices `rank, rank + R, …` of
 * one common order (a `torch.randperm` seeded with `seed + epoch`, or 0…n−1), padded by repeating
 * its head or cut at the tail so every rank gets the same number. Call `setEpoch(e)` before each
 * epoch so the order changes between epochs.
 */
export class DistributedSampler extends Sampler<number> {
  readonly dataset: { readonly length: number };
  readonly numReplicas: number;
  readonly rank: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  readonly numSamples: number;
  readonly totalSize: number;
  epoch = 0;

  constructor(dataset: { readonly length: number }, opts: DistributedSamplerOptions = {}) {
    super();
    const numReplicas = opts.numReplicas ?? fromEnv('WORLD_SIZE');
    const rank = opts.rank ?? fromEnv('RANK');
    if (numReplicas === undefined || rank === undefined) {
      throw new Error('DistributedSampler needs numReplicas and rank (or the WORLD_SIZE and RANK environment variables): Kindling has no default process group');
    }
    if (!Number.isInteger(numReplicas) || numReplicas <= 0) throw new RangeError(`numReplicas must be a positive integer, got ${numReplicas}`);
    if (!Number.isInteger(rank) || rank >= numReplicas || rank < 0) {
      throw new RangeError(`Invalid rank ${rank}, rank should be in the interval [0, ${numReplicas - 1}]`);
    }
    this.dataset = dataset;
    this.numReplicas = numReplicas;
    this.rank = rank;
    this.dropLast = opts.dropLast ?? false;
    this.shuffle = opts.shuffle ?? true;
    this.seed = opts.seed ?? 0;
    const n = datasetLength(dataset);
    // `+ 0` turns Math.ceil's -0 (n < numReplicas) into Python's 0.
    this.numSamples =
      (this.dropLast && n % numReplicas !== 0 ? Math.ceil((n - numReplicas) / numReplicas) : Math.ceil(n / numReplicas)) + 0;
    this.totalSize = this.numSamples * numReplicas;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = datasetLength(this.dataset);
    let indices: number[];
    if (this.shuffle) {
      const g = new Generator().manualSeed(this.seed + this.epoch);
      indices = indicesOf(randperm(n, { generator: g }));
    } else {
      indices = Array.from({ length: n }, (_, i) => i);
    }
    if (!this.dropLast) {
      const padding = this.totalSize - indices.length;
      if (padding <= indices.length) indices = indices.concat(indices.slice(0, padding));
      else {
        const reps = Math.ceil(padding / indices.length);
        indices = indices.concat(Array.from({ length: reps }, () => indices).flat().slice(0, padding));
      }
    } else {
      indices = indices.slice(0, this.totalSize);
    }
    for (let i = this.rank; i < this.totalSize; i += this.numReplicas) yield indices[i]!;
  }

  get length(): number {
    return this.numSamples;
  }

  /** Use a different shuffle in the coming epoch (the same in every process). */
  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }
}
