/**
 * Moving values with tensors between threads. A Tensor is a class instance over backend memory,
 * which `postMessage` cannot clone, so tensors travel as `{ dtype, shape, buffer, byteOffset }`
 * and are rebuilt on the other side around the same memory:
 *
 * - a batch a worker has just collated owns its ArrayBuffer outright, so that buffer is
 *   *transferred* (moved, no copy); any other tensor (a view of the worker's dataset, a tensor a
 *   custom collate function returned) is copied once into a fresh buffer, which is transferred;
 * - tensors sent to every worker (a TensorDataset's tensors, constructor arguments) are copied
 *   once into a SharedArrayBuffer that all workers read, instead of once per worker.
 *
 * Arrays, plain objects and Maps are walked; every other value goes through structured clone.
 */
import { type DType, StorageRef, Tensor, contiguousStrides, device, getBackend, itemsize, numel } from '@kindling/tensor';
import { isFreshlyCollated } from './fresh.js';

export interface EncodedTensor {
  __kindlingTensor__: 1;
  dtype: DType;
  shape: number[];
  buffer: ArrayBuffer | SharedArrayBuffer;
  byteOffset: number;
}

export function isEncodedTensor(x: unknown): x is EncodedTensor {
  return typeof x === 'object' && x !== null && (x as EncodedTensor).__kindlingTensor__ === 1;
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** A contiguous host view of `t`'s elements (copying only if `t` is not already one). */
function hostBytes(t: Tensor): Uint8Array {
  let c = t.device.type === 'cpu' ? t : t.to('cpu');
  if (c.requiresGrad) c = c.detach();
  if (!c.isContiguous()) c = c.contiguous();
  // numpy() is the public way to reach a CPU tensor's memory; it works for every dtype (float16
  // and bfloat16 as raw bits), which dataSync() does not.
  const a = c.numpy();
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** A tensor for a message that moves it to one thread (`transfer` collects what to move). */
export function encodeForTransfer(t: Tensor, transfer: Set<ArrayBuffer>): EncodedTensor {
  const shape = [...t.shape];
  if (isFreshlyCollated(t) && t.device.type === 'cpu' && !t.requiresGrad && t.isContiguous() && t.storageOffset() === 0) {
    const a = t.numpy(); // pins the storage: its buffer is never recycled by this thread's allocator
    transfer.add(a.buffer as ArrayBuffer);
    return { __kindlingTensor__: 1, dtype: t.dtype, shape, buffer: a.buffer, byteOffset: a.byteOffset };
  }
  const copy = hostBytes(t).slice();
  transfer.add(copy.buffer);
  return { __kindlingTensor__: 1, dtype: t.dtype, shape, buffer: copy.buffer, byteOffset: 0 };
}

// One shared copy per tensor storage version: a second DataLoader epoch over an unchanged
// TensorDataset reuses it, an in-place change to the tensor makes a new one.
const sharedCache = new WeakMap<Tensor, { version: number; encoded: EncodedTensor }>();

/** A tensor for a message to several threads: one copy, in shared memory, read by all. */
export function encodeShared(t: Tensor): EncodedTensor {
  const hit = sharedCache.get(t);
  if (hit && hit.version === t._version) return hit.encoded;
  const bytes = hostBytes(t);
  const sab = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(sab).set(bytes);
  const encoded: EncodedTensor = { __kindlingTensor__: 1, dtype: t.dtype, shape: [...t.shape], buffer: sab, byteOffset: 0 };
  sharedCache.set(t, { version: t._version, encoded });
  return encoded;
}

/** The tensor around an encoded tensor's memory (no copy). */
export function decodeTensor(e: EncodedTensor): Tensor {
  const backend = getBackend('cpu');
  if (!backend.adopt) throw new Error('@kindling/data: the cpu backend cannot adopt host memory');
  const n = numel(e.shape);
  // Adopting is what torch.fromArray does, generalised to every dtype (fromArray infers the dtype
  // from the typed array, and float16/bfloat16/bool have no typed array of their own).
  const ref = new StorageRef(backend, backend.adopt(e.buffer as ArrayBuffer, e.byteOffset, n * itemsize(e.dtype)));
  ref.pinned = true; // the memory came from a message, not from this thread's allocator
  return new Tensor(ref, e.dtype, [...e.shape], contiguousStrides(e.shape), 0, device('cpu'));
}

/** Walk arrays, plain objects and Maps, replacing leaves with `leaf(x)` (or keeping them). */
export function mapTree(value: unknown, leaf: (x: unknown) => unknown): unknown {
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (x instanceof Map) return new Map([...x].map(([k, v]) => [k, walk(v)]));
    if (isPlainObject(x) && !isEncodedTensor(x)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x)) out[k] = walk(x[k]);
      return out;
    }
    return leaf(x);
  };
  return walk(value);
}

/** Encode every tensor in `value` for a one-way move (a batch, a sample list). */
export function encodeTree(value: unknown, transfer: Set<ArrayBuffer>): unknown {
  return mapTree(value, (x) => (x instanceof Tensor ? encodeForTransfer(x, transfer) : x));
}

/** Rebuild the tensors of an encoded value. */
export function decodeTree(value: unknown): unknown {
  return mapTree(value, (x) => (isEncodedTensor(x) ? decodeTensor(x) : x));
}
