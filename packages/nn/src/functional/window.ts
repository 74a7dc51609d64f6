// Window geometry shared by convolution and pooling, and the im2col/col2im primitives they run on.
import { type Tensor, dispatch1 } from '@kindling/tensor';

export type IntOrTuple = number | readonly number[];
export type ConvPadding = IntOrTuple | 'same' | 'valid';

/** PyTorch's `_single/_pair/_triple`: an int repeated d times, or a tuple of length d. */
export function ntuple(name: string, v: IntOrTuple, d: number, fn = 'conv'): number[] {
  const out = typeof v === 'number' ? new Array<number>(d).fill(v) : [...v];
  if (out.length === 1 && d > 1) return new Array<number>(d).fill(out[0]!);
  if (out.length !== d || out.some((x) => !Number.isInteger(x))) {
    throw new TypeError(`${fn}(): argument '${name}' must be an int or a tuple of ${d} ints, but got ${JSON.stringify(v)}`);
  }
  return out;
}

/** Window geometry handed to the im2col/col2im primitives. */
export interface Window {
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  outSize: number[];
}

export function im2col(x: Tensor, w: Window, padValue = 0): Tensor {
  return dispatch1('im2col', [x], { ...w, padValue });
}
export function col2im(cols: Tensor, w: Window, inSize: readonly number[]): Tensor {
  return dispatch1('col2im', [cols], { ...w, inSize: [...inSize] });
}


/** PyTorch's `pooling_output_shape`, ceil_mode included (the last window must start inside the input or left padding). */
export function poolOutputSize(n: number, k: number, p: number, s: number, dl: number, ceilMode: boolean): number {
  const num = n + 2 * p - dl * (k - 1) - 1 + (ceilMode ? s - 1 : 0);
  let out = Math.floor(num / s) + 1;
  if (ceilMode && (out - 1) * s >= n + p) out--;
  return out;
}
