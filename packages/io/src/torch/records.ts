import type { DType } from '@kindling/tensor';
import { UnpicklingError } from '../errors.js';

/**
 * A storage a pickle refers to by persistent id: which record holds its bytes, its dtype, its size
 * and where it was saved. Tensors are made over it only after the whole pickle has been read and
 * checked, so a file cannot make Kindling allocate memory for sizes it only claims.
 */
export class StorageRecord {
  constructor(
    readonly key: string,
    readonly dtype: DType,
    /** Elements, as declared by the persistent id (checked against the bytes there are). */
    readonly numel: number,
    readonly location: string,
    /** Legacy storage views: the element offset of this view into its root storage. */
    readonly viewOffset = 0,
  ) {}
}

/** A tensor to build over a StorageRecord (the arguments of `_rebuild_tensor_v2`). */
export class TensorRecord {
  constructor(
    readonly storage: StorageRecord,
    readonly offset: number,
    readonly size: readonly number[],
    readonly stride: readonly number[],
    readonly requiresGrad: boolean,
    /** Came through `_rebuild_parameter`: a `nn.Parameter` in PyTorch. */
    readonly parameter = false,
  ) {}
}

const MAX_DIMS = 64;

/**
 * Check `_rebuild_tensor_v2`'s arguments: whole non-negative sizes and strides, and every element it
 * can address inside the storage (PyTorch checks the same in `set_`).
 */
export function tensorRecord(storage: unknown, offset: unknown, size: unknown, stride: unknown, requiresGrad: unknown): TensorRecord {
  if (!(storage instanceof StorageRecord)) throw new UnpicklingError(`_rebuild_tensor: expected a storage, got ${describe(storage)}`);
  const off = index(offset, 'storage offset');
  const dims = intList(size, 'size');
  const strides = intList(stride, 'stride');
  if (dims.length !== strides.length) {
    throw new UnpicklingError(`_rebuild_tensor: size has ${dims.length} dimensions but stride has ${strides.length}`);
  }
  let numel = 1;
  let last = off;
  for (let i = 0; i < dims.length; i++) {
    numel *= dims[i]!;
    last += (dims[i]! - 1) * strides[i]!;
  }
  if (!Number.isSafeInteger(numel)) throw new UnpicklingError(`_rebuild_tensor: size [${dims.join(', ')}] has too many elements`);
  if (numel > 0 && (!Number.isSafeInteger(last) || last >= storage.numel)) {
    throw new UnpicklingError(
      `_rebuild_tensor: a tensor of size [${dims.join(', ')}], stride [${strides.join(', ')}] at offset ${off} ` +
        `reaches element ${last} of storage '${storage.key}', which has only ${storage.numel} elements`,
    );
  }
  if (typeof requiresGrad !== 'boolean') throw new UnpicklingError(`_rebuild_tensor: requires_grad must be a bool, got ${describe(requiresGrad)}`);
  return new TensorRecord(storage, off, dims, strides, requiresGrad);
}

function index(x: unknown, what: string): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) throw new UnpicklingError(`_rebuild_tensor: ${what} must be a non-negative int, got ${describe(x)}`);
  return x;
}

function intList(x: unknown, what: string): number[] {
  if (!Array.isArray(x)) throw new UnpicklingError(`_rebuild_tensor: ${what} must be a tuple, got ${describe(x)}`);
  if (x.length > MAX_DIMS) throw new UnpicklingError(`_rebuild_tensor: ${what} has ${x.length} dimensions (at most ${MAX_DIMS})`);
  return x.map((v) => index(v, `${what} entry`));
}

export function describe(x: unknown): string {
  if (x === null || x === undefined) return 'None';
  if (typeof x === 'string') return `'${x.slice(0, 60)}'`;
  if (typeof x !== 'object') return String(x);
  return x.constructor?.name ?? 'object';
}
