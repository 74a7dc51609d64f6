import { type Attrs, type Tensor, numel } from '@kindling/tensor';
import { gpu, registerWebGPUKernel } from '../backend.js';
import { convert, float64Refusal, loadNative, storeNative } from '../wgsl/dtypes.js';
import { withHelpers } from '../wgsl/helpers.js';
import { bindTensors, PARAMS_DECL } from './bindings.js';
import { coalesce, stridedOffsets, stridedParams } from './layout.js';

const GROUP = 64;
const codeCache = new Map<string, string>();

/**
 * softmax / log_softmax along one dim, fused: one workgroup per line finds the line's maximum and
 * the sum of exp(x − max) in workgroup memory, then writes every element (f32, rounded when stored).
 * P = [lines, nd, n, in stride along dim, outer shape, (out offset, strides), (in offset, strides), out stride along dim].
 */
function softmaxKernel(name: 'softmax' | 'log_softmax') {
  return (inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: Attrs) => {
    const t0 = inputs[0]!;
    const out0 = outputs[0]!;
    if (t0.dtype === 'float64') throw float64Refusal(name);
    const t = t0.ndim === 0 ? t0.reshape([1]) : t0;
    const out = out0.ndim === 0 ? out0.reshape([1]) : out0;
    const dim = t0.ndim === 0 ? 0 : (attrs['dim'] as number);
    const drop = (s: readonly number[]) => s.filter((_, d) => d !== dim);
    const lines = numel(drop(t.shape));
    const n = t.shape[dim]!;
    if (lines === 0 || n === 0) return;
    const outer = coalesce(drop(t.shape), [drop(out._strides), drop(t._strides)]);
    const nd = outer.shape.length;
    const b = bindTensors([out], [t]);
    const key = `${name}|${t.dtype}|${out.dtype}|${b.key}`;
    let code = codeCache.get(key);
    if (code === undefined) {
      const x = (e: string) => convert(loadNative(t.dtype, b.vars[1]!, e), t.dtype, 'float32', name);
      const result = name === 'softmax' ? 'k_exp(v - m) / s' : 'v - m - log(s)';
      code = withHelpers(`${PARAMS_DECL}
${b.decls}
var<workgroup> partial: array<f32, ${GROUP}>;
@compute @workgroup_size(${GROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.y * nwg.x + wid.x;
  let nd = P[1]; let n = P[2]; let sIn = P[3];
  let sOut = P[4u + nd + 2u * (nd + 1u)];
  ${stridedOffsets(2, 'nd', '4u', '4u + nd', 'min(o, P[0] - 1u)')}
  var m = -k_inf();
  for (var j = lid; j < n; j += ${GROUP}u) { let v = ${x('e1 + j * sIn')}; m = select(m, v, v > m || k_isnan(v)); }
  partial[lid] = m;
  workgroupBarrier();
  for (var s = ${GROUP / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { let v = partial[lid + s]; partial[lid] = select(partial[lid], v, v > partial[lid] || k_isnan(v)); }
    workgroupBarrier();
  }
  m = partial[0];
  workgroupBarrier();
  var total = 0.0;
  for (var j = lid; j < n; j += ${GROUP}u) { total += k_exp(${x('e1 + j * sIn')} - m); }
  partial[lid] = total;
  workgroupBarrier();
  for (var s = ${GROUP / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { partial[lid] = partial[lid] + partial[lid + s]; }
    workgroupBarrier();
  }
  let s = partial[0];
  if (o < P[0]) {
    for (var j = lid; j < n; j += ${GROUP}u) {
      let v = ${x('e1 + j * sIn')};
      ${storeNative(out.dtype, b.vars[0]!, 'e0 + j * sOut', convert(result, 'float32', out.dtype, name))}
    }
  }
}`);
      codeCache.set(key, code);
    }
    const params = [
      lines, nd, n, t._strides[dim]!,
      ...stridedParams(outer.shape, [{ offset: out._offset, strides: outer.strides[0]! }, { offset: t._offset, strides: outer.strides[1]! }]),
      out._strides[dim]!,
    ];
    gpu().dispatch(code, params, b.buffers, lines * GROUP, GROUP);
  };
}

registerWebGPUKernel('softmax', softmaxKernel('softmax'));
registerWebGPUKernel('log_softmax', softmaxKernel('log_softmax'));
