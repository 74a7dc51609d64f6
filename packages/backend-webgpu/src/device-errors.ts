import { IndexError, OpError, indexOutOfRangeMessage } from '@kindling/tensor';

/**
 * The device error flag: how a kernel raises. PyTorch's CUDA kernels meet an index out of range or a
 * singular matrix while they run, when the call that queued them has long returned; they assert on
 * the device and the error surfaces at the next synchronisation. This backend does the same, with
 * PyTorch's own message: kernels that can fail write the first error into a small storage buffer
 * (`ERR`), and every read copies that buffer into the same staging buffer as the data, so a read
 * raises the error (and clears the flag) without any extra round trip.
 *
 * Layout (u32 words):
 *   0  claim: 0, or 1 once an error is recorded (atomicMax: exactly one invocation claims it)
 *   1  code (ErrorCode)
 *   2  the failing op's sequence number (the last parameter word of its kernels)
 *   3…8 details, by code (see `decodeDeviceError`)
 *   9  the sequence number of the last op whose validation pass failed: its writing kernel does nothing
 *
 * Ops that write in place (index_put and the index_* ops built on it, scatter, in-place integer
 * division) first run a validation pass that raises; the writing kernel then reads word 9 at entry and
 * returns when its own op failed, so bad input changes no state.
 */
export const ERROR_WORDS = 16;
export const ERROR_BYTES = ERROR_WORDS * 4;

export const ErrorCode = { ZeroDivision: 1, Index: 2, Singular: 3 } as const;

/** How an op treats indices out of range (the ops' `bounds` attribute), as the cpu kernels name them. */
export const BOUNDS = ['subscript', 'dim', 'select', 'copy', 'take', 'gather'] as const;
export type Bounds = (typeof BOUNDS)[number];

export function boundsCode(bounds: string | undefined): number {
  const k = BOUNDS.indexOf((bounds ?? 'subscript') as Bounds);
  return k < 0 ? 0 : k;
}

/** Whether the op counts negative indices from the end. */
export function wraps(bounds: string | undefined): boolean {
  const b = bounds ?? 'subscript';
  return b === 'subscript' || b === 'dim' || b === 'take';
}

/**
 * WGSL a raising kernel declares (its last binding is the flag buffer, its last parameter word the
 * op's sequence number). `k_raise` records an error unless one is already recorded; `k_failed` says
 * whether this op's validation pass raised.
 */
export function raisingPrelude(binding: number): string {
  return `@group(0) @binding(${binding}) var<storage, read_write> ERR: array<atomic<u32>, ${ERROR_WORDS}>;
fn k_seq() -> u32 { return P[arrayLength(&P) - 1u]; }
fn k_failed() -> bool { return atomicLoad(&ERR[9]) == k_seq(); }
fn k_raise(code: u32, a: u32, b: u32, c: u32, d: u32, e: u32, f: u32) {
  let seq = k_seq();
  atomicStore(&ERR[9], seq);
  if (atomicMax(&ERR[0], 1u) != 0u) { return; }
  atomicStore(&ERR[1], code); atomicStore(&ERR[2], seq);
  atomicStore(&ERR[3], a); atomicStore(&ERR[4], b); atomicStore(&ERR[5], c);
  atomicStore(&ERR[6], d); atomicStore(&ERR[7], e); atomicStore(&ERR[8], f);
}
fn k_index_ok(v: vec2<u32>, size: u32, wrap: bool) -> bool {
  return (v.y == 0u && v.x < size) || (wrap && v.y == 0xffffffffu && v.x != 0u && (0u - v.x) <= size);
}
fn k_check_index(v: vec2<u32>, size: u32, wrap: bool, bounds: u32, dim: u32, ordinal: u32) {
  if (!k_index_ok(v, size, wrap)) { k_raise(${ErrorCode.Index}u, bounds, v.x, v.y, dim, size, ordinal); }
}`;
}

/** The conditional clear: resets the flag when it still holds the error `P[0]` was read with. */
export const CLEAR_CODE = `@group(0) @binding(0) var<storage, read> P: array<u32>;
@group(0) @binding(1) var<storage, read_write> ERR: array<atomic<u32>, ${ERROR_WORDS}>;
@compute @workgroup_size(1)
fn main() {
  if (atomicLoad(&ERR[0]) == 0u || atomicLoad(&ERR[2]) != P[0]) { return; }
  for (var k = 0u; k < ${ERROR_WORDS}u; k++) { atomicStore(&ERR[k], 0u); }
}`;

/** The recorded error as the Error the cpu backend raises for the same input, or null when none is recorded. */
export function decodeDeviceError(w: Uint32Array): { error: Error; seq: number } | null {
  if (w[0] === 0) return null;
  const seq = w[2]!;
  switch (w[1]) {
    case ErrorCode.ZeroDivision:
      return { error: new RangeError('ZeroDivisionError'), seq };
    case ErrorCode.Index: {
      const value = BigInt.asIntN(64, (BigInt(w[5]!) << 32n) | BigInt(w[4]!));
      const bounds = BOUNDS[w[3]!] ?? 'subscript';
      return { error: new IndexError(indexOutOfRangeMessage(bounds, value, w[6]!, w[7]!, w[8]!)), seq };
    }
    case ErrorCode.Singular: {
      const [batch, info, count] = [w[3]!, w[4]!, w[5]!];
      return {
        error: new OpError(
          `linalg.inv: ${count > 1 ? `(Batch element ${batch}): ` : ''}The diagonal element ${info} is zero, the inversion could not be completed because the input matrix is singular.`,
        ),
        seq,
      };
    }
    default:
      return { error: new Error(`webgpu: a kernel recorded an unknown device error (code ${w[1]})`), seq };
  }
}
