import type { Attrs, Tensor } from '@kindling/tensor';
import { registerWebGPUKernel } from '../backend.js';
import { domainOf, float64Refusal, loadNative, storeNative } from '../wgsl/dtypes.js';
import { copyKernel } from './elementwise.js';
import { runGrid } from './grid.js';

/** Whether `a` sorts before `b` by value alone, ascending, NaN last (as PyTorch). */
export function lessThan(dom: 'f' | 'i' | 'l', a: string, b: string): string {
  if (dom === 'f') return `(!k_isnan(${a}) && (k_isnan(${b}) || ${a} < ${b}))`;
  if (dom === 'l') return `k_i64_lt(${a}, ${b})`;
  return `(${a} < ${b})`;
}
export function equalTo(dom: 'f' | 'i' | 'l', a: string, b: string): string {
  if (dom === 'f') return `((k_isnan(${a}) && k_isnan(${b})) || ${a} == ${b})`;
  if (dom === 'l') return `k_i64_eq(${a}, ${b})`;
  return `(${a} == ${b})`;
}

/**
 * sort along `dim`, stable: one invocation per element counts the elements of its line that sort
 * before it (smaller, or equal and earlier), which is its place in the result. O(n²) per line of n,
 * with no workgroup memory limits on n; exact, and the same order as cpu for ties and NaNs.
 */
registerWebGPUKernel('sort', (inputs, outputs, attrs: Attrs) => {
  const t = inputs[0]!;
  const [values, indices] = outputs as [Tensor, Tensor];
  if (t.numel() === 0) return;
  if (t.ndim === 0) {
    copyKernel([t], [values]);
    indices.fill_(0);
    return;
  }
  if (t.dtype === 'float64') throw float64Refusal('sort');
  const dim = attrs['dim'] as number;
  const descending = Boolean(attrs['descending']);
  const dom = domainOf(t.dtype, 'sort');
  // The grid walks each line along `dim` last, so the position in the line is i % n.
  const order = [...t.shape.keys()].filter((d) => d !== dim).concat(dim);
  const along = (x: Tensor) => order.map((d) => x._strides[d]!);
  runGrid({
    key: `sort|${t.dtype}|${descending}`,
    shape: order.map((d) => t.shape[d]!),
    outputs: [values, indices],
    inputs: [t],
    strides: [along(values), along(indices), along(t)],
    extra: [t.shape[dim]!, t._strides[dim]!, values._strides[dim]!, indices._strides[dim]!],
    body: (b) => {
      const load = (e: string) => loadNative(t.dtype, b.vars[2]!, e);
      const before = descending ? lessThan(dom, 'v', 'x') : lessThan(dom, 'x', 'v');
      return `let n = P[2]; let j = i % n;
  let base = e2 - j * P[3];
  let v = ${load('e2')};
  var rank = 0u;
  for (var q = 0u; q < n; q++) {
    let x = ${load('base + q * P[3]')};
    if (${before} || (q < j && ${equalTo(dom, 'x', 'v')})) { rank++; }
  }
  let ev = e0 - j * P[4] + rank * P[4];
  let ei = e1 - j * P[5] + rank * P[5];
  ${storeNative(t.dtype, b.vars[0]!, 'ev', 'v')}
  ${storeNative('int64', b.vars[1]!, 'ei', 'vec2<u32>(j, 0u)')}`;
    },
  });
});
