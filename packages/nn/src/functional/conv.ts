// Convolution (handbook 5.2): F.conv1d/2d/3d, F.conv_transpose1d/2d/3d, F.unfold and F.fold.
//
// A convolution is im2col (the input's windows as columns, [N, C·∏k, L]) and one batched GEMM with the
// weight viewed as [Cout, C·∏k], whose result is already [N, Cout, L]. A transposed convolution is the
// adjoint: the weight (transposed view) times x gives columns, which col2im sums into the (larger)
// output. Both primitives are differentiable (each is the other's derivative), and the GEMM is the
// matmul op (conv-gemm.ts gives it a cheaper weight gradient), so autograd needs little else. (Columns built from an as_strided view of
// the padded input, with its generic derivative, give the same values ~35× slower in backward.)
import { type Tensor, autocastOp, cat } from '@kindling/tensor';
import { isGradEnabled } from '@kindling/autograd';
import { type PyArgs, need, pyArgs } from '../args.js';
import { type ConvPadding, type IntOrTuple, type Window, col2im, im2col, ntuple } from './window.js';
import { convGemm } from './conv-gemm.js';

export type { IntOrTuple, ConvPadding } from './window.js';

const shapeStr = (s: readonly number[]) => `[${s.join(', ')}]`;
const tupleStr = (s: readonly number[]) => s.join(' x ');

/**
 * Batch chunks that keep one column matrix under ~64 MiB (float32). A convolution's columns are saved
 * for the weight's gradient, so it chunks only when no gradient is recorded; a transposed
 * convolution's columns are never saved (col2im is linear), so it always may.
 */
function batchChunks(n: number, perSample: number): number[] {
  const limit = 1 << 24;
  const size = Math.max(1, Math.floor(limit / Math.max(1, perSample)));
  const out: number[] = [];
  for (let s = 0; s < n; s += size) out.push(Math.min(size, n - s));
  return out;
}

export interface ConvOptions {
  bias?: Tensor | null;
  stride?: IntOrTuple;
  padding?: ConvPadding;
  dilation?: IntOrTuple;
  groups?: number;
}
type ConvArgs = PyArgs<[bias: Tensor | null | undefined, stride: IntOrTuple, padding: ConvPadding, dilation: IntOrTuple, groups: number], ConvOptions>;

/** Checks and the normalised arguments of a d-dimensional convolution. */
function convSetup(fn: string, d: number, x: Tensor, weight: Tensor, o: Required<ConvOptions>) {
  const batched = x.ndim === d + 2;
  if (!batched && x.ndim !== d + 1) {
    throw new Error(`Expected ${d + 1}D (unbatched) or ${d + 2}D (batched) input to ${fn}, but got input of size: ${shapeStr(x.shape)}`);
  }
  if (weight.ndim !== d + 2) {
    throw new Error(`${fn}: expected a ${d + 2}-D weight [out_channels, in_channels/groups, *kernel_size], but got weight of size ${shapeStr(weight.shape)}`);
  }
  const groups = o.groups;
  if (!Number.isInteger(groups) || groups <= 0) throw new Error('non-positive groups is not supported');
  const stride = ntuple('stride', o.stride, d, fn);
  const dilation = ntuple('dilation', o.dilation, d, fn);
  if (stride.some((s) => s <= 0)) throw new Error('non-positive stride is not supported');
  if (dilation.some((s) => s <= 0)) throw new Error('dilation should be greater than zero');
  const kernel = weight.shape.slice(2) as number[];
  const xb = batched ? x : x.unsqueeze(0);
  const inSize = xb.shape.slice(2) as number[];
  let padL: number[];
  let padR: number[];
  if (o.padding === 'valid') {
    padL = padR = new Array<number>(d).fill(0);
  } else if (o.padding === 'same') {
    if (stride.some((s) => s !== 1)) throw new Error("padding='same' is not supported for strided convolutions");
    const total = kernel.map((k, i) => dilation[i]! * (k - 1));
    padL = total.map((t) => Math.floor(t / 2));
    padR = total.map((t, i) => t - padL[i]!);
  } else if (typeof o.padding === 'string') {
    throw new Error(`Invalid padding string '${o.padding}', should be one of {'same', 'valid'}`);
  } else {
    padL = padR = ntuple('padding', o.padding, d, fn);
    if (padL.some((p) => p < 0)) throw new Error('negative padding is not supported');
  }
  return { batched, xb, groups, stride, dilation, kernel, inSize, padL, padR };
}

function convNd(fn: string, d: number, x: Tensor, weight: Tensor, args: ConvArgs): Tensor {
  const o = pyArgs(fn, args, ['bias', 'stride', 'padding', 'dilation', 'groups'], {
    bias: null as Tensor | null | undefined, stride: 1 as IntOrTuple, padding: 0 as ConvPadding, dilation: 1 as IntOrTuple, groups: 1,
  });
  const s = convSetup(fn, d, x, weight, { ...o, bias: o.bias ?? null });
  const { xb, groups, kernel } = s;
  const [N, C] = [xb.shape[0]!, xb.shape[1]!];
  const Cout = weight.shape[0]!;
  if (Cout % groups !== 0) {
    throw new Error(`Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size ${shapeStr(weight.shape)} instead`);
  }
  if (weight.shape[1]! * groups !== C) {
    throw new Error(`Given groups=${groups}, weight of size ${shapeStr(weight.shape)}, expected input${shapeStr(xb.shape)} to have ${weight.shape[1]! * groups} channels, but got ${C} channels instead`);
  }
  if (o.bias && (o.bias.ndim !== 1 || o.bias.shape[0] !== Cout)) {
    throw new Error(`Given weight of size ${shapeStr(weight.shape)}, expected bias to be 1-dimensional with ${Cout} elements, but got bias of size ${shapeStr(o.bias.shape)} instead`);
  }
  if (xb.dtype !== weight.dtype) throw new TypeError(`Input type (${xb.dtype}) and weight type (${weight.dtype}) should be the same`);
  const padded = s.inSize.map((n, i) => n + s.padL[i]! + s.padR[i]!);
  const eff = kernel.map((k, i) => s.dilation[i]! * (k - 1) + 1);
  if (padded.some((p, i) => p < eff[i]!)) {
    throw new Error(`Calculated padded input size per channel: (${tupleStr(padded)}). Kernel size: (${tupleStr(eff)}). Kernel size can't be greater than actual input size`);
  }
  const outSize = padded.map((p, i) => Math.floor((p - eff[i]!) / s.stride[i]!) + 1);
  const win: Window = { kernel, stride: s.stride, padding: s.padL, dilation: s.dilation, outSize };
  const L = outSize.reduce((a, b) => a * b, 1);
  const K = kernel.reduce((a, b) => a * b, 1);
  const Cg = C / groups;
  const Cog = Cout / groups;
  const recording = isGradEnabled() && (xb.requiresGrad || weight.requiresGrad || !!o.bias?.requiresGrad);
  const run = (xs: Tensor): Tensor => {
    const n = xs.shape[0]!;
    const cols = im2col(xs, win); // [n, C·K, L]
    let y: Tensor; // [n, Cout, L]
    if (groups === 1) y = convGemm(weight.reshape([Cout, C * K]), cols);
    else y = weight.reshape([groups, Cog, Cg * K]).matmul(cols.reshape([n, groups, Cg * K, L])).reshape([n, Cout, L]);
    if (!recording) cols.dispose(); // only the weight's gradient needs the columns again
    if (o.bias) {
      const biased = y.add(o.bias.reshape([1, Cout, 1]));
      y.dispose();
      y = biased;
    }
    // The result is a view of y, which nothing else holds: dropping y's reference lets disposing the
    // result free the memory at once.
    const out = y.reshape([n, Cout, ...outSize]);
    if (out !== y) y.dispose();
    return out;
  };
  const chunks = batchChunks(N, L * C * K);
  let y: Tensor;
  if (chunks.length <= 1 || recording) y = run(xb);
  else {
    let start = 0;
    y = cat(chunks.map((c) => {
      const part = run(xb.narrow(0, start, c));
      start += c;
      return part;
    }), 0);
  }
  return s.batched ? y : y.squeeze(0);
}

/**
 * Under autocast a convolution is one lower-precision op (PyTorch's lists have conv1d/2d/3d): its input,
 * weight and bias are cast, and the result rounded once.
 */
function autocastConv(fn: string, d: number, x: Tensor, weight: Tensor, args: ConvArgs): Tensor {
  const o = pyArgs(fn, args, ['bias', 'stride', 'padding', 'dilation', 'groups'], {
    bias: null as Tensor | null | undefined, stride: 1 as IntOrTuple, padding: 0 as ConvPadding, dilation: 1 as IntOrTuple, groups: 1,
  });
  const rest = { stride: o.stride, padding: o.padding, dilation: o.dilation, groups: o.groups };
  if (!o.bias) return autocastOp(fn, [x, weight] as const, (xi, w) => convNd(fn, d, xi, w, [{ ...rest, bias: null }]));
  return autocastOp(fn, [x, weight, o.bias] as const, (xi, w, b) => convNd(fn, d, xi, w, [{ ...rest, bias: b }]));
}

/** `F.conv1d(input, weight, bias = null, stride = 1, padding = 0, dilation = 1, groups = 1)`; padding may be 'same' or 'valid'. */
export function conv1d(x: Tensor, weight: Tensor, ...args: ConvArgs): Tensor {
  return autocastConv('conv1d', 1, x, weight, args);
}
/** `F.conv2d(input, weight, bias = null, stride = 1, padding = 0, dilation = 1, groups = 1)`. */
export function conv2d(x: Tensor, weight: Tensor, ...args: ConvArgs): Tensor {
  return autocastConv('conv2d', 2, x, weight, args);
}
/** `F.conv3d(input, weight, bias = null, stride = 1, padding = 0, dilation = 1, groups = 1)`. */
export function conv3d(x: Tensor, weight: Tensor, ...args: ConvArgs): Tensor {
  return autocastConv('conv3d', 3, x, weight, args);
}

// ---- transposed convolution ---------------------------------------------------------------------

export interface ConvTransposeOptions {
  bias?: Tensor | null;
  stride?: IntOrTuple;
  padding?: IntOrTuple;
  outputPadding?: IntOrTuple;
  groups?: number;
  dilation?: IntOrTuple;
}
type ConvTransposeArgs = PyArgs<
  [bias: Tensor | null | undefined, stride: IntOrTuple, padding: IntOrTuple, outputPadding: IntOrTuple, groups: number, dilation: IntOrTuple],
  ConvTransposeOptions
>;

/** The output size of a transposed convolution: (in − 1)·s − 2p + d·(k − 1) + outputPadding + 1. */
function convTransposeOutSize(inSize: readonly number[], k: readonly number[], s: readonly number[], p: readonly number[], dl: readonly number[], op: readonly number[]): number[] {
  return inSize.map((n, i) => (n - 1) * s[i]! - 2 * p[i]! + dl[i]! * (k[i]! - 1) + op[i]! + 1);
}

function convTransposeNd(fn: string, d: number, x: Tensor, weight: Tensor, args: ConvTransposeArgs): Tensor {
  const o = pyArgs(fn, args, ['bias', 'stride', 'padding', 'outputPadding', 'groups', 'dilation'], {
    bias: null as Tensor | null | undefined, stride: 1 as IntOrTuple, padding: 0 as IntOrTuple, outputPadding: 0 as IntOrTuple, groups: 1, dilation: 1 as IntOrTuple,
  });
  const batched = x.ndim === d + 2;
  if (!batched && x.ndim !== d + 1) {
    throw new Error(`Expected ${d + 1}D (unbatched) or ${d + 2}D (batched) input to ${fn}, but got input of size: ${shapeStr(x.shape)}`);
  }
  if (weight.ndim !== d + 2) throw new Error(`${fn}: expected a ${d + 2}-D weight, but got weight of size ${shapeStr(weight.shape)}`);
  const xb = batched ? x : x.unsqueeze(0);
  const groups = o.groups;
  if (!Number.isInteger(groups) || groups <= 0) throw new Error('non-positive groups is not supported');
  const stride = ntuple('stride', o.stride, d, fn);
  const padding = ntuple('padding', o.padding, d, fn);
  const outPad = ntuple('output_padding', o.outputPadding, d, fn);
  const dilation = ntuple('dilation', o.dilation, d, fn);
  if (stride.some((v) => v <= 0)) throw new Error('non-positive stride is not supported');
  if (dilation.some((v) => v <= 0)) throw new Error('dilation should be greater than zero');
  if (padding.some((v) => v < 0)) throw new Error('negative padding is not supported');
  if (outPad.some((v, i) => v < 0 || (v >= stride[i]! && v >= dilation[i]!))) {
    throw new Error(`output padding must be smaller than either stride or dilation, but got output_padding: ${shapeStr(outPad)}, stride: ${shapeStr(stride)}, dilation: ${shapeStr(dilation)}`);
  }
  const [N, Cin] = [xb.shape[0]!, xb.shape[1]!];
  if (weight.shape[0] !== Cin) {
    throw new Error(`Given transposed=1, weight of size ${shapeStr(weight.shape)}, expected input${shapeStr(xb.shape)} to have ${weight.shape[0]} channels, but got ${Cin} channels instead`);
  }
  if (Cin % groups !== 0) {
    throw new Error(`Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size ${shapeStr(weight.shape)} instead`);
  }
  if (xb.dtype !== weight.dtype) throw new TypeError(`Input type (${xb.dtype}) and weight type (${weight.dtype}) should be the same`);
  const Cog = weight.shape[1]!;
  const Cout = Cog * groups;
  if (o.bias && (o.bias.ndim !== 1 || o.bias.shape[0] !== Cout)) {
    throw new Error(`Given transposed=1, weight of size ${shapeStr(weight.shape)}, expected bias to be 1-dimensional with ${Cout} elements, but got bias of size ${shapeStr(o.bias.shape)} instead`);
  }
  const kernel = weight.shape.slice(2) as number[];
  const inSize = xb.shape.slice(2) as number[];
  const outSize = convTransposeOutSize(inSize, kernel, stride, padding, dilation, outPad);
  if (outSize.some((v) => v <= 0)) {
    throw new Error(`Given input size per channel: (${tupleStr(inSize)}). Calculated output size per channel: (${tupleStr(outSize)}). Output size is too small`);
  }
  const K = kernel.reduce((a, b) => a * b, 1);
  const L = inSize.reduce((a, b) => a * b, 1);
  const Cig = Cin / groups;
  // The columns of the output's "convolution": its windows are indexed by the input's positions.
  const win: Window = { kernel, stride, padding, dilation, outSize: inSize };
  const run = (xs: Tensor): Tensor => {
    const n = xs.shape[0]!;
    const x3 = xs.reshape([n, Cin, L]);
    let cols: Tensor; // [n, Cout·K, L]
    if (groups === 1) cols = weight.reshape([Cin, Cog * K]).T.matmul(x3);
    else cols = weight.reshape([groups, Cig, Cog * K]).transpose(1, 2).matmul(x3.reshape([n, groups, Cig, L])).reshape([n, Cout * K, L]);
    let y = col2im(cols, win, outSize);
    if (o.bias) y = y.add(o.bias.reshape([1, Cout, ...new Array<number>(d).fill(1)]));
    return y;
  };
  const chunks = batchChunks(N, L * Cout * K);
  let y: Tensor;
  if (chunks.length <= 1) y = run(xb);
  else {
    let start = 0;
    y = cat(chunks.map((c) => {
      const part = run(xb.narrow(0, start, c));
      start += c;
      return part;
    }), 0);
  }
  return batched ? y : y.squeeze(0);
}

/** `F.conv_transpose1d(input, weight, bias = null, stride = 1, padding = 0, output_padding = 0, groups = 1, dilation = 1)`. */
export function convTranspose1d(x: Tensor, weight: Tensor, ...args: ConvTransposeArgs): Tensor {
  return convTransposeNd('conv_transpose1d', 1, x, weight, args);
}
/** `F.conv_transpose2d(input, weight, bias = null, stride = 1, padding = 0, output_padding = 0, groups = 1, dilation = 1)`. */
export function convTranspose2d(x: Tensor, weight: Tensor, ...args: ConvTransposeArgs): Tensor {
  return convTransposeNd('conv_transpose2d', 2, x, weight, args);
}
/** `F.conv_transpose3d(input, weight, bias = null, stride = 1, padding = 0, output_padding = 0, groups = 1, dilation = 1)`. */
export function convTranspose3d(x: Tensor, weight: Tensor, ...args: ConvTransposeArgs): Tensor {
  return convTransposeNd('conv_transpose3d', 3, x, weight, args);
}

// ---- unfold / fold --------------------------------------------------------------------------------

export interface UnfoldOptions {
  kernelSize?: IntOrTuple;
  dilation?: IntOrTuple;
  padding?: IntOrTuple;
  stride?: IntOrTuple;
}
type UnfoldArgs = PyArgs<[kernelSize: IntOrTuple, dilation: IntOrTuple, padding: IntOrTuple, stride: IntOrTuple], UnfoldOptions>;

function slidingGeometry(fn: string, inSize: readonly number[], kernelSize: IntOrTuple, dilation: IntOrTuple, padding: IntOrTuple, stride: IntOrTuple) {
  const d = inSize.length;
  const kernel = ntuple('kernel_size', kernelSize, d, fn);
  const dl = ntuple('dilation', dilation, d, fn);
  const p = ntuple('padding', padding, d, fn);
  const s = ntuple('stride', stride, d, fn);
  if (kernel.some((v) => v <= 0)) throw new Error(`kernel size should be greater than zero, but got kernel_height: ${kernel[0]} kernel_width: ${kernel[1]}`);
  if (s.some((v) => v <= 0)) throw new Error(`stride should be greater than zero, but got stride_height: ${s[0]} stride_width: ${s[1]}`);
  if (dl.some((v) => v <= 0)) throw new Error(`dilation should be greater than zero, but got dilation_height: ${dl[0]} dilation_width: ${dl[1]}`);
  if (p.some((v) => v < 0)) throw new Error(`padding should be non-negative, but got pad_height: ${p[0]} pad_width: ${p[1]}`);
  const outSize = inSize.map((n, i) => Math.floor((n + 2 * p[i]! - (dl[i]! * (kernel[i]! - 1) + 1)) / s[i]!) + 1);
  return { kernel, dilation: dl, padding: p, stride: s, outSize };
}

/**
 * `F.unfold(input, kernel_size, dilation = 1, padding = 0, stride = 1)`: the sliding blocks of a
 * [N, C, H, W] (or unbatched [C, H, W]) input as columns, [N, C·∏k, L].
 */
export function unfold(x: Tensor, ...args: UnfoldArgs): Tensor {
  const o = pyArgs('unfold', args, ['kernelSize', 'dilation', 'padding', 'stride'], {
    kernelSize: undefined as IntOrTuple | undefined, dilation: 1 as IntOrTuple, padding: 0 as IntOrTuple, stride: 1 as IntOrTuple,
  });
  const kernelSize = need('unfold', 'kernelSize', o.kernelSize);
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new Error(`Input Error: Only 3D or 4D input Tensors are supported (got ${x.ndim}D)`);
  }
  const xb = x.ndim === 4 ? x : x.unsqueeze(0);
  const g = slidingGeometry('unfold', xb.shape.slice(2), kernelSize, o.dilation, o.padding, o.stride);
  if (g.outSize.some((v) => v < 1)) {
    throw new Error(
      `Given input with spatial size (${xb.shape[2]}, ${xb.shape[3]}), kernel_size=(${g.kernel.join(', ')}), dilation=(${g.dilation.join(', ')}), padding=(${g.padding.join(', ')}), calculated shape of the array of sliding blocks as (${g.outSize.join(', ')}), but its components must be at least one.`,
    );
  }
  const cols = im2col(xb, g);
  return x.ndim === 4 ? cols : cols.squeeze(0);
}

type FoldArgs = PyArgs<[outputSize: IntOrTuple, kernelSize: IntOrTuple, dilation: IntOrTuple, padding: IntOrTuple, stride: IntOrTuple], UnfoldOptions & { outputSize?: IntOrTuple }>;

/**
 * `F.fold(input, output_size, kernel_size, dilation = 1, padding = 0, stride = 1)`: sums the columns of
 * [N, C·∏k, L] (or unbatched [C·∏k, L]) back into [N, C, *output_size], the adjoint of unfold.
 */
export function fold(x: Tensor, ...args: FoldArgs): Tensor {
  const o = pyArgs('fold', args, ['outputSize', 'kernelSize', 'dilation', 'padding', 'stride'], {
    outputSize: undefined as IntOrTuple | undefined, kernelSize: undefined as IntOrTuple | undefined, dilation: 1 as IntOrTuple, padding: 0 as IntOrTuple, stride: 1 as IntOrTuple,
  });
  const outputSize = need('fold', 'outputSize', o.outputSize);
  const kernelSize = need('fold', 'kernelSize', o.kernelSize);
  if (x.ndim !== 2 && x.ndim !== 3) {
    throw new Error(`Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported (got ${x.ndim}D)`);
  }
  const xb = x.ndim === 3 ? x : x.unsqueeze(0);
  const size = ntuple('output_size', outputSize, 2, 'fold');
  const g = slidingGeometry('fold', size, kernelSize, o.dilation, o.padding, o.stride);
  const K = g.kernel.reduce((a, b) => a * b, 1);
  const L = g.outSize.reduce((a, b) => a * b, 1);
  if (xb.shape[1]! % K !== 0) {
    throw new Error(`Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=${xb.shape[1]} and kernel_size=(${g.kernel.join(', ')})`);
  }
  if (xb.shape[2] !== L) {
    throw new Error(
      `Given output_size=(${size.join(', ')}), kernel_size=(${g.kernel.join(', ')}), dilation=(${g.dilation.join(', ')}), padding=(${g.padding.join(', ')}), stride=(${g.stride.join(', ')}), expected size of input's dimension 2 to match the calculated number of sliding blocks ${g.outSize.join(' * ')} = ${L}, but got input.size(2)=${xb.shape[2]}.`,
    );
  }
  const y = col2im(xb, g, size);
  return x.ndim === 3 ? y : y.squeeze(0);
}
