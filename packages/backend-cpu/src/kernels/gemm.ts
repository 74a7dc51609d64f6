type Floats = Float32Array | Float64Array;

/**
 * C = A · Btᵀ for row-major A [n, k] and Bt [m, k] (both contiguous along k), written at C[cOff…].
 * Each output is a dot product over contiguous memory; 2×2 register blocks reuse every load twice.
 * Accumulates in doubles, so float32 results are the correctly rounded sums (at least as exact as BLAS).
 */
export function gemmABt(A: Floats, aOff: number, Bt: Floats, bOff: number, C: Floats, cOff: number, n: number, k: number, m: number): void {
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a0 = aOff + i * k;
    const a1 = a0 + k;
    const r0 = cOff + i * m;
    const r1 = r0 + m;
    let j = 0;
    for (; j + 1 < m; j += 2) {
      const b0 = bOff + j * k;
      const b1 = b0 + k;
      let c00 = 0;
      let c01 = 0;
      let c10 = 0;
      let c11 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = A[a0 + p]!;
        const x1 = A[a1 + p]!;
        const y0 = Bt[b0 + p]!;
        const y1 = Bt[b1 + p]!;
        c00 += x0 * y0;
        c01 += x0 * y1;
        c10 += x1 * y0;
        c11 += x1 * y1;
      }
      C[r0 + j] = c00;
      C[r0 + j + 1] = c01;
      C[r1 + j] = c10;
      C[r1 + j + 1] = c11;
    }
    if (j < m) {
      const b0 = bOff + j * k;
      let c0 = 0;
      let c1 = 0;
      for (let p = 0; p < k; p++) {
        const y = Bt[b0 + p]!;
        c0 += A[a0 + p]! * y;
        c1 += A[a1 + p]! * y;
      }
      C[r0 + j] = c0;
      C[r1 + j] = c1;
    }
  }
  if (i < n) {
    const a0 = aOff + i * k;
    const r0 = cOff + i * m;
    for (let j = 0; j < m; j++) {
      const b0 = bOff + j * k;
      let c = 0;
      for (let p = 0; p < k; p++) c += A[a0 + p]! * Bt[b0 + p]!;
      C[r0 + j] = c;
    }
  }
}
