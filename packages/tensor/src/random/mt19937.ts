/**
 * The 32-bit Mersenne Twister exactly as PyTorch's `at::mt19937`
 * (aten/src/ATen/core/MT19937RNGEngine.h): seeded with Knuth's `init_genrand` from the low 32 bits
 * of a 64-bit seed, with PyTorch's bookkeeping (`left`, `next`, `seeded`, and the full 64-bit seed)
 * so that a generator state can be saved and restored in PyTorch's byte layout.
 */

export const MERSENNE_STATE_N = 624;
export const MERSENNE_STATE_M = 397;
const MATRIX_A = 0x9908b0df;
const UMASK = 0x80000000;
const LMASK = 0x7fffffff;

const U64_MASK = (1n << 64n) - 1n;

/** The fields of `at::mt19937_data_pod`. */
export interface MT19937Data {
  /** The 64-bit seed the engine was seeded with (only its low 32 bits feed the state). */
  seed: bigint;
  /** Draws left before the next twist; 1..624. */
  left: number;
  seeded: boolean;
  /** Index of the next state word to temper; 0..624. */
  next: number;
  /** 624 words. */
  state: Uint32Array;
}

export class MT19937 {
  #seed = 0n;
  #left = 1;
  #seeded = false;
  #next = 0;
  readonly #state = new Uint32Array(MERSENNE_STATE_N);

  /** `seed` is taken modulo 2^64 (negative values as two's complement), as PyTorch stores it. */
  constructor(seed: number | bigint = 5489) {
    this.seedWith(seed);
  }

  /** Re-seed in place (`init_with_uint32`). */
  seedWith(seed: number | bigint): void {
    const s = BigInt.asUintN(64, typeof seed === 'bigint' ? seed : BigInt(seed));
    this.#seed = s;
    this.#seeded = true;
    const st = this.#state;
    let prev = Number(s & 0xffffffffn);
    st[0] = prev;
    for (let j = 1; j < MERSENNE_STATE_N; j++) {
      prev = (Math.imul(1812433253, prev ^ (prev >>> 30)) + j) >>> 0;
      st[j] = prev;
    }
    this.#left = 1;
    this.#next = 0;
  }

  /** The next tempered 32-bit output, as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    if (--this.#left === 0) this.#twist();
    let y = this.#state[this.#next++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Fill `out` with successive `nextUint32()` outputs (the same stream, without per-call overhead). */
  fill(out: Uint32Array): void {
    const st = this.#state;
    let left = this.#left;
    let next = this.#next;
    for (let i = 0; i < out.length; i++) {
      if (--left === 0) {
        this.#twist();
        left = MERSENNE_STATE_N;
        next = 0;
      }
      let y = st[next++]!;
      y ^= y >>> 11;
      y ^= (y << 7) & 0x9d2c5680;
      y ^= (y << 15) & 0xefc60000;
      y ^= y >>> 18;
      out[i] = y;
    }
    this.#left = left;
    this.#next = next;
  }

  #twist(): void {
    const st = this.#state;
    const N = MERSENNE_STATE_N;
    const M = MERSENNE_STATE_M;
    let k = 0;
    for (; k < N - M; k++) {
      const u = st[k]!;
      const v = st[k + 1]!;
      st[k] = st[k + M]! ^ ((((u & UMASK) | (v & LMASK)) >>> 1) ^ (v & 1 ? MATRIX_A : 0));
    }
    for (; k < N - 1; k++) {
      const u = st[k]!;
      const v = st[k + 1]!;
      st[k] = st[k + M - N]! ^ ((((u & UMASK) | (v & LMASK)) >>> 1) ^ (v & 1 ? MATRIX_A : 0));
    }
    const u = st[N - 1]!;
    const v = st[0]!;
    st[N - 1] = st[M - 1]! ^ ((((u & UMASK) | (v & LMASK)) >>> 1) ^ (v & 1 ? MATRIX_A : 0));
    this.#left = N;
    this.#next = 0;
  }

  /** The seed this engine was last seeded with (0 ≤ seed < 2^64). */
  get seed(): bigint {
    return this.#seed;
  }

  /** A copy of the engine's data. */
  get data(): MT19937Data {
    return {
      seed: this.#seed,
      left: this.#left,
      seeded: this.#seeded,
      next: this.#next,
      state: this.#state.slice(),
    };
  }

  /** Replace the engine's data (copied). Throws if it is not a valid state, as `at::mt19937` does. */
  set data(d: MT19937Data) {
    if (!MT19937.isValidData(d)) throw new Error('Invalid mt19937 state');
    this.#seed = BigInt.asUintN(64, d.seed);
    this.#left = d.left;
    this.#seeded = d.seeded;
    this.#next = d.next;
    this.#state.set(d.state);
  }

  /** `mt19937::is_valid`: seeded, 0 < left ≤ 624, next ≤ 624. */
  static isValidData(d: MT19937Data): boolean {
    return (
      d.seeded &&
      Number.isInteger(d.left) && d.left > 0 && d.left <= MERSENNE_STATE_N &&
      Number.isInteger(d.next) && d.next >= 0 && d.next <= MERSENNE_STATE_N &&
      d.state.length === MERSENNE_STATE_N &&
      d.seed >= 0n && d.seed <= U64_MASK
    );
  }

  clone(): MT19937 {
    const c = new MT19937(0);
    c.data = this.data;
    return c;
  }
}
