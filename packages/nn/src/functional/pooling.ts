// Pooling (handbook 5.3): max/avg pooling over 1–3 spatial dims, adaptive pooling, max unpooling.
//
// Max and average pooling read every window through the im2col primitive (−∞ padding for max), then
// reduce the window axis; their gradients come from the reduction's and im2col's derivatives.
// Adaptive average pooling is a product with per-axis averaging matrices; adaptive max pooling gathers
// each axis' (variable-length) windows, padded by repeating their last element, then reduces.
import { type Tensor, dispatch, tensor, zeros } from '@kindling/tensor';
import { type PyArgs, pyArgs } from '../args.js';
import { type IntOrTuple, type Window, im2col, ntuple, poolOutputSize } from './window.js';

const shapeStr = (s: readonly number[]) => `[${s.join(', ')}]`;
const prod = (v: readonly number[]) => v.reduce((a, b) => a * b, 1);

interface PoolGeometry {
  batched: boolean;
  xb: Tensor;
  win: Window;
  inSize: number[];
}

function poolSetup(
  fn: string, d: number, x: Tensor, kernelSize: IntOrTuple, stride: IntOrTuple | null | undefined, padding: IntOrTuple, dilation: IntOrTuple, ceilMode: boolean,
): PoolGeometry {
  const batched = x.ndim === d + 2;
  if (!batched && x.ndim !== d + 1) {
    throw new Error(`${fn}: Expected ${d + 1}D or ${d + 2}D (batch mode) tensor with optional 0 dim batch size for input, but got: ${shapeStr(x.shape)}`);
  }
  const k = ntuple('kernel_size', kernelSize, d, fn);
  const s = stride === null || stride === undefined || (Array.isArray(stride) && stride.length === 0) ? k : ntuple('stride', stride, d, fn);
  const p = ntuple('padding', padding, d, fn);
  const dl = ntuple('dilation', dilation, d, fn);
  if (k.some((v) => v <= 0)) throw new Error(`${fn}: kernel size should be greater than zero, but got kernel: ${shapeStr(k)}`);
  if (s.some((v) => v <= 0)) throw new Error(`${fn}: stride should be greater than zero, but got stride: ${shapeStr(s)}`);
  if (dl.some((v) => v <= 0)) throw new Error(`${fn}: dilation should be greater than zero, but got dilation: ${shapeStr(dl)}`);
  p.forEach((pv, i) => {
    if (pv < 0 || pv > Math.floor(k[i]! / 2)) throw new Error(`pad should be at most half of kernel size, but got pad=${pv} and kernel_size=${k[i]}`);
  });
  const xb = batched ? x : x.unsqueeze(0);
  const inSize = xb.shape.slice(2) as number[];
  const outSize = inSize.map((n, i) => poolOutputSize(n, k[i]!, p[i]!, s[i]!, dl[i]!, ceilMode));
  if (outSize.some((o) => o <= 0) || xb.shape[1] === 0) {
    throw new Error(`Given input size: (${[xb.shape[1]!, ...inSize].join('x')}). Calculated output size: (${[xb.shape[1]!, ...outSize].join('x')}). Output size is too small`);
  }
  return { batched, xb, win: { kernel: k, stride: s, padding: p, dilation: dl, outSize }, inSize };
}

/** Row-major strides of a spatial size. */
function spatialStrides(size: readonly number[]): number[] {
  const st = new Array<number>(size.length).fill(1);
  for (let i = size.length - 2; i >= 0; i--) st[i] = st[i + 1]! * size[i + 1]!;
  return st;
}

function int64(values: number[], shape: number[], like: Tensor): Tensor {
  return tensor(values, { dtype: 'int64', device: like.device }).reshape(shape);
}

// ---- max pooling --------------------------------------------------------------------------------

export interface MaxPoolOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  dilation?: IntOrTuple;
  ceilMode?: boolean;
  returnIndices?: boolean;
}
type MaxPoolArgs = PyArgs<[stride: IntOrTuple | null, padding: IntOrTuple, dilation: IntOrTuple, ceilMode: boolean, returnIndices: boolean], MaxPoolOptions>;

/** Max pooling over the last d dims; values and (flat spatial) indices, as `max_poolNd_with_indices`. */
function maxPoolNd(fn: string, d: number, x: Tensor, kernelSize: IntOrTuple, args: MaxPoolArgs): [Tensor, Tensor | null] {
  const o = pyArgs(fn, args, ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'], {
    stride: null as IntOrTuple | null, padding: 0 as IntOrTuple, dilation: 1 as IntOrTuple, ceilMode: false, returnIndices: false,
  });
  if (!x.isFloatingPoint()) throw new Error(`"${fn}" not implemented for '${x.dtype}'`);
  const g = poolSetup(fn, d, x, kernelSize, o.stride, o.padding, o.dilation, o.ceilMode);
  const { xb, win } = g;
  const [out, idx] = dispatch('max_pool', [xb], { ...win }) as [Tensor, Tensor];
  const indices = o.returnIndices ? idx : null;
  if (!g.batched) return [out.squeeze(0), indices ? indices.squeeze(0) : null];
  return [out, indices];
}

type PoolResult<O> = O extends { returnIndices: true } ? [Tensor, Tensor] : Tensor;
function maxPoolResult(r: [Tensor, Tensor | null]): Tensor | [Tensor, Tensor] {
  return r[1] ? [r[0], r[1]] : r[0];
}

/** `F.max_pool1d(input, kernel_size, stride = kernel_size, padding = 0, dilation = 1, ceil_mode = false, return_indices = false)`. */
export function maxPool1d<A extends MaxPoolArgs>(x: Tensor, kernelSize: IntOrTuple, ...args: A): PoolResult<A extends [...unknown[], infer O] ? O : never> {
  return maxPoolResult(maxPoolNd('max_pool1d', 1, x, kernelSize, args)) as PoolResult<A extends [...unknown[], infer O] ? O : never>;
}
/** `F.max_pool2d(input, kernel_size, stride = kernel_size, padding = 0, dilation = 1, ceil_mode = false, return_indices = false)`. */
export function maxPool2d<A extends MaxPoolArgs>(x: Tensor, kernelSize: IntOrTuple, ...args: A): PoolResult<A extends [...unknown[], infer O] ? O : never> {
  return maxPoolResult(maxPoolNd('max_pool2d', 2, x, kernelSize, args)) as PoolResult<A extends [...unknown[], infer O] ? O : never>;
}
/** `F.max_pool3d(input, kernel_size, stride = kernel_size, padding = 0, dilation = 1, ceil_mode = false, return_indices = false)`. */
export function maxPool3d<A extends MaxPoolArgs>(x: Tensor, kernelSize: IntOrTuple, ...args: A): PoolResult<A extends [...unknown[], infer O] ? O : never> {
  return maxPoolResult(maxPoolNd('max_pool3d', 3, x, kernelSize, args)) as PoolResult<A extends [...unknown[], infer O] ? O : never>;
}
type IdxArgs = PyArgs<[stride: IntOrTuple | null, padding: IntOrTuple, dilation: IntOrTuple, ceilMode: boolean], Omit<MaxPoolOptions, 'returnIndices'>>;
const withIdx = (args: IdxArgs): MaxPoolArgs => {
  const last = args[args.length - 1];
  if (last !== null && typeof last === 'object' && !Array.isArray(last)) return [...args.slice(0, -1), { ...last, returnIndices: true }] as unknown as MaxPoolArgs;
  return [...args, { returnIndices: true }] as unknown as MaxPoolArgs;
};
/** `F.max_pool1d_with_indices`: [values, indices]. */
export function maxPool1dWithIndices(x: Tensor, kernelSize: IntOrTuple, ...args: IdxArgs): [Tensor, Tensor] {
  return maxPoolNd('max_pool1d', 1, x, kernelSize, withIdx(args)) as [Tensor, Tensor];
}
/** `F.max_pool2d_with_indices`: [values, indices]. */
export function maxPool2dWithIndices(x: Tensor, kernelSize: IntOrTuple, ...args: IdxArgs): [Tensor, Tensor] {
  return maxPoolNd('max_pool2d', 2, x, kernelSize, withIdx(args)) as [Tensor, Tensor];
}
/** `F.max_pool3d_with_indices`: [values, indices]. */
export function maxPool3dWithIndices(x: Tensor, kernelSize: IntOrTuple, ...args: IdxArgs): [Tensor, Tensor] {
  return maxPoolNd('max_pool3d', 3, x, kernelSize, withIdx(args)) as [Tensor, Tensor];
}

// ---- average pooling ----------------------------------------------------------------------------

export interface AvgPoolOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}
type AvgPoolArgs = PyArgs<[stride: IntOrTuple | null, padding: IntOrTuple, ceilMode: boolean, countIncludePad: boolean, divisorOverride: number | null], AvgPoolOptions>;
type AvgPool1dArgs = PyArgs<[stride: IntOrTuple | null, padding: IntOrTuple, ceilMode: boolean, countIncludePad: boolean], Omit<AvgPoolOptions, 'divisorOverride'>>;

function avgPoolNd(fn: string, d: number, x: Tensor, kernelSize: IntOrTuple, args: AvgPoolArgs): Tensor {
  const o = pyArgs(fn, args, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'], {
    stride: null as IntOrTuple | null, padding: 0 as IntOrTuple, ceilMode: false, countIncludePad: true, divisorOverride: null as number | null,
  });
  if (o.divisorOverride !== null && o.divisorOverride !== undefined && o.divisorOverride === 0) throw new Error('divisor must be not zero');
  if (!x.isFloatingPoint()) throw new Error(`"${fn}" not implemented for '${x.dtype}'`);
  const g = poolSetup(fn, d, x, kernelSize, o.stride, o.padding, 1, o.ceilMode);
  const { xb, win } = g;
  const [N, C] = [xb.shape[0]!, xb.shape[1]!];
  const L = prod(win.outSize);
  const K = prod(win.kernel);
  // The divisor of each output position, as PyTorch's kernel computes it.
  const ost = spatialStrides(win.outSize);
  const div: number[] = [];
  for (let l = 0; l < L; l++) {
    let poolSize = 1;
    let inside = 1;
    for (let i = 0; i < d; i++) {
      const pos = Math.floor(l / ost[i]!) % win.outSize[i]!;
      let start = pos * win.stride[i]! - win.padding[i]!;
      let end = Math.min(start + win.kernel[i]!, g.inSize[i]! + win.padding[i]!);
      poolSize *= end - start;
      start = Math.max(start, 0);
      end = Math.min(end, g.inSize[i]!);
      inside *= Math.max(end - start, 0);
    }
    div.push(o.divisorOverride ? o.divisorOverride : inside === 0 ? 1 : o.countIncludePad ? poolSize : inside);
  }
  const sums = im2col(xb, win, 0).reshape([N, C, K, L]).sum(2);
  const divisor = tensor(div, { dtype: xb.dtype, device: xb.device }).reshape([1, 1, L]);
  const out = sums.div(divisor).reshape([N, C, ...win.outSize]);
  return g.batched ? out : out.squeeze(0);
}

/** `F.avg_pool1d(input, kernel_size, stride = kernel_size, padding = 0, ceil_mode = false, count_include_pad = true)`. */
export function avgPool1d(x: Tensor, kernelSize: IntOrTuple, ...args: AvgPool1dArgs): Tensor {
  return avgPoolNd('avg_pool1d', 1, x, kernelSize, args as AvgPoolArgs);
}
/** `F.avg_pool2d(input, kernel_size, stride = kernel_size, padding = 0, ceil_mode = false, count_include_pad = true, divisor_override = null)`. */
export function avgPool2d(x: Tensor, kernelSize: IntOrTuple, ...args: AvgPoolArgs): Tensor {
  return avgPoolNd('avg_pool2d', 2, x, kernelSize, args);
}
/** `F.avg_pool3d(input, kernel_size, stride = kernel_size, padding = 0, ceil_mode = false, count_include_pad = true, divisor_override = null)`. */
export function avgPool3d(x: Tensor, kernelSize: IntOrTuple, ...args: AvgPoolArgs): Tensor {
  return avgPoolNd('avg_pool3d', 3, x, kernelSize, args);
}

// ---- adaptive pooling ---------------------------------------------------------------------------

export type AdaptiveSize = number | null | readonly (number | null)[];

function adaptiveSetup(fn: string, d: number, x: Tensor, outputSize: AdaptiveSize) {
  const batched = x.ndim === d + 2;
  if (!batched && x.ndim !== d + 1) {
    throw new Error(`${fn}(): Expected ${d + 1}D or ${d + 2}D tensor, but got ${shapeStr(x.shape)}`);
  }
  const xb = batched ? x : x.unsqueeze(0);
  const inSize = xb.shape.slice(2) as number[];
  const raw = outputSize === null || typeof outputSize === 'number' ? new Array<number | null>(d).fill(outputSize) : [...outputSize];
  if (raw.length === 1 && d > 1) while (raw.length < d) raw.push(raw[0]!);
  if (raw.length !== d) throw new Error(`${fn}: output_size must be ${d}`);
  const outSize = raw.map((v, i) => (v === null ? inSize[i]! : v));
  if (outSize.some((v) => !Number.isInteger(v) || v < 0)) throw new Error(`${fn}: elements of output_size must be greater than or equal to 0 but received ${shapeStr(outSize)}`);
  for (let i = 1; i < xb.ndim; i++) {
    if (xb.shape[i] === 0) {
      throw new Error(`${fn}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${shapeStr(x.shape)} with dimension ${i} being empty`);
    }
  }
  return { batched, xb, inSize, outSize };
}
const windowStart = (o: number, n: number, out: number) => Math.floor((o * n) / out);
const windowEnd = (o: number, n: number, out: number) => Math.ceil(((o + 1) * n) / out);

function adaptiveAvgPoolNd(fn: string, d: number, x: Tensor, outputSize: AdaptiveSize): Tensor {
  const { batched, xb, inSize, outSize } = adaptiveSetup(fn, d, x, outputSize);
  if (outSize.every((o) => o === 1) && inSize.some((n) => n > 1)) {
    // Global average pooling: one mean over the spatial dims (and its gradient a broadcast).
    const y = xb.mean(inSize.map((_, i) => i + 2), { keepdim: true });
    return batched ? y : y.squeeze(0);
  }
  let y = xb;
  for (let i = 0; i < d; i++) {
    const n = inSize[i]!;
    const out = outSize[i]!;
    if (n === out) continue;
    // P[o, j] = 1/len(window o) for j in window o: y ← y ·_dim Pᵀ.
    const P = new Array<number>(out * n).fill(0);
    for (let o = 0; o < out; o++) {
      const s = windowStart(o, n, out);
      const e = windowEnd(o, n, out);
      for (let j = s; j < e; j++) P[o * n + j] = 1 / (e - s);
    }
    const m = tensor(P, { dtype: xb.dtype, device: xb.device }).reshape([out, n]);
    const dim = i + 2;
    y = y.movedim(dim, -1).matmul(m.T).movedim(-1, dim);
  }
  if (y === xb) y = xb.clone();
  return batched ? y : y.squeeze(0);
}

/** `F.adaptive_avg_pool1d(input, output_size)`. */
export function adaptiveAvgPool1d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  return adaptiveAvgPoolNd('adaptive_avg_pool1d', 1, x, outputSize);
}
/** `F.adaptive_avg_pool2d(input, output_size)`; an entry may be null (keep that size). */
export function adaptiveAvgPool2d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  return adaptiveAvgPoolNd('adaptive_avg_pool2d', 2, x, outputSize);
}
/** `F.adaptive_avg_pool3d(input, output_size)`. */
export function adaptiveAvgPool3d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  return adaptiveAvgPoolNd('adaptive_avg_pool3d', 3, x, outputSize);
}

function adaptiveMaxPoolNd(fn: string, d: number, x: Tensor, outputSize: AdaptiveSize): [Tensor, Tensor] {
  if (!x.isFloatingPoint()) throw new Error(`"${fn}" not implemented for '${x.dtype}'`);
  const { batched, xb, inSize, outSize } = adaptiveSetup(fn, d, x, outputSize);
  const [N, C] = [xb.shape[0]!, xb.shape[1]!];
  const tables: number[][] = [];
  const kmax: number[] = [];
  let y = xb;
  for (let i = 0; i < d; i++) {
    const n = inSize[i]!;
    const out = outSize[i]!;
    let km = 0;
    for (let o = 0; o < out; o++) km = Math.max(km, windowEnd(o, n, out) - windowStart(o, n, out));
    const table: number[] = [];
    for (let o = 0; o < out; o++) {
      const s = windowStart(o, n, out);
      const e = windowEnd(o, n, out);
      for (let j = 0; j < km; j++) table.push(Math.min(s + j, e - 1));
    }
    tables.push(table);
    kmax.push(km);
    // Axis 2 + 2i (earlier axes are already split into (out, k) pairs).
    const dim = 2 + 2 * i;
    y = y.indexSelect(dim, int64(table, [table.length], xb));
    y = y.reshape([...y.shape.slice(0, dim), out, km, ...y.shape.slice(dim + 1)]);
  }
  // [N, C, O0, K0, O1, K1, …] → [N, C, O0, O1, …, K0·K1·…]
  const perm = [0, 1, ...Array.from({ length: d }, (_, i) => 2 + 2 * i), ...Array.from({ length: d }, (_, i) => 3 + 2 * i)];
  const L = prod(outSize);
  const K = prod(kmax);
  const { values, indices: arg } = y.permute(perm).reshape([N, C, L, K]).max(-1);
  // Flat input index of each (output position, tap).
  const st = spatialStrides(inSize);
  const ost = spatialStrides(outSize);
  const kst = spatialStrides(kmax);
  const lookup: number[] = new Array<number>(L * K);
  for (let l = 0; l < L; l++) {
    for (let t = 0; t < K; t++) {
      let b = 0;
      for (let i = 0; i < d; i++) {
        const o = Math.floor(l / ost[i]!) % outSize[i]!;
        const j = Math.floor(t / kst[i]!) % kmax[i]!;
        b += tables[i]![o * kmax[i]! + j]! * st[i]!;
      }
      lookup[l * K + t] = b;
    }
  }
  const idx = int64(lookup, [1, 1, L, K], xb).expand([N, C, L, K]).gather(3, arg.unsqueeze(-1)).squeeze(-1);
  const out = values.reshape([N, C, ...outSize]);
  const indices = idx.reshape([N, C, ...outSize]);
  return batched ? [out, indices] : [out.squeeze(0), indices.squeeze(0)];
}

export interface AdaptiveMaxPoolOptions {
  returnIndices?: boolean;
}
type AdaptiveMaxArgs = PyArgs<[returnIndices: boolean], AdaptiveMaxPoolOptions>;
function adaptiveMax(fn: string, d: number, x: Tensor, outputSize: AdaptiveSize, args: AdaptiveMaxArgs): Tensor | [Tensor, Tensor] {
  const o = pyArgs(fn, args, ['returnIndices'], { returnIndices: false });
  const r = adaptiveMaxPoolNd(fn, d, x, outputSize);
  return o.returnIndices ? r : r[0];
}
/** `F.adaptive_max_pool1d(input, output_size, return_indices = false)`. */
export function adaptiveMaxPool1d<A extends AdaptiveMaxArgs>(x: Tensor, outputSize: AdaptiveSize, ...args: A): PoolResult<A extends [...unknown[], infer O] ? O : never> {
  return adaptiveMax('adaptive_max_pool1d', 1, x, outputSize, args) as PoolResult<A extends [...unknown[], infer O] ? O : never>;
}
/** `F.adaptive_max_pool2d(input, output_size, return_indices = false)`. */
export function adaptiveMaxPool2d<A extends AdaptiveMaxArgs>(x: Tensor, outputSize: AdaptiveSize, ...args: A): PoolResult<A extends [...unknown[], infer O] ? O : never> {
  return adaptiveMax('adaptive_max_pool2d', 2, x, outputSize, args) as PoolResult<A extends [...unknown[], infer O] ? O : never>;
}
/** `F.adaptive_max_pool3d(input, output_size, return_indices = false)`. */
export function adaptiveMaxPool3d<A extends AdaptiveMaxArgs>(x: Tensor, outputSize: AdaptiveSize, ...args: A): PoolResult<A extends [...unknown[], infer O] ? O : never> {
  return adaptiveMax('adaptive_max_pool3d', 3, x, outputSize, args) as PoolResult<A extends [...unknown[], infer O] ? O : never>;
}
/** `F.adaptive_max_pool2d_with_indices(input, output_size)`: [values, indices]. */
export function adaptiveMaxPool2dWithIndices(x: Tensor, outputSize: AdaptiveSize): [Tensor, Tensor] {
  return adaptiveMaxPoolNd('adaptive_max_pool2d', 2, x, outputSize);
}

// ---- max unpooling -------------------------------------------------------------------------------

export interface MaxUnpoolOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  outputSize?: readonly number[] | null;
}
type MaxUnpoolArgs = PyArgs<[stride: IntOrTuple | null, padding: IntOrTuple, outputSize: readonly number[] | null], MaxUnpoolOptions>;

function maxUnpoolNd(fn: string, d: number, x: Tensor, indices: Tensor, kernelSize: IntOrTuple, args: MaxUnpoolArgs): Tensor {
  const o = pyArgs(fn, args, ['stride', 'padding', 'outputSize'], { stride: null as IntOrTuple | null, padding: 0 as IntOrTuple, outputSize: null as readonly number[] | null });
  if (indices.dtype !== 'int64') throw new Error(`elements in indices should be type int64 but got: ${indices.dtype}`);
  if (x.shape.join() !== indices.shape.join()) {
    throw new Error(`Expected shape of indices to be same as that of the input tensor (${shapeStr(x.shape)}) but got indices tensor with shape: ${shapeStr(indices.shape)}`);
  }
  const batched = x.ndim === d + 2;
  if (!batched && x.ndim !== d + 1) throw new Error(`${fn}: Input to max_unpooling${d}d should be a ${d + 1}d or ${d + 2}d Tensor, but got a tensor with ${x.ndim} dimensions.`);
  const k = ntuple('kernel_size', kernelSize, d, fn);
  const s = o.stride === null || o.stride === undefined ? k : ntuple('stride', o.stride, d, fn);
  const p = ntuple('padding', o.padding, d, fn);
  const xb = batched ? x : x.unsqueeze(0);
  const ib = batched ? indices : indices.unsqueeze(0);
  const inSize = xb.shape.slice(2) as number[];
  const defaultSize = inSize.map((n, i) => (n - 1) * s[i]! - 2 * p[i]! + k[i]!);
  let outSize = defaultSize;
  if (o.outputSize) {
    let os = [...o.outputSize];
    if (os.length === d + 2) os = os.slice(2);
    else if (os.length === d + 1) os = os.slice(1);
    if (os.length !== d) throw new Error(`output_size should be a sequence containing ${d} or ${d + 2} elements, but it has a length of '${o.outputSize.length}'`);
    os.forEach((v, i) => {
      const lo = defaultSize[i]! - s[i]!;
      const hi = defaultSize[i]! + s[i]!;
      if (!(lo < v && v < hi)) throw new Error(`invalid output_size "${shapeStr(os)}" (dim ${i} must be between ${lo} and ${hi})`);
    });
    outSize = os;
  }
  const [N, C] = [xb.shape[0]!, xb.shape[1]!];
  const total = prod(outSize);
  const flatIdx = ib.reshape([N, C, -1]);
  if (flatIdx.numel() > 0) {
    const mx = Number(flatIdx.max().item());
    const mn = Number(flatIdx.min().item());
    if (mn < 0 || mx >= total) {
      throw new Error(`Found an invalid max index: ${mn < 0 ? mn : mx} (output volumes are of size ${outSize.join('x')}`);
    }
  }
  const y = zeros([N, C, total], { dtype: xb.dtype, device: xb.device }).scatter(2, flatIdx, xb.reshape([N, C, -1])).reshape([N, C, ...outSize]);
  return batched ? y : y.squeeze(0);
}

/** `F.max_unpool1d(input, indices, kernel_size, stride = kernel_size, padding = 0, output_size = null)`. */
export function maxUnpool1d(x: Tensor, indices: Tensor, kernelSize: IntOrTuple, ...args: MaxUnpoolArgs): Tensor {
  return maxUnpoolNd('max_unpool1d', 1, x, indices, kernelSize, args);
}
/** `F.max_unpool2d(input, indices, kernel_size, stride = kernel_size, padding = 0, output_size = null)`. */
export function maxUnpool2d(x: Tensor, indices: Tensor, kernelSize: IntOrTuple, ...args: MaxUnpoolArgs): Tensor {
  return maxUnpoolNd('max_unpool2d', 2, x, indices, kernelSize, args);
}
/** `F.max_unpool3d(input, indices, kernel_size, stride = kernel_size, padding = 0, output_size = null)`. */
export function maxUnpool3d(x: Tensor, indices: Tensor, kernelSize: IntOrTuple, ...args: MaxUnpoolArgs): Tensor {
  return maxUnpoolNd('max_unpool3d', 3, x, indices, kernelSize, args);
}
