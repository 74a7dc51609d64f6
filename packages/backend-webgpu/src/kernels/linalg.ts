import { contiguousStrides, numel, Tensor } from '@kindling/tensor';
import { gpu, registerWebGPUKernel } from '../backend.js';
import { ErrorCode } from '../device-errors.js';
import { float64Refusal, storeNative } from '../wgsl/dtypes.js';
import { copyKernel } from './elementwise.js';
import { runGrid } from './grid.js';

/**
 * det and inverse: one invocation per matrix, LU with partial pivoting (as LAPACK's getrf) in a
 * float32 scratch copy. The inverse of a singular matrix (a zero pivot, as LAPACK's info) records
 * linalg.inv's error in the device error flag, raised at the next read; its values hold inf/NaN.
 */
function scratchCopy(t: Tensor): { lu: Tensor; batchStrides: number[] } {
  const lu = Tensor._empty(t.shape, 'float32', t.device);
  copyKernel([t], [lu]);
  const n = t.shape[t.ndim - 1]!;
  return { lu, batchStrides: contiguousStrides(t.shape.slice(0, -2)).map((s) => s * n * n) };
}

/** LU of the n×n matrix at element `base` of M (row-major): permutation in `perm` (when kept), sign in `sign`. */
const LU = `var sign = 1.0;
  for (var c = 0u; c < n; c++) {
    var p = c; var best = abs(M(base + c * n + c));
    for (var r = c + 1u; r < n; r++) { let v = abs(M(base + r * n + c)); if (v > best) { best = v; p = r; } }
    if (p != c) {
      for (var j = 0u; j < n; j++) { let t = B1[base + c * n + j]; B1[base + c * n + j] = B1[base + p * n + j]; B1[base + p * n + j] = t; }
      sign = -sign;
      SWAP_PERM
    }
    let pivot = M(base + c * n + c);
    if (pivot == 0.0) { continue; }
    for (var r = c + 1u; r < n; r++) {
      let f = M(base + r * n + c) / pivot;
      B1[base + r * n + c] = bitcast<u32>(f);
      if (f == 0.0) { continue; }
      for (var j = c + 1u; j < n; j++) { B1[base + r * n + j] = bitcast<u32>(M(base + r * n + j) - f * M(base + c * n + j)); }
    }
  }`;

const M_FN = 'fn M(k: u32) -> f32 { return bitcast<f32>(B1[k]); }';

registerWebGPUKernel('det', (inputs, outputs) => {
  const t = inputs[0]!;
  const out = outputs[0]!;
  if (t.dtype === 'float64') throw float64Refusal('det');
  const { lu, batchStrides } = scratchCopy(t);
  runGrid({
    key: 'det',
    shape: out.shape,
    outputs: [out, lu],
    inputs: [],
    strides: [out._strides, batchStrides],
    extra: [t.shape[t.ndim - 1]!],
    prelude: M_FN,
    body: (b) => `let n = P[2]; let base = e1;
  ${LU.replace('SWAP_PERM', '')}
  var d = sign;
  for (var k = 0u; k < n; k++) { d = d * M(base + k * n + k); }
  ${storeNative(out.dtype, b.vars[0]!, 'e0', 'd')}`,
  });
});

registerWebGPUKernel('inverse', (inputs, outputs) => {
  const t = inputs[0]!;
  const out = outputs[0]!;
  if (t.dtype === 'float64') throw float64Refusal('inverse');
  const n = t.shape[t.ndim - 1]!;
  const { lu, batchStrides } = scratchCopy(t);
  const perm = Tensor._empty([...t.shape.slice(0, -1)], 'int32', t.device);
  const batch = t.shape.slice(0, -2);
  runGrid({
    key: 'inverse',
    shape: batch,
    outputs: [out, lu, perm],
    inputs: [],
    strides: [out._strides.slice(0, -2), batchStrides, contiguousStrides(batch).map((s) => s * n)],
    extra: [n, out._strides[out.ndim - 2]!, out._strides[out.ndim - 1]!, numel(batch)],
    prelude: M_FN,
    raises: gpu().nextSeq(),
    body: () => `let n = P[2]; let base = e1;
  for (var k = 0u; k < n; k++) { B2[e2 + k] = k; }
  ${LU.replace('SWAP_PERM', 'let tp = B2[e2 + c]; B2[e2 + c] = B2[e2 + p]; B2[e2 + p] = tp;')}
  // LAPACK's info: the first zero on U's diagonal (1-based) makes the matrix singular.
  for (var k = 0u; k < n; k++) {
    if (M(base + k * n + k) == 0.0) { k_raise(${ErrorCode.Singular}u, i, k + 1u, P[5], 0u, 0u, 0u); break; }
  }
  // Solve L U X = P I a column at a time, X's column held in the output.
  for (var col = 0u; col < n; col++) {
    for (var r = 0u; r < n; r++) {
      var x = select(0.0, 1.0, B2[e2 + r] == col);
      for (var j = 0u; j < r; j++) { x = x - M(base + r * n + j) * bitcast<f32>(B0[e0 + j * P[3] + col * P[4]]); }
      B0[e0 + r * P[3] + col * P[4]] = bitcast<u32>(x);
    }
    for (var rr = n; rr > 0u; rr--) {
      let r = rr - 1u;
      var x = bitcast<f32>(B0[e0 + r * P[3] + col * P[4]]);
      for (var j = r + 1u; j < n; j++) { x = x - M(base + r * n + j) * bitcast<f32>(B0[e0 + j * P[3] + col * P[4]]); }
      B0[e0 + r * P[3] + col * P[4]] = bitcast<u32>(x / M(base + r * n + r));
    }
  }`,
  });
});
