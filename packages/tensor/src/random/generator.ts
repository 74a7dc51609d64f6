/**
 * Kindling's random number generator: PyTorch 1.13's `at::CPUGeneratorImpl`, bit for bit.
 *
 * - The engine is `at::mt19937` seeded with the low 32 bits of the 64-bit seed.
 * - `random()` is one 32-bit draw; `random64()` is `(first << 32) | second`.
 * - A generator caches the second Box–Muller sample of the scalar double normal sampler
 *   (`nextDoubleNormalSample`); `manualSeed` clears it and `getState`/`setState` carry it.
 * - `new Generator()` is seeded with 67280421310721 (`default_rng_seed_val`), as `torch.Generator()`.
 *   The process-wide default generator is seeded from a nondeterministic source at first use, as
 *   PyTorch's default CPU generator is (`torch.initial_seed()` differs on every run until
 *   `torch.manual_seed` is called).
 * - Every device uses this same host stream (PyTorch's CUDA generator is a different algorithm,
 *   Philox; Kindling produces the CPU numbers on every device so that a seed means the same
 *   numbers everywhere).
 *
 * `getState()` returns PyTorch's 5056-byte CPU state (`torch.get_rng_state()`), little-endian:
 *
 * | offset | type     | field                                                   |
 * | ------ | -------- | ------------------------------------------------------- |
 * | 0      | uint64   | the_initial_seed                                        |
 * | 8      | int32    | left (1..624)                                           |
 * | 12     | int32    | seeded (1)                                              |
 * | 16     | uint64   | next (0..624)                                           |
 * | 24     | uint64[624] | state (each word < 2^32)                             |
 * | 5016   | float64  | normal_x (always 0)                                     |
 * | 5024   | float64  | normal_y (the cached double normal sample)              |
 * | 5032   | float64  | normal_rho (always 0)                                   |
 * | 5040   | int32    | normal_is_valid                                         |
 * | 5048   | float32  | next_float_normal_sample                                |
 * | 5052   | uint8    | is_next_float_normal_sample_valid                       |
 *
 * `setState` also accepts the 5048-byte legacy layout (without the last two fields), where, as in
 * PyTorch, a valid cached normal is reconstructed as `normal_rho * sin(2π normal_x)`.
 */

import { glibcSin } from './distributions.js';
import { MERSENNE_STATE_N, MT19937 } from './mt19937.js';

/** `c10::default_rng_seed_val`: the seed of a freshly constructed `torch.Generator()`. */
export const DEFAULT_RNG_SEED = 67280421310721n;

/** Size in bytes of PyTorch's CPU generator state (`CPUGeneratorImplState`). */
export const CPU_STATE_SIZE = 5056;
/** Size in bytes of the legacy state (`CPUGeneratorImplStateLegacy`), accepted by `setState`. */
export const CPU_STATE_SIZE_LEGACY = 5048;

const OFF_SEED = 0;
const OFF_LEFT = 8;
const OFF_SEEDED = 12;
const OFF_NEXT = 16;
const OFF_STATE = 24;
const OFF_NORMAL_X = OFF_STATE + 8 * MERSENNE_STATE_N; // 5016
const OFF_NORMAL_Y = OFF_NORMAL_X + 8;
const OFF_NORMAL_RHO = OFF_NORMAL_Y + 8;
const OFF_NORMAL_VALID = OFF_NORMAL_RHO + 8; // 5040
const OFF_FLOAT_NORMAL = 5048;
const OFF_FLOAT_NORMAL_VALID = 5052;

const MIN_SEED = -(1n << 63n);
const MAX_SEED = (1n << 64n) - 1n;

/** Normalise a user seed to PyTorch's uint64 (negative seeds as two's complement). */
function toSeed(seed: number | bigint, who: string): bigint {
  let s: bigint;
  if (typeof seed === 'bigint') s = seed;
  else if (typeof seed === 'number' && Number.isInteger(seed)) s = BigInt(seed);
  else throw new TypeError(`${who} expected an integer seed, but got ${String(seed)}`);
  if (s < MIN_SEED || s > MAX_SEED) {
    throw new RangeError(`${who}: seed ${s} is out of range; it must be in [-2^63, 2^64 - 1]`);
  }
  return BigInt.asUintN(64, s);
}

/** A nondeterministic 64-bit seed (PyTorch reads /dev/urandom). */
function nondeterministicSeed(): bigint {
  const words = new Uint32Array(2);
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
  if (c && typeof c.getRandomValues === 'function') {
    c.getRandomValues(words);
  } else {
    words[0] = Math.floor(Math.random() * 2 ** 32) ^ (Date.now() >>> 0);
    words[1] = Math.floor(Math.random() * 2 ** 32);
  }
  return (BigInt(words[0]!) << 32n) | BigInt(words[1]!);
}

export interface GeneratorOptions {
  /** `'cpu'` by default. Any device draws from the same host stream. */
  device?: string;
}

export class Generator {
  readonly device: string;
  readonly #engine: MT19937;
  /** The cached second sample of the double Box–Muller sampler, or null. */
  nextDoubleNormalSample: number | null = null;
  /** The cached float sample (kept for state compatibility; PyTorch's CPU kernels never set it). */
  nextFloatNormalSample: number | null = null;

  constructor(opts: GeneratorOptions = {}) {
    this.device = opts.device ?? 'cpu';
    this.#engine = new MT19937(DEFAULT_RNG_SEED);
  }

  /** Seed the generator (`manual_seed`); clears the cached normal samples. */
  manualSeed(seed: number | bigint): this {
    const s = toSeed(seed, 'manualSeed');
    this.nextDoubleNormalSample = null;
    this.nextFloatNormalSample = null;
    this.#engine.seedWith(s);
    return this;
  }

  /** Reseed from a nondeterministic source and return the seed (`torch.seed()`). */
  seed(): bigint {
    const s = nondeterministicSeed();
    this.manualSeed(s);
    return s;
  }

  /** The seed last set (`initial_seed()`), 0 ≤ seed < 2^64. */
  initialSeed(): bigint {
    return this.#engine.seed;
  }

  /** One 32-bit draw, an integer in [0, 2^32). */
  random(): number {
    return this.#engine.nextUint32();
  }

  /** Two 32-bit draws as `(first << 32) | second`, in [0, 2^64). */
  random64(): bigint {
    const hi = this.#engine.nextUint32();
    const lo = this.#engine.nextUint32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Fill `out` with successive `random()` draws; returns `out`. */
  randomFill(out: Uint32Array): Uint32Array {
    this.#engine.fill(out);
    return out;
  }

  /**
   * The low 53 bits of `random64()` as an exact number (two draws), without allocating a bigint.
   * `random53() * 2^-53` is PyTorch's `uniform_real_distribution<double>(0, 1)`.
   */
  random53(): number {
    const hi = this.#engine.nextUint32();
    const lo = this.#engine.nextUint32();
    return (hi & 0x1fffff) * 4294967296 + lo;
  }

  /** PyTorch's CPU generator state, 5056 bytes (see the module comment for the layout). */
  getState(): Uint8Array {
    const buf = new Uint8Array(CPU_STATE_SIZE);
    const dv = new DataView(buf.buffer);
    const d = this.#engine.data;
    dv.setBigUint64(OFF_SEED, d.seed, true);
    dv.setInt32(OFF_LEFT, d.left, true);
    dv.setInt32(OFF_SEEDED, d.seeded ? 1 : 0, true);
    dv.setBigUint64(OFF_NEXT, BigInt(d.next), true);
    for (let i = 0; i < MERSENNE_STATE_N; i++) {
      dv.setUint32(OFF_STATE + 8 * i, d.state[i]!, true);
      // high word stays 0
    }
    dv.setFloat64(OFF_NORMAL_X, 0, true);
    dv.setFloat64(OFF_NORMAL_RHO, 0, true);
    if (this.nextDoubleNormalSample !== null) {
      dv.setInt32(OFF_NORMAL_VALID, 1, true);
      dv.setFloat64(OFF_NORMAL_Y, this.nextDoubleNormalSample, true);
    }
    if (this.nextFloatNormalSample !== null) {
      dv.setFloat32(OFF_FLOAT_NORMAL, this.nextFloatNormalSample, true);
      buf[OFF_FLOAT_NORMAL_VALID] = 1;
    }
    return buf;
  }

  /**
   * Restore a state from `getState()` or from PyTorch's `torch.get_rng_state()` bytes
   * (5056 bytes, or the 5048-byte legacy layout). Throws, changing nothing, on a bad size or an
   * invalid engine state.
   */
  setState(state: Uint8Array): this {
    if (!(state instanceof Uint8Array)) {
      throw new TypeError('setState expected a Uint8Array (a uint8 tensor of the generator state)');
    }
    const size = state.byteLength;
    if (size !== CPU_STATE_SIZE && size !== CPU_STATE_SIZE_LEGACY) {
      throw new Error(
        `Expected either a CPUGeneratorImplStateLegacy of size ${CPU_STATE_SIZE_LEGACY} or a ` +
          `CPUGeneratorImplState of size ${CPU_STATE_SIZE} but found the input RNG state size to be ${size}`,
      );
    }
    const dv = new DataView(state.buffer, state.byteOffset, size);
    let doubleNormal: number | null = null;
    let floatNormal: number | null = null;
    const normalValid = dv.getInt32(OFF_NORMAL_VALID, true) !== 0;
    if (size === CPU_STATE_SIZE_LEGACY) {
      if (normalValid) {
        const r = dv.getFloat64(OFF_NORMAL_RHO, true);
        const theta = 2.0 * Math.PI * dv.getFloat64(OFF_NORMAL_X, true);
        doubleNormal = r * glibcSin(theta); // PyTorch's ::sin
      }
    } else {
      if (state[OFF_FLOAT_NORMAL_VALID] !== 0) floatNormal = dv.getFloat32(OFF_FLOAT_NORMAL, true);
      if (normalValid) doubleNormal = dv.getFloat64(OFF_NORMAL_Y, true);
    }
    const words = new Uint32Array(MERSENNE_STATE_N);
    for (let i = 0; i < MERSENNE_STATE_N; i++) words[i] = dv.getUint32(OFF_STATE + 8 * i, true);
    const data = {
      seed: dv.getBigUint64(OFF_SEED, true),
      left: dv.getInt32(OFF_LEFT, true),
      seeded: dv.getInt32(OFF_SEEDED, true) !== 0,
      next: dv.getUint32(OFF_NEXT, true), // PyTorch truncates the uint64 to uint32
      state: words,
    };
    if (!MT19937.isValidData(data)) throw new Error('Invalid mt19937 state');
    this.#engine.data = data;
    this.nextDoubleNormalSample = doubleNormal;
    this.nextFloatNormalSample = floatNormal;
    return this;
  }

  /** An independent generator in the same state. */
  clone(): Generator {
    const g = new Generator({ device: this.device });
    g.setState(this.getState());
    return g;
  }
}

const GENERATOR_KEY = Symbol.for('kindling.generator');

function isGeneratorLike(x: unknown): x is Generator {
  return (
    typeof x === 'object' && x !== null &&
    typeof (x as Generator).random === 'function' &&
    typeof (x as Generator).random53 === 'function' &&
    typeof (x as Generator).randomFill === 'function' &&
    typeof (x as Generator).getState === 'function' &&
    typeof (x as Generator).manualSeed === 'function'
  );
}

/**
 * The process-wide default generator (`torch.default_generator`). It lives on `globalThis` under
 * `Symbol.for('kindling.generator')`, so two copies of this package share one stream.
 */
export function defaultGenerator(): Generator {
  const g = globalThis as unknown as Record<symbol, unknown>;
  const existing = g[GENERATOR_KEY];
  if (existing !== undefined) {
    if (!isGeneratorLike(existing)) {
      throw new Error(
        'globalThis[Symbol.for("kindling.generator")] holds an incompatible object: two incompatible ' +
          'versions of @kindling/tensor are loaded',
      );
    }
    return existing;
  }
  const gen = new Generator();
  gen.manualSeed(nondeterministicSeed());
  g[GENERATOR_KEY] = gen;
  return gen;
}

/** Seed the default generator (`torch.manual_seed`) and return it. */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator().manualSeed(seed);
}

/** Reseed the default generator nondeterministically and return the seed (`torch.seed()`). */
export function seed(): bigint {
  return defaultGenerator().seed();
}

/** The default generator's seed (`torch.initial_seed()`). */
export function initialSeed(): bigint {
  return defaultGenerator().initialSeed();
}

/** The default generator's state bytes (`torch.get_rng_state()`). */
export function getRngState(): Uint8Array {
  return defaultGenerator().getState();
}

/** Restore the default generator's state (`torch.set_rng_state(state)`). */
export function setRngState(state: Uint8Array): void {
  defaultGenerator().setState(state);
}
