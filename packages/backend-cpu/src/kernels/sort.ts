import { type Attrs, type Tensor, empty, fromArray } from '@kindling/tensor';
import { storageArray } from '../layout.js';
import { registerCpuKernel } from '../backend.js';

type Value = number | bigint;

/** Ascending order with NaN greatest, as PyTorch sorts. */
function ascending(a: Value, b: Value): number {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `t` with `dim` moved last and made contiguous, so each line along `dim` is a run of memory. */
function linesAlong(t: Tensor, dim: number): { lines: Tensor; perm: number[] } {
  const perm = [...t.shape.keys()].filter((i) => i !== dim);
  perm.push(dim);
  // A fresh copy, so lines start at offset 0 of their own storage.
  return { lines: t.permute(perm).clone(), perm };
}

/** Values of a contiguous tensor as numbers (bigint for int64); 16-bit floats decoded. */
function valuesOf(t: Tensor): ArrayLike<Value> {
  if (t.dtype === 'float16' || t.dtype === 'bfloat16') return t.float().dataSync() as Float32Array;
  return (storageArray(t) as ArrayLike<Value>);
}

registerCpuKernel('sort', (inputs, outputs, attrs: Attrs) => {
  const t = inputs[0]!;
  const [values, indices] = outputs as [Tensor, Tensor];
  if (t.numel() === 0) return;
  if (t.ndim === 0) {
    values.copy_(t);
    indices.fill_(0);
    return;
  }
  const dim = attrs['dim'] as number;
  const descending = attrs['descending'] as boolean;
  const { lines, perm } = linesAlong(t, dim);
  const n = t.shape[dim]!;
  const vals = valuesOf(lines);
  const raw = storageArray(lines) as unknown as ArrayLike<Value>;
  const sortedRaw = lines.clone();
  const outRaw = storageArray(sortedRaw) as unknown as { [i: number]: Value };
  const idx = new BigInt64Array(lines.numel());
  const order: number[] = new Array(n);
  for (let start = 0; start < lines.numel(); start += n) {
    for (let i = 0; i < n; i++) order[i] = i;
    // Array.prototype.sort is stable, so equal values keep their order.
    order.sort(descending ? (x, y) => ascending(vals[start + y]!, vals[start + x]!) : (x, y) => ascending(vals[start + x]!, vals[start + y]!));
    for (let i = 0; i < n; i++) {
      outRaw[start + i] = raw[start + order[i]!]!;
      idx[start + i] = BigInt(order[i]!);
    }
  }
  values.permute(perm).copy_(sortedRaw);
  indices.permute(perm).copy_(fromArray(idx, lines.shape));
});

/** median / kthvalue / mode: one (value, index) per line along `dim`. */
function selectKernel(pick: (order: number[], values: ArrayLike<Value>, start: number, attrs: Attrs) => number) {
  return (inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: Attrs) => {
    const t = inputs[0]!;
    const [values, indices] = outputs as [Tensor, Tensor];
    const dim = attrs['dim'] as number;
    const keepdim = attrs['keepdim'] as boolean;
    const src = t.ndim === 0 ? t.reshape([1]) : t;
    const d = t.ndim === 0 ? 0 : dim;
    const { lines } = linesAlong(src, d);
    const n = src.shape[d]!;
    const vals = valuesOf(lines);
    const raw = storageArray(lines) as unknown as ArrayLike<Value>;
    const m = lines.numel() / n;
    const pickedRaw = empty([m], { dtype: lines.dtype, device: lines.device });
    const outRaw = storageArray(pickedRaw) as unknown as { [i: number]: Value };
    const idx = new BigInt64Array(m);
    const order: number[] = new Array(n);
    for (let r = 0; r < m; r++) {
      const start = r * n;
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((x, y) => ascending(vals[start + x]!, vals[start + y]!));
      const k = pick(order, vals, start, attrs);
      outRaw[r] = raw[start + k]!;
      idx[r] = BigInt(k);
    }
    const vView = keepdim && t.ndim > 0 ? values.squeeze(dim) : values;
    const iView = keepdim && t.ndim > 0 ? indices.squeeze(dim) : indices;
    vView.copy_(pickedRaw.reshape(vView.shape));
    iView.copy_(fromArray(idx, iView.shape));
  };
}

registerCpuKernel('median_dim', selectKernel((order, values, start) => {
  // A NaN anywhere makes the median NaN; PyTorch reports the first NaN's position.
  for (let i = 0; i < order.length; i++) if (values[start + i] !== values[start + i]) return i;
  return order[(order.length - 1) >> 1]!;
}));
registerCpuKernel('kthvalue', selectKernel((order, _values, _start, attrs) => order[(attrs['k'] as number) - 1]!));
registerCpuKernel('mode', selectKernel((order, values, start) => {
  // The most frequent value (the smallest among equally frequent ones), at its last position.
  let best = order[0]!;
  let bestFreq = 0;
  let run = 0;
  for (let i = 0; i < order.length; i++) {
    run++;
    const cur = values[start + order[i]!];
    const last = i + 1 === order.length;
    if (last || cur !== values[start + order[i + 1]!]) {
      if (run > bestFreq) {
        bestFreq = run;
        best = order[i]!;
      }
      run = 0;
    }
  }
  return best;
}));
