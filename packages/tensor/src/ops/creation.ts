import { getBackend } from '../backend.js';
import { type DeviceLike, toDevice, type Device } from '../device.js';
import { type DType, getDefaultDtype, isFloatingPoint, itemsize } from '../dtype.js';
import { dtypeOfTypedArray, encodeElements, type Scalar, type TypedArray } from '../elements.js';
import { StorageRef } from '../memory.js';
import { registry } from '../registry.js';
import { contiguousStrides, numel, ShapeError, shapeFromArgs } from '../shape.js';
import { Tensor, type NestedArray } from '../tensor.js';
import { cast, copyInto, fill_ } from './copy.js';
import { checkedScalar } from './scalar.js';

export interface TensorOptions {
  dtype?: DType;
  device?: DeviceLike;
  requiresGrad?: boolean;
}

/** `torch.set_default_device(d)` (PyTorch 2): where creation functions put tensors. */
export function setDefaultDevice(d: DeviceLike): void {
  registry.defaultDevice = toDevice(d).toString();
}
export function getDefaultDevice(): Device {
  return toDevice(registry.defaultDevice);
}

function deviceOf(opts?: TensorOptions): Device {
  return toDevice(opts?.device ?? registry.defaultDevice);
}

function finish(t: Tensor, opts?: TensorOptions): Tensor {
  // Filling a fresh tensor is not an in-place change a user made: the version starts at 0.
  t._ref.version = 0;
  if (opts?.requiresGrad) {
    if (!isFloatingPoint(t.dtype)) {
      throw new Error('Only Tensors of floating point and complex dtype can require gradients');
    }
    t.requiresGrad = true;
  }
  return t;
}

/** A new tensor on `device` holding `values` (row-major) as `dtype`. */
export function fromValues(values: ArrayLike<Scalar>, shape: readonly number[], dtype: DType, device: Device): Tensor {
  const t = Tensor._empty(shape, dtype, device);
  if (values.length > 0) getBackend(device.type).write(t._ref.storage, 0, encodeElements(values, dtype));
  return t;
}

type Data = NestedArray<Scalar> | TypedArray | Tensor;

/** Shape and flat values of nested arrays, with PyTorch's error for ragged input. */
function flatten(data: NestedArray<Scalar>): { shape: number[]; values: Scalar[] } {
  const shape: number[] = [];
  let probe: unknown = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const values: Scalar[] = [];
  const walk = (x: unknown, dim: number) => {
    if (dim === shape.length) {
      if (Array.isArray(x)) throw new ShapeError(`expected a scalar at dim ${dim}, got a sequence`);
      if (typeof x !== 'number' && typeof x !== 'boolean' && typeof x !== 'bigint') {
        throw new TypeError(`Could not infer dtype of ${x === null ? 'null' : typeof x}`);
      }
      values.push(x);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[dim]) {
      throw new ShapeError(`expected sequence of length ${shape[dim]} at dim ${dim} (got ${Array.isArray(x) ? x.length : 'a scalar'})`);
    }
    for (const v of x) walk(v, dim + 1);
  };
  walk(data, 0);
  return { shape, values };
}

/** The dtype torch.tensor infers: bool if all booleans, int64 if all integral, else the default float. */
function inferDtype(values: readonly Scalar[]): DType {
  if (values.length === 0) return getDefaultDtype();
  let allBool = true;
  let allInt = true;
  for (const v of values) {
    if (typeof v !== 'boolean') allBool = false;
    if (typeof v === 'number' && !Number.isInteger(v)) allInt = false;
  }
  return allBool ? 'bool' : allInt ? 'int64' : getDefaultDtype();
}

/**
 * `torch.tensor(data, { dtype, device, requiresGrad })`: always copies. JS cannot tell `1.0` from
 * `1`, so all-integral data is int64 unless a dtype is given.
 */
export function tensor(data: Data, opts?: TensorOptions): Tensor {
  const device = deviceOf(opts);
  if (data instanceof Tensor) return finish(cast(data.to(device), opts?.dtype ?? data.dtype), opts);
  if (ArrayBuffer.isView(data)) {
    const src = fromArray(data as TypedArray);
    return finish(cast(src.to(device), opts?.dtype ?? src.dtype), opts);
  }
  const { shape, values } = flatten(data);
  const dtype = opts?.dtype ?? inferDtype(values);
  // Integers must fit the dtype, as PyTorch checks; floats may round to ±inf.
  for (const v of values) checkedScalar(v, dtype, false);
  return finish(fromValues(values, shape, dtype, device), opts);
}

/** `torch.from_numpy` for typed arrays: the tensor shares the array's memory (CPU). */
export function fromArray(array: TypedArray | Uint8ClampedArray, shape?: readonly number[]): Tensor {
  const dtype = dtypeOfTypedArray(array);
  const backend = getBackend('cpu');
  if (!backend.adopt) throw new Error('fromArray: the cpu backend cannot adopt host memory');
  const n = array.length;
  const dims = shape ? [...shape] : [n];
  if (numel(dims) !== n) throw new ShapeError(`shape '[${dims.join(', ')}]' is invalid for input of size ${n}`);
  const ref = new StorageRef(backend, backend.adopt(array.buffer as ArrayBuffer, array.byteOffset, n * itemsize(dtype)));
  ref.pinned = true;
  return new Tensor(ref, dtype, dims, contiguousStrides(dims), 0, toDevice('cpu'));
}

/** `torch.as_tensor`: no copy when it can be avoided (a tensor already right, a typed array). */
export function asTensor(data: Data, opts?: TensorOptions): Tensor {
  if (data instanceof Tensor) return data.to({ ...(opts?.dtype ? { dtype: opts.dtype } : {}), ...(opts?.device ? { device: opts.device } : {}) });
  if (ArrayBuffer.isView(data)) {
    const t = fromArray(data as TypedArray);
    return t.to({ ...(opts?.dtype ? { dtype: opts.dtype } : {}), ...(opts?.device ? { device: opts.device } : {}) });
  }
  return tensor(data, opts);
}

type SizeArgs = (number | readonly number[] | TensorOptions)[];
function splitSize(args: SizeArgs): { shape: number[]; opts: TensorOptions | undefined } {
  const last = args[args.length - 1];
  const hasOpts = last !== undefined && typeof last === 'object' && !Array.isArray(last);
  const dims = (hasOpts ? args.slice(0, -1) : args) as (number | readonly number[])[];
  return { shape: shapeFromArgs(dims), opts: hasOpts ? (last as TensorOptions) : undefined };
}

/** `torch.empty(3, 4)` / `torch.empty([3, 4], { dtype })`. */
export function empty(...args: SizeArgs): Tensor {
  const { shape, opts } = splitSize(args);
  return finish(Tensor._empty(shape, opts?.dtype ?? getDefaultDtype(), deviceOf(opts)), opts);
}
export function zeros(...args: SizeArgs): Tensor {
  const { shape, opts } = splitSize(args);
  return finish(fill_(Tensor._empty(shape, opts?.dtype ?? getDefaultDtype(), deviceOf(opts)), 0), opts);
}
export function ones(...args: SizeArgs): Tensor {
  const { shape, opts } = splitSize(args);
  return finish(fill_(Tensor._empty(shape, opts?.dtype ?? getDefaultDtype(), deviceOf(opts)), 1), opts);
}
/** `torch.full(size, value)`: dtype inferred from the value as PyTorch does (bool, int64, default float). */
export function full(size: readonly number[] | number, value: Scalar, opts?: TensorOptions): Tensor {
  const shape = shapeFromArgs([size]);
  const dtype = opts?.dtype ?? inferDtype([value]);
  return finish(fill_(Tensor._empty(shape, dtype, deviceOf(opts)), value), opts);
}

function likeOpts(t: Tensor, opts?: TensorOptions): TensorOptions {
  return { dtype: opts?.dtype ?? t.dtype, device: opts?.device ?? t.device, requiresGrad: opts?.requiresGrad ?? false };
}
export function emptyLike(t: Tensor, opts?: TensorOptions): Tensor {
  return empty([...t.shape], likeOpts(t, opts));
}
export function zerosLike(t: Tensor, opts?: TensorOptions): Tensor {
  return zeros([...t.shape], likeOpts(t, opts));
}
export function onesLike(t: Tensor, opts?: TensorOptions): Tensor {
  return ones([...t.shape], likeOpts(t, opts));
}
export function fullLike(t: Tensor, value: Scalar, opts?: TensorOptions): Tensor {
  return full([...t.shape], value, likeOpts(t, opts));
}

/** `torch.arange(end)`, `torch.arange(start, end, step?)`; int64 unless an argument is fractional. */
export function arange(a: number, b?: number | TensorOptions, c?: number | TensorOptions, d?: TensorOptions): Tensor {
  const nums = [a, b, c].filter((x): x is number => typeof x === 'number');
  const opts = [b, c, d].find((x): x is TensorOptions => typeof x === 'object');
  const [start, end, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
  if (step === 0) throw new RangeError('step must be nonzero');
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new RangeError(`unsupported range: ${start} -> ${end}`);
  if ((end - start) / step < 0) throw new RangeError('upper bound and larger bound inconsistent with step sign');
  const dtype = opts?.dtype ?? (nums.every(Number.isInteger) ? 'int64' : getDefaultDtype());
  const n = Math.ceil((end - start) / step);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = start + i * step;
  return finish(fromValues(values, [n], dtype, deviceOf(opts)), opts);
}

function linspaceValues(start: number, end: number, steps: number): Float64Array {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError('number of steps must be non-negative');
  const out = new Float64Array(steps);
  if (steps === 1) {
    out[0] = start;
    return out;
  }
  const step = (end - start) / (steps - 1);
  const half = Math.floor(steps / 2);
  // Symmetric from both ends, as PyTorch computes it, so the last value is exactly `end`.
  for (let i = 0; i < steps; i++) out[i] = i < half ? start + step * i : end - step * (steps - i - 1);
  return out;
}

/** `torch.linspace(start, end, steps)`. */
export function linspace(start: number, end: number, steps: number, opts?: TensorOptions): Tensor {
  const values = linspaceValues(start, end, steps);
  return finish(fromValues(values, [steps], opts?.dtype ?? getDefaultDtype(), deviceOf(opts)), opts);
}

/** `torch.logspace(start, end, steps, base=10)`. */
export function logspace(start: number, end: number, steps: number, base: number | TensorOptions = 10, opts?: TensorOptions): Tensor {
  const o = typeof base === 'object' ? base : opts;
  const b = typeof base === 'number' ? base : 10;
  const values = linspaceValues(start, end, steps).map((e) => Math.pow(b, e));
  return finish(fromValues(values, [steps], o?.dtype ?? getDefaultDtype(), deviceOf(o)), o);
}

/** `torch.eye(n, m?)`. */
export function eye(n: number, m?: number | TensorOptions, opts?: TensorOptions): Tensor {
  const o = typeof m === 'object' ? m : opts;
  const cols = typeof m === 'number' ? m : n;
  if (n < 0) throw new RangeError(`n must be greater or equal to 0, got ${n}`);
  if (cols < 0) throw new RangeError(`m must be greater or equal to 0, got ${cols}`);
  const t = zeros([n, cols], { ...o, requiresGrad: false });
  const k = Math.min(n, cols);
  fill_(t._view([k], [cols + 1], 0), 1);
  return finish(t, o);
}

/** `torch.diag(v, diagonal)`: a matrix from a vector, or the diagonal of a matrix (a copy). */
export function diag(t: Tensor, diagonal = 0): Tensor {
  if (t.ndim === 1) {
    const n = t.shape[0]! + Math.abs(diagonal);
    const out = zeros([n, n], { dtype: t.dtype, device: t.device });
    const offset = diagonal >= 0 ? diagonal : -diagonal * n;
    copyInto(out._view([t.shape[0]!], [n + 1], offset), t);
    return out;
  }
  if (t.ndim === 2) return t.diagonal(diagonal).clone();
  throw new ShapeError(`matrix or a vector expected (diag() supports 1D or 2D tensors, got ${t.ndim}D)`);
}
