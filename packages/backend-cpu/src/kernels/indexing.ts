import { type Attrs, type Scalar, type Tensor, IndexError, indexOutOfRangeMessage, encodeElements, broadcastShapes, fromArray, float16BitsToNumber, numberToFloat16Bits, bfloat16BitsToNumber, numberToBfloat16Bits } from '@kindling/tensor';
import { storageArray } from '../layout.js';
import { registerCpuKernel } from '../backend.js';
import { stridedOffsets } from './offsets.js';

type Raw = { [i: number]: number | bigint };

/** How duplicates combine when accumulating: in the dtype's own arithmetic. */
function combiner(dtype: string, reduce: 'add' | 'multiply'): (a: number | bigint, b: number | bigint) => number | bigint {
  const mul = reduce === 'multiply';
  if (dtype === 'int64') return mul ? (a, b) => BigInt.asIntN(64, (a as bigint) * (b as bigint)) : (a, b) => BigInt.asIntN(64, (a as bigint) + (b as bigint));
  if (dtype === 'bool') return mul ? (a, b) => ((a as number) && (b as number) ? 1 : 0) : (a, b) => ((a as number) || (b as number) ? 1 : 0);
  if (dtype === 'float16') return (a, b) => numberToFloat16Bits(mul ? float16BitsToNumber(a as number) * float16BitsToNumber(b as number) : float16BitsToNumber(a as number) + float16BitsToNumber(b as number));
  if (dtype === 'bfloat16') return (a, b) => numberToBfloat16Bits(mul ? bfloat16BitsToNumber(a as number) * bfloat16BitsToNumber(b as number) : bfloat16BitsToNumber(a as number) + bfloat16BitsToNumber(b as number));
  if (dtype === 'int32') return mul ? (a, b) => Math.imul(a as number, b as number) : (a, b) => (a as number) + (b as number);
  return mul ? (a, b) => (a as number) * (b as number) : (a, b) => (a as number) + (b as number);
}

/**
 * How an op treats indices out of range, with PyTorch's message for each (the ops' `bounds` attribute;
 * see IndexBounds in @kindling/tensor): subscripts, index_fill and take count negatives from the end,
 * gather/scatter, index_select/index_add and index_copy do not. An index out of range is always an error:
 * kernels never read or write outside the tensor.
 */
type Bounds = 'subscript' | 'dim' | 'select' | 'copy' | 'take' | 'gather';

/** Index values as numbers, checked against `size` (and wrapped where the op allows negatives). */
function readIndex(arr: BigInt64Array, at: number, size: number, dim: number, bounds: Bounds, ordinal = 0): number {
  const raw = arr[at]!;
  let i = Number(raw);
  const wraps = bounds === 'subscript' || bounds === 'dim' || bounds === 'take';
  if (i >= size || i < (wraps ? -size : 0)) throw new IndexError(indexOutOfRangeMessage(bounds, raw, dim, size, ordinal));
  if (i < 0) i += size;
  return i;
}

/**
 * For advanced indexing: the source offset contributed by the index tensors at each position of their
 * broadcast shape, and the layout (permutation) that puts the broadcast dims first in the result.
 */
function advancedPlan(src: Tensor, indices: readonly Tensor[], dims: readonly number[], bounds: Bounds) {
  const bshape = broadcastShapes(...indices.map((i) => i.shape));
  const nb = bshape.reduce((a, b) => a * b, 1);
  const contrib = new Float64Array(nb);
  indices.forEach((idx, k) => {
    const e = idx.expand(bshape);
    const offs = stridedOffsets(e.shape, e._strides, e._offset);
    const arr = storageArray(idx) as BigInt64Array;
    const d = dims[k]!;
    const size = src.shape[d]!;
    for (let b = 0; b < nb; b++) contrib[b] += readIndex(arr, offs[b]!, size, d, bounds, k) * src._strides[d]!;
  });
  const restDims = src.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const restShape = restDims.map((d) => src.shape[d]!);
  const restSrc = stridedOffsets(restShape, restDims.map((d) => src._strides[d]!), 0);
  const adjacent = dims.every((d, i) => i === 0 || d === dims[i - 1]! + 1);
  // Result dims are [pre, B, post] when adjacent, else [B, rest]; this permutation lists B first.
  const nbd = bshape.length;
  const pre = adjacent ? dims[0]! : 0;
  const ndOut = nbd + restDims.length;
  const perm = adjacent
    ? [...Array.from({ length: nbd }, (_, i) => pre + i), ...Array.from({ length: pre }, (_, i) => i), ...Array.from({ length: ndOut - pre - nbd }, (_, i) => pre + nbd + i)]
    : Array.from({ length: ndOut }, (_, i) => i);
  return { bshape, nb, contrib, restShape, restSrc, perm };
}

/** Offsets of `t` (shaped like the indexing result) in the B-first order of `perm`. */
function resultOffsets(t: Tensor, perm: readonly number[]): Int32Array | Float64Array {
  return stridedOffsets(perm.map((p) => t.shape[p]!), perm.map((p) => t._strides[p]!), t._offset);
}

registerCpuKernel('index', (inputs, outputs, attrs: Attrs) => {
  const [src, ...indices] = inputs as [Tensor, ...Tensor[]];
  const out = outputs[0]!;
  const plan = advancedPlan(src, indices, attrs['dims'] as number[], (attrs['bounds'] as Bounds | undefined) ?? 'subscript');
  const S = storageArray(src) as unknown as Raw;
  const O = storageArray(out) as unknown as Raw;
  const outOffs = resultOffsets(out, plan.perm);
  const nr = plan.restSrc.length;
  for (let b = 0, k = 0; b < plan.nb; b++) {
    const base = src._offset + plan.contrib[b]!;
    for (let r = 0; r < nr; r++, k++) O[outOffs[k]!] = S[base + plan.restSrc[r]!]!;
  }
});

registerCpuKernel('index_put', (inputs, outputs, attrs: Attrs) => {
  const [, value, ...indices] = inputs as [Tensor, Tensor, ...Tensor[]];
  const dst = outputs[0]!;
  const dims = attrs['dims'] as number[];
  const plan = advancedPlan(dst, indices, dims, (attrs['bounds'] as Bounds | undefined) ?? 'subscript');
  const D = storageArray(dst) as unknown as Raw;
  const V = storageArray(value) as unknown as Raw;
  // The value broadcast to the indexing result, read in the same B-first order.
  const adjacent = dims.every((d, i) => i === 0 || d === dims[i - 1]! + 1);
  const full = adjacent
    ? [...dst.shape.slice(0, dims[0]!), ...plan.bshape, ...dst.shape.slice(dims[dims.length - 1]! + 1)]
    : [...plan.bshape, ...plan.restShape];
  const v = value.expand(full);
  const valOffs = resultOffsets(v, plan.perm);
  const nr = plan.restSrc.length;
  const acc = attrs['accumulate'] ? combiner(dst.dtype, 'add') : null;
  for (let b = 0, k = 0; b < plan.nb; b++) {
    const base = dst._offset + plan.contrib[b]!;
    for (let r = 0; r < nr; r++, k++) {
      const at = base + plan.restSrc[r]!;
      D[at] = acc ? acc(D[at]!, V[valOffs[k]!]!) : V[valOffs[k]!]!;
    }
  }
});

registerCpuKernel('gather', (inputs, outputs, attrs: Attrs) => {
  const [src, index] = inputs as [Tensor, Tensor];
  const out = outputs[0]!;
  const dim = attrs['dim'] as number;
  const S = storageArray(src) as unknown as Raw;
  const O = storageArray(out) as unknown as Raw;
  const I = storageArray(index) as BigInt64Array;
  const shape = index.shape;
  const srcStrides = shape.map((_, d) => (d === dim ? 0 : src._strides[d] ?? 0));
  const srcOffs = stridedOffsets(shape, srcStrides, src._offset);
  const idxOffs = stridedOffsets(shape, index._strides, index._offset);
  const outOffs = stridedOffsets(shape, out._strides, out._offset);
  const size = src.ndim === 0 ? 1 : src.shape[dim]!;
  const step = src.ndim === 0 ? 0 : src._strides[dim]!;
  for (let k = 0; k < idxOffs.length; k++) {
    O[outOffs[k]!] = S[srcOffs[k]! + readIndex(I, idxOffs[k]!, size, dim, 'gather') * step]!;
  }
});

registerCpuKernel('scatter', (inputs, outputs, attrs: Attrs) => {
  const [self, index, src] = inputs as [Tensor, Tensor, Tensor | undefined];
  const out = outputs[0]!;
  if (out !== self) out.copy_(self);
  const dim = attrs['dim'] as number;
  const reduce = attrs['reduce'] as 'add' | 'multiply' | null;
  const O = storageArray(out) as unknown as Raw;
  const I = storageArray(index) as BigInt64Array;
  const shape = index.shape;
  const outStrides = shape.map((_, d) => (d === dim ? 0 : out._strides[d] ?? 0));
  const outOffs = stridedOffsets(shape, outStrides, out._offset);
  const idxOffs = stridedOffsets(shape, index._strides, index._offset);
  let read: (k: number) => number | bigint;
  if (src) {
    const S = storageArray(src) as unknown as Raw;
    const srcOffs = stridedOffsets(shape, shape.map((_, d) => src._strides[d] ?? 0), src._offset);
    read = (k) => S[srcOffs[k]!]!;
  } else {
    const raw = encodeElements([attrs['value'] as Scalar], out.dtype)[0]!;
    read = () => raw;
  }
  const combine = reduce ? combiner(out.dtype, reduce) : null;
  const size = out.ndim === 0 ? 1 : out.shape[dim]!;
  const step = out.ndim === 0 ? 0 : out._strides[dim]!;
  // Every index is checked before anything is written, so scatter_ leaves `self` as it was when one is out of range.
  const targets = new Float64Array(idxOffs.length);
  for (let k = 0; k < idxOffs.length; k++) targets[k] = outOffs[k]! + readIndex(I, idxOffs[k]!, size, dim, 'gather') * step;
  for (let k = 0; k < idxOffs.length; k++) {
    const at = targets[k]!;
    O[at] = combine ? combine(O[at]!, read(k)) : read(k);
  }
});

registerCpuKernel('nonzero', (inputs) => {
  const t = inputs[0]!;
  const nd = t.ndim;
  const offs = stridedOffsets(t.shape, t._strides, t._offset);
  const A = storageArray(t) as unknown as ArrayLike<number | bigint>;
  const coords: bigint[] = [];
  const idx = new Array<number>(nd).fill(0);
  let count = 0;
  for (let k = 0; k < offs.length; k++) {
    const v = A[offs[k]!]!;
    // Raw 16-bit float bits are nonzero except ±0 (0x0000/0x8000).
    const nz = t.dtype === 'float16' || t.dtype === 'bfloat16' ? ((v as number) & 0x7fff) !== 0 : v !== 0 && v !== 0n;
    if (nz) {
      for (const i of idx) coords.push(BigInt(i));
      count++;
    }
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d]! < t.shape[d]!) break;
      idx[d] = 0;
    }
  }
  return [fromArray(BigInt64Array.from(coords), [count, nd])];
});

registerCpuKernel('unique', (inputs) => {
  const t = inputs[0]!.contiguous();
  const n = t.numel();
  const raw = storageArray(t) as unknown as ArrayLike<number | bigint>;
  const values = t.dtype === 'float16' || t.dtype === 'bfloat16' ? (t.float().dataSync() as Float32Array) : null;
  const at = (i: number) => (values ? values[i]! : raw[t._offset + i]!);
  const order = Array.from({ length: n }, (_, i) => i);
  // NaN sorts last and each NaN stays distinct, as in PyTorch.
  order.sort((x, y) => {
    const a = at(x);
    const b = at(y);
    if (a !== a) return b !== b ? 0 : 1;
    if (b !== b) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const firstOf: number[] = [];
  const counts: bigint[] = [];
  const inverse = new BigInt64Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const v = at(i);
    if (k === 0 || v !== at(order[k - 1]!) || v !== v) {
      firstOf.push(i);
      counts.push(0n);
    }
    counts[counts.length - 1]! += 1n;
    inverse[i] = BigInt(firstOf.length - 1);
  }
  const uniq = fromArray(BigInt64Array.from(firstOf, (i) => BigInt(i)));
  const out = t.reshape(-1).index(uniq);
  return [out, fromArray(inverse), fromArray(BigInt64Array.from(counts))];
});
