import type { Tensor, TypedArray } from '@kindling/tensor';
export { coalesce } from '@kindling/tensor';
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

