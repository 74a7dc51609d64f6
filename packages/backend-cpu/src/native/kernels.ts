// Native fast paths for the hottest kernels. Each wraps the TypeScript kernel registered before it
// (or, for softmax, the op's decomposition) and takes the native path only for the layouts and dtypes
// the addon handles; everything else falls through to the TypeScript code unchanged.
import { type Attrs, type DType, type Kernel, type Tensor, ELEMENTWISE, elementwiseDtypes, getOp } from '@kindling/tensor';
import { cpuKernels, registerCpuKernel } from '../backend.js';
import { coalesce, operand, storageArray } from '../layout.js';
import { type NativeAddon, nativeAddon } from './addon.js';

/** Ops that run natively when their inputs allow it. */
export const NATIVE_OPS = ['bmm', 'add', 'sub', 'mul', 'div', 'exp', 'sum', 'softmax', 'log_softmax'] as const;

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

/** bmm: any strides (packing reads through them), float32 or float64 throughout. */
const bmm: FastPath = (native, inputs, outputs) => {
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
  const [cBs, cRs, cCs] = out._strides as [number, number, number];
  native.gemm(
    storageArray(a) as Floats, a._offset, aBs, aRs, aCs,
    storageArray(b) as Floats, b._offset, bBs, bRs, bCs,
    storageArray(out) as Floats, out._offset, cBs, cRs, cCs,
    batch, n, m, k,
  );
  return true;
};

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

const BINARY_CODES: Record<string, number> = { add: 0, sub: 1, mul: 2, div: 3 };

/** float32 add/sub/mul/div whose operands, coalesced, are rows of contiguous or broadcast values. */
function binary(name: string): FastPath {
  const entry = ELEMENTWISE.find((e) => e.name === name)!;
  const code = BINARY_CODES[name]!;
  return (native, inputs, outputs) => {
    const out = outputs[0]!;
    if (out.dtype !== 'float32' || inputs.length !== 2) return false;
    if (elementwiseDtypes(entry, inputs).compute !== 'float32') return false;
    const ops = [];
    for (const t of inputs) {
      if (t.dtype === 'float32') ops.push(operand(t, out.shape));
      else {
        const s = scalarAsFloat32(t);
        if (!s) return false;
        ops.push({ arr: s, offset: 0, strides: out.shape.map(() => 0) });
      }
    }
    const [a, b] = ops as [(typeof ops)[0], (typeof ops)[0]];
    const o = operand(out);
    const c = coalesce(out.shape, [o.strides, a.strides, b.strides]);
    const [os, as, bs] = c.strides as [number[], number[], number[]];
    const last = c.shape.length - 1;
    if (os[last] !== 1 || (as[last] !== 0 && as[last] !== 1) || (bs[last] !== 0 && bs[last] !== 1)) return false;
    // The last two dims are one native call (rows × cols); dims before them (a per-channel bias added
    // to [N, C, H·W]) are a loop here over such calls.
    const rowDim = last - 1;
    const rows = rowDim >= 0 ? c.shape[rowDim]! : 1;
    const row = (st: number[]) => (rowDim >= 0 ? st[rowDim]! : 0);
    const outer = c.shape.slice(0, Math.max(0, rowDim));
    const calls = outer.reduce((x, y) => x * y, 1);
    // Many tiny calls cost more in crossings than the TypeScript loop they replace.
    if (calls > 1 && rows * c.shape[last]! < 256) return false;
    const idx = outer.map(() => 0);
    let ao = a.offset, bo = b.offset, oo = o.offset;
    for (let k = 0; k < calls; k++) {
      native.binary(
        code,
        a.arr as Float32Array, ao, row(as), as[last]!,
        b.arr as Float32Array, bo, row(bs), bs[last]!,
        o.arr as Float32Array, oo, row(os),
        rows, c.shape[last]!,
      );
      // Next outer index, odometer style.
      for (let d = outer.length - 1; d >= 0; d--) {
        ao += as[d]!;
        bo += bs[d]!;
        oo += os[d]!;
        if (++idx[d]! < outer[d]!) break;
        ao -= as[d]! * outer[d]!;
        bo -= bs[d]! * outer[d]!;
        oo -= os[d]! * outer[d]!;
        idx[d] = 0;
      }
    }
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
 * The input as [outer, red, inner] when the reduced dims are one block of adjacent dims (size-1 dims
 * aside) of a contiguous tensor; null otherwise.
 */
function splitReduced(t: Tensor, dims: readonly number[]): [number, number, number] | null {
  let outer = 1;
  let red = 1;
  let inner = 1;
  let phase = 0; // 0: before the reduced block, 1: in it, 2: after it
  for (let d = 0; d < t.ndim; d++) {
    const size = t.shape[d]!;
    if (size === 1) continue;
    const reduced = dims.includes(d);
    if (reduced) {
      if (phase === 2) return null;
      phase = 1;
      red *= size;
    } else if (phase === 0) outer *= size;
    else {
      phase = 2;
      inner *= size;
    }
  }
  return [outer, red, inner];
}

const sum: FastPath = (native, inputs, outputs, attrs) => {
  const t = inputs[0]!;
  const out = outputs[0]!;
  if (!isFloat(t.dtype) || out.dtype !== t.dtype || !t.isContiguous() || !out.isContiguous()) return false;
  if (sameStorage(out, t)) return false;
  const split = splitReduced(t, attrs['dims'] as number[]);
  if (!split) return false;
  native.sum(storageArray(t) as Floats, t._offset, storageArray(out) as Floats, out._offset, ...split);
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

/** softmax has no TypeScript kernel: its fallback is the op's decomposition, copied into the output. */
function decompositionKernel(name: string): Kernel {
  return (inputs, outputs, attrs) => {
    const result = getOp(name).decompose!(inputs, attrs)[0]!;
    outputs[0]!.copy_(result);
    result.dispose();
  };
}

export function installNativeKernels(native: NativeAddon): void {
  wrap(native, 'bmm', bmm);
  for (const name of ['add', 'sub', 'mul', 'div']) wrap(native, name, binary(name));
  wrap(native, 'exp', exp);
  wrap(native, 'sum', sum);
  wrap(native, 'softmax', softmax(false), cpuKernels['softmax'] ?? decompositionKernel('softmax'));
  wrap(native, 'log_softmax', softmax(true), cpuKernels['log_softmax'] ?? decompositionKernel('log_softmax'));
}

if (nativeAddon) installNativeKernels(nativeAddon);
