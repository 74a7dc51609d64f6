// Shape and layout ops of handbook chapter 3: views (narrow, select, split…) and copies (cat, repeat, flip…).
import { DtypeError, dispatch, dispatch1, getOp, OpError, registerOp } from '../op.js';
import { IndexError, normalizeDim, ShapeError, formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { type ValuesIndices, valuesIndices, sort } from './reduction.js';
import { promoteTypes } from '../dtype.js';
import { zeros } from './creation.js';
import { inferSize } from './views.js';

type Dims = (number | readonly number[])[];
const flatDims = (d: Dims): number[] => (d.length === 1 && Array.isArray(d[0]) ? [...(d[0] as number[])] : (d as number[]));

declare module '../tensor.js' {
  interface Tensor {
    narrow(dim: number, start: number, length: number): Tensor;
    select(dim: number, index: number): Tensor;
    split(splitSizeOrSections: number | readonly number[], dim?: number): Tensor[];
    chunk(chunks: number, dim?: number): Tensor[];
    unbind(dim?: number): Tensor[];
    movedim(source: number | readonly number[], destination: number | readonly number[]): Tensor;
    moveaxis(source: number | readonly number[], destination: number | readonly number[]): Tensor;
    swapaxes(dim0: number, dim1: number): Tensor;
    swapdims(dim0: number, dim1: number): Tensor;
    unflatten(dim: number, sizes: readonly number[]): Tensor;
    ravel(): Tensor;
    unfold(dimension: number, size: number, step: number): Tensor;
    repeat(...sizes: Dims): Tensor;
    tile(...dims: Dims): Tensor;
    flip(...dims: Dims): Tensor;
    fliplr(): Tensor;
    flipud(): Tensor;
    roll(shifts: number | readonly number[], dims?: number | readonly number[]): Tensor;
    argsort(dim?: number | { dim?: number; descending?: boolean; stable?: boolean }, opts?: { descending?: boolean; stable?: boolean }): Tensor;
    topk(k: number, dim?: number, opts?: { largest?: boolean; sorted?: boolean }): ValuesIndices;
    unique(opts?: UniqueOptions): Tensor | Tensor[];
  }
}

registerOp({
  name: 'narrow',
  infer: () => null,
  view(t, a) {
    const dim = a['dim'] as number;
    const start = a['start'] as number;
    const length = a['length'] as number;
    const shape = [...t.shape];
    shape[dim] = length;
    return t._view(shape, t._strides, t._offset + start * t._strides[dim]!);
  },
});
registerOp({
  name: 'select',
  infer: () => null,
  view(t, a) {
    const dim = a['dim'] as number;
    const index = a['index'] as number;
    const shape = t.shape.filter((_, i) => i !== dim);
    const strides = t._strides.filter((_, i) => i !== dim);
    return t._view(shape, strides, t._offset + index * t._strides[dim]!);
  },
});
registerOp({
  name: 'unfold',
  infer: () => null,
  view(t, a) {
    const dim = a['dim'] as number;
    const size = a['size'] as number;
    const step = a['step'] as number;
    const n = t.ndim === 0 ? 1 : t.shape[dim]!;
    const st = t.ndim === 0 ? 1 : t._strides[dim]!;
    const shape = t.ndim === 0 ? [] : [...t.shape];
    const strides = t.ndim === 0 ? [] : [...t._strides];
    if (t.ndim > 0) {
      shape[dim] = Math.floor((n - size) / step) + 1;
      strides[dim] = st * step;
    }
    return t._view([...shape, size], [...strides, st]);
  },
});

export function narrow(t: Tensor, dim: number, start: number, length: number): Tensor {
  if (t.ndim === 0) throw new IndexError('narrow() cannot be applied to a 0-dim tensor.');
  const d = normalizeDim(dim, t.ndim);
  const size = t.shape[d]!;
  const s = start < 0 ? start + size : start;
  if (s < 0 || s > size) throw new IndexError(`start out of range (expected to be in range of [${-size}, ${size}], but got ${start})`);
  if (length < 0 || s + length > size) throw new IndexError(`start (${s}) + length (${length}) exceeds dimension size (${size}).`);
  return dispatch1('narrow', [t], { dim: d, start: s, length });
}

export function select(t: Tensor, dim: number, index: number): Tensor {
  if (t.ndim === 0) throw new IndexError('select() cannot be applied to a 0-dim tensor.');
  const d = normalizeDim(dim, t.ndim);
  const size = t.shape[d]!;
  // x.select() words it so; a subscript x[i] says "index i is out of bounds…" (indexing.ts checks that itself).
  if (index < -size || index >= size) {
    throw new IndexError(`select(): index ${index} out of range for tensor of size ${formatShape(t.shape)} at dimension ${d}`);
  }
  return dispatch1('select', [t], { dim: d, index: index < 0 ? index + size : index });
}

export function split(t: Tensor, sizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  if (t.ndim === 0) throw new ShapeError('split expects at least a 1-dimensional tensor');
  const d = normalizeDim(dim, t.ndim);
  const n = t.shape[d]!;
  let sizes: number[];
  if (typeof sizeOrSections === 'number') {
    if (sizeOrSections < 0) throw new ShapeError(`split expects split_size be non-negative, but got split_size=${sizeOrSections}`);
    if (sizeOrSections === 0 && n > 0) throw new ShapeError(`split_size can only be 0 if dimension size is 0, but got dimension size of ${n}`);
    sizes = [];
    for (let s = 0; s < n; s += sizeOrSections) sizes.push(Math.min(sizeOrSections, n - s));
    if (n === 0) sizes = [0];
  } else {
    sizes = [...sizeOrSections];
    if (sizes.some((s) => s < 0)) {
      throw new ShapeError(`split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=${formatShape(sizes)}`);
    }
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== n) {
      throw new ShapeError(`split_with_sizes expects split_sizes to sum exactly to ${n} (input tensor's size at dimension ${d}), but got split_sizes=${formatShape(sizes)}`);
    }
  }
  let start = 0;
  return sizes.map((s) => {
    const part = dispatch1('narrow', [t], { dim: d, start, length: s });
    start += s;
    return part;
  });
}

export function chunk(t: Tensor, chunks: number, dim = 0): Tensor[] {
  if (t.ndim === 0) throw new ShapeError('chunk expects at least a 1-dimensional tensor');
  if (chunks <= 0) throw new ShapeError('chunk expects `chunks` to be greater than 0, got: ' + chunks);
  const d = normalizeDim(dim, t.ndim);
  const n = t.shape[d]!;
  // An empty dim still gives `chunks` (empty) chunks, as ATen's chunk does.
  if (n === 0) return split(t, new Array<number>(chunks).fill(0), d);
  return split(t, Math.ceil(n / chunks), d);
}

/** Dims of ops that, as in ATen, refuse a 0-d tensor (maybe_wrap_dim with wrap_scalar=false). */
function dimOfNonScalar(t: Tensor, dim: number): number {
  if (t.ndim === 0) throw new IndexError(`Dimension specified as ${dim} but tensor has no dimensions`);
  return normalizeDim(dim, t.ndim);
}

export function unbind(t: Tensor, dim = 0): Tensor[] {
  const d = dimOfNonScalar(t, dim);
  return Array.from({ length: t.shape[d]! }, (_, i) => dispatch1('select', [t], { dim: d, index: i }));
}

export function movedim(t: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor {
  const srcGiven = typeof source === 'number' ? [source] : [...source];
  const dstGiven = typeof destination === 'number' ? [destination] : [...destination];
  if (srcGiven.length !== dstGiven.length) {
    throw new ShapeError(`movedim: Invalid source or destination dims: source (${formatShape(srcGiven)} dims) should contain the same number of dims as destination (${formatShape(dstGiven)} dims)`);
  }
  const src = srcGiven.map((d) => normalizeDim(d, t.ndim));
  const dst = dstGiven.map((d) => normalizeDim(d, t.ndim));
  if (t.ndim === 0) return t.permute([]);
  if (new Set(src).size !== src.length) throw new ShapeError(`movedim: repeated dim in \`source\` (${formatShape(srcGiven)})`);
  if (new Set(dst).size !== dst.length) throw new ShapeError(`movedim: repeated dim in \`destination\` (${formatShape(dstGiven)})`);
  const order = new Array<number>(t.ndim).fill(-1);
  src.forEach((s, i) => (order[dst[i]!] = s));
  const rest = t.shape.map((_, i) => i).filter((i) => !src.includes(i));
  let k = 0;
  for (let i = 0; i < t.ndim; i++) if (order[i] === -1) order[i] = rest[k++]!;
  return t.permute(order);
}

export function swapaxes(t: Tensor, dim0: number, dim1: number): Tensor {
  return t.transpose(dim0, dim1);
}
export const swapdims = swapaxes;
/** A 1-D view when the layout allows it, else a copy (reshape(-1)). */
export function ravel(t: Tensor): Tensor {
  return t.reshape(-1);
}

export function unflatten(t: Tensor, dim: number, sizes: readonly number[]): Tensor {
  const d = normalizeDim(dim, t.ndim);
  if (sizes.length === 0) throw new ShapeError('unflatten: sizes must be non-empty');
  // The -1 is inferred from the one dim's size (not the whole tensor's, which may be 0).
  let inferred: number[];
  try {
    inferred = inferSize(sizes, t.shape[d]!);
  } catch (e) {
    if (!(e instanceof ShapeError) || !e.message.startsWith("shape '")) throw e;
    throw new ShapeError(`unflatten: Provided sizes ${formatShape(sizes)} don't multiply up to the size of dim ${dim} (${t.shape[d]}) in the input tensor`);
  }
  return t.view([...t.shape.slice(0, d), ...inferred, ...t.shape.slice(d + 1)]);
}

export function unfold(t: Tensor, dimension: number, size: number, step: number): Tensor {
  const d = t.ndim === 0 ? (normalizeDim(dimension, 0), 0) : normalizeDim(dimension, t.ndim);
  const n = t.ndim === 0 ? 1 : t.shape[d]!;
  if (size > n) throw new ShapeError(`maximum size for tensor at dimension ${d} is ${n} but size is ${size}`);
  if (step <= 0) throw new ShapeError(`step is ${step} but must be > 0`);
  return dispatch1('unfold', [t], { dim: d, size, step });
}

registerOp({
  name: 'cat',
  infer(inputs, attrs) {
    const dim = attrs['dim'] as number;
    // Legacy rule: 1-D empty tensors are skipped.
    const used = inputs.filter((t) => !(t.ndim === 1 && t.shape[0] === 0));
    if (used.length === 0) return [{ shape: [0], dtype: inputs.map((t) => t.dtype).reduce(promoteTypes) }];
    const ref = used[0]!;
    const shape = [...ref.shape];
    shape[dim] = 0;
    used.forEach((t, k) => {
      if (t.ndim !== ref.ndim) throw new ShapeError(`Tensors must have same number of dimensions: got ${ref.ndim} and ${t.ndim}`);
      t.shape.forEach((s, i) => {
        if (i !== dim && s !== ref.shape[i]) {
          throw new ShapeError(`Sizes of tensors must match except in dimension ${dim}. Expected size ${ref.shape[i]} but got size ${s} for tensor number ${k} in the list.`);
        }
      });
      shape[dim]! += t.shape[dim]!;
    });
    return [{ shape, dtype: inputs.map((t) => t.dtype).reduce(promoteTypes) }];
  },
  decompose(inputs, attrs) {
    const dim = attrs['dim'] as number;
    const [spec] = getOp('cat').infer(inputs, attrs)!;
    const out = zeros([...spec!.shape], { dtype: spec!.dtype, device: inputs[0]!.device });
    let offset = 0;
    for (const t of inputs) {
      if (t.ndim === 1 && t.shape[0] === 0) continue;
      dispatch1('copy', [t], {}, dispatch1('narrow', [out], { dim, start: offset, length: t.shape[dim]! }));
      offset += t.shape[dim]!;
    }
    return [out];
  },
});

export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new OpError('torch.cat(): expected a non-empty list of Tensors');
  const ref = tensors.find((t) => !(t.ndim === 1 && t.shape[0] === 0)) ?? tensors[0]!;
  if (ref.ndim === 0) throw new ShapeError('zero-dimensional tensor (at position 0) cannot be concatenated');
  return dispatch1('cat', tensors, { dim: normalizeDim(dim, ref.ndim) });
}
export const concat = cat;
export const concatenate = cat;

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new OpError('stack expects a non-empty TensorList');
  const ref = tensors[0]!;
  tensors.forEach((t, i) => {
    if (t.shape.join() !== ref.shape.join()) {
      throw new ShapeError(`stack expects each tensor to be equal size, but got ${formatShape(ref.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`);
    }
  });
  const d = normalizeDim(dim, ref.ndim + 1);
  return dispatch1('cat', tensors.map((t) => t.unsqueeze(d)), { dim: d });
}

export function atleast1d(t: Tensor): Tensor {
  return t.ndim === 0 ? t.reshape([1]) : t;
}
export function atleast2d(t: Tensor): Tensor {
  return t.ndim === 0 ? t.reshape([1, 1]) : t.ndim === 1 ? t.unsqueeze(0) : t;
}
export function atleast3d(t: Tensor): Tensor {
  if (t.ndim === 0) return t.reshape([1, 1, 1]);
  if (t.ndim === 1) return t.reshape([1, t.shape[0]!, 1]);
  if (t.ndim === 2) return t.unsqueeze(-1);
  return t;
}
export function vstack(tensors: readonly Tensor[]): Tensor {
  return cat(tensors.map(atleast2d), 0);
}
export const rowStack = vstack;
export function hstack(tensors: readonly Tensor[]): Tensor {
  const ts = tensors.map(atleast1d);
  return cat(ts, ts[0]!.ndim === 1 ? 0 : 1);
}
export function dstack(tensors: readonly Tensor[]): Tensor {
  return cat(tensors.map(atleast3d), 2);
}
export function columnStack(tensors: readonly Tensor[]): Tensor {
  return hstack(tensors.map((t) => (t.ndim <= 1 ? t.reshape([-1, 1]) : t)));
}

/** `x.repeat(2, 3)`: tiles the tensor; as many sizes as dims or more. */
export function repeat(t: Tensor, ...sizes: Dims): Tensor {
  const reps = flatDims(sizes);
  if (reps.length < t.ndim) {
    throw new ShapeError('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  }
  const padded = [...new Array<number>(reps.length - t.ndim).fill(1), ...t.shape];
  const src = t.reshape(padded);
  // Interleave a broadcast dim before each dim, expand it to the repeat count, then merge the pairs.
  const expandedShape: number[] = [];
  const viewShape: number[] = [];
  padded.forEach((s, i) => {
    viewShape.push(1, s);
    expandedShape.push(reps[i]!, s);
  });
  // A copy even when every count is 1 (contiguous() would hand back a view of `t`).
  const copied = dispatch1('copy', [src.reshape(viewShape).expand(expandedShape)]);
  return copied.reshape(padded.map((s, i) => s * reps[i]!));
}

export function tile(t: Tensor, ...dims: Dims): Tensor {
  const reps = flatDims(dims);
  const full = reps.length < t.ndim ? [...new Array<number>(t.ndim - reps.length).fill(1), ...reps] : reps;
  return repeat(t, full);
}

/** `torch.flip(x, dims)`: a copy, read through a negative-stride view that never leaves this function. */
export function flip(t: Tensor, ...dims: Dims): Tensor {
  const ds = flatDims(dims).map((d) => normalizeDim(d, t.ndim));
  if (new Set(ds).size !== ds.length) throw new ShapeError(`dim ${ds.find((d, i) => ds.indexOf(d) !== i)} appears multiple times in the list of dims`);
  let offset = t._offset;
  const strides = [...t._strides];
  for (const d of ds) {
    if (t.shape[d]! > 0) offset += (t.shape[d]! - 1) * strides[d]!;
    strides[d] = -strides[d]!;
  }
  if (t.numel() === 0) return t.clone();
  return dispatch1('flip', [t], { dims: ds, strides, offset });
}
export function fliplr(t: Tensor): Tensor {
  if (t.ndim < 2) throw new ShapeError('Input must be >= 2-d.');
  return flip(t, 1);
}
export function flipud(t: Tensor): Tensor {
  if (t.ndim < 1) throw new ShapeError('Input must be >= 1-d.');
  return flip(t, 0);
}
registerOp({
  name: 'flip',
  infer: (inputs) => [{ shape: inputs[0]!.shape, dtype: inputs[0]!.dtype }],
  decompose(inputs, a) {
    const t = inputs[0]!;
    return [dispatch1('copy', [t._view(t.shape, a['strides'] as number[], a['offset'] as number)])];
  },
});

export function roll(t: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
  const sh = typeof shifts === 'number' ? [shifts] : [...shifts];
  const ds = dims === undefined ? [] : typeof dims === 'number' ? [dims] : [...dims];
  if (ds.length === 0) {
    if (sh.length !== 1) throw new ShapeError(`shifts and dimensions must align. shifts: ${sh.length}, dims:0`);
    return roll(t.reshape(-1), sh[0]!, 0).view(t.shape);
  }
  if (t.ndim === 0) dimOfNonScalar(t, ds[0]!);
  if (ds.length !== sh.length) throw new ShapeError(`shifts and dimensions must align. shifts: ${sh.length}, dims:${ds.length}`);
  let r = t;
  ds.forEach((dim, i) => {
    const d = normalizeDim(dim, t.ndim);
    const n = r.shape[d]!;
    if (n === 0) return;
    const s = ((sh[i]! % n) + n) % n;
    if (s === 0) return;
    r = cat([narrow(r, d, n - s, s), narrow(r, d, 0, n - s)], d);
  });
  return r === t ? t.clone() : r;
}

export function argsort(t: Tensor, dim: number | { dim?: number; descending?: boolean; stable?: boolean } = -1, opts?: { descending?: boolean; stable?: boolean }): Tensor {
  return sort(t, dim, opts).indices;
}

/** `torch.topk`: the k largest (or smallest) along `dim`, sorted. */
export function topk(t: Tensor, k: number, dim = -1, opts?: { largest?: boolean; sorted?: boolean }): ValuesIndices {
  const d = t.ndim === 0 ? (normalizeDim(dim, 0), 0) : normalizeDim(dim, t.ndim);
  const n = t.ndim === 0 ? 1 : t.shape[d]!;
  if (k < 0 || k > n) throw new IndexError(`selected index k out of range`);
  if (t.dtype === 'bool') throw new DtypeError(`"topk_cpu" not implemented for 'Bool'`);
  const s = sort(t, { dim: d, descending: opts?.largest ?? true, stable: true });
  if (t.ndim === 0) return s;
  return valuesIndices(narrow(s.values, d, 0, k).contiguous(), narrow(s.indices, d, 0, k).contiguous());
}

export interface UniqueOptions {
  sorted?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
  dim?: number;
}
registerOp({ name: 'unique', nondifferentiable: true, infer: () => null });

/** `torch.unique`: sorted unique values; with returnInverse/returnCounts, [values, inverse?, counts?]. */
export function unique(t: Tensor, opts?: UniqueOptions): Tensor | Tensor[] {
  if (opts?.dim !== undefined) throw new OpError('unique(dim=...) is not supported yet; flatten the tensor or pass no dim');
  const [values, inverse, counts] = dispatch('unique', [t], {});
  if (!opts?.returnInverse && !opts?.returnCounts) return values!;
  const out = [values!];
  if (opts.returnInverse) out.push(inverse!.view(t.shape));
  if (opts.returnCounts) out.push(counts!);
  return out;
}

type Proto = Record<string, unknown>;
const P = Tensor.prototype as unknown as Proto;
P['narrow'] = function (this: Tensor, d: number, s: number, l: number) { return narrow(this, d, s, l); };
P['select'] = function (this: Tensor, d: number, i: number) { return select(this, d, i); };
P['split'] = function (this: Tensor, s: number | readonly number[], d?: number) { return split(this, s, d); };
P['chunk'] = function (this: Tensor, c: number, d?: number) { return chunk(this, c, d); };
P['unbind'] = function (this: Tensor, d?: number) { return unbind(this, d); };
P['movedim'] = P['moveaxis'] = function (this: Tensor, s: number | readonly number[], d: number | readonly number[]) { return movedim(this, s, d); };
P['swapaxes'] = P['swapdims'] = function (this: Tensor, a: number, b: number) { return swapaxes(this, a, b); };
P['unflatten'] = function (this: Tensor, d: number, s: readonly number[]) { return unflatten(this, d, s); };
P['ravel'] = function (this: Tensor) { return ravel(this); };
P['unfold'] = function (this: Tensor, d: number, s: number, st: number) { return unfold(this, d, s, st); };
P['repeat'] = function (this: Tensor, ...s: Dims) { return repeat(this, ...s); };
P['tile'] = function (this: Tensor, ...s: Dims) { return tile(this, ...s); };
P['flip'] = function (this: Tensor, ...d: Dims) { return flip(this, ...d); };
P['fliplr'] = function (this: Tensor) { return fliplr(this); };
P['flipud'] = function (this: Tensor) { return flipud(this); };
P['roll'] = function (this: Tensor, s: number | readonly number[], d?: number | readonly number[]) { return roll(this, s, d); };
P['argsort'] = function (this: Tensor, d?: never, o?: never) { return argsort(this, d, o); };
P['topk'] = function (this: Tensor, k: number, d?: number, o?: never) { return topk(this, k, d, o); };
P['unique'] = function (this: Tensor, o?: UniqueOptions) { return unique(this, o); };
