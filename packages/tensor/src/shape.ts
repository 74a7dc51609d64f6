export type Shape = readonly number[];

export class ShapeError extends RangeError {
  override name = 'ShapeError';
}
export class IndexError extends RangeError {
  override name = 'IndexError';
}

export function numel(shape: Shape): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= Math.max(shape[i]!, 1);
  }
  return strides;
}

export function isContiguousLayout(shape: Shape, strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const size = shape[i]!;
    if (size === 0) return true;
    if (size !== 1 && strides[i] !== expected) return false;
    expected *= size;
  }
  return true;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Wrap a possibly negative dim into [0, ndim), with PyTorch's error. Zero-dim tensors accept -1 and 0. */
export function normalizeDim(dim: number, ndim: number): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new IndexError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + n : dim;
}

/** Two shapes broadcast together, walking from the last dim as PyTorch's infer_size does. */
function inferSize(a: Shape, b: Shape): number[] {
  const ndim = Math.max(a.length, b.length);
  const out = new Array<number>(ndim);
  for (let i = ndim - 1; i >= 0; i--) {
    const offset = ndim - 1 - i;
    const sa = a.length - 1 - offset >= 0 ? a[a.length - 1 - offset]! : 1;
    const sb = b.length - 1 - offset >= 0 ? b[b.length - 1 - offset]! : 1;
    if (sa !== sb && sa !== 1 && sb !== 1) {
      throw new ShapeError(`The size of tensor a (${sa}) must match the size of tensor b (${sb}) at non-singleton dimension ${i}`);
    }
    out[i] = sa === 1 ? sb : sa;
  }
  return out;
}

/** `torch.broadcast_shapes`, with PyTorch's message on mismatch. */
export function broadcastShapes(...shapes: Shape[]): number[] {
  let out: number[] = [];
  for (const s of shapes) out = inferSize(out, s);
  return out;
}

/** Accept `f(3, 4)` and `f([3, 4])` alike. */
export function shapeFromArgs(args: readonly (number | readonly number[])[]): number[] {
  const flat = args.length === 1 && Array.isArray(args[0]) ? (args[0] as number[]) : (args as number[]);
  for (const s of flat) {
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 0) {
      throw new ShapeError(`Trying to create tensor with negative dimension or non-integer size ${String(s)}: ${formatShape(flat)}`);
    }
  }
  return [...flat];
}

/**
 * Merge dimensions that every operand (each given by its strides over `shape`) walks contiguously,
 * and drop size-1 ones, so a kernel loops over as few dimensions as possible. Returns at least one
 * dimension. Shared by the backends' strided kernels.
 */
export function coalesce(shape: Shape, stridesList: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = stridesList.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d]!;
    if (size === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && stridesList.every((s, k) => outStrides[k]![last] === s[d]! * size)) {
      outShape[last] = outShape[last]! * size;
      stridesList.forEach((s, k) => (outStrides[k]![last] = s[d]!));
      continue;
    }
    outShape.push(size);
    stridesList.forEach((s, k) => outStrides[k]!.push(s[d]!));
  }
  if (outShape.length === 0) return { shape: [1], strides: stridesList.map(() => [0]) };
  return { shape: outShape, strides: outStrides };
}
