// The `cuda` backend: device memory from the addon's caching allocator, host transfers, and kernels
// for the primitive ops (strided elementwise with broadcasting and casts, copy, fill, reductions,
// softmax, bmm through cuBLAS). Ops without a kernel here run through their decompositions, or fail
// with the dispatcher's error naming the op and the device.
import { type Backend, DeviceError, type Kernel, type Storage, type Tensor, ELEMENTWISE, itemsize, type DType, isFloatingPoint, toBigInt } from '@kindling/tensor';
import type { CudaAddon, MemoryStatsDict, NativeOperand } from './addon.js';

export class CudaStorage implements Storage {
  constructor(
    readonly device: number,
    readonly nbytes: number,
    /** The device address (0n for an empty storage). */
    readonly ptr: bigint,
  ) {}
}

export const DTYPE_CODE: Readonly<Record<DType, number>> = {
  float32: 0, float64: 1, float16: 2, bfloat16: 3, int8: 4, uint8: 5, int16: 6, int32: 7, int64: 8, bool: 9,
};

/** Elementwise op codes, as native/src/kernels.h numbers them. */
const UNARY = [
  'neg', 'abs', 'exp', 'log', 'sqrt', 'rsqrt', 'sin', 'cos', 'tan', 'tanh', 'sigmoid', 'relu', 'floor', 'ceil', 'trunc', 'round',
  'reciprocal', 'expm1', 'log1p', 'log2', 'log10', 'erf', 'sign', 'isnan', 'isinf', 'isfinite', 'logical_not', 'bitwise_not', 'asin',
  'acos', 'atan', 'sinh', 'cosh', 'asinh', 'acosh', 'atanh', 'erfc', 'frac', 'signbit', 'isposinf', 'isneginf', 'exp2',
];
const BINARY = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'atan2', 'remainder', 'fmod',
  'floor_divide', 'div_trunc', 'logical_and', 'logical_or', 'logical_xor', 'bitwise_and', 'bitwise_or', 'bitwise_xor', 'fmax', 'fmin',
];
const TERNARY = ['where', 'clamp', 'lerp'];
export const OP_CODE: Readonly<Record<string, number>> = Object.fromEntries([
  ['copy', 0], ['fill', 1],
  ...UNARY.map((n, i) => [n, 10 + i]),
  ...BINARY.map((n, i) => [n, 100 + i]),
  ...TERNARY.map((n, i) => [n, 200 + i]),
]);
const REDUCE_CODE: Readonly<Record<string, number>> = { sum: 0, prod: 1, amax: 2, amin: 3, all: 4, any: 5 };

export interface CudaBackend extends Backend {
  readonly unavailableReason: string | null;
  currentDevice(): number;
  setDevice(device: number): void;
  getDeviceName(device: number): string;
  getDeviceCapability(device: number): [number, number];
  synchronize(device: number): void;
  memoryStats(device: number): MemoryStatsDict;
  resetPeakMemoryStats(device: number): void;
  emptyCache(): void;
  /** `torch.backends.cuda.matmul.allow_tf32`: float32 GEMMs may use TF32 tensor cores. */
  setAllowTF32(allow: boolean): void;
}

export function createCudaBackend(addon: CudaAddon, deviceCount: number): CudaBackend {
  const storageOf = (t: Tensor) => t._ref.storage as CudaStorage;
  const ptrOf = (t: Tensor) => storageOf(t).ptr + BigInt(t._offset * itemsize(t.dtype));

  /** An operand over `shape` (broadcast from the tensor's own shape, right-aligned). */
  function operand(t: Tensor, shape: readonly number[]): NativeOperand {
    const strides = shape.map(() => 0);
    const lead = shape.length - t.ndim;
    for (let i = 0; i < t.ndim; i++) strides[lead + i] = t.shape[i] === 1 ? 0 : t._strides[i]!;
    return { ptr: ptrOf(t), dtype: DTYPE_CODE[t.dtype], strides };
  }

  function checkDims(name: string, t: Tensor): void {
    if (t.ndim > 8) throw new DeviceError(`${name} on cuda supports tensors of at most 8 dims, got ${t.ndim}`);
  }

  const kernels: Record<string, Kernel | undefined> = {};

  const elementwiseKernel = (name: string): Kernel => (inputs, outputs) => {
    const out = outputs[0]!;
    checkDims(name, out);
    addon.elementwise(OP_CODE[name]!, out.shape, operand(out, out.shape), inputs.map((t) => operand(t, out.shape)));
  };
  for (const entry of ELEMENTWISE) if (OP_CODE[entry.name] !== undefined) kernels[entry.name] = elementwiseKernel(entry.name);
  kernels['copy'] = elementwiseKernel('copy');
  kernels['fill'] = (_inputs, outputs, attrs) => {
    const out = outputs[0]!;
    checkDims('fill', out);
    const v = attrs['value'];
    const big = typeof v === 'bigint' ? v : !isFloatingPoint(out.dtype) && typeof v === 'number' && Number.isFinite(v) ? toBigInt(Math.trunc(v)) : undefined;
    const num = typeof v === 'boolean' ? Number(v) : Number(v);
    addon.elementwise(OP_CODE['fill']!, out.shape, operand(out, out.shape), [], num, big);
  };

  for (const [name, code] of Object.entries(REDUCE_CODE)) {
    kernels[name] = (inputs, outputs, attrs) => {
      const t = inputs[0]!;
      const out = outputs[0]!;
      checkDims(name, t);
      const dims = new Set(attrs['dims'] as number[]);
      const keepdim = attrs['keepdim'] as boolean;
      const kept = t.shape.map((_, i) => i).filter((i) => !dims.has(i));
      const reduced = [...dims].sort((a, b) => a - b);
      // The output's strides for each kept input dim (with keepdim the output keeps size-1 dims in place).
      const outStrides = kept.map((d, j) => (keepdim ? out._strides[d]! : out._strides[j]!));
      addon.reduce(
        code, kept.map((d) => t.shape[d]!), reduced.map((d) => t.shape[d]!),
        { ptr: ptrOf(out), dtype: DTYPE_CODE[out.dtype], strides: outStrides },
        { ptr: ptrOf(t), dtype: DTYPE_CODE[t.dtype], ostrides: kept.map((d) => t._strides[d]!), rstrides: reduced.map((d) => t._strides[d]!) },
      );
    };
  }

  for (const name of ['softmax', 'log_softmax'] as const) {
    kernels[name] = (inputs, outputs, attrs) => {
      const t = inputs[0]!.isContiguous() ? inputs[0]! : inputs[0]!.contiguous();
      const out = outputs[0]!;
      if (t.dtype !== out.dtype) throw new DeviceError(`${name} on cuda: input ${t.dtype} and output ${out.dtype} differ`);
      const dim = attrs['dim'] as number;
      const outer = t.shape.slice(0, dim).reduce((a, b) => a * b, 1);
      const inner = t.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
      const target = out.isContiguous() ? out : (out.contiguous() as Tensor);
      addon.softmax(name === 'log_softmax', DTYPE_CODE[t.dtype], ptrOf(t), ptrOf(target), outer, t.ndim === 0 ? 1 : t.shape[dim]!, inner);
      if (target !== out) out.copy_(target);
    };
  }

  kernels['bmm'] = (inputs, outputs) => {
    const out = outputs[0]!;
    // cuBLAS needs a unit stride in one dim of each matrix; anything else is made contiguous first.
    const fit = (t: Tensor) => (t._strides[1] === 1 || t._strides[2] === 1 || t.shape[1]! <= 1 || t.shape[2]! <= 1 ? t : t.contiguous());
    const a = fit(inputs[0]!);
    const b = fit(inputs[1]!);
    const [batch, n, k] = a.shape as [number, number, number];
    const m = b.shape[2]!;
    const s = (t: Tensor) => [t.shape[0] === 1 ? 0 : t._strides[0]!, t._strides[1]!, t._strides[2]!];
    if (k === 0) {
      addon.elementwise(OP_CODE['fill']!, out.shape, operand(out, out.shape), [], 0, 0n);
      return;
    }
    addon.gemm(DTYPE_CODE[a.dtype], batch, n, m, k, ptrOf(a), s(a), ptrOf(b), s(b), ptrOf(out), s(out));
  };

  // Kernels launch on the current device: an op on cuda:1 switches to it and back (PyTorch's device guard).
  let current = 0;
  const guarded = (kernel: Kernel): Kernel => (inputs, outputs, attrs) => {
    const dev = (outputs[0] ?? inputs[0])?.device.index ?? current;
    if (dev === current) return kernel(inputs, outputs, attrs);
    addon.setDevice(dev);
    try {
      return kernel(inputs, outputs, attrs);
    } finally {
      addon.setDevice(current);
    }
  };
  for (const [name, k] of Object.entries(kernels)) if (k) kernels[name] = guarded(k);

  const backend: CudaBackend = {
    type: 'cuda',
    unavailableReason: null,
    deviceCount: () => deviceCount,
    allocate(device, nbytes) {
      if (device < 0 || device >= deviceCount) {
        throw new DeviceError(`CUDA error: invalid device ordinal (cuda:${device}; ${deviceCount} CUDA device(s) are available)`);
      }
      return new CudaStorage(device, nbytes, nbytes > 0 ? addon.malloc(device, nbytes) : 0n);
    },
    free(storage) {
      const s = storage as CudaStorage;
      if (s.ptr !== 0n) addon.free(s.device, s.ptr);
    },
    write(storage, byteOffset, src) {
      if (src.byteLength > 0) addon.writeHost((storage as CudaStorage).ptr, byteOffset, src);
    },
    readSync(storage, byteOffset, nbytes) {
      return nbytes > 0 ? addon.readHost((storage as CudaStorage).ptr, byteOffset, nbytes) : new Uint8Array(0);
    },
    async read(storage, byteOffset, nbytes) {
      return nbytes > 0 ? addon.readHost((storage as CudaStorage).ptr, byteOffset, nbytes) : new Uint8Array(0);
    },
    kernels,
    currentDevice: () => current,
    setDevice: (d) => {
      addon.setDevice(d);
      current = d;
    },
    getDeviceName: (d) => addon.getDeviceName(d),
    getDeviceCapability: (d) => addon.getDeviceCapability(d),
    synchronize: (d) => addon.synchronize(d),
    memoryStats: (d) => addon.memoryStats(d),
    resetPeakMemoryStats: (d) => addon.resetPeakMemoryStats(d),
    emptyCache: () => addon.emptyCache(),
    setAllowTF32: (allow) => addon.setAllowTF32(allow),
  };
  return backend;
}
