import type { Tensor, TypedArray } from '@kindling/tensor';
import { typedArrayFor } from '@kindling/tensor';
import type { CpuStorage } from './storage.js';

/** A tensor as a kernel sees it: the typed array of its whole storage, an offset and strides (in elements). */
export interface Operand {
  readonly arr: TypedArray;
  readonly offset: number;
  readonly strides: readonly number[];
}

/** The typed array over a tensor's storage for its dtype (float16 as raw bits, bool as bytes). */
export function storageArray(t: Tensor): TypedArray {
  const s = t._ref.storage as CpuStorage;
  const Ctor = typedArrayFor(t.dtype);
  let view = s.views.get(Ctor) as TypedArray | undefined;
  if (!view) {
    view = new Ctor(s.buffer, s.byteOffset, Math.floor(s.nbytes / Ctor.BYTES_PER_ELEMENT));
    s.views.set(Ctor, view);
  }
  return view;
}

/** The operand of `t` broadcast to `shape` (strides 0 on broadcast dims). */
export function operand(t: Tensor, shape: readonly number[] = t.shape): Operand {
  const nd = shape.length;
  const off = nd - t.ndim;
  const strides = new Array<number>(nd);
  for (let i = 0; i < nd; i++) {
    const j = i - off;
    strides[i] = j < 0 || t.shape[j] === 1 ? 0 : t._strides[j]!;
  }
  return { arr: storageArray(t), offset: t._offset, strides };
}

/**
 * Merge dimensions that every operand walks contiguously, and drop size-1 ones, so a kernel loops
 * over as few dimensions as possible. Returns at least one dimension.
 */
export function coalesce(shape: readonly number[], stridesList: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
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
