import { type Attrs, type DType, type Tensor, isFloatingPoint, numel } from '@kindling/tensor';
import { gpu, registerWebGPUKernel } from '../backend.js';
import { convert, domainOf, float64Refusal, loadNative, storeNative, truthy, WGSL_TYPE } from '../wgsl/dtypes.js';
import { withHelpers } from '../wgsl/helpers.js';
import { bindTensors, PARAMS_DECL } from './bindings.js';
import { runGrid } from './grid.js';
import { coalesce, stridedOffsets, stridedParams } from './layout.js';

type Kind = 'sum' | 'prod' | 'amax' | 'amin' | 'all' | 'any';
const GROUP = 64;

/** What a reduction accumulates in, its identity and how two partial results combine. */
function accumulator(kind: Kind, input: DType): { dtype: DType; init: string; combine: (x: string, y: string) => string } {
  const floating = isFloatingPoint(input);
  if (kind === 'all' || kind === 'any') {
    return { dtype: 'int32', init: kind === 'all' ? '1' : '0', combine: (x, y) => (kind === 'all' ? `(${x} & ${y})` : `(${x} | ${y})`) };
  }
  if (kind === 'sum' || kind === 'prod') {
    // Integers sum into int64, as PyTorch; floats in f32 (float16/bfloat16 too, rounded once at the end).
    const dtype: DType = floating ? 'float32' : 'int64';
    const op = kind === 'sum' ? (floating ? (x: string, y: string) => `(${x} + ${y})` : (x: string, y: string) => `k_i64_add(${x}, ${y})`)
      : floating ? (x: string, y: string) => `(${x} * ${y})` : (x: string, y: string) => `k_i64_mul(${x}, ${y})`;
    const init = kind === 'sum' ? (floating ? '0.0' : 'vec2<u32>(0u, 0u)') : floating ? '1.0' : 'vec2<u32>(1u, 0u)';
    return { dtype, init, combine: op };
  }
  const max = kind === 'amax';
  const dom = domainOf(input, kind);
  const dtype: DType = dom === 'f' ? 'float32' : dom === 'l' ? 'int64' : 'int32';
  if (dom === 'f') {
    // A NaN, once met, stays: nothing compares past it.
    return { dtype, init: max ? '-k_inf()' : 'k_inf()', combine: (x, y) => `select(${x}, ${y}, ${y} ${max ? '>' : '<'} ${x} || k_isnan(${y}))` };
  }
  if (dom === 'l') {
    return { dtype, init: max ? 'vec2<u32>(0u, 0x80000000u)' : 'vec2<u32>(0xffffffffu, 0x7fffffffu)', combine: (x, y) => `k_i64_${max ? 'max' : 'min'}(${x}, ${y})` };
  }
  return { dtype, init: max ? 'i32(-2147483647 - 1)' : '2147483647', combine: (x, y) => `${max ? 'max' : 'min'}(${x}, ${y})` };
}

const codeCache = new Map<string, string>();

/**
 * One workgroup per output element: its 64 invocations stride over the reduced elements, then combine
 * their partial results in workgroup memory. P = [nOut, ndOuter, ndInner, nInner, outer shape,
 * (out offset, out strides), (in offset, in kept strides), inner shape, inner strides].
 */
function reduceKernel(kind: Kind) {
  return (inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: Attrs) => {
    const t = inputs[0]!;
    const out = outputs[0]!;
    if (t.dtype === 'float64' || out.dtype === 'float64') throw float64Refusal(kind);
    const dims = attrs['dims'] as number[];
    const keepdim = attrs['keepdim'] as boolean;
    const keptShape: number[] = [];
    const keptIn: number[] = [];
    const innerShape: number[] = [];
    const innerStrides: number[] = [];
    t.shape.forEach((s, d) => {
      if (dims.includes(d)) {
        innerShape.push(s);
        innerStrides.push(t._strides[d]!);
      } else {
        keptShape.push(s);
        keptIn.push(t._strides[d]!);
      }
    });
    const outStrides = keepdim ? out._strides.filter((_, d) => !dims.includes(d)) : [...out._strides];
    const nOut = numel(keptShape);
    if (nOut === 0) return;
    const outer = coalesce(keptShape, [outStrides, keptIn]);
    const inner = coalesce(innerShape, [innerStrides]);
    const nInner = numel(innerShape);
    const b = bindTensors([out], [t]);
    const acc = accumulator(kind, t.dtype);
    const type = WGSL_TYPE[domainOf(acc.dtype, kind)];
    const key = `${kind}|${t.dtype}|${out.dtype}|${b.key}`;
    let code = codeCache.get(key);
    if (code === undefined) {
      const raw = loadNative(t.dtype, b.vars[1]!, 'e');
      const value = kind === 'all' || kind === 'any' ? `select(0, 1, ${truthy(raw, t.dtype, kind)})` : convert(raw, t.dtype, acc.dtype, kind);
      const result = kind === 'all' || kind === 'any' ? convert('total', 'bool', out.dtype, kind) : convert('total', acc.dtype, out.dtype, kind);
      code = withHelpers(`${PARAMS_DECL}
${b.decls}
var<workgroup> partial: array<${type}, ${GROUP}>;
@compute @workgroup_size(${GROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.y * nwg.x + wid.x;
  let nd = P[1];
  let ndi = P[2];
  let nInner = P[3];
  let innerAt = 4u + nd + 2u * (nd + 1u);
  ${stridedOffsets(2, 'nd', '4u', '4u + nd', 'min(o, P[0] - 1u)')}
  var acc: ${type} = ${acc.init};
  for (var j = lid; j < nInner; j += ${GROUP}u) {
    var e = e1;
    var rest2 = j;
    for (var d = ndi; d > 0u; d--) {
      let size = P[innerAt + d - 1u]; let c = rest2 % size; rest2 = rest2 / size;
      e += c * P[innerAt + ndi + d - 1u];
    }
    let a = ${value};
    acc = ${acc.combine('acc', 'a')};
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = ${GROUP / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { partial[lid] = ${acc.combine('partial[lid]', 'partial[lid + s]')}; }
    workgroupBarrier();
  }
  if (lid == 0u && o < P[0]) {
    let total = partial[0];
    ${storeNative(out.dtype, b.vars[0]!, 'e0', result)}
  }
}`);
      codeCache.set(key, code);
    }
    const innerList = nInner === 0 ? { shape: [0], strides: [[0]] } : inner;
    const params = [
      nOut, outer.shape.length, innerList.shape.length, nInner,
      ...stridedParams(outer.shape, [{ offset: out._offset, strides: outer.strides[0]! }, { offset: t._offset, strides: outer.strides[1]! }]),
      ...innerList.shape, ...innerList.strides[0]!,
    ];
    gpu().dispatch(code, params, b.buffers, nOut * GROUP, GROUP);
  };
}

for (const kind of ['sum', 'prod', 'amax', 'amin', 'all', 'any'] as const) registerWebGPUKernel(kind, reduceKernel(kind));

/** max/min along one dim with the index of the first extreme; a NaN wins at its first position. */
for (const [name, cmp] of [['max_dim', '>'], ['min_dim', '<']] as const) {
  registerWebGPUKernel(name, (inputs, outputs, attrs) => {
    const t = inputs[0]!;
    const [values, indices] = outputs as [Tensor, Tensor];
    if (t.dtype === 'float64') throw float64Refusal(name);
    const dim = t.ndim === 0 ? 0 : (attrs['dim'] as number);
    const keepdim = attrs['keepdim'] as boolean;
    const drop = (s: readonly number[]) => (t.ndim === 0 ? [...s] : s.filter((_, d) => d !== dim));
    const shape = drop(t.shape);
    const outStrides = (o: Tensor) => (keepdim || t.ndim === 0 ? drop(o._strides) : [...o._strides]);
    const dimSize = t.ndim === 0 ? 1 : t.shape[dim]!;
    const dimStride = t.ndim === 0 ? 0 : t._strides[dim]!;
    const dom = domainOf(t.dtype, name);
    const better = dom === 'f' ? `!k_isnan(best) && (k_isnan(a) || a ${cmp} best)` : dom === 'l' ? (cmp === '>' ? 'k_i64_lt(best, a)' : 'k_i64_lt(a, best)') : `a ${cmp} best`;
    runGrid({
      key: `${name}|${t.dtype}`,
      shape,
      outputs: [values, indices],
      inputs: [t],
      strides: [outStrides(values), outStrides(indices), drop(t._strides)],
      extra: [dimSize, dimStride],
      body: (b) => {
        const load = (e: string) => loadNative(t.dtype, b.vars[2]!, e);
        return `var e = e2;
  var best = ${load('e')};
  var k = 0u;
  for (var j = 1u; j < P[2]; j++) {
    e += P[3];
    let a = ${load('e')};
    if (${better}) { best = a; k = j; }
  }
  ${storeNative(t.dtype, b.vars[0]!, 'e0', 'best')}
  ${storeNative('int64', b.vars[1]!, 'e1', 'vec2<u32>(k, 0u)')}`;
      },
    });
  });
}
