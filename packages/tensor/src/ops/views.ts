import type { Attrs } from '../backend.js';
import { itemsize, legacyTypeName } from '../dtype.js';
import { dispatch1, OpError, registerOp } from '../op.js';
import { broadcastShapes, contiguousStrides, formatShape, normalizeDim, numel, ShapeError } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Resolve one -1 in a requested shape, with PyTorch's errors. */
export function inferSize(shape: readonly number[], n: number): number[] {
  const out = [...shape];
  let infer = -1;
  let known = 1;
  out.forEach((s, i) => {
    if (s === -1) {
      if (infer >= 0) throw new ShapeError('only one dimension can be inferred');
      infer = i;
    } else if (s < 0 || !Number.isInteger(s)) throw new ShapeError(`invalid shape dimension ${s}`);
    else known *= s;
  });
  if (!(n === known || (infer >= 0 && known > 0 && n % known === 0))) {
    throw new ShapeError(`shape '${formatShape(shape)}' is invalid for input of size ${n}`);
  }
  if (infer >= 0) {
    // With zero elements the -1 could be anything (ATen's infer_size says so rather than picking 0).
    if (known === 0) {
      throw new ShapeError(`cannot reshape tensor of 0 elements into shape ${formatShape(shape)} because the unspecified dimension size -1 can be any value and is ambiguous`);
    }
    out[infer] = n / known;
  }
  return out;
}

/** Strides that let `newShape` view memory laid out as (oldShape, oldStrides), or null (ATen's computeStride). */
export function viewStrides(oldShape: readonly number[], oldStrides: readonly number[], newShape: readonly number[]): number[] | null {
  if (oldShape.length === 0) return newShape.map(() => 1);
  const n = numel(oldShape);
  // No elements: the strides are arbitrary; ATen keeps them for the same shape, else uses contiguous ones.
  if (n === 0) return oldShape.join() === newShape.join() ? [...oldStrides] : contiguousStrides(newShape);
  const newStrides = new Array<number>(newShape.length).fill(0);
  let viewD = newShape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1]!;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d]!;
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStrides[d - 1]!;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? newStrides : null;
}

function viewOp(name: string, view: (t: Tensor, attrs: Attrs) => Tensor) {
  registerOp({ name, infer: () => null, view });
}

viewOp('view', (t, a) => {
  const shape = inferSize(a['shape'] as number[], t.numel());
  // unsqueeze/squeeze give their strides: those of size-1 dims are visible through stride(), and PyTorch's
  // unsqueeze/squeeze strides differ from what view would compute for them.
  const strides = (a['strides'] as number[] | undefined) ?? viewStrides(t.shape, t._strides, shape);
  if (!strides) {
    throw new ShapeError("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
  }
  return t._view(shape, strides);
});
viewOp('permute', (t, a) => {
  const given = a['dims'] as number[];
  // PyTorch checks the count before wrapping the dims.
  if (given.length !== t.ndim) {
    throw new ShapeError(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${t.ndim} is not equal to len(dims) = ${given.length}`);
  }
  const dims = given.map((d) => normalizeDim(d, t.ndim));
  if (new Set(dims).size !== dims.length) throw new ShapeError('permute(): duplicate dims are not allowed.');
  return t._view(dims.map((d) => t.shape[d]!), dims.map((d) => t._strides[d]!));
});
viewOp('expand', (t, a) => {
  const sizes = a['shape'] as number[];
  if (sizes.length < t.ndim) {
    throw new ShapeError(`expand(${legacyTypeName(t.dtype)}{${formatShape(t.shape)}}, size=${formatShape(sizes)}): the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${t.ndim})`);
  }
  // ATen's inferExpandGeometry, walking from the last dim: a new leading dim of size 1 gets the stride
  // it would have in a contiguous layout, an expanded dim stride 0.
  const off = sizes.length - t.ndim;
  const shape = new Array<number>(sizes.length);
  const strides = new Array<number>(sizes.length);
  for (let i = sizes.length - 1; i >= 0; i--) {
    const j = i - off;
    const s = sizes[i]!;
    let cur = j >= 0 ? t.shape[j]! : 1;
    let stride = j >= 0 ? t._strides[j]! : i + 1 < sizes.length ? shape[i + 1]! * strides[i + 1]! : 1;
    if (j < 0 && s < 0) throw new ShapeError(`The expanded size of the tensor (${s}) isn't allowed in a leading, non-existing dimension ${i}`);
    if (s < -1) throw new ShapeError(`Trying to create tensor with negative dimension ${s}: ${formatShape(sizes)}`);
    const target = s === -1 ? cur : s;
    if (cur !== target) {
      if (cur !== 1) {
        throw new ShapeError(`The expanded size of the tensor (${target}) must match the existing size (${cur}) at non-singleton dimension ${i}.  Target sizes: ${formatShape(sizes)}.  Tensor sizes: ${formatShape(t.shape)}`);
      }
      cur = target;
      stride = 0;
    }
    shape[i] = cur;
    strides[i] = stride;
  }
  return t._view(shape, strides);
});
viewOp('as_strided', (t, a) => {
  const shape = a['shape'] as number[];
  const strides = a['strides'] as number[];
  const offset = (a['offset'] as number | undefined) ?? t._offset;
  checkStrided(t, shape, strides, offset);
  return t._view(shape, strides, offset);
});

/**
 * ATen's setStrided checks: a view made from raw sizes and strides must stay inside its storage, or
 * kernels would read and write outside it.
 */
function checkStrided(t: Tensor, shape: readonly number[], strides: readonly number[], offset: number): void {
  if (shape.length !== strides.length) throw new ShapeError('mismatch in length of strides and shape');
  if (strides.some((s) => s < 0)) {
    throw new ShapeError(`as_strided: Negative strides are not supported at the moment, got strides: ${formatShape(strides)}`);
  }
  if (offset < 0) throw new ShapeError(`Tensor: invalid storage offset ${offset}`);
  // A view with no elements reaches nothing, whatever its strides (computeStorageNbytes is 0).
  if (shape.some((s) => s === 0)) return;
  const size = itemsize(t.dtype);
  const required = (offset + 1 + shape.reduce((acc, s, i) => acc + (s - 1) * strides[i]!, 0)) * size;
  const available = t._ref.storage.nbytes;
  if (required > available) {
    throw new ShapeError(`setStorage: sizes ${formatShape(shape)}, strides ${formatShape(strides)}, storage offset ${offset}, and itemsize ${size} requiring a storage size of ${required} are out of bounds for storage of size ${available}`);
  }
}
viewOp('diagonal', (t, a) => {
  const offset = (a['offset'] as number) ?? 0;
  const d1 = normalizeDim((a['dim1'] as number) ?? 0, t.ndim);
  const d2 = normalizeDim((a['dim2'] as number) ?? 1, t.ndim);
  if (d1 === d2) throw new ShapeError(`diagonal dimensions cannot be identical ${a['dim1']}, ${a['dim2']}`);
  const n1 = t.shape[d1]!;
  const n2 = t.shape[d2]!;
  const len = Math.max(0, offset >= 0 ? Math.min(n1, n2 - offset) : Math.min(n1 + offset, n2));
  const start = t._offset + (len === 0 ? 0 : offset >= 0 ? offset * t._strides[d2]! : -offset * t._strides[d1]!);
  const keep = t.shape.map((_, i) => i).filter((i) => i !== d1 && i !== d2);
  return t._view([...keep.map((i) => t.shape[i]!), len], [...keep.map((i) => t._strides[i]!), t._strides[d1]! + t._strides[d2]!], start);
});
viewOp('alias', (t) => t._view(t.shape, t._strides));

export function view(t: Tensor, ...shape: (number | readonly number[])[]): Tensor {
  const s = shape.length === 1 && Array.isArray(shape[0]) ? [...(shape[0] as number[])] : (shape as number[]);
  return dispatch1('view', [t], { shape: s });
}
export function reshape(t: Tensor, ...shape: (number | readonly number[])[]): Tensor {
  const s = shape.length === 1 && Array.isArray(shape[0]) ? [...(shape[0] as number[])] : (shape as number[]);
  const target = inferSize(s, t.numel());
  return viewStrides(t.shape, t._strides, target) ? dispatch1('view', [t], { shape: target }) : dispatch1('view', [t.contiguous()], { shape: target });
}
export function permute(t: Tensor, ...dims: (number | readonly number[])[]): Tensor {
  const d = dims.length === 1 && Array.isArray(dims[0]) ? [...(dims[0] as number[])] : (dims as number[]);
  return dispatch1('permute', [t], { dims: d });
}
export function transpose(t: Tensor, dim0: number, dim1: number): Tensor {
  const n = Math.max(t.ndim, 1);
  const a = normalizeDim(dim0, n);
  const b = normalizeDim(dim1, n);
  if (t.ndim === 0) return dispatch1('alias', [t]);
  const dims = t.shape.map((_, i) => i);
  dims[a] = b;
  dims[b] = a;
  return dispatch1('permute', [t], { dims });
}
export function expand(t: Tensor, ...shape: (number | readonly number[])[]): Tensor {
  const s = shape.length === 1 && Array.isArray(shape[0]) ? [...(shape[0] as number[])] : (shape as number[]);
  return dispatch1('expand', [t], { shape: s });
}
export function broadcastTo(t: Tensor, shape: readonly number[]): Tensor {
  return expand(t, [...shape]);
}
/** Tensors broadcast to one shape (views), as torch.broadcast_tensors. */
export function broadcastTensors(...ts: Tensor[]): Tensor[] {
  const shape = broadcastShapes(...ts.map((t) => t.shape));
  return ts.map((t) => (t.shape.join() === shape.join() ? t : expand(t, shape)));
}
export function unsqueeze(t: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, t.ndim + 1);
  const shape = [...t.shape];
  const strides = [...t._strides];
  // ATen's inferUnsqueezeGeometry: the new dim's stride is the one a contiguous layout would give it.
  strides.splice(d, 0, d >= t.ndim ? 1 : t.shape[d]! * t._strides[d]!);
  shape.splice(d, 0, 1);
  return dispatch1('view', [t], { shape, strides });
}
export function squeeze(t: Tensor, dim?: number): Tensor {
  const keep = dim === undefined
    ? t.shape.map((_, i) => i).filter((i) => t.shape[i] !== 1)
    : t.shape.map((_, i) => i).filter((i) => i !== normalizeDim(dim, t.ndim) || t.shape[i] !== 1);
  if (dim !== undefined && keep.length === t.ndim) return dispatch1('alias', [t]);
  // The remaining dims keep their strides (view would recompute those of remaining size-1 dims).
  return dispatch1('view', [t], { shape: keep.map((i) => t.shape[i]!), strides: keep.map((i) => t._strides[i]!) });
}
export function flatten(t: Tensor, startDim = 0, endDim = -1): Tensor {
  const s = normalizeDim(startDim, t.ndim);
  const e = normalizeDim(endDim, t.ndim);
  if (t.ndim === 0) return reshape(t, [1]);
  if (s > e) throw new ShapeError('flatten() has invalid args: start_dim cannot come after end_dim');
  if (s === e) return t;
  const shape = [...t.shape.slice(0, s), numel(t.shape.slice(s, e + 1)), ...t.shape.slice(e + 1)];
  return reshape(t, shape);
}
export function diagonal(t: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  // Wrapping the dims is the rank check: a 1-D tensor has no dim 1 (PyTorch's message).
  normalizeDim(dim1, t.ndim);
  normalizeDim(dim2, t.ndim);
  return dispatch1('diagonal', [t], { offset, dim1, dim2 });
}
/** `torch.as_strided(x, size, stride, storageOffset?)`: a view of x's storage (bounds-checked). */
export function asStrided(t: Tensor, size: readonly number[], stride: readonly number[], storageOffset?: number): Tensor {
  return dispatch1('as_strided', [t], { shape: [...size], strides: [...stride], offset: storageOffset ?? t._offset });
}
/** `x.T`: reverses all dims (deprecated in PyTorch for ndim ≠ 2, still allowed). */
export function T(t: Tensor): Tensor {
  return t.ndim < 2 ? dispatch1('alias', [t]) : permute(t, t.shape.map((_, i) => t.ndim - 1 - i));
}
export function mT(t: Tensor): Tensor {
  if (t.ndim < 2) throw new OpError(`tensor.mT is only supported on matrices or batches of matrices. Got ${t.ndim}-D tensor.`);
  return transpose(t, -2, -1);
}
