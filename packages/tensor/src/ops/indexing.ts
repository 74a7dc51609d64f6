// PyTorch's subscript (`x[...]`, `x[...] = v`) and the index ops of handbook chapter 4.
import { type Scalar } from '../elements.js';
import { isIntegral } from '../dtype.js';
import { dispatch, dispatch1, DtypeError, dtypeLabel, registerOp } from '../op.js';
import { broadcastShapes, formatShape, IndexError, normalizeDim, ShapeError } from '../shape.js';
import { Tensor } from '../tensor.js';
import { cast, copyInto, fill_ } from './copy.js';
import { fromValues } from './creation.js';
import { elementwise } from './elementwise.js';
import { scalarTensor } from './scalar.js';

/** A slice `start:stop:step`; any part may be null. */
export class Slice {
  constructor(
    readonly start: number | null = null,
    readonly stop: number | null = null,
    readonly step: number | null = null,
  ) {}
  toString(): string {
    return `${this.start ?? ''}:${this.stop ?? ''}${this.step === null ? '' : `:${this.step}`}`;
  }
}
/** `torch.slice(1, 4, 2)` is `1:4:2`. */
export function slice(start: number | null = null, stop: number | null = null, step: number | null = null): Slice {
  return new Slice(start, stop, step);
}

export type IndexItem = number | string | Slice | null | boolean | Tensor | readonly number[];

const SLICE_RE = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?$/;
function parseSlice(s: string): Slice {
  const m = SLICE_RE.exec(s);
  if (!m) throw new IndexError(`invalid index '${s}': expected an integer, a slice like '1:4:2', '...', null or a tensor`);
  const num = (x: string | undefined) => (x === undefined ? null : Number(x));
  return new Slice(num(m[1]), num(m[2]), num(m[3]));
}

/** How many dims of the tensor an item consumes (PyTorch's count_specified_dimensions). */
function consumed(item: IndexItem): number {
  if (item === null || typeof item === 'boolean' || item === '...') return 0;
  if (item instanceof Tensor) return item.dtype === 'bool' || item.dtype === 'uint8' ? item.ndim : 1;
  return 1;
}

/**
 * A list item as PyTorch's indexing_tensor_from_data makes it: a bool mask if its elements are booleans,
 * else an int64 index (nested lists give its shape; floats are truncated, as PyTorch converts them to Long).
 */
function listIndex(item: readonly unknown[], device: Tensor['device']): Tensor {
  const shape: number[] = [];
  for (let level: unknown = item; Array.isArray(level); level = level[0]) shape.push(level.length);
  const values = (item as unknown[]).flat(Infinity) as (number | boolean)[];
  if (values.length !== shape.reduce((a, b) => a * b, 1)) throw new IndexError('an index list must be rectangular (all rows the same length)');
  const isBool = values.length > 0 && values.every((v) => typeof v === 'boolean');
  return fromValues(isBool ? values : values.map((v) => Math.trunc(Number(v))), shape, isBool ? 'bool' : 'int64', device);
}

/** x[i] for an integer i at the view's `dim`; `position` is the item's place in the subscript, which PyTorch's message names. */
function selectItem(view: Tensor, dim: number, i: number, position: number): Tensor {
  if (!Number.isInteger(i)) throw new IndexError('only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got float)');
  const size = view.shape[dim]!;
  if (i < -size || i >= size) throw new IndexError(`index ${i} is out of bounds for dimension ${position} with size ${size}`);
  return dispatch1('select', [view], { dim, index: i < 0 ? i + size : i });
}

interface Parsed {
  /** The tensor after basic indexing: a view of the input. */
  view: Tensor;
  /** Advanced (tensor) indices: the view's dim each indexes, and int64 index tensors. */
  dims: number[];
  indices: Tensor[];
}

/** Basic indexing as views, advanced indices collected for the `index` op (PyTorch's applySlicing). */
function parseIndex(t: Tensor, items: readonly IndexItem[]): Parsed {
  const ellipses = items.filter((i) => i === '...').length;
  if (ellipses > 1) throw new IndexError('an index can only have a single ellipsis (...)');
  const used = items.reduce<number>((n, i) => n + consumed(i), 0);
  if (used > t.ndim) throw new IndexError(`too many indices for tensor of dimension ${t.ndim}`);
  let view = t;
  let dim = 0;
  const dims: number[] = [];
  const indices: Tensor[] = [];
  items.forEach((original, position) => {
    let item = original;
    if (item === '...') {
      dim += t.ndim - used;
      return;
    }
    if (Array.isArray(item)) item = listIndex(item, t.device);
    if (item === null) {
      view = view.unsqueeze(dim++);
    } else if (typeof item === 'boolean' || (item instanceof Tensor && item.ndim === 0 && (item.dtype === 'bool' || item.dtype === 'uint8'))) {
      // A new dim indexed by [0] (true) or by nothing (false): advanced indexing, so a copy, as in PyTorch.
      const keep = typeof item === 'boolean' ? item : Boolean(item.item());
      view = view.unsqueeze(dim);
      dims.push(dim++);
      indices.push(fromValues(keep ? [0] : [], [keep ? 1 : 0], 'int64', t.device));
    } else if (typeof item === 'number') {
      view = selectItem(view, dim, item, position);
    } else if (item instanceof Tensor && item.ndim === 0 && isIntegral(item.dtype)) {
      // A 0-d integer tensor selects like an integer (a view), as in PyTorch.
      view = selectItem(view, dim, Number(item.item()), position);
    } else if (typeof item === 'string' || item instanceof Slice) {
      view = applySlice(view, dim, typeof item === 'string' ? parseSlice(item) : item);
      dim++;
    } else if (item instanceof Tensor) {
      if (item.dtype === 'bool' || item.dtype === 'uint8') {
        for (let k = 0; k < item.ndim; k++) {
          if (item.shape[k] !== view.shape[dim + k]) {
            throw new IndexError(`The shape of the mask ${formatShape(item.shape)} at index ${k} does not match the shape of the indexed tensor ${formatShape(view.shape)} at index ${dim + k}`);
          }
        }
        const coords = nonzero(item);
        for (let k = 0; k < item.ndim; k++) {
          dims.push(dim + k);
          indices.push(coords.select(1, k));
        }
        dim += item.ndim;
      } else {
        // int32 indices as PyTorch >= 2.0 takes them (1.13 wanted int64).
        if (item.dtype !== 'int64' && item.dtype !== 'int32') throw new IndexError('tensors used as indices must be long, int, byte or bool tensors');
        dims.push(dim++);
        indices.push(item.dtype === 'int64' ? item : cast(item, 'int64'));
      }
    } else {
      throw new IndexError(`only integers, slices (\`:\`), ellipsis (\`...\`), None and long or byte Variables are valid indices (got ${typeof item})`);
    }
  });
  return { view, dims, indices };
}

function applySlice(t: Tensor, dim: number, s: Slice): Tensor {
  const step = s.step ?? 1;
  if (step <= 0) throw new IndexError(step === 0 ? 'slice step cannot be zero' : 'step must be greater than zero');
  const n = t.shape[dim]!;
  const clampIdx = (x: number | null, dflt: number) => {
    if (x === null) return dflt;
    const v = x < 0 ? x + n : x;
    return Math.min(Math.max(v, 0), n);
  };
  const start = clampIdx(s.start, 0);
  const stop = Math.max(clampIdx(s.stop, n), start);
  const len = Math.ceil((stop - start) / step);
  const shape = [...t.shape];
  const strides = [...t._strides];
  shape[dim] = len;
  strides[dim] = strides[dim]! * step;
  // `slice` only names the autograd node (SliceBackward0, as PyTorch) of this as_strided view.
  return dispatch1('as_strided', [t], { shape, strides, offset: t._offset + (len > 0 ? start * t._strides[dim]! : 0), slice: true });
}

/** Result shape of advanced indexing: the broadcast index shape replaces the indexed dims (PyTorch's placement rule). */
export function advancedShape(shape: readonly number[], dims: readonly number[], indexShape: readonly number[]): number[] {
  const adjacent = dims.every((d, i) => i === 0 || d === dims[i - 1]! + 1);
  const rest = shape.filter((_, i) => !dims.includes(i));
  if (adjacent) {
    const first = dims[0]!;
    return [...shape.slice(0, first), ...indexShape, ...shape.slice(dims[dims.length - 1]! + 1)];
  }
  return [...indexShape, ...rest];
}

function broadcastIndices(indices: readonly Tensor[]): number[] {
  try {
    return broadcastShapes(...indices.map((i) => i.shape));
  } catch {
    throw new IndexError(`shape mismatch: indexing tensors could not be broadcast together with shapes ${indices.map((i) => formatShape(i.shape)).join(', ')}`);
  }
}

/**
 * How an index op treats an index out of range (the kernels read it from the `bounds` attribute), each
 * with PyTorch's message: 'subscript' (x[i], index_put_: negatives count from the end), 'dim' (index_fill:
 * the same, naming the dim), 'select' (index_select, index_add: no negatives), 'copy' (index_copy: no
 * negatives), 'take' (positions in the flattened tensor, negatives from the end).
 */
export type IndexBounds = 'subscript' | 'dim' | 'select' | 'copy' | 'take';

/**
 * PyTorch's message for an index out of range, as every backend raises it: by the op's `bounds` ('gather'
 * for gather/scatter, which name the dim as 'dim' does). `ordinal`: for a subscript, the index tensor's
 * place among the indices (PyTorch names that, not the dim).
 */
export function indexOutOfRangeMessage(bounds: IndexBounds | 'gather', index: bigint | number, dim: number, size: number, ordinal = 0): string {
  switch (bounds) {
    case 'subscript': return size === 0 ? 'index is out of bounds for dimension with size 0' : `index ${index} is out of bounds for dimension ${ordinal} with size ${size}`;
    case 'select': return 'index out of range in self';
    case 'copy': return `index_copy_(): index ${index} is out of bounds for dimension ${dim} with size ${size}`;
    case 'take': return `out of range: tried to access index ${index} on a tensor of ${size} elements.`;
    default: return `index ${index} is out of bounds for dimension ${dim} with size ${size}`;
  }
}

registerOp({
  name: 'index',
  infer(inputs, attrs) {
    const [src, ...indices] = inputs;
    return [{ shape: advancedShape(src!.shape, attrs['dims'] as number[], broadcastIndices(indices)), dtype: src!.dtype }];
  },
});
registerOp({
  name: 'index_put',
  infer(inputs, attrs) {
    const [dst, value, ...indices] = inputs;
    const resultShape = advancedShape(dst!.shape, attrs['dims'] as number[], broadcastIndices(indices));
    try {
      const b = broadcastShapes(resultShape, value!.shape);
      if (b.length !== resultShape.length || b.some((s, i) => s !== resultShape[i])) throw new Error();
    } catch {
      throw new ShapeError(`shape mismatch: value tensor of shape ${formatShape(value!.shape)} cannot be broadcast to indexing result of shape ${formatShape(resultShape)}`);
    }
    if (value!.dtype !== dst!.dtype) {
      throw new DtypeError(`Index put requires the source and destination dtypes match, got ${dtypeLabel(dst!.dtype)} for the destination and ${dtypeLabel(value!.dtype)} for the source.`);
    }
    return [{ shape: dst!.shape, dtype: dst!.dtype }];
  },
});

/** `x[items]`: basic indexing gives a view, advanced indexing a copy. */
export function index(t: Tensor, ...items: IndexItem[]): Tensor {
  const { view, dims, indices } = parseIndex(t, items);
  if (dims.length === 0) return view === t ? dispatch1('alias', [t]) : view;
  return dispatch1('index', [view, ...indices], { dims });
}

/** PyTorch's setitem drops a value's leading size-1 dims before broadcasting it (slicePrefix1sSize). */
function dropLeadingOnes(v: Tensor): Tensor {
  let k = 0;
  while (k < v.ndim && v.shape[k] === 1) k++;
  return k === 0 ? v : v.reshape(v.shape.slice(k));
}

/**
 * `x[items] = value`, in place; with `accumulate`, duplicate indices add up (index_put_). `items` is the
 * subscript's list of items, as Python's tuple: `x.indexPut_([0, 2], v)` is `x[0, 2] = v` and
 * `x.indexPut_([[0, 2]], v)` is `x[[0, 2]] = v`; a single item that is not an array may be passed bare.
 * A tensor value must have x's dtype when the subscript has advanced indices (PyTorch's index_put_ rule);
 * basic indexing copies it into the view, casting.
 */
export function indexPut_(t: Tensor, items: readonly IndexItem[] | IndexItem, value: Tensor | Scalar, opts?: { accumulate?: boolean }): Tensor {
  const list = Array.isArray(items) ? (items as IndexItem[]) : [items as IndexItem];
  const { view, dims, indices } = parseIndex(t, list);
  if (dims.length === 0) {
    // PyTorch's copy_to: the value, without leading 1s, expanded to the view (its expand error if it cannot be).
    if (value instanceof Tensor) copyInto(view, value.shape.join() === view.shape.join() ? value : dropLeadingOnes(value).expand(view.shape));
    else fill_(view, value);
    return t;
  }
  const v = value instanceof Tensor ? dropLeadingOnes(value) : scalarTensor(value, t.dtype, t.device);
  dispatch1('index_put', [view, v, ...indices], { dims, accumulate: opts?.accumulate ?? false }, view);
  return t;
}

// gather / scatter -------------------------------------------------------------------------------

function checkIndexDtype(name: string, index: Tensor): void {
  if (index.dtype !== 'int64') throw new DtypeError(`${name}(): Expected dtype int64 for index`);
}

registerOp({
  name: 'gather',
  infer([src, index], attrs) {
    const dim = attrs['dim'] as number;
    checkIndexDtype('gather', index!);
    if (index!.ndim !== src!.ndim && !(index!.ndim <= 1 && src!.ndim <= 1)) {
      throw new IndexError('Index tensor must have the same number of dimensions as input tensor');
    }
    index!.shape.forEach((s, d) => {
      if (d !== dim && s > (src!.shape[d] ?? 1)) {
        throw new IndexError(`Size does not match at dimension ${d} expected index ${formatShape(index!.shape)} to be smaller than self ${formatShape(src!.shape)} apart from dimension ${dim}`);
      }
    });
    return [{ shape: index!.shape, dtype: src!.dtype }];
  },
});
registerOp({
  name: 'scatter',
  infer([self, index, src], attrs) {
    const dim = attrs['dim'] as number;
    checkIndexDtype('scatter', index!);
    if (src && src.dtype !== self!.dtype) {
      throw new DtypeError(`scatter(): Expected self.dtype to be equal to src.dtype`);
    }
    if (index!.ndim !== self!.ndim && !(index!.ndim <= 1 && self!.ndim <= 1)) {
      throw new IndexError('Index tensor must have the same number of dimensions as self tensor');
    }
    index!.shape.forEach((s, d) => {
      if (d !== dim && s > (self!.shape[d] ?? 1)) {
        throw new IndexError(`Expected index ${formatShape(index!.shape)} to be smaller than self ${formatShape(self!.shape)} apart from dimension ${dim}${src ? ` and to be smaller size than src ${formatShape(src.shape)}` : ''}`);
      }
      if (src && s > (src.shape[d] ?? 1)) {
        throw new IndexError(`Expected index ${formatShape(index!.shape)} to be smaller than self ${formatShape(self!.shape)} apart from dimension ${dim} and to be smaller size than src ${formatShape(src.shape)}`);
      }
    });
    return [{ shape: self!.shape, dtype: self!.dtype }];
  },
});

export function gather(t: Tensor, dim: number, index: Tensor): Tensor {
  return dispatch1('gather', [t, index], { dim: normalizeDim(dim, t.ndim) });
}

export type ScatterReduce = 'add' | 'multiply';
function scatterInto(self: Tensor, dim: number, index: Tensor, src: Tensor | Scalar, reduce: ScatterReduce | undefined, out?: Tensor): Tensor {
  const d = normalizeDim(dim, self.ndim);
  const inputs = src instanceof Tensor ? [self, index, src] : [self, index];
  const attrs = { dim: d, reduce: reduce ?? null, value: src instanceof Tensor ? null : src };
  return dispatch1('scatter', inputs, attrs, out);
}
export function scatter(self: Tensor, dim: number, index: Tensor, src: Tensor | Scalar, opts?: { reduce?: ScatterReduce }): Tensor {
  return scatterInto(self, dim, index, src, opts?.reduce);
}
export function scatterAdd(self: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return scatterInto(self, dim, index, src, 'add');
}

// index_select / index_add / index_copy / index_fill / take -----------------------------------------

/** The index as a 1-D int64 tensor (a 0-d index is one position). */
function asVector(index: Tensor): Tensor {
  const idx = index.ndim === 0 ? index.reshape([1]) : index;
  return idx.dtype === 'int64' ? idx : cast(idx, 'int64');
}

export function indexSelect(t: Tensor, dim: number, index: Tensor): Tensor {
  const d = t.ndim === 0 ? 0 : normalizeDim(dim, t.ndim);
  if (index.ndim > 1) throw new IndexError('index_select(): Index is supposed to be a vector');
  if (index.dtype !== 'int64' && index.dtype !== 'int32') throw new IndexError('index_select(): Expected dtype int32 or int64 for index');
  const src = t.ndim === 0 ? t.reshape([1]) : t;
  const r = dispatch1('index', [src, asVector(index)], { dims: [d], bounds: 'select' });
  return t.ndim === 0 ? r.reshape([]) : r;
}

/** PyTorch prints the slice shapes of index_copy's message as space-separated sizes. */
const sliceSizes = (shape: readonly number[], d: number): string => shape.filter((_, i) => i !== d).join(' ');

/** Write `source`'s slices along `dim` at `index` into `t` (index_add/index_copy), in place. */
function indexAlong(t: Tensor, dim: number, index: Tensor, source: Tensor, accumulate: boolean, bounds: IndexBounds): Tensor {
  const d = t.ndim === 0 ? 0 : normalizeDim(dim, t.ndim);
  const view = t.ndim === 0 ? t.reshape([1]) : t;
  const src = t.ndim === 0 ? source.reshape([1]) : source;
  dispatch1('index_put', [view, src, asVector(index)], { dims: [d], accumulate, bounds }, view);
  return t;
}
export function indexAdd_(t: Tensor, dim: number, index: Tensor, source: Tensor, opts?: { alpha?: Scalar }): Tensor {
  if (index.ndim > 1) {
    throw new IndexError(`index_add_(): Index is supposed to be a vector, but got dim: ${index.ndim} with type: ${dtypeLabel(index.dtype)} and size: ${formatShape(index.shape)}`);
  }
  if (index.dtype !== 'int64' && index.dtype !== 'int32') throw new IndexError('index_add_(): Expected dtype int32/int64 for index');
  if (source.dtype !== t.dtype) {
    throw new DtypeError(`index_add_(): self (${dtypeLabel(t.dtype)}) and source (${dtypeLabel(source.dtype)}) must have the same scalar type`);
  }
  const d = t.ndim === 0 ? 0 : normalizeDim(dim, t.ndim);
  if (t.ndim > 0 && source.ndim > 0 && source.shape.join() !== t.shape.map((s, i) => (i === d ? source.shape[d] : s)).join()) {
    throw new ShapeError(`source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = ${formatShape(t.shape)} source.shape = ${formatShape(source.shape)}`);
  }
  const n = source.ndim === 0 ? 1 : source.shape[d]!;
  if (index.numel() !== n) {
    throw new IndexError(`index_add_(): Number of indices (${index.numel()}) should be equal to source.size(dim): (${n}), for dim: ${d}`);
  }
  const alpha = opts?.alpha ?? 1;
  return indexAlong(t, dim, index, alpha === 1 ? source : elementwise('mul', [source, alpha]), true, 'select');
}
export function indexCopy_(t: Tensor, dim: number, index: Tensor, source: Tensor): Tensor {
  // ATen's index_copy_ checks, in its order.
  if (index.ndim > 1) throw new IndexError(`index_copy_(): Index should have dimension 1 or 0 (got ${index.ndim})`);
  if (index.dtype !== 'int64') throw new IndexError(`index_copy_(): Expected a long tensor for index, but got ${dtypeLabel(index.dtype)}`);
  if (source.dtype !== t.dtype) {
    throw new DtypeError(`index_copy_(): self and source expected to have the same dtype, but got (self) ${dtypeLabel(t.dtype)} and (source) ${dtypeLabel(source.dtype)}`);
  }
  const d = t.ndim === 0 ? 0 : normalizeDim(dim, t.ndim);
  if (t.ndim > 0 && source.ndim > 0 && sliceSizes(t.shape, d) !== sliceSizes(source.shape, d)) {
    throw new IndexError(`index_copy_(): Source/destination tensor must have same slice shapes. Destination slice shape: ${sliceSizes(t.shape, d)} at dimension ${d} and source slice shape: ${sliceSizes(source.shape, d)} at dimension 0.`);
  }
  if (source.ndim > 0 && index.numel() !== source.shape[d]) {
    throw new IndexError(`index_copy_(): Number of indices (${index.numel()}) should be equal to source.size(dim) (${source.shape[d]})`);
  }
  return indexAlong(t, dim, index, source, false, 'copy');
}
export function indexFill_(t: Tensor, dim: number, index: Tensor, value: Scalar | Tensor): Tensor {
  if (value instanceof Tensor && value.ndim !== 0) {
    throw new ShapeError(`index_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s).`);
  }
  if (index.dtype !== 'int64') throw new IndexError('index_fill_(): Expected dtype int64 for index.');
  const d = t.ndim === 0 ? 0 : normalizeDim(dim, t.ndim);
  if (index.ndim > 1) throw new IndexError('Index has to be a vector/scalar');
  const view = t.ndim === 0 ? t.reshape([1]) : t;
  // A tensor value is read as a number, as PyTorch's index_fill_ does (value.item()).
  const v = scalarTensor(value instanceof Tensor ? (value.item() as Scalar) : value, t.dtype, t.device);
  dispatch1('index_put', [view, v, asVector(index)], { dims: [d], accumulate: false, bounds: 'dim' }, view);
  return t;
}

export function take(t: Tensor, index: Tensor): Tensor {
  if (index.dtype !== 'int64') throw new DtypeError(`take(): Expected a long tensor for index, but got ${dtypeLabel(index.dtype)}`);
  if (t.numel() === 0 && index.numel() > 0) throw new IndexError('take(): tried to take from an empty tensor');
  return dispatch1('index', [t.reshape(-1), index], { dims: [0], bounds: 'take' });
}

// masks and nonzero -------------------------------------------------------------------------------

registerOp({ name: 'nonzero', nondifferentiable: true, infer: () => null });

/** `torch.nonzero(x)`: [n, ndim] int64 coordinates of the nonzero elements, in row-major order. */
export function nonzero(t: Tensor): Tensor;
export function nonzero(t: Tensor, opts: { asTuple: true }): Tensor[];
export function nonzero(t: Tensor, opts?: { asTuple?: boolean }): Tensor | Tensor[];
export function nonzero(t: Tensor, opts?: { asTuple?: boolean }): Tensor | Tensor[] {
  const coords = dispatch('nonzero', [t], {})[0]!;
  if (!opts?.asTuple) return coords;
  // A 0-d tensor is treated as 1-D: one index tensor, [0] if it is nonzero (PyTorch's nonzero_numpy).
  if (t.ndim === 0) return [fromValues(coords.shape[0] ? [0] : [], [coords.shape[0]!], 'int64', t.device)];
  return Array.from({ length: t.ndim }, (_, k) => coords.select(1, k).contiguous());
}
export function argwhere(t: Tensor): Tensor {
  return nonzero(t);
}

function checkMask(mask: Tensor): void {
  if (mask.dtype !== 'bool' && mask.dtype !== 'uint8') {
    throw new DtypeError(`masked_fill_ only supports boolean masks, but got mask with dtype ${mask.dtype}`);
  }
}

export function maskedFill(t: Tensor, mask: Tensor, value: Scalar | Tensor): Tensor {
  checkMask(mask);
  if (value instanceof Tensor && value.ndim !== 0) {
    throw new ShapeError(`masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s).`);
  }
  const v = value instanceof Tensor ? cast(value, t.dtype) : scalarTensor(value, t.dtype, t.device);
  return elementwise('where', [mask.dtype === 'bool' ? mask : cast(mask, 'bool'), v, t]);
}
export function maskedFill_(t: Tensor, mask: Tensor, value: Scalar | Tensor): Tensor {
  const shape = broadcastShapes(t.shape, mask.shape);
  if (shape.length !== t.ndim || shape.some((s, i) => s !== t.shape[i])) {
    throw new ShapeError(`output with shape ${formatShape(t.shape)} doesn't match the broadcast shape ${formatShape(shape)}`);
  }
  return copyInto(t, maskedFill(t, mask, value));
}
export function maskedSelect(t: Tensor, mask: Tensor): Tensor {
  if (mask.dtype !== 'bool' && mask.dtype !== 'uint8') throw new DtypeError('masked_select: expected BoolTensor or ByteTensor for mask');
  // The mask comes first in the broadcast (its size is "tensor a" in the error), as in ATen.
  const shape = broadcastShapes(mask.shape, t.shape);
  const m = mask.expand(shape);
  return index(t.expand(shape), m.dtype === 'bool' ? m : cast(m, 'bool'));
}

declare module '../tensor.js' {
  interface Tensor {
    index(...items: IndexItem[]): Tensor;
    indexPut_(items: readonly IndexItem[] | IndexItem, value: Tensor | Scalar, opts?: { accumulate?: boolean }): Tensor;
    gather(dim: number, index: Tensor): Tensor;
    scatter(dim: number, index: Tensor, src: Tensor | Scalar, opts?: { reduce?: ScatterReduce }): Tensor;
    scatter_(dim: number, index: Tensor, src: Tensor | Scalar, opts?: { reduce?: ScatterReduce }): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    scatterAdd_(dim: number, index: Tensor, src: Tensor): Tensor;
    indexSelect(dim: number, index: Tensor): Tensor;
    indexAdd_(dim: number, index: Tensor, source: Tensor, opts?: { alpha?: Scalar }): Tensor;
    indexAdd(dim: number, index: Tensor, source: Tensor, opts?: { alpha?: Scalar }): Tensor;
    indexCopy_(dim: number, index: Tensor, source: Tensor): Tensor;
    indexCopy(dim: number, index: Tensor, source: Tensor): Tensor;
    indexFill_(dim: number, index: Tensor, value: Scalar | Tensor): Tensor;
    indexFill(dim: number, index: Tensor, value: Scalar | Tensor): Tensor;
    take(index: Tensor): Tensor;
    maskedFill(mask: Tensor, value: Scalar | Tensor): Tensor;
    maskedFill_(mask: Tensor, value: Scalar | Tensor): Tensor;
    maskedSelect(mask: Tensor): Tensor;
    nonzero(opts?: { asTuple?: boolean }): Tensor | Tensor[];
    argwhere(): Tensor;
  }
}

type Proto = Record<string, unknown>;
const P = Tensor.prototype as unknown as Proto;
P['index'] = function (this: Tensor, ...items: IndexItem[]) { return index(this, ...items); };
P['indexPut_'] = function (this: Tensor, items: never, v: Tensor | Scalar, o?: { accumulate?: boolean }) { return indexPut_(this, items, v, o); };
P['gather'] = function (this: Tensor, d: number, i: Tensor) { return gather(this, d, i); };
P['scatter'] = function (this: Tensor, d: number, i: Tensor, s: Tensor | Scalar, o?: { reduce?: ScatterReduce }) { return scatter(this, d, i, s, o); };
P['scatter_'] = function (this: Tensor, d: number, i: Tensor, s: Tensor | Scalar, o?: { reduce?: ScatterReduce }) { scatterInto(this, d, i, s, o?.reduce, this); return this; };
P['scatterAdd'] = function (this: Tensor, d: number, i: Tensor, s: Tensor) { return scatterAdd(this, d, i, s); };
P['scatterAdd_'] = function (this: Tensor, d: number, i: Tensor, s: Tensor) { scatterInto(this, d, i, s, 'add', this); return this; };
P['indexSelect'] = function (this: Tensor, d: number, i: Tensor) { return indexSelect(this, d, i); };
P['indexAdd_'] = function (this: Tensor, d: number, i: Tensor, s: Tensor, o?: { alpha?: Scalar }) { return indexAdd_(this, d, i, s, o); };
P['indexAdd'] = function (this: Tensor, d: number, i: Tensor, s: Tensor, o?: { alpha?: Scalar }) { return indexAdd_(this.clone(), d, i, s, o); };
P['indexCopy_'] = function (this: Tensor, d: number, i: Tensor, s: Tensor) { return indexCopy_(this, d, i, s); };
P['indexCopy'] = function (this: Tensor, d: number, i: Tensor, s: Tensor) { return indexCopy_(this.clone(), d, i, s); };
P['indexFill_'] = function (this: Tensor, d: number, i: Tensor, v: Scalar | Tensor) { return indexFill_(this, d, i, v); };
P['indexFill'] = function (this: Tensor, d: number, i: Tensor, v: Scalar | Tensor) { return indexFill_(this.clone(), d, i, v); };
P['take'] = function (this: Tensor, i: Tensor) { return take(this, i); };
P['maskedFill'] = function (this: Tensor, m: Tensor, v: Scalar | Tensor) { return maskedFill(this, m, v); };
P['maskedFill_'] = function (this: Tensor, m: Tensor, v: Scalar | Tensor) { return maskedFill_(this, m, v); };
P['maskedSelect'] = function (this: Tensor, m: Tensor) { return maskedSelect(this, m); };
P['nonzero'] = function (this: Tensor, o?: { asTuple?: boolean }) { return o?.asTuple ? nonzero(this, { asTuple: true }) : nonzero(this); };
P['argwhere'] = function (this: Tensor) { return argwhere(this); };
