import type { Attrs, Tensor } from '@kindling/tensor';
import { registerWebGPUKernel } from '../backend.js';
import { domainOf, float64Refusal, loadNative, storeNative } from '../wgsl/dtypes.js';
import { runGrid } from './grid.js';
import { equalTo, lessThan } from './sort.js';

type Pick = 'median_dim' | 'kthvalue' | 'mode';

/**
 * median / kthvalue / mode along `dim`: one invocation per line, O(n²) in the line's length, picking
 * what the cpu kernel picks from a stable ascending sort (NaN last): the element of stable rank k−1
 * (kthvalue), of rank ⌊(n−1)/2⌋ or the first NaN (median), the most frequent value, the smallest of
 * equally frequent ones, at its last position (mode).
 */
function selectKernel(name: Pick) {
  return (inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: Attrs) => {
    const t0 = inputs[0]!;
    const [values, indices] = outputs as [Tensor, Tensor];
    if (t0.dtype === 'float64') throw float64Refusal(name);
    const t = t0.ndim === 0 ? t0.reshape([1]) : t0;
    const dim = t0.ndim === 0 ? 0 : (attrs['dim'] as number);
    const keepdim = attrs['keepdim'] as boolean;
    const drop = (s: readonly number[]) => s.filter((_, d) => d !== dim);
    const outStrides = (o: Tensor) => (t0.ndim === 0 ? [0] : keepdim ? drop(o._strides) : [...o._strides]);
    const dom = domainOf(t.dtype, name);
    const rank = name === 'kthvalue' ? (attrs['k'] as number) - 1 : (t.shape[dim]! - 1) >> 1;
    const isNan = (x: string) => (dom === 'f' ? `k_isnan(${x})` : 'false');
    runGrid({
      key: `${name}|${t.dtype}`,
      shape: t0.ndim === 0 ? [1] : drop(t.shape),
      outputs: [values, indices],
      inputs: [t],
      strides: [outStrides(values), outStrides(indices), t0.ndim === 0 ? [0] : drop(t._strides)],
      extra: [t.shape[dim]!, t._strides[dim]!, rank],
      body: (b) => {
        const at = (q: string) => loadNative(t.dtype, b.vars[2]!, `e2 + ${q} * P[3]`);
        const rankOf = `var r = 0u;
      for (var q = 0u; q < n; q++) { let x = ${at('q')}; if (${lessThan(dom, 'x', 'v')} || (q < j && ${equalTo(dom, 'x', 'v')})) { r++; } }`;
        let search: string;
        if (name === 'mode') {
          search = `var found = 0u; var bestFreq = 0u; var best = ${at('0u')};
  for (var j = 0u; j < n; j++) {
    let v = ${at('j')};
    var freq = 0u;
    for (var q = 0u; q < n; q++) { let x = ${at('q')}; if (${equalTo(dom, 'x', 'v')} && !${isNan('x')}) { freq++; } }
    if (${isNan('v')}) { freq = 1u; }
    let better = freq > bestFreq || (freq == bestFreq && (${lessThan(dom, 'v', 'best')} || (${equalTo(dom, 'v', 'best')} && !${isNan('v')} && j > found)));
    if (better) { bestFreq = freq; best = v; found = j; }
  }`;
        } else {
          const firstNan = name === 'median_dim' && dom === 'f'
            ? `for (var j = 0u; j < n; j++) { if (k_isnan(${at('j')})) { found = j; done = true; break; } }`
            : '';
          search = `var found = 0u; var done = false;
  ${firstNan}
  if (!done) {
    for (var j = 0u; j < n; j++) {
      let v = ${at('j')};
      ${rankOf}
      if (r == P[4]) { found = j; break; }
    }
  }`;
        }
        return `let n = P[2];
  ${search}
  ${storeNative(t.dtype, b.vars[0]!, 'e0', at('found'))}
  ${storeNative('int64', b.vars[1]!, 'e1', 'vec2<u32>(found, 0u)')}`;
      },
    });
  };
}

for (const name of ['median_dim', 'kthvalue', 'mode'] as const) registerWebGPUKernel(name, selectKernel(name));
