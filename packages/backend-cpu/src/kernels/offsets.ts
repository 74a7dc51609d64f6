/**
 * Element offsets of a strided walk over `shape`, row-major, starting at `offset`.
 * Used by the index kernels, which need the offsets themselves rather than a fused loop.
 */
export function stridedOffsets(shape: readonly number[], strides: readonly number[], offset: number): Int32Array | Float64Array {
  let n = 1;
  for (const s of shape) n *= s;
  const out = n < 2 ** 31 ? new Int32Array(n) : new Float64Array(n);
  if (n === 0) return out;
  const nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  let p = offset;
  for (let i = 0; i < n; i++) {
    out[i] = p;
    for (let d = nd - 1; d >= 0; d--) {
      p += strides[d]!;
      if (++idx[d]! < shape[d]!) break;
      p -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}
