// F.pad (handbook 5.2's padding modes): constant, reflect, replicate, circular.
import { type Tensor, cat, full, tensor } from '@kindling/tensor';
import { type PyArgs, pyArgs } from '../args.js';

export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';
export interface PadOptions {
  mode?: PadMode;
  value?: number | null;
}

const shapeStr = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Index i of the padded axis (i = −left … n − 1 + right) mapped into 0 … n − 1 by the mode. */
function sourceIndex(mode: Exclude<PadMode, 'constant'>, i: number, n: number): number {
  if (mode === 'replicate') return Math.min(Math.max(i, 0), n - 1);
  if (mode === 'circular') return ((i % n) + n) % n;
  // reflect, without repeating the edge: … 2 1 | 0 1 2 … n−1 | n−2 …
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const m = ((i % period) + period) % period;
  return m < n ? m : period - m;
}

/** One axis padded by gathering rows: differentiable through index_select (its backward is index_add). */
function padAxisByIndex(x: Tensor, dim: number, left: number, right: number, mode: Exclude<PadMode, 'constant'>): Tensor {
  const n = x.shape[dim]!;
  const idx: number[] = [];
  for (let i = -left; i < n + right; i++) idx.push(sourceIndex(mode, i, n));
  return x.indexSelect(dim, tensor(idx, { dtype: 'int64', device: x.device }));
}

/**
 * `F.pad(input, pad, mode = 'constant', value = 0)`: `pad` lists (left, right) amounts for the last
 * dim, then the one before, …; negative amounts crop. Non-constant modes pad the last 1–3 dims of a
 * batched or unbatched input, as PyTorch 1.13 accepts them.
 */
export function pad(x: Tensor, padding: readonly number[], ...args: PyArgs<[mode: PadMode, value: number | null], PadOptions>): Tensor {
  const o = pyArgs('pad', args, ['mode', 'value'], { mode: 'constant' as PadMode, value: null as number | null });
  if (padding.length % 2 !== 0) throw new Error('Padding length must be divisible by 2');
  if (padding.length / 2 > x.ndim) throw new Error('Padding length too large');
  if (padding.some((p) => !Number.isInteger(p))) throw new TypeError('pad(): argument \'pad\' must be a tuple of ints');
  const mode = o.mode;
  if (!['constant', 'reflect', 'replicate', 'circular'].includes(mode)) {
    throw new Error(`Unrecognised padding mode ${mode}`);
  }
  const nPad = padding.length / 2;
  if (mode !== 'constant') {
    if (o.value !== null && o.value !== 0) throw new Error(`Padding mode "${mode}" doesn't take in value argument`);
    if (mode === 'circular') {
      if (padding.length !== 2 * (x.ndim - 2)) {
        if (!(nPad >= 1 && nPad <= 3 && (x.ndim === nPad + 1 || x.ndim === nPad + 2))) {
          throw new Error('Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now');
        }
        throw new Error(`Invalid padding size, expected ${2 * (x.ndim - 2)} but got ${padding.length}`);
      }
    } else if (!(nPad >= 1 && nPad <= 3 && (x.ndim === nPad + 1 || x.ndim === nPad + 2))) {
      throw new Error('Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now');
    }
  }
  let y = x;
  for (let k = 0; k < nPad; k++) {
    const dim = x.ndim - 1 - k;
    let left = padding[2 * k]!;
    let right = padding[2 * k + 1]!;
    const n = y.shape[dim]!;
    if (mode === 'reflect' && (left >= n || right >= n)) {
      throw new Error(`Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${left}, ${right}) at dimension ${dim} of input ${shapeStr(x.shape)}`);
    }
    if (mode === 'circular' && (left > n || right > n)) {
      throw new Error('Padding value causes wrapping around more than once.');
    }
    if (mode === 'replicate' && n === 0 && (left > 0 || right > 0)) {
      throw new Error(`input tensor must have a non-zero size at dimension ${dim}: ${shapeStr(x.shape)}`);
    }
    // Negative amounts crop first.
    if (left < 0 || right < 0) {
      const start = left < 0 ? -left : 0;
      const len = n - start - (right < 0 ? -right : 0);
      if (len < 0) throw new Error(`The input size ${n}, plus negative padding ${left} and ${right} resulted in a negative output size, which is invalid. Check dimension ${dim} of your input.`);
      y = y.narrow(dim, start, len);
      left = Math.max(left, 0);
      right = Math.max(right, 0);
    }
    if (left === 0 && right === 0) continue;
    if (mode === 'constant') {
      const parts: Tensor[] = [];
      const block = (size: number) => {
        const shape = [...y.shape];
        shape[dim] = size;
        return full(shape, o.value ?? 0, { dtype: y.dtype, device: y.device });
      };
      if (left > 0) parts.push(block(left));
      parts.push(y);
      if (right > 0) parts.push(block(right));
      y = cat(parts, dim);
    } else {
      y = padAxisByIndex(y, dim, left, right, mode);
    }
  }
  return y;
}
