import { getBackend } from './backend.js';
import { Device } from './device.js';
import { ALL_DTYPES, type DType, isDType, itemsize } from './dtype.js';
import { StorageRef, noteCreated, trackTensor, untrackTensor } from './memory.js';
import { type Shape, contiguousStrides, isContiguousLayout, normalizeDim, numel } from './shape.js';
import { decodeElements, type Scalar, type TypedArray, typedArrayFor } from './elements.js';

export type NestedArray<T> = T | NestedArray<T>[];

/** The autograd node that produced a tensor; filled in by @kindling/autograd. */
export interface GradFn {
  readonly name: string;
  readonly nextFunctions: readonly (readonly [GradFn | null, number])[];
}

/**
 * A strided view of a storage: dtype, shape, strides and offset (in elements), on a device.
 * Views share their storage (and its version counter) with their base.
 */
export class Tensor {
  _ref: StorageRef;
  dtype: DType;
  shape: readonly number[];
  _strides: readonly number[];
  _offset: number;
  device: Device;
  /** The tensor this one is a view of (PyTorch's `._base`), or null. */
  readonly _base: Tensor | null;
  requiresGrad = false;
  grad: Tensor | null = null;
  gradFn: GradFn | null = null;
  /** Autograd's per-tensor bookkeeping (retain_grad, hooks, output index). */
  _autograd: unknown = null;
  _disposed = false;

  constructor(ref: StorageRef, dtype: DType, shape: Shape, strides: readonly number[], offset: number, device: Device, base: Tensor | null = null) {
    this._ref = ref;
    this.dtype = dtype;
    this.shape = shape;
    this._strides = strides;
    this._offset = offset;
    this.device = device;
    this._base = base ? (base._base ?? base) : null;
    trackTensor(this, ref);
    noteCreated(this);
  }

  /** A fresh contiguous tensor on `device`, contents unspecified. */
  static _empty(shape: Shape, dtype: DType, device: Device): Tensor {
    if (!isDType(dtype)) throw new TypeError(`invalid dtype '${String(dtype)}': expected one of ${ALL_DTYPES.join(', ')}`);
    const backend = getBackend(device.type);
    const storage = backend.allocate(device.index ?? 0, Math.max(numel(shape), 1) * itemsize(dtype));
    return new Tensor(new StorageRef(backend, storage), dtype, [...shape], contiguousStrides(shape), 0, device);
  }

  /** A view of this tensor's storage with another shape, strides and offset. */
  _view(shape: Shape, strides: readonly number[], offset: number = this._offset): Tensor {
    this._checkAlive();
    return new Tensor(this._ref, this.dtype, [...shape], [...strides], offset, this.device, this);
  }

  get ndim(): number {
    return this.shape.length;
  }
  dim(): number {
    return this.shape.length;
  }
  /** `x.size()` is the shape; `x.size(d)` one dimension (negative counts from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return [...this.shape];
    return this.shape[normalizeDim(dim, this.ndim)]!;
  }
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    if (dim === undefined) return [...this._strides];
    return this._strides[normalizeDim(dim, this.ndim)]!;
  }
  storageOffset(): number {
    return this._offset;
  }
  numel(): number {
    return numel(this.shape);
  }
  nelement(): number {
    return this.numel();
  }
  elementSize(): number {
    return itemsize(this.dtype);
  }
  get itemsize(): number {
    return itemsize(this.dtype);
  }
  get nbytes(): number {
    return this.numel() * itemsize(this.dtype);
  }
  get isCuda(): boolean {
    return this.device.type === 'cuda';
  }
  get isCpu(): boolean {
    return this.device.type === 'cpu';
  }
  get isLeaf(): boolean {
    return !this.requiresGrad || this.gradFn === null;
  }
  isContiguous(): boolean {
    return isContiguousLayout(this.shape, this._strides);
  }
  isFloatingPoint(): boolean {
    return this.dtype.startsWith('float') || this.dtype === 'bfloat16';
  }
  /**
   * `x.set_(y)`: make this tensor use y's storage and layout, keeping its identity, as PyTorch's
   * `set_` and `param.data = y` do (Parameters and optimizer state keep referring to it).
   */
  set_(t: Tensor): this {
    t._checkAlive();
    untrackTensor(this, this._ref);
    this._ref = t._ref;
    this.dtype = t.dtype;
    this.shape = t.shape;
    this._strides = t._strides;
    this._offset = t._offset;
    this.device = t.device;
    trackTensor(this, t._ref);
    return this;
  }

  /** Identity of the underlying storage, to test whether two tensors share memory. */
  get storageId(): object {
    return this._ref;
  }
  /** Address-like number: storage identity is not a number in JS, so this is offset-based within one storage. */
  dataPtr(): number {
    return this._offset * itemsize(this.dtype);
  }
  /** The version counter shared with views; bumped by in-place ops. */
  get _version(): number {
    return this._ref.version;
  }

  _checkAlive(): void {
    if (this._disposed) throw new Error('Tensor is disposed: it was released by dispose() or tidy() and can no longer be used');
  }

  /** Release this tensor's reference to its memory now, without waiting for garbage collection. */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    untrackTensor(this, this._ref);
  }
  get isDisposed(): boolean {
    return this._disposed;
  }
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Bytes of the elements this tensor views, in its layout order, read from the backend. */
  private _contiguousBytes(sync: true): Uint8Array;
  private _contiguousBytes(sync: false): Promise<Uint8Array>;
  private _contiguousBytes(sync: boolean): Uint8Array | Promise<Uint8Array> {
    this._checkAlive();
    const src = this.isContiguous() ? this : this.contiguous();
    const size = itemsize(this.dtype);
    const { backend, storage } = src._ref;
    const byteOffset = src._offset * size;
    const nbytes = src.numel() * size;
    if (sync) {
      if (!backend.readSync) {
        throw new Error(
          `Cannot read a ${this.device.type} tensor synchronously: its computation is queued on the device. Use \`await t.data()\`, \`await t.tolistAsync()\` or \`await t.itemAsync()\`.`,
        );
      }
      return backend.readSync(storage, byteOffset, nbytes);
    }
    return backend.read(storage, byteOffset, nbytes);
  }

  /** A copy of the elements as a typed array (float16/bfloat16 decode to Float32Array, bool to Uint8Array). */
  dataSync(): TypedArray {
    return decodeElements(this._contiguousBytes(true), this.dtype);
  }
  async data(): Promise<TypedArray> {
    return decodeElements(await this._contiguousBytes(false), this.dtype);
  }

  /**
   * A typed array that shares this tensor's memory, as `numpy()` does: writes through it change the
   * tensor. CPU and contiguous only (JS typed arrays cannot be strided); float16 gives raw bits.
   */
  numpy(): TypedArray {
    this._checkAlive();
    if (this.requiresGrad) {
      throw new Error("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
    }
    const { backend, storage } = this._ref;
    if (!backend.hostBuffer) {
      throw new TypeError(`can't convert ${this.device.type} device type tensor to a typed array. Use Tensor.cpu() to copy the tensor to host memory first.`);
    }
    if (!this.isContiguous()) {
      throw new Error('numpy(): the tensor is not contiguous and a JS typed array cannot be strided; call .contiguous() first');
    }
    this._ref.pinned = true;
    const Ctor = typedArrayFor(this.dtype);
    return new Ctor(backend.hostBuffer(storage), this._offset * itemsize(this.dtype), this.numel());
  }

  private _nest(flat: TypedArray): NestedArray<Scalar> {
    const values = Array.from(flat as ArrayLike<number | bigint>, (v) => toScalar(v, this.dtype));
    return nest(values, this.shape, 0, 0);
  }

  /** Nested JS arrays of the values. int64 values beyond 2^53 come back as bigint. */
  tolist(): NestedArray<Scalar> {
    return this._nest(this.dataSync());
  }
  async tolistAsync(): Promise<NestedArray<Scalar>> {
    return this._nest(await this.data());
  }
  item(): Scalar {
    if (this.numel() !== 1) {
      throw new Error(`a Tensor with ${this.numel()} elements cannot be converted to Scalar`);
    }
    return toScalar((this.dataSync() as ArrayLike<number | bigint>)[0]!, this.dtype);
  }
  async itemAsync(): Promise<Scalar> {
    if (this.numel() !== 1) {
      throw new Error(`a Tensor with ${this.numel()} elements cannot be converted to Scalar`);
    }
    return toScalar(((await this.data()) as ArrayLike<number | bigint>)[0]!, this.dtype);
  }
}

function toScalar(v: number | bigint, dtype: DType): Scalar {
  if (dtype === 'bool') return v !== 0;
  if (typeof v === 'bigint') {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  return v;
}

function nest(values: Scalar[], shape: Shape, dim: number, start: number): NestedArray<Scalar> {
  if (shape.length === 0) return values[0]!;
  const n = shape[dim]!;
  if (dim === shape.length - 1) return values.slice(start, start + n);
  const inner = numel(shape.slice(dim + 1));
  const out: NestedArray<Scalar>[] = [];
  for (let i = 0; i < n; i++) out.push(nest(values, shape, dim + 1, start + i * inner));
  return out;
}

export { contiguousStrides };
