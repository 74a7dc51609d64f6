import type { Attrs } from '../backend.js';
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
  if (infer >= 0) {
    if (known === 0 || n % known !== 0) throw new ShapeError(`shape '${formatShape(shape)}' is invalid for input of size ${n}`);
    out[infer] = n / known;
  } else if (known !== n) throw new ShapeError(`shape '${formatShape(shape)}' is invalid for input of size ${n}`);
  return out;
}

/** Strides that let `newShape` view memory laid out as (oldShape, oldStrides), or null (ATen's computeStride). */
export function viewStrides(oldShape: readonly number[], oldStrides: readonly number[], newShape: readonly number[]): number[] | null {
  if (oldShape.length === 0) return newShape.map(() => 1);
  const n = numel(oldShape);
  if (n === 0) return oldShape.every((s, i) => s === 0 || true) && oldShape.join() === newShape.join() ? [...oldStrides] : contiguousStrides(newShape);
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
  const strides = viewStrides(t.shape, t._strides, shape);
  if (!strides) {
    throw new ShapeError("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
  }
  return t._view(shape, strides);
});
viewOp('permute', (t, a) => {
  const dims = (a['dims'] as number[]).map((d) => normalizeDim(d, t.ndim));
  if (dims.length !== t.ndim) {
    throw new ShapeError(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${t.ndim} is not equal to len(dims) = ${dims.length}`);
  }
  if (new Set(dims).size !== dims.length) throw new ShapeError('permute(): duplicate dims are not allowed.');
  return t._view(dims.map((d) => t.shape[d]!), dims.map((d) => t._strides[d]!));
});
viewOp('expand', (t, a) => {
  const sizes = a['shape'] as number[];
  if (sizes.length < t.ndim) {
    throw new ShapeError(`expand(torch.FloatTensor{${formatShape(t.shape)}}, size=${formatShape(sizes)}): the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${t.ndim})`);
  }
  const off = sizes.length - t.ndim;
  const shape: number[] = [];
  const strides: number[] = [];
  sizes.forEach((s, i) => {
    const j = i - off;
    const cur = j >= 0 ? t.shape[j]! : 1;
    const target = s === -1 ? cur : s;
    if (j < 0 && s === -1) throw new ShapeError(`The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i}`);
    if (cur !== target && cur !== 1) {
      throw new ShapeError(`The expanded size of the tensor (${target}) must match the existing size (${cur}) at non-singleton dimension ${i}.  Target sizes: ${formatShape(sizes)}.  Tensor sizes: ${formatShape(t.shape)}`);
    }
    shape.push(target);
    strides.push(j < 0 || cur !== target ? 0 : t._strides[j]!);
  });
  return t._view(shape, strides);
});
viewOp('as_strided', (t, a) => t._view(a['shape'] as number[], a['strides'] as number[], (a['offset'] as number | undefined) ?? t._offset));
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
  shape.splice(d, 0, 1);
  return dispatch1('view', [t], { shape });
}
export function squeeze(t: Tensor, dim?: number): Tensor {
  if (dim === undefined) return dispatch1('view', [t], { shape: t.shape.filter((s) => s !== 1) });
  const d = normalizeDim(dim, t.ndim);
  if (t.ndim === 0 || t.shape[d] !== 1) return dispatch1('alias', [t]);
  const shape = [...t.shape];
  shape.splice(d, 1);
  return dispatch1('view', [t], { shape });
}
export function flatten(t: Tensor, startDim = 0, endDim = -1): Tensor {
  if (t.ndim === 0) return reshape(t, [1]);
  const s = normalizeDim(startDim, t.ndim);
  const e = normalizeDim(endDim, t.ndim);
  if (s > e) throw new ShapeError('flatten() has invalid args: start_dim cannot come after end_dim');
  if (s === e) return t;
  const shape = [...t.shape.slice(0, s), numel(t.shape.slice(s, e + 1)), ...t.shape.slice(e + 1)];
  return reshape(t, shape);
}
export function diagonal(t: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  if (t.ndim < 2) throw new ShapeError(`diagonal(): expected a tensor with at least 2 dimensions, got ${t.ndim}`);
  return dispatch1('diagonal', [t], { offset, dim1, dim2 });
}
/** `x.T`: reverses all dims (deprecated in PyTorch for ndim ≠ 2, still allowed). */
export function T(t: Tensor): Tensor {
  return t.ndim < 2 ? dispatch1('alias', [t]) : permute(t, t.shape.map((_, i) => t.ndim - 1 - i));
}
export function mT(t: Tensor): Tensor {
  if (t.ndim < 2) throw new OpError(`tensor.mT is only supported on matrices or batches of matrices. Got ${t.ndim}-D tensor.`);
  return transpose(t, -2, -1);
}
