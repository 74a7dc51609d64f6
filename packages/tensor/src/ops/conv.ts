// Sliding-window primitives behind convolution, pooling and F.unfold/F.fold (nn, handbook 5.2/5.3).
//
// `im2col` gathers every window of an N-d input into a column: x of shape [N, C, *S] becomes cols of
// shape [N, C·∏k, L], L = ∏ outSize, rows ordered (c, k₀, k₁, …) — PyTorch's F.unfold layout. A
// convolution is then one batched GEMM W[Cout, C·∏k] · cols[n] whose result is already [N, Cout, L].
// Window position o along dim d reads input index o·stride − padding + j·dilation; indices outside the
// input read `padValue` (0 for convolution, −∞ for max pooling). Only the leading padding is an
// attribute: the trailing side follows from `outSize`, so asymmetric ('same', ceil_mode) windows
// need no copy of the input.
// `col2im` (F.fold) is its adjoint: it sums each column's entries back into an image of spatial size `inSize`.
//
// Each op also has a decomposition into portable ops (padding, an as_strided view, scatter_add, max),
// so a backend without these kernels still runs convolution and pooling, slowly.
import { dispatch, registerOp } from '../op.js';
import { isFloatingPoint } from '../dtype.js';
import { formatShape, ShapeError } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { full, tensor, zeros } from './creation.js';
import { cat } from './shape-ops.js';
import { scatterAdd, indexSelect } from './indexing.js';

function checkWindow(name: string, a: Record<string, unknown>, d: number): void {
  for (const key of ['kernel', 'stride', 'padding', 'dilation'] as const) {
    const v = a[key] as number[] | undefined;
    if (!Array.isArray(v) || v.length !== d || v.some((x) => !Number.isInteger(x))) {
      throw new ShapeError(`${name}: expected ${key} to be ${d} integers, got ${JSON.stringify(v)}`);
    }
  }
  const k = a['kernel'] as number[];
  const s = a['stride'] as number[];
  const dl = a['dilation'] as number[];
  if (k.some((x) => x <= 0)) throw new ShapeError(`${name}: kernel size should be greater than zero, but got kernel: ${formatShape(k)}`);
  if (s.some((x) => x <= 0)) throw new ShapeError(`${name}: stride should be greater than zero, but got stride: ${formatShape(s)}`);
  if (dl.some((x) => x <= 0)) throw new ShapeError(`${name}: dilation should be greater than zero, but got dilation: ${formatShape(dl)}`);
}

const prodOf = (v: readonly number[]) => v.reduce((p, q) => p * q, 1);

/**
 * The padded extent each spatial dim needs so that every window fits: [left, size] with
 * size ≥ (o − 1)·s + (k − 1)·d + 1 and ≥ left + input.
 */
function paddedExtent(a: Record<string, unknown>, inSize: readonly number[], outSize: readonly number[]): number[] {
  const k = a['kernel'] as number[];
  const s = a['stride'] as number[];
  const p = a['padding'] as number[];
  const d = a['dilation'] as number[];
  return inSize.map((n, i) => Math.max(outSize[i]! > 0 ? (outSize[i]! - 1) * s[i]! + (k[i]! - 1) * d[i]! + 1 : 0, p[i]! + n));
}

/** x [N, C, *S] padded with `value` to `extent` (left padding from the attributes). */
function padTo(x: Tensor, a: Record<string, unknown>, extent: readonly number[], value: number): Tensor {
  const p = a['padding'] as number[];
  let y = x;
  extent.forEach((size, i) => {
    const dim = i + 2;
    const left = p[i]!;
    const right = size - left - x.shape[dim]!;
    const block = (n: number) => {
      const shape = [...y.shape];
      shape[dim] = n;
      return full(shape, value, { dtype: y.dtype, device: y.device });
    };
    const parts = [...(left > 0 ? [block(left)] : []), y, ...(right > 0 ? [block(right)] : [])];
    if (parts.length > 1) y = cat(parts, dim);
  });
  return y;
}

/** The im2col decomposition: a strided view of the padded input, copied into [N, C·K, L]. */
function im2colDecomposed(x: Tensor, a: Record<string, unknown>): Tensor {
  const outSize = a['outSize'] as number[];
  const k = a['kernel'] as number[];
  const s = a['stride'] as number[];
  const d = a['dilation'] as number[];
  const extent = paddedExtent(a, x.shape.slice(2), outSize);
  const xp = padTo(x, a, extent, (a['padValue'] as number | undefined) ?? 0).contiguous();
  const [N, C] = [x.shape[0]!, x.shape[1]!];
  const st = extent.map((_, i) => prodOf(extent.slice(i + 1)));
  const plane = prodOf(extent);
  const view = xp.asStrided(
    [N, C, ...k, ...outSize],
    [C * plane, plane, ...st.map((v, i) => v * d[i]!), ...st.map((v, i) => v * s[i]!)],
    xp._offset,
  );
  return view.reshape([N, C * prodOf(k), prodOf(outSize)]);
}

/** Flat index, in the padded plane of `extent`, of every (tap, window position): [K·L]. */
function paddedTargets(a: Record<string, unknown>, extent: readonly number[]): number[] {
  const outSize = a['outSize'] as number[];
  const k = a['kernel'] as number[];
  const s = a['stride'] as number[];
  const d = a['dilation'] as number[];
  const nd = k.length;
  const st = extent.map((_, i) => prodOf(extent.slice(i + 1)));
  const K = prodOf(k);
  const L = prodOf(outSize);
  const out: number[] = [];
  for (let t = 0; t < K; t++) {
    for (let l = 0; l < L; l++) {
      let idx = 0;
      let tr = t;
      let lr = l;
      for (let i = nd - 1; i >= 0; i--) {
        const j = tr % k[i]!;
        const o = lr % outSize[i]!;
        tr = Math.floor(tr / k[i]!);
        lr = Math.floor(lr / outSize[i]!);
        idx += (o * s[i]! + j * d[i]!) * st[i]!;
      }
      out.push(idx);
    }
  }
  return out;
}

registerOp({
  name: 'im2col',
  infer([x], a) {
    const outSize = a['outSize'] as number[];
    const d = outSize.length;
    if (x!.ndim !== d + 2) throw new ShapeError(`im2col: expected a ${d + 2}-D input [N, C, *spatial], got ${formatShape(x!.shape)}`);
    checkWindow('im2col', a, d);
    if (outSize.some((o) => !Number.isInteger(o) || o < 0)) throw new ShapeError(`im2col: invalid output size ${formatShape(outSize)}`);
    const k = (a['kernel'] as number[]).reduce((p, q) => p * q, 1);
    const L = outSize.reduce((p, q) => p * q, 1);
    return [{ shape: [x!.shape[0]!, x!.shape[1]! * k, L], dtype: x!.dtype }];
  },
  decompose: ([x], a) => [im2colDecomposed(x!, a)],
});

registerOp({
  name: 'col2im',
  infer([cols], a) {
    const inSize = a['inSize'] as number[];
    const outSize = a['outSize'] as number[];
    const d = inSize.length;
    checkWindow('col2im', a, d);
    if (outSize.length !== d) throw new ShapeError(`col2im: outSize and inSize must have the same length`);
    const k = (a['kernel'] as number[]).reduce((p, q) => p * q, 1);
    const L = outSize.reduce((p, q) => p * q, 1);
    if (cols!.ndim !== 3 || cols!.shape[2] !== L || cols!.shape[1]! % k !== 0) {
      throw new ShapeError(`col2im: expected columns of shape [N, C*${k}, ${L}], got ${formatShape(cols!.shape)}`);
    }
    if (!isFloatingPoint(cols!.dtype)) throw new ShapeError(`col2im: expected a floating point tensor`);
    return [{ shape: [cols!.shape[0]!, cols!.shape[1]! / k, ...inSize], dtype: cols!.dtype }];
  },
  // Scatter-add every column entry into a padded image, then crop the padding off.
  decompose([cols], a) {
    const inSize = a['inSize'] as number[];
    const outSize = a['outSize'] as number[];
    const p = a['padding'] as number[];
    const extent = paddedExtent(a, inSize, outSize);
    const [N, CK, L] = cols!.shape as [number, number, number];
    const K = prodOf(a['kernel'] as number[]);
    const C = CK / K;
    const targets = tensor(paddedTargets(a, extent), { dtype: 'int64', device: cols!.device });
    const flat = scatterAdd(zeros([N, C, prodOf(extent)], { dtype: cols!.dtype, device: cols!.device }), 2, targets.reshape([1, 1, K * L]).expand([N, C, K * L]), cols!.reshape([N, C, K * L]));
    let img = flat.reshape([N, C, ...extent]);
    inSize.forEach((n, i) => (img = img.narrow(i + 2, p[i]!, n)));
    return [img.contiguous()];
  },
});

/**
 * `max_pool`: the maximum of each window of x [N, C, *S] (ties and −∞ windows keep the first
 * in-bounds tap, NaN wins, as PyTorch's CPU kernel) and its flat spatial index into S, as int64.
 * Windows follow im2col's geometry; positions outside the input never win.
 */
registerOp({
  name: 'max_pool',
  infer([x], a) {
    const outSize = a['outSize'] as number[];
    const d = outSize.length;
    if (x!.ndim !== d + 2) throw new ShapeError(`max_pool: expected a ${d + 2}-D input [N, C, *spatial], got ${formatShape(x!.shape)}`);
    checkWindow('max_pool', a, d);
    if (!isFloatingPoint(x!.dtype)) throw new ShapeError(`max_pool: expected a floating point tensor`);
    const shape = [x!.shape[0]!, x!.shape[1]!, ...outSize];
    return [{ shape, dtype: x!.dtype }, { shape, dtype: 'int64' }];
  },
  // im2col with −∞ padding, the max over each window's taps, and the winner's flat input index.
  decompose([x], a) {
    const outSize = a['outSize'] as number[];
    const k = a['kernel'] as number[];
    const s = a['stride'] as number[];
    const p = a['padding'] as number[];
    const d = a['dilation'] as number[];
    const inSize = x!.shape.slice(2);
    const [N, C] = [x!.shape[0]!, x!.shape[1]!];
    const K = prodOf(k);
    const L = prodOf(outSize);
    const cols = im2colDecomposed(x!, { ...a, padValue: -Infinity }).reshape([N, C, K, L]);
    const [values, arg] = dispatch('max_dim', [cols], { dim: 2, keepdim: false }) as [Tensor, Tensor];
    // index = Σ (o·s − p + j·d)·stride over dims: a per-position part plus a per-tap part.
    const st = inSize.map((_, i) => prodOf(inSize.slice(i + 1)));
    const base: number[] = [];
    for (let l = 0; l < L; l++) {
      let v = 0;
      let r = l;
      for (let i = k.length - 1; i >= 0; i--) {
        v += ((r % outSize[i]!) * s[i]! - p[i]!) * st[i]!;
        r = Math.floor(r / outSize[i]!);
      }
      base.push(v);
    }
    const taps: number[] = [];
    for (let t = 0; t < K; t++) {
      let v = 0;
      let r = t;
      for (let i = k.length - 1; i >= 0; i--) {
        v += (r % k[i]!) * d[i]! * st[i]!;
        r = Math.floor(r / k[i]!);
      }
      taps.push(v);
    }
    const dev = { dtype: 'int64' as const, device: x!.device };
    const idx = indexSelect(tensor(taps, dev), 0, arg.reshape([-1])).reshape([N, C, L]).add(tensor(base, dev).reshape([1, 1, L]));
    return [values.reshape([N, C, ...outSize]), idx.reshape([N, C, ...outSize])];
  },
});

/**
 * `max_pool_backward(grad, indices)`: max_pool's input gradient, each output's gradient added to the
 * input element its index names (summed where windows overlap), into [N, C, *inSize] (attribute).
 */
registerOp({
  name: 'max_pool_backward',
  infer([grad, indices], a) {
    const inSize = a['inSize'] as number[];
    if (grad!.ndim < 2 || indices!.dtype !== 'int64' || indices!.shape.length !== grad!.shape.length || indices!.shape.some((s, i) => s !== grad!.shape[i])) {
      throw new ShapeError(`max_pool_backward: expected a gradient [N, C, *] and int64 indices of its shape, got ${formatShape(grad!.shape)} and ${formatShape(indices!.shape)}`);
    }
    return [{ shape: [grad!.shape[0]!, grad!.shape[1]!, ...inSize], dtype: grad!.dtype }];
  },
  decompose([grad, indices], a) {
    const inSize = a['inSize'] as number[];
    const [N, C] = [grad!.shape[0]!, grad!.shape[1]!];
    const flat = zeros([N, C, prodOf(inSize)], { dtype: grad!.dtype, device: grad!.device });
    return [scatterAdd(flat, 2, indices!.reshape([N, C, -1]), grad!.reshape([N, C, -1])).reshape([N, C, ...inSize])];
  },
});
