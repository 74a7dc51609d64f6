import type { DType, Tensor } from '@kindling/tensor';
import { gpu, registerWebGPUKernel } from '../backend.js';
import { convert, domainOf, float64Refusal, loadNative, storeNative, WGSL_TYPE } from '../wgsl/dtypes.js';
import { withHelpers } from '../wgsl/helpers.js';
import { bindTensors, PARAMS_DECL } from './bindings.js';

const TILE = 16;
const MAX_Z = 65535;
const codeCache = new Map<string, string>();

/**
 * Floats: each invocation computes a 4×4 block of outputs straight from memory (a workgroup of 8×8
 * covers 32×32), accumulating in f32 registers: no workgroup barriers, which a CPU-emulated device
 * (lavapipe) pays dearly for, and 16 multiply-adds per 8 loads.
 */
function floatCode(dtype: DType, outDtype: DType, b: ReturnType<typeof bindTensors>): string {
  const load = (v: number, e: string) => convert(loadNative(dtype, b.vars[v]!, e), dtype, 'float32', 'bmm');
  const stores: string[] = [];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      stores.push(`if (r0 + ${i}u < n && c0 + ${j}u < m) { let e = P[11] + bt * P[12] + (r0 + ${i}u) * P[13] + (c0 + ${j}u) * P[14]; ${storeNative(outDtype, b.vars[0]!, 'e', convert(`acc${i}[${j}]`, 'float32', outDtype, 'bmm'))} }`);
    }
  }
  const rows = [0, 1, 2, 3].map((i) => `let ra${i} = P[3] + bt * P[4] + min(r0 + ${i}u, n - 1u) * P[5];`).join(' ');
  const cols = [0, 1, 2, 3].map((j) => `let cb${j} = P[7] + bt * P[8] + min(c0 + ${j}u, m - 1u) * P[10];`).join(' ');
  return withHelpers(`${PARAMS_DECL}
${b.decls}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n = P[0]; let k = P[1]; let m = P[2];
  let r0 = wid.y * 32u + (lid / 8u) * 4u; let c0 = wid.x * 32u + (lid % 8u) * 4u; let bt = wid.z + P[15];
  ${rows}
  ${cols}
  var acc0 = vec4<f32>(0.0); var acc1 = vec4<f32>(0.0); var acc2 = vec4<f32>(0.0); var acc3 = vec4<f32>(0.0);
  for (var p = 0u; p < k; p++) {
    let bv = vec4<f32>(${[0, 1, 2, 3].map((j) => load(2, `cb${j} + p * P[9]`)).join(', ')});
    acc0 += ${load(1, 'ra0 + p * P[6]')} * bv;
    acc1 += ${load(1, 'ra1 + p * P[6]')} * bv;
    acc2 += ${load(1, 'ra2 + p * P[6]')} * bv;
    acc3 += ${load(1, 'ra3 + p * P[6]')} * bv;
  }
  ${stores.join('\n  ')}
}`);
}

/**
 * bmm: (b, n, k) @ (b, k, m) with strided operands. Integers: each 16×16 workgroup computes one output tile,
 * staging 16×16 tiles of both operands in workgroup memory. Floats accumulate in f32 (float16 and
 * bfloat16 round once when stored), integers in their own width (wrapping, as PyTorch's CPU kernel).
 * P = [n, k, m, (offset, batch, row, col strides) of a, b and out, first batch].
 */
registerWebGPUKernel('bmm', (inputs, outputs) => {
  const [a, bm] = inputs as [Tensor, Tensor];
  const out = outputs[0]!;
  if (a.dtype === 'float64') throw float64Refusal('bmm');
  const [batch, n, k] = a.shape as [number, number, number];
  const m = bm.shape[2]!;
  if (batch * n * m === 0) return;
  const b = bindTensors([out], [a, bm]);
  const dom = domainOf(a.dtype, 'bmm');
  const compute = dom === 'f' ? 'float32' : dom === 'l' ? 'int64' : 'int32';
  const type = WGSL_TYPE[dom];
  const zero = dom === 'f' ? '0.0' : dom === 'l' ? 'vec2<u32>(0u, 0u)' : '0';
  const floating = dom === 'f';
  const key = `bmm|${a.dtype}|${out.dtype}|${b.key}`;
  let code = codeCache.get(key);
  if (code === undefined && floating) {
    code = floatCode(a.dtype, out.dtype, b);
    codeCache.set(key, code);
  } else if (code === undefined) {
    const load = (v: number, e: string) => convert(loadNative(a.dtype, b.vars[v]!, e), a.dtype, compute, 'bmm');
    const fma = dom === 'f' ? 'acc = acc + tA[lid.y][q] * tB[q][lid.x];' : dom === 'l' ? 'acc = k_i64_add(acc, k_i64_mul(tA[lid.y][q], tB[q][lid.x]));' : 'acc = acc + tA[lid.y][q] * tB[q][lid.x];';
    code = withHelpers(`${PARAMS_DECL}
${b.decls}
var<workgroup> tA: array<array<${type}, ${TILE}>, ${TILE}>;
var<workgroup> tB: array<array<${type}, ${TILE}>, ${TILE}>;
@compute @workgroup_size(${TILE}, ${TILE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let n = P[0]; let k = P[1]; let m = P[2];
  let row = wid.y * ${TILE}u + lid.y; let col = wid.x * ${TILE}u + lid.x; let bt = wid.z + P[15];
  var acc: ${type} = ${zero};
  for (var t0 = 0u; t0 < k; t0 += ${TILE}u) {
    let ac = t0 + lid.x;
    if (row < n && ac < k) { let e = P[3] + bt * P[4] + row * P[5] + ac * P[6]; tA[lid.y][lid.x] = ${load(1, 'e')}; } else { tA[lid.y][lid.x] = ${zero}; }
    let br = t0 + lid.y;
    if (br < k && col < m) { let e = P[7] + bt * P[8] + br * P[9] + col * P[10]; tB[lid.y][lid.x] = ${load(2, 'e')}; } else { tB[lid.y][lid.x] = ${zero}; }
    workgroupBarrier();
    for (var q = 0u; q < ${TILE}u; q++) { ${fma} }
    workgroupBarrier();
  }
  if (row < n && col < m) {
    let e = P[11] + bt * P[12] + row * P[13] + col * P[14];
    ${storeNative(out.dtype, b.vars[0]!, 'e', convert('acc', compute, out.dtype, 'bmm'))}
  }
}`);
    codeCache.set(key, code);
  }
  const layout = (t: Tensor) => [t._offset, ...t._strides];
  for (let first = 0; first < batch; first += MAX_Z) {
    const params = [n, k, m, ...layout(a), ...layout(bm), ...layout(out), first];
    const block = floating ? 32 : TILE;
    gpu().dispatchGroups(code, params, b.buffers, [Math.ceil(m / block), Math.ceil(n / block), Math.min(MAX_Z, batch - first)]);
  }
});
