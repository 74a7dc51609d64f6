import { type Tensor, cast, fromArray, OpError } from '@kindling/tensor';
import { storageArray } from '../layout.js';
import { registerCpuKernel } from '../backend.js';
import { gemmABt } from './gemm.js';

/** A contiguous float64 copy of `t`'s values. */
function float64Values(t: Tensor): Float64Array {
  const c = cast(t, 'float64');
  return (storageArray(c) as Float64Array).subarray(0, t.numel());
}

function gemmBig(A: BigInt64Array, B: BigInt64Array, C: BigInt64Array, batch: number, n: number, k: number, m: number): void {
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let acc = 0n;
        for (let p = 0; p < k; p++) acc += A[b * n * k + i * k + p]! * B[b * k * m + p * m + j]!;
        C[b * n * m + i * m + j] = BigInt.asIntN(64, acc);
      }
    }
  }
}

/** Contiguous float storage of `t` and the element offset where its values start. */
function floatsOf(t: Tensor, dtype: 'float32' | 'float64'): { arr: Float32Array | Float64Array; off: number } {
  const c = t.dtype === dtype ? t.contiguous() : cast(t, dtype);
  return { arr: storageArray(c) as Float32Array | Float64Array, off: c._offset };
}

registerCpuKernel('bmm', (inputs, outputs) => {
  const [a, b] = inputs as [Tensor, Tensor];
  const out = outputs[0]!;
  const [batch, n, k] = a.shape as [number, number, number];
  const m = b.shape[2]!;
  if (out.numel() === 0) return;
  if (a.dtype === 'int64') {
    const ac = a.contiguous();
    const bc = b.contiguous();
    const A = (storageArray(ac) as BigInt64Array).subarray(ac._offset, ac._offset + a.numel());
    const B = (storageArray(bc) as BigInt64Array).subarray(bc._offset, bc._offset + b.numel());
    const C = new BigInt64Array(batch * n * m);
    gemmBig(A, B, C, batch, n, k, m);
    out.copy_(fromArray(C, out.shape));
    return;
  }
  // float32 computes in float32 storage; everything else (float64, 16-bit floats, small ints) in float64.
  const work = a.dtype === 'float32' ? 'float32' : 'float64';
  const A = floatsOf(a, work);
  // Bᵀ is contiguous when B is a transposed view (x @ W.T in Linear): then no copy is made.
  const Bt = floatsOf(b.transpose(1, 2), work);
  const direct = out.dtype === work && out.isContiguous();
  const C = direct ? (storageArray(out) as Float32Array | Float64Array) : work === 'float32' ? new Float32Array(batch * n * m) : new Float64Array(batch * n * m);
  const cBase = direct ? out._offset : 0;
  for (let i = 0; i < batch; i++) {
    gemmABt(A.arr, A.off + i * n * k, Bt.arr, Bt.off + i * m * k, C, cBase + i * n * m, n, k, m);
  }
  if (!direct) out.copy_(fromArray(C as Float32Array, out.shape));
});

/**
 * LU factorisation with partial pivoting of an n×n row-major matrix, in place.
 * Returns the permutation sign, or the 1-based index of the first zero pivot (as LAPACK's info).
 */
function luInPlace(M: Float64Array, n: number, perm: Int32Array): { sign: number; info: number } {
  let sign = 1;
  let info = 0;
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let c = 0; c < n; c++) {
    let p = c;
    let best = Math.abs(M[c * n + c]!);
    for (let r = c + 1; r < n; r++) {
      const v = Math.abs(M[r * n + c]!);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    if (p !== c) {
      for (let j = 0; j < n; j++) {
        const tmp = M[c * n + j]!;
        M[c * n + j] = M[p * n + j]!;
        M[p * n + j] = tmp;
      }
      const tp = perm[c]!;
      perm[c] = perm[p]!;
      perm[p] = tp;
      sign = -sign;
    }
    const pivot = M[c * n + c]!;
    if (pivot === 0) {
      if (info === 0) info = c + 1;
      continue;
    }
    for (let r = c + 1; r < n; r++) {
      const f = (M[r * n + c]! /= pivot);
      if (f === 0) continue;
      for (let j = c + 1; j < n; j++) M[r * n + j]! -= f * M[c * n + j]!;
    }
  }
  return { sign, info };
}

registerCpuKernel('det', (inputs, outputs) => {
  const t = inputs[0]!;
  const out = outputs[0]!;
  const n = t.shape[t.ndim - 1]!;
  const batch = out.numel();
  const vals = float64Values(t);
  const res = new Float64Array(batch);
  const perm = new Int32Array(n);
  for (let b = 0; b < batch; b++) {
    const M = vals.slice(b * n * n, (b + 1) * n * n);
    // The product of U's diagonal even when a pivot is zero, as LAPACK's: a singular matrix's det
    // carries the permutation's sign (-0 after an odd number of swaps).
    const { sign } = luInPlace(M, n, perm);
    let d = sign;
    for (let i = 0; i < n; i++) d *= M[i * n + i]!;
    res[b] = d;
  }
  out.copy_(fromArray(res, out.shape));
});

registerCpuKernel('inverse', (inputs, outputs) => {
  const t = inputs[0]!;
  const out = outputs[0]!;
  const n = t.shape[t.ndim - 1]!;
  const batch = n === 0 ? 0 : t.numel() / (n * n);
  const vals = float64Values(t);
  const res = new Float64Array(t.numel());
  const perm = new Int32Array(n);
  for (let b = 0; b < batch; b++) {
    const M = vals.slice(b * n * n, (b + 1) * n * n);
    const { info } = luInPlace(M, n, perm);
    if (info) {
      throw new OpError(
        `linalg.inv: ${batch > 1 ? `(Batch element ${b}): ` : ''}The diagonal element ${info} is zero, the inversion could not be completed because the input matrix is singular.`,
      );
    }
    // Solve L U X = P I column by column.
    for (let col = 0; col < n; col++) {
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) x[i] = perm[i] === col ? 1 : 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) x[i]! -= M[i * n + j]! * x[j]!;
      for (let i = n - 1; i >= 0; i--) {
        for (let j = i + 1; j < n; j++) x[i]! -= M[i * n + j]! * x[j]!;
        x[i]! /= M[i * n + i]!;
      }
      for (let i = 0; i < n; i++) res[b * n * n + i * n + col] = x[i]!;
    }
  }
  out.copy_(fromArray(res, out.shape));
});
