import { isFloatingPoint } from '@kindling/tensor';
import { registerWebGPUKernel } from '../backend.js';
import { convert, float64Refusal, loadNative, storeNative } from '../wgsl/dtypes.js';
import { copyKernel } from './elementwise.js';
import { runGrid } from './grid.js';

/**
 * cumsum/cumprod: one invocation per line along `dim`, scanning it in order. Floats accumulate in
 * f32, integers in int64 (the result dtype PyTorch gives them).
 */
for (const kind of ['cumsum', 'cumprod'] as const) {
  registerWebGPUKernel(kind, (inputs, outputs, attrs) => {
    const t = inputs[0]!;
    const out = outputs[0]!;
    if (t.dtype === 'float64' || out.dtype === 'float64') throw float64Refusal(kind);
    if (t.ndim === 0) {
      copyKernel([t], [out]);
      return;
    }
    const dim = attrs['dim'] as number;
    const acc = isFloatingPoint(t.dtype) ? 'float32' : 'int64';
    const floating = acc === 'float32';
    const init = kind === 'cumsum' ? (floating ? '0.0' : 'vec2<u32>(0u, 0u)') : floating ? '1.0' : 'vec2<u32>(1u, 0u)';
    const step = kind === 'cumsum' ? (floating ? 'total + a' : 'k_i64_add(total, a)') : floating ? 'total * a' : 'k_i64_mul(total, a)';
    const drop = (s: readonly number[]) => s.filter((_, d) => d !== dim);
    runGrid({
      key: `${kind}|${t.dtype}|${out.dtype}`,
      shape: drop(t.shape),
      outputs: [out],
      inputs: [t],
      strides: [drop(out._strides), drop(t._strides)],
      extra: [t.shape[dim]!, out._strides[dim]!, t._strides[dim]!],
      body: (b) => `var total = ${init};
  for (var j = 0u; j < P[2]; j++) {
    let a = ${convert(loadNative(t.dtype, b.vars[1]!, 'e1'), t.dtype, acc, kind)};
    total = ${step};
    ${storeNative(out.dtype, b.vars[0]!, 'e0', convert('total', acc, out.dtype, kind))}
    e0 += P[3]; e1 += P[4];
  }`,
    });
  });
}
