// Native fast paths for the hottest kernels. Each wraps the TypeScript kernel registered before it
// (or, for softmax, the op's decomposition) and takes the native path only for the layouts and dtypes
// the addon handles; everything else falls through to the TypeScript code unchanged.
import { type Attrs, type DType, type Kernel, type Tensor, ELEMENTWISE, elementwiseDtypes, getOp } from '@kindling/tensor';
import { cpuKernels, registerCpuKernel } from '../backend.js';
import { coalesce, operand, storageArray } from '../layout.js';
import { type NativeAddon, nativeAddon } from './addon.js';

/** Ops that run natively when their inputs allow it. */
export const NATIVE_OPS = ['bmm', 'bmm_sum', 'copy', 'scatter', 'add', 'sub', 'mul', 'div', 'exp', 'neg', 'abs', 'sqrt', 'rsqrt', 'pow', 'relu', 'threshold_backward', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'where', 'sum', 'softmax', 'log_softmax', 'im2col', 'col2im', 'max_pool', 'max_pool_backward', 'batch_norm_stats', 'batch_norm_elemt', 'batch_norm_backward'] as const;

type Floats = Float32Array | Float64Array;
type FastPath = (native: NativeAddon, inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: Attrs) => boolean;

const sameStorage = (a: Tensor, b: Tensor) => a._ref.storage === b._ref.storage;
const isFloat = (d: DType) => d === 'float32' || d === 'float64';

let enabled = true;

/**
 * Turn the native fast paths off (and on again) in this process, so that tests and benchmarks can
 * compare them with the TypeScript kernels. Not exported from the package.
 */
export function setNativeKernelsEnabled(on: boolean): void {
  enabled = on;
}

/** Register `fast` in front of the kernel `name` has now: when it returns false, that kernel runs. */
function wrap(native: NativeAddon, name: string, fast: FastPath, fallback: Kernel | undefined = cpuKernels[name]): void {
  if (!fallback) return;
  registerCpuKernel(name, (inputs, outputs, attrs) =>
    enabled && fast(native, inputs, outputs, attrs) ? undefined : fallback(inputs, outputs, attrs),
  );
}

/**
 * bmm, and bmm_sum (one output, the products of the batch added up): any strides (packing reads
 * through them), float32 or float64 throughout.
 */
function bmm(sumBatch: boolean): FastPath {
  return (native, inputs, outputs) => {
    const [a, b] = inputs as [Tensor, Tensor];
    const out = outputs[0]!;
    const dtype = out.dtype;
    if (!isFloat(dtype) || a.dtype !== dtype || b.dtype !== dtype) return false;
    // The result must not be written over an operand while it is still being read.
    if (sameStorage(out, a) || sameStorage(out, b)) return false;
    const [batch, n, k] = a.shape as [number, number, number];
    const m = b.shape[2]!;
    const [aBs, aRs, aCs] = a._strides as [number, number, number];
    const [bBs, bRs, bCs] = b._strides as [number, number, number];
    const [cBs, cRs, cCs] = (sumBatch ? [0, ...out._strides] : out._strides) as [number, number, number];
    native.gemm(
      storageArray(a) as Floats, a._offset, aBs, aRs, aCs,
      storageArray(b) as Floats, b._offset, bBs, bRs, bCs,
      storageArray(out) as Floats, out._offset, cBs, cRs, cCs,
      batch, n, m, k, sumBatch,
    );
    return true;
  };
}

/** The value of a zero-dim operand as the float32 computation reads it (as loadExpr casts it). */
function scalarAsFloat32(t: Tensor): Float32Array | null {
  if (t.ndim !== 0) return null;
  switch (t.dtype) {
    case 'float64': case 'int64': case 'int32': case 'int16': case 'int8': case 'uint8': case 'bool': {
      const v = storageArray(t)[t._offset]!;
      return Float32Array.of(Number(v));
    }
    default:
      return null;
  }
}

type Op = ReturnType<typeof operand>;

/**
 * The layout of an elementwise call as native rows × cols calls: the operands (output first) are
 * coalesced; the last dim is the columns (the output's stride 1, each input's 0 or 1), the one
 * before it the rows, and any dims before those become one call each. Null when the layout does
 * not fit, or when it would take many calls of little work (crossing into the addon costs more).
 */
function rowBlocks(shape: readonly number[], ops: readonly Op[]): { rows: number; cols: number; rs: number[]; cs: number[]; starts: number[][] } | null {
  const c = coalesce(shape, ops.map((o) => o.strides));
  const last = c.shape.length - 1;
  const cs = c.strides.map((st) => st[last]!);
  if (cs[0] !== 1 || cs.some((x) => x !== 0 && x !== 1)) return null;
  const rowDim = last - 1;
  const rows = rowDim >= 0 ? c.shape[rowDim]! : 1;
  const rs = c.strides.map((st) => (rowDim >= 0 ? st[rowDim]! : 0));
  const outer = c.shape.slice(0, Math.max(0, rowDim));
  const calls = outer.reduce((x, y) => x * y, 1);
  if (calls > 1 && rows * c.shape[last]! < 256) return null;
  const starts: number[][] = [];
  const pos = ops.map((o) => o.offset);
  const idx = outer.map(() => 0);
  for (let k = 0; k < calls; k++) {
    starts.push([...pos]);
    // The next outer index, odometer style.
    for (let d = outer.length - 1; d >= 0; d--) {
      for (let i = 0; i < pos.length; i++) pos[i]! += c.strides[i]![d]!;
      if (++idx[d]! < outer[d]!) break;
      for (let i = 0; i < pos.length; i++) pos[i]! -= c.strides[i]![d]! * outer[d]!;
      idx[d] = 0;
    }
  }
  return { rows, cols: c.shape[last]!, rs, cs, starts };
}

/**
 * The float32 operands of an elementwise op whose computation is float32: float32 tensors, and
 * 0-dim tensors of other dtypes read as the float32 they compute as. Null otherwise.
 */
function float32Operands(name: string, inputs: readonly Tensor[], shape: readonly number[], skip = 0): Op[] | null {
  const entry = ELEMENTWISE.find((e) => e.name === name)!;
  if (elementwiseDtypes(entry, inputs).compute !== 'float32') return null;
  const ops: Op[] = [];
  for (const t of inputs.slice(skip)) {
    if (t.dtype === 'float32') ops.push(operand(t, shape));
    else {
      const s = scalarAsFloat32(t);
      if (!s) return null;
      ops.push({ arr: s, offset: 0, strides: shape.map(() => 0) });
    }
  }
  return ops;
}

const BINARY_CODES: Record<string, number> = { add: 0, sub: 1, mul: 2, div: 3 };

/** float32 add/sub/mul/div whose operands, coalesced, are rows of contiguous or broadcast values. */
function binary(name: string): FastPath {
  const code = BINARY_CODES[name]!;
  return (native, inputs, outputs) => {
    const out = outputs[0]!;
    if (out.dtype !== 'float32' || inputs.length !== 2) return false;
    const ops = float32Operands(name, inputs, out.shape);
    return ops !== null && binaryCall(native, code, out, ops[0]!, ops[1]!);
  };
}

function binaryCall(native: NativeAddon, code: number, out: Tensor, a: Op, b: Op): boolean {
  const o = operand(out);
  const lay = rowBlocks(out.shape, [o, a, b]);
  if (!lay) return false;
  const { rs, cs } = lay;
  for (const [oo, ao, bo] of lay.starts) {
    native.binary(code, a.arr as Float32Array, ao!, rs[1]!, cs[1]!, b.arr as Float32Array, bo!, rs[2]!, cs[2]!, o.arr as Float32Array, oo!, rs[0]!, lay.rows, lay.cols);
  }
  return true;
}

/**
 * pow(x, 2) is x·x (as in PyTorch, and exactly what the TypeScript kernel rounds to); pow(x, 1) is
 * x·1 (x itself, NaN and −0 included): the derivative of pow(x, 2) asks for it.
 */
const pow: FastPath = (native, inputs, outputs) => {
  const [x, e] = inputs as [Tensor, Tensor];
  const out = outputs[0]!;
  if (out.dtype !== 'float32' || x.dtype !== 'float32' || e.ndim !== 0) return false;
  const exponent = e.dtype === 'float32' ? storageArray(e)[e._offset] : scalarAsFloat32(e)?.[0];
  if (exponent !== 2 && exponent !== 1) return false;
  const a = operand(x, out.shape);
  const b = exponent === 2 ? a : { arr: Float32Array.of(1), offset: 0, strides: out.shape.map(() => 0) };
  return binaryCall(native, BINARY_CODES['mul']!, out, a, b);
};

const relu: FastPath = (native, inputs, outputs) => {
  const x = inputs[0]!;
  const out = outputs[0]!;
  if (x.dtype !== 'float32' || out.dtype !== 'float32') return false;
  const a = operand(x, out.shape);
  const o = operand(out);
  const lay = rowBlocks(out.shape, [o, a]);
  if (!lay || lay.cs[1] !== 1) return false;
  for (const [oo, ao] of lay.starts) native.relu(a.arr as Float32Array, ao!, lay.rs[1]!, o.arr as Float32Array, oo!, lay.rs[0]!, lay.rows, lay.cols);
  return true;
};

/** relu's gradient on contiguous float32. */
const thresholdBackward: FastPath = (native, inputs, outputs, attrs) => {
  const [g, r] = inputs as [Tensor, Tensor];
  const out = outputs[0]!;
  if (![g, r, out].every((t) => t.dtype === 'float32' && t.isContiguous())) return false;
  // In place into the gradient is fine (each element is read before it is written); into the result is not needed.
  if (sameStorage(out, r) && out._offset !== r._offset) return false;
  native.thresholdBackward(
    storageArray(g) as Float32Array, g._offset, storageArray(r) as Float32Array, r._offset, attrs['threshold'] as number,
    storageArray(out) as Float32Array, out._offset, out.numel(),
  );
  return true;
};

const COMPARE_CODES: Record<string, number> = { eq: 0, ne: 1, lt: 2, le: 3, gt: 4, ge: 5 };

/** Comparisons of float32 values into a bool tensor. */
function compare(name: string): FastPath {
  const code = COMPARE_CODES[name]!;
  return (native, inputs, outputs) => {
    const out = outputs[0]!;
    if (out.dtype !== 'bool' || inputs.length !== 2) return false;
    const ops = float32Operands(name, inputs, out.shape);
    if (!ops) return false;
    const [a, b] = ops as [Op, Op];
    const o = operand(out);
    const lay = rowBlocks(out.shape, [o, a, b]);
    if (!lay) return false;
    const { rs, cs } = lay;
    for (const [oo, ao, bo] of lay.starts) {
      native.compare(code, a.arr as Float32Array, ao!, rs[1]!, cs[1]!, b.arr as Float32Array, bo!, rs[2]!, cs[2]!, o.arr as Uint8Array, oo!, rs[0]!, lay.rows, lay.cols);
    }
    return true;
  };
}

/** where(mask, a, b) on float32 values. */
const where: FastPath = (native, inputs, outputs) => {
  const [cond] = inputs as [Tensor];
  const out = outputs[0]!;
  if (out.dtype !== 'float32' || cond.dtype !== 'bool' || inputs.length !== 3) return false;
  const ops = float32Operands('where', inputs, out.shape, 1);
  if (!ops) return false;
  const [a, b] = ops as [Op, Op];
  const c = operand(cond, out.shape);
  const o = operand(out);
  const lay = rowBlocks(out.shape, [o, c, a, b]);
  if (!lay) return false;
  const { rs, cs } = lay;
  for (const [oo, co, ao, bo] of lay.starts) {
    native.where(
      c.arr as Uint8Array, co!, rs[1]!, cs[1]!, a.arr as Float32Array, ao!, rs[2]!, cs[2]!,
      b.arr as Float32Array, bo!, rs[3]!, cs[3]!, o.arr as Float32Array, oo!, rs[0]!, lay.rows, lay.cols,
    );
  }
  return true;
};

/** copy with no change of dtype: the elements' bytes moved through any strides (broadcast sources too). */
const copy: FastPath = (native, inputs, outputs) => {
  const src = inputs[0]!;
  const out = outputs[0]!;
  // Tiny copies cost less in TypeScript than the crossing into the addon.
  if (src.dtype !== out.dtype || out.numel() < 64) return false;
  const s = operand(src, out.shape);
  const o = operand(out);
  const c = coalesce(out.shape, [o.strides, s.strides]);
  native.copy(s.arr, s.offset, o.arr, o.offset, c.shape, c.strides[1]!, c.strides[0]!);
  return true;
};

/**
 * scatter and scatter_add (max_pool's backward) of float32 values by int64 indices. An index out of
 * range makes the native call write nothing and report it; the TypeScript kernel then raises
 * PyTorch's error.
 */
const scatter: FastPath = (native, inputs, outputs, attrs) => {
  const [self, index, src] = inputs as [Tensor, Tensor, Tensor | undefined];
  const out = outputs[0]!;
  const reduce = attrs['reduce'] as string | null | undefined;
  if (!src || out.dtype !== 'float32' || src.dtype !== 'float32' || index.dtype !== 'int64' || (reduce && reduce !== 'add')) return false;
  if (out.ndim === 0 || index.numel() === 0 || sameStorage(out, src) || sameStorage(out, index)) return false;
  const dim = attrs['dim'] as number;
  const shape = [...index.shape];
  if (out !== self) out.copy_(self);
  const outStrides = shape.map((_, d) => (d === dim ? 0 : out._strides[d]!));
  const bad = native.scatter(
    reduce === 'add', storageArray(out) as Float32Array, out._offset, storageArray(index) as BigInt64Array, index._offset,
    storageArray(src) as Float32Array, src._offset, shape, outStrides, [...index._strides], shape.map((_, d) => src._strides[d]!),
    out.shape[dim]!, out._strides[dim]!,
  );
  return bad < 0;
};

const UNARY_CODES: Record<string, number> = { neg: 0, abs: 1, sqrt: 2, rsqrt: 3 };

/** neg, abs, sqrt, rsqrt of contiguous float32 (bit for bit the TypeScript results). */
function unary(name: string): FastPath {
  const code = UNARY_CODES[name]!;
  return (native, inputs, outputs) => {
    const x = inputs[0]!;
    const out = outputs[0]!;
    if (x.dtype !== 'float32' || out.dtype !== 'float32' || !x.isContiguous() || !out.isContiguous()) return false;
    native.unary(code, storageArray(x) as Float32Array, x._offset, storageArray(out) as Float32Array, out._offset, out.numel());
    return true;
  };
}

const exp: FastPath = (native, inputs, outputs) => {
  const x = inputs[0]!;
  const out = outputs[0]!;
  if (x.dtype !== 'float32' || out.dtype !== 'float32' || !x.isContiguous() || !out.isContiguous()) return false;
  native.exp(storageArray(x) as Float32Array, x._offset, storageArray(out) as Float32Array, out._offset, out.numel());
  return true;
};

/**
 * The reduction of a contiguous tensor over `dims` in one of the addon's two layouts, once size-1 dims
 * are dropped and neighbours of the same kind merged: [outer, red, inner] summing the middle (`sum`),
 * or [red, kept, red] summing around the middle (`sumAround`: a per-channel sum over (N, *spatial)).
 * Null for any other pattern.
 */
function reductionLayout(t: Tensor, dims: readonly number[]): { around: boolean; sizes: [number, number, number] } | null {
  const blocks: { reduced: boolean; size: number }[] = [];
  for (let d = 0; d < t.ndim; d++) {
    const size = t.shape[d]!;
    if (size === 1) continue;
    const reduced = dims.includes(d);
    const last = blocks[blocks.length - 1];
    if (last && last.reduced === reduced) last.size *= size;
    else blocks.push({ reduced, size });
  }
  const kinds = blocks.map((b) => (b.reduced ? 'R' : 'K')).join('');
  const size = (i: number) => blocks[i]?.size ?? 1;
  switch (kinds) {
    case '': case 'R': return { around: false, sizes: [1, size(0), 1] };
    case 'K': return { around: false, sizes: [size(0), 1, 1] };
    case 'KR': return { around: false, sizes: [size(0), size(1), 1] };
    case 'RK': return { around: false, sizes: [1, size(0), size(1)] };
    case 'KRK': return { around: false, sizes: [size(0), size(1), size(2)] };
    case 'RKR': return { around: true, sizes: [size(0), size(1), size(2)] };
    default: return null;
  }
}

const sum: FastPath = (native, inputs, outputs, attrs) => {
  const t = inputs[0]!;
  const out = outputs[0]!;
  if (!isFloat(t.dtype) || out.dtype !== t.dtype || !t.isContiguous() || !out.isContiguous()) return false;
  if (sameStorage(out, t)) return false;
  const layout = reductionLayout(t, attrs['dims'] as number[]);
  if (!layout) return false;
  const run = layout.around ? native.sumAround : native.sum;
  run(storageArray(t) as Floats, t._offset, storageArray(out) as Floats, out._offset, ...layout.sizes);
  return true;
};

function softmax(log: boolean): FastPath {
  return (native, inputs, outputs, attrs) => {
    const t = inputs[0]!;
    const out = outputs[0]!;
    if (!isFloat(t.dtype) || out.dtype !== t.dtype || !t.isContiguous() || !out.isContiguous()) return false;
    // Reading and writing the same elements in the same layout is safe; any other overlap is not.
    if (sameStorage(out, t) && out._offset !== t._offset) return false;
    const dim = t.ndim === 0 ? 0 : (attrs['dim'] as number);
    let outer = 1;
    let inner = 1;
    for (let d = 0; d < dim; d++) outer *= t.shape[d]!;
    for (let d = dim + 1; d < t.ndim; d++) inner *= t.shape[d]!;
    const size = t.ndim === 0 ? 1 : t.shape[dim]!;
    native.softmax(log, storageArray(t) as Floats, t._offset, storageArray(out) as Floats, out._offset, outer, size, inner);
    return true;
  };
}

/**
 * The addon's window geometry (see NativeAddon.im2col) for attrs over an input of `inSize` whose
 * strides are `strides` ([n, c, *spatial]); null when a spatial size is 0 (the TypeScript kernel copes).
 */
function windowGeometry(attrs: Attrs, n: number, c: number, inSize: readonly number[], strides: readonly number[]): number[] | null {
  const outSize = attrs['outSize'] as number[];
  const d = outSize.length;
  if (d > 3 || inSize.some((s) => s === 0)) return null;
  const lift = (v: readonly number[], fill: number) => [...new Array<number>(3 - d).fill(fill), ...v];
  return [
    n, c, ...lift(attrs['kernel'] as number[], 1), ...lift(outSize, 1), ...lift(inSize, 1), ...lift(attrs['stride'] as number[], 1),
    ...lift(attrs['padding'] as number[], 0), ...lift(attrs['dilation'] as number[], 1), strides[0]!, strides[1]!, ...lift(strides.slice(2), 0),
  ];
}

/** im2col of a float32 input (any strides) into contiguous float32 columns. */
const im2col: FastPath = (native, inputs, outputs, attrs) => {
  const x = inputs[0]!;
  const out = outputs[0]!;
  if (x.dtype !== 'float32' || out.dtype !== 'float32' || !out.isContiguous() || sameStorage(out, x) || out.numel() === 0) return false;
  const g = windowGeometry(attrs, x.shape[0]!, x.shape[1]!, x.shape.slice(2), x._strides);
  if (!g) return false;
  native.im2col(storageArray(x) as Float32Array, x._offset, storageArray(out) as Float32Array, out._offset, g, (attrs['padValue'] as number | undefined) ?? 0);
  return true;
};

/** col2im of float32 columns into a contiguous float32 image. */
const col2im: FastPath = (native, inputs, outputs, attrs) => {
  const out = outputs[0]!;
  if (inputs[0]!.dtype !== 'float32' || out.dtype !== 'float32' || !out.isContiguous() || sameStorage(out, inputs[0]!) || out.numel() === 0) return false;
  const g = windowGeometry(attrs, out.shape[0]!, out.shape[1]!, attrs['inSize'] as number[], out._strides);
  if (!g) return false;
  const cols = inputs[0]!.contiguous();
  native.col2im(storageArray(cols) as Float32Array, cols._offset, storageArray(out) as Float32Array, out._offset, g);
  if (cols !== inputs[0]) cols.dispose();
  return true;
};

/** max_pool of a float32 input (any strides) into contiguous values and int64 indices. */
const maxPool: FastPath = (native, inputs, outputs, attrs) => {
  const x = inputs[0]!;
  const [vals, idx] = outputs as [Tensor, Tensor];
  if (x.dtype !== 'float32' || vals.dtype !== 'float32' || idx.dtype !== 'int64' || !vals.isContiguous() || !idx.isContiguous() || vals.numel() === 0) return false;
  // The kernel tracks indices within a plane as int32.
  if (sameStorage(vals, x) || x.shape.slice(2).reduce((a, b) => a * b, 1) >= 2 ** 31) return false;
  const g = windowGeometry(attrs, x.shape[0]!, x.shape[1]!, x.shape.slice(2), x._strides);
  if (!g) return false;
  native.maxPool(storageArray(x) as Float32Array, x._offset, storageArray(vals) as Float32Array, vals._offset, storageArray(idx) as BigInt64Array, idx._offset, g);
  return true;
};

/** max_pool's gradient: contiguous float32 gradient and int64 indices; an index out of range leaves it to the decomposition's error. */
const maxPoolBackward: FastPath = (native, inputs, outputs) => {
  const [g, idx] = inputs as [Tensor, Tensor];
  const out = outputs[0]!;
  if (g.dtype !== 'float32' || out.dtype !== 'float32' || idx.dtype !== 'int64' || ![g, idx, out].every((t) => t.isContiguous())) return false;
  if (sameStorage(out, g)) return false;
  const planes = g.shape[0]! * g.shape[1]!;
  const positions = planes === 0 ? 0 : g.numel() / planes;
  const planeSize = out.shape.slice(2).reduce((a, b) => a * b, 1);
  const bad = native.maxPoolBackward(
    storageArray(g) as Float32Array, g._offset, storageArray(idx) as BigInt64Array, idx._offset,
    storageArray(out) as Float32Array, out._offset, planes, positions, planeSize,
  );
  return bad < 0;
};

/** Ops without a TypeScript kernel fall back to their decomposition, copied into the outputs. */
function decompositionKernel(name: string): Kernel {
  return (inputs, outputs, attrs) => {
    const results = getOp(name).decompose!(inputs, attrs);
    results.forEach((r, i) => {
      outputs[i]!.copy_(r);
      r.dispose();
    });
  };
}

/** A batch-norm input as [N, C, inner], when it is contiguous float32. */
function batchNormShape(x: Tensor): [number, number, number] | null {
  if (x.dtype !== 'float32' || !x.isContiguous() || x.ndim < 2) return null;
  return [x.shape[0]!, x.shape[1]!, x.shape.slice(2).reduce((a, b) => a * b, 1)];
}

/** A per-channel float32 vector as the addon takes it (array and offset), copied if strided. */
function channelVector(v: Tensor | null, temps: Tensor[]): [Float32Array | null, number] {
  if (!v) return [null, 0];
  const c = v.contiguous();
  if (c !== v) temps.push(c);
  return [storageArray(c) as Float32Array, c._offset];
}

const isFloat32 = (ts: readonly Tensor[]) => ts.every((t) => t.dtype === 'float32');

const batchNormStats: FastPath = (native, inputs, outputs) => {
  const shape = batchNormShape(inputs[0]!);
  const [mean, variance] = outputs as [Tensor, Tensor];
  if (!shape || !isFloat32(outputs) || !mean.isContiguous() || !variance.isContiguous()) return false;
  const x = inputs[0]!;
  native.batchNormStats(storageArray(x) as Float32Array, x._offset, storageArray(mean) as Float32Array, mean._offset, storageArray(variance) as Float32Array, variance._offset, ...shape);
  return true;
};

const batchNormElemt: FastPath = (native, inputs, outputs, attrs) => {
  const [x, mean, invstd] = inputs as [Tensor, Tensor, Tensor];
  const y = outputs[0]!;
  const shape = batchNormShape(x);
  if (!shape || !isFloat32(inputs) || y.dtype !== 'float32' || !y.isContiguous() || sameStorage(y, x)) return false;
  let i = 3;
  const weight = attrs['weight'] ? inputs[i++]! : null;
  const bias = attrs['bias'] ? inputs[i++]! : null;
  const temps: Tensor[] = [];
  native.batchNormElemt(
    storageArray(x) as Float32Array, x._offset, ...channelVector(mean, temps), ...channelVector(invstd, temps),
    ...channelVector(weight, temps), ...channelVector(bias, temps), storageArray(y) as Float32Array, y._offset, ...shape,
  );
  temps.forEach((t) => t.dispose());
  return true;
};

const batchNormBackward: FastPath = (native, inputs, outputs, attrs) => {
  const [g, x, mean, invstd] = inputs as [Tensor, Tensor, Tensor, Tensor];
  const [dx, dw, db] = outputs as [Tensor, Tensor, Tensor];
  const shape = batchNormShape(x);
  if (!shape || !isFloat32(inputs) || !isFloat32(outputs) || !g.isContiguous() || ![dx, dw, db].every((t) => t.isContiguous())) return false;
  if (sameStorage(dx, g) || sameStorage(dx, x)) return false;
  const weight = attrs['weight'] ? inputs[4]! : null;
  const temps: Tensor[] = [];
  native.batchNormBackward(
    storageArray(g) as Float32Array, g._offset, storageArray(x) as Float32Array, x._offset, ...channelVector(mean, temps), ...channelVector(invstd, temps),
    ...channelVector(weight, temps), storageArray(dx) as Float32Array, dx._offset, storageArray(dw) as Float32Array, dw._offset,
    storageArray(db) as Float32Array, db._offset, ...shape,
  );
  temps.forEach((t) => t.dispose());
  return true;
};

export function installNativeKernels(native: NativeAddon): void {
  wrap(native, 'bmm', bmm(false));
  wrap(native, 'bmm_sum', bmm(true), decompositionKernel('bmm_sum'));
  for (const name of ['add', 'sub', 'mul', 'div']) wrap(native, name, binary(name));
  wrap(native, 'copy', copy);
  wrap(native, 'scatter', scatter);
  wrap(native, 'exp', exp);
  for (const name of Object.keys(UNARY_CODES)) wrap(native, name, unary(name));
  wrap(native, 'pow', pow);
  wrap(native, 'relu', relu);
  wrap(native, 'threshold_backward', thresholdBackward, decompositionKernel('threshold_backward'));
  for (const name of Object.keys(COMPARE_CODES)) wrap(native, name, compare(name));
  wrap(native, 'where', where);
  wrap(native, 'sum', sum);
  wrap(native, 'softmax', softmax(false), cpuKernels['softmax'] ?? decompositionKernel('softmax'));
  wrap(native, 'log_softmax', softmax(true), cpuKernels['log_softmax'] ?? decompositionKernel('log_softmax'));
  wrap(native, 'im2col', im2col);
  wrap(native, 'col2im', col2im);
  wrap(native, 'max_pool', maxPool);
  wrap(native, 'max_pool_backward', maxPoolBackward, decompositionKernel('max_pool_backward'));
  for (const [name, fast] of [['batch_norm_stats', batchNormStats], ['batch_norm_elemt', batchNormElemt], ['batch_norm_backward', batchNormBackward]] as const) {
    wrap(native, name, fast, decompositionKernel(name));
  }
}

if (nativeAddon) installNativeKernels(nativeAddon);
